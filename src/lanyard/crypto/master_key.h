// The server's master key: the one secret from which every at-rest encryption key is derived
// (DeriveSecretKey in secret_box.h), found in the environment or in a file beside the database,
// and created on first start.
//
// Where it comes from, in order:
//   1. LANYARD_MASTER_KEY, 64 hex digits (an empty variable counts as unset). For deployments
//      that keep secrets in a secret manager; nothing is written to disk.
//   2. The key file (MasterKeyFileFor(db) = "<db>.master-key"): 64 hex digits, optionally
//      followed by one "\n", mode 0600 or stricter (no permission at all for group or others),
//      a regular file, not a symbolic link.
//   3. Neither: a new random key is written to the key file, created=true.
//
// Creation is atomic: the key goes to a temporary file in the same directory (created with
// O_CREAT|O_EXCL by mkostemp, mode 0600 whatever the umask), which is fsynced and then published
// with link(2), which refuses to replace an existing file; then the directory is fsynced. So
// the key file is never seen half-written, and when two processes start at once one key wins
// and both use it. Losing this key loses every secret sealed under it: back it up with the
// database (but not in the same place).
//
// Errors (reasons, with their codes):
//   masterkey.invalid               the variable or the file is not 64 hex digits (+ newline),
//                                   or the path is not a regular file     (kInvalidArgument)
//   masterkey.insecure_permissions  the file grants group or others any access, or is a
//                                   symbolic link                       (kFailedPrecondition)
//   masterkey.io_error              the file system refused an operation; the message says
//                                   which                                        (kInternal)
//   masterkey.not_found             LoadMasterKey: neither the variable nor the file (kNotFound)
//   masterkey.exists                WriteMasterKeyFile: the path exists     (kAlreadyExists)
//   secretbox.no_memory             no guarded memory for the key       (kResourceExhausted)
//
// Thread-safety: safe from any thread; files are touched only as described above.
#pragma once

#include <string>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/crypto/key_store.h"
#include "lanyard/crypto/secret_box.h"

namespace lanyard::crypto {

inline constexpr char kMasterKeyVariable[] = "LANYARD_MASTER_KEY";

struct MasterKeySource {
  SecretKey key;
  bool created = false;  // true when this call wrote a new key file
  std::string origin;    // "environment", or the key file's path
};

// Finds or creates the master key as described above. `env` is the EnvironmentLookup of
// key_store.h (std::getenv in main(), a map in tests).
Result<MasterKeySource> LoadOrCreateMasterKey(const std::string& file_path,
                                              const EnvironmentLookup& env);

// Finds the master key exactly as LoadOrCreateMasterKey does, but never creates one: for
// commands that must work with the deployment's existing key (escrow export, restore), where a
// fresh key would silently fail to open everything sealed under the real one.
// Errors: as LoadOrCreateMasterKey, and masterkey.not_found when there is no key.
Result<MasterKeySource> LoadMasterKey(const std::string& file_path, const EnvironmentLookup& env);

// Writes `key` to a new file at `path` in the key file's own format (64 lowercase hex digits and
// a newline, mode 0600, written whole and published with link(2), then the directory fsynced),
// so an escrowed copy can be put back as a deployment's "<db>.master-key" as it is. Never
// replaces an existing file. REQUIRES: key.valid().
// Errors: masterkey.exists when `path` exists; masterkey.io_error.
Status WriteMasterKeyFile(const std::string& path, const SecretKey& key);

// The secret that opens a deployment's key store (key_store.h): a key derived from the master
// key (context "LanyKeys", subkey 1), in the key store's master-key form, so the master key
// itself never encrypts key files. Errors: secretbox.* when the key cannot be derived.
Result<KeyStoreSecret> KeyStoreSecretFromMasterKey(const SecretKey& master);

// Where the master key of the database at `db_path` lives: db_path + ".master-key".
std::string MasterKeyFileFor(std::string_view db_path);

}  // namespace lanyard::crypto
