// Key stores: where Lanyard keeps its signing keys, handing out Signers rather than secrets.
//
// A KeyStore generates or imports private keys, persists them, and gives back a Signer for a key
// id; the private key itself never leaves the store. Two implementations:
//   - NewMemoryKeyStore(): keys live only in process memory. For tests.
//   - OpenFileKeyStore(): one encrypted file per key in a directory, protected by a passphrase or
//     a 32-byte master key (KeyStoreSecret, usually from KeyStoreSecretFromEnvironment()).
//
// Both follow the same contract: ids are random (16 bytes from the CSPRNG, base64url: 22
// characters); labels are free UTF-8 text for people; List() is sorted by id.
//
// File store layout, byte level. The directory (created with mode 0700, with any missing
// parents, if absent) holds:
//
//   keystore.json, mode 0600, written once when the store is created:
//     {"version":1,
//      "kdf":{"alg":"argon2id13","salt":B64(16 bytes),"opslimit":N,"memlimit":N},
//      "check":{"nonce":B64(24 bytes),"ciphertext":B64(41 bytes)}}
//   for a passphrase, or with "kdf":{"alg":"master-key"} for a master key. B64 is base64url
//   without padding.
//     Store key, passphrase: crypto_pwhash (Argon2id v1.3) of the passphrase's bytes as given
//       (no Unicode normalisation) with the salt and limits in the file; 32 bytes. The KDF runs
//       once per open, not per key.
//     Store key, master key: crypto_kdf_derive_from_key(32 bytes, subkey id 1, context
//       "LanyrdKS", master key), so the master key itself never encrypts anything directly.
//     check: crypto_aead_xchacha20poly1305_ietf_encrypt of the 25 ASCII bytes
//       "lanyard keystore check v1" with additional data "lanyard.keystore.check.v1" under the
//       store key. Opening decrypts it, so a wrong secret is refused at open.
//
//   <id>.key.json, mode 0600, one per key, never rewritten:
//     {"version":1,"id":ID,"type":"Ed25519"|"P-256","label":TEXT,
//      "publicKeyMultibase":MULTIKEY,"nonce":B64(24 bytes),"ciphertext":B64(48 bytes)}
//     ciphertext: crypto_aead_xchacha20poly1305_ietf_encrypt under the store key, with a random
//       nonce, of the 32-byte secret (PrivateKey::ExportSecret: Ed25519 seed or P-256 scalar),
//       with additional data
//         "lanyard.keystore.key.v1" 0x00 ID 0x00 TYPE 0x00 MULTIKEY
//       so that the id, type and public key cannot be swapped between files. The label is not
//       authenticated: it is a hint for people, never used to choose a key.
//
// Files are written atomically: a temporary file (".<name>.tmp-XXXXXX", mode 0600) in the same
// directory is written and fsynced, then published with link(2), which, unlike rename(2),
// refuses to replace an existing file, so two processes creating the same store cannot
// overwrite each other's keystore.json. The directory is fsynced after each publication.
//
// Key files are decrypted lazily: Get() and List() read a key file and check its
// authentication tag (so the info they return was written by a holder of the store key);
// GetSigner() decrypts the secret, checks that it gives the stated public key, and keeps the
// key in memory for later calls. One damaged key file does not stop the others: List() skips
// it, and Get()/GetSigner() on its id fail with "keystore.corrupt". Store files that are
// symbolic links, not regular files, or larger than 64 KiB are "keystore.corrupt" too.
//
// Secrets in memory: the store key lives in libsodium's guarded allocation (locked against
// swapping where the system allows), read-only once derived and wiped when the store is
// destroyed; decrypted and exported key secrets are wiped as soon as they have been used.
//
// Errors (reasons, with their codes):
//   keystore.not_found           no key with that id                                (kNotFound)
//   keystore.invalid_id          an id that is not 1..64 of [A-Za-z0-9_-]     (kInvalidArgument)
//   keystore.invalid_label       a label beyond kMaxKeyLabelBytes or not UTF-8 (kInvalidArgument)
//   keystore.no_secret           neither environment variable is set        (kFailedPrecondition)
//   keystore.invalid_secret      an empty passphrase, or a master key that is not
//                                64 hex characters                            (kInvalidArgument)
//   keystore.invalid_options     KDF limits outside the supported range       (kInvalidArgument)
//   keystore.wrong_secret_kind   a passphrase for a master-key store or vice versa
//                                                                           (kFailedPrecondition)
//   keystore.wrong_passphrase    the passphrase or master key does not open the store
//                                                                             (kPermissionDenied)
//   keystore.corrupt             an unreadable, altered or inconsistent file; the message names
//                                the file                                              (kDataLoss)
//   keystore.unsupported_version a file from a newer Lanyard                (kFailedPrecondition)
//   keystore.id_collision        a freshly drawn id already exists (practically never)
//                                                                                (kAlreadyExists)
//   keystore.kdf_failed          Argon2id could not allocate its memory      (kResourceExhausted)
//   keystore.io_error            the file system refused an operation; the message says which
//                                                                                    (kInternal)
//
// Thread-safety: every KeyStore method is safe to call from many threads at once, and the
// Signers handed out are safe to share. A file store also tolerates other processes adding keys
// to the same directory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/crypto/keys.h"

namespace lanyard::crypto {

inline constexpr size_t kMaxKeyIdLength = 64;
inline constexpr size_t kMaxKeyLabelBytes = 256;

struct KeyInfo {
  std::string id;
  KeyType type = KeyType::kEd25519;
  PublicKey public_key;
  std::string label;

  bool operator==(const KeyInfo&) const = default;
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;

  // Generates a key of `type`, persists it and returns its info (with a fresh random id).
  // Errors: keystore.invalid_label; for a file store keystore.io_error, keystore.id_collision.
  virtual Result<KeyInfo> Generate(KeyType type, std::string_view label) = 0;

  // Imports an existing private key (for example one migrated from a JWK file) under a fresh
  // id. The store keeps its own copy: `key` may be destroyed afterwards.
  // Errors: as Generate.
  virtual Result<KeyInfo> Import(const PrivateKey& key, std::string_view label) = 0;

  // A signer for key `id`, valid for as long as the caller holds it (even beyond the store).
  // Errors: keystore.invalid_id, keystore.not_found; for a file store keystore.corrupt,
  // keystore.unsupported_version, keystore.io_error.
  virtual Result<std::shared_ptr<const Signer>> GetSigner(std::string_view id) const = 0;

  // The public information of key `id`. Errors: as GetSigner.
  virtual Result<KeyInfo> Get(std::string_view id) const = 0;

  // Every readable key, sorted by id. Key files that cannot be read are skipped (Get on their
  // id says why). Errors: for a file store keystore.io_error when the directory is unreadable.
  virtual Result<std::vector<KeyInfo>> List() const = 0;
};

// A store that keeps keys in process memory only; they are gone when it is destroyed.
std::unique_ptr<KeyStore> NewMemoryKeyStore();

// The secret that protects a file store.
struct KeyStoreSecret {
  enum class Kind { kPassphrase, kMasterKey };
  Kind kind = Kind::kPassphrase;
  // kPassphrase: the passphrase text (non-empty). kMasterKey: the 32-byte key as 64 hex digits.
  std::string value;
};

// Looks up an environment variable by name: nullptr when unset. std::getenv has this shape.
using EnvironmentLookup = std::function<const char*(const char*)>;

// Reads the secret from LANYARD_KEYSTORE_MASTER_KEY (64 hex digits) or, when that is unset,
// LANYARD_KEYSTORE_PASSPHRASE. An empty variable counts as unset. The master key wins when both
// are set. The first overload reads the process environment; the second takes a lookup, so that
// tests need not change the real environment.
// Errors: kFailedPrecondition "keystore.no_secret" when neither is set; kInvalidArgument
// "keystore.invalid_secret" when the master key is not 64 hex digits.
Result<KeyStoreSecret> KeyStoreSecretFromEnvironment();
Result<KeyStoreSecret> KeyStoreSecretFromEnvironment(const EnvironmentLookup& lookup);

// Argon2id cost for passphrase stores. Used only when a store is created: an existing store
// keeps the limits recorded in its keystore.json. The defaults are libsodium's INTERACTIVE
// limits (64 MiB, about a tenth of a second); tests may lower them.
struct FileKeyStoreOptions {
  static constexpr uint64_t kMinOpsLimit = 1;
  static constexpr uint64_t kMaxOpsLimit = 16;
  static constexpr uint64_t kMinMemLimit = 8 * 1024;
  static constexpr uint64_t kMaxMemLimit = 1024 * 1024 * 1024;

  uint64_t opslimit = 2;
  uint64_t memlimit = 64 * 1024 * 1024;
};

// Opens the file store in `directory`, creating the directory and its keystore.json if absent
// (a passphrase store gets a fresh random salt). The secret's kind must match the store's.
// Errors: keystore.invalid_secret, keystore.invalid_options, keystore.wrong_secret_kind,
// keystore.wrong_passphrase, keystore.corrupt (an unreadable keystore.json, or key files in a
// directory without one), keystore.unsupported_version, keystore.kdf_failed,
// keystore.io_error.
Result<std::unique_ptr<KeyStore>> OpenFileKeyStore(const std::string& directory,
                                                   const KeyStoreSecret& secret,
                                                   const FileKeyStoreOptions& options = {});

}  // namespace lanyard::crypto
