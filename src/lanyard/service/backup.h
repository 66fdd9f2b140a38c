// Backup and restore of a passport-service deployment (deployment.h), and export of its master
// key for escrow.
//
// A backup is one file holding the deployment's database (a consistent copy taken online, while
// the server keeps serving and writing: Store::BackupTo) and every file of its key store
// directory "<db>.keys/" as it is on disk (already encrypted under a key derived from the master
// key). The master key itself is NEVER in a backup: without it the signing keys, the hosted
// wallets' holder keys and the TOTP secrets in the backup cannot be opened, so a backup may be
// kept off-site, and the key must be escrowed separately (ExportMasterKey). The database itself is
// not encrypted (names, email addresses, issued claims): the backup file is created with mode 0600
// and must be kept as personal data.
//
// Archive format, version 1, byte level:
//
//   offset 0         15 bytes  magic "LANYARD-BACKUP\n"
//   offset 15         4 bytes  format version, big-endian unsigned (1)
//   offset 19         4 bytes  manifest length M, big-endian unsigned (1 .. kMaxManifestBytes)
//   offset 23         M bytes  manifest: RFC 8785 canonical JSON
//     {"auditHead":{"hash":HEX64,"seq":N},"created":RFC3339,"format":"lanyard-backup",
//      "masterKey":"not included",
//      "members":[{"name":"database","sha256":HEX64,"size":N},
//                 {"name":"keys/keystore.json","sha256":HEX64,"size":N},
//                 {"name":"keys/<id>.key.json",...} ...],
//      "schemaVersion":N,"version":1}
//     "database" comes first; key files follow sorted by name; names are unique; auditHead is
//     the head of the copied database's audit chain (store.h AuditHead), schemaVersion the
//     store schema it was written at.
//   then                       each member's bytes, in manifest order, exactly `size` bytes each,
//                              with no padding
//   last             32 bytes  SHA-256 of every byte before it (so the manifest is covered too)
//
// Sizes are bounded before anything is allocated or written: the manifest by kMaxManifestBytes,
// the database by kMaxDatabaseBytes (streamed, never held whole), each key file by
// kMaxKeyFileBytes and their number by kMaxKeyFiles; the file's size must be exactly what the
// manifest adds up to.
//
// Errors (reason, Code):
//   backup.not_a_backup         the file does not start with the magic          (kInvalidArgument)
//   backup.unsupported_version  a format version this build does not read   (kFailedPrecondition)
//   backup.corrupt              a checksum that does not match, a manifest that is not as above,
//                               bytes after the end; the message says which          (kDataLoss)
//   backup.truncated            the file ends before the manifest says it should    (kDataLoss)
//   backup.too_large            a member, the manifest or the key directory beyond its bound
//                                                                              (kInvalidArgument)
//   backup.too_new              a database schema newer than this build's   (kFailedPrecondition)
//   backup.exists               the output file, or a restore target (<db>, <db>-wal, <db>-shm,
//                               <db>-journal, <db>.keys), already exists         (kAlreadyExists)
//   backup.unsafe_file          a symbolic link, directory or oddly named file in <db>.keys/
//                                                                           (kFailedPrecondition)
//   backup.io_error             the file system refused an operation; the message says which
//                                                                                    (kInternal)
//   and, passed through: store.* (copying or opening the database), masterkey.* (finding the
//   master key), keystore.* (keystore.wrong_passphrase: the master key does not open the
//   backup's key store).
//
// Thread-safety: the functions are safe to call from any thread; BackupDeployment only reads the
// store, so the server may keep writing to it meanwhile.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/crypto/key_store.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

inline constexpr char kBackupMagic[] = "LANYARD-BACKUP\n";  // 15 bytes, no NUL in the file
inline constexpr uint32_t kBackupFormatVersion = 1;         // never renumbered
inline constexpr uint64_t kMaxManifestBytes = 4 * 1024 * 1024;
inline constexpr uint64_t kMaxDatabaseBytes = uint64_t{256} * 1024 * 1024 * 1024;
inline constexpr uint64_t kMaxKeyFileBytes = 64 * 1024;  // as the key store itself refuses
inline constexpr size_t kMaxKeyFiles = 20'000;

// One member of an archive, as its manifest lists it.
struct BackupMember {
  std::string name;  // "database" or "keys/<file name>"
  uint64_t size = 0;
  std::string sha256;  // lowercase hex
};

// A checked manifest.
struct BackupManifest {
  uint32_t version = kBackupFormatVersion;
  TimePoint created;
  int schema_version = 0;
  uint64_t audit_seq = 0;
  std::string audit_hash;
  std::vector<BackupMember> members;
};

struct BackupSummary {
  std::string out_file;
  uint64_t bytes = 0;  // the whole archive
  BackupManifest manifest;
};

// Writes a backup of the deployment whose database is `store` (opened from `db_path`) to a new
// file `out_file` (mode 0600), with the creation time from `clock`. The database is copied
// online and consistently; the key directory is read after the copy, so every organisation in
// the copy finds its signing key (keys are written before the records that name them). The
// archive is written beside `out_file` under a temporary name, fsynced, and published with
// link(2), so `out_file` never holds half a backup and is never replaced. Nothing is left behind
// on failure.
// Errors: backup.exists, backup.unsafe_file, backup.too_large, backup.io_error, store.*.
Result<BackupSummary> BackupDeployment(const store::Store& store, const std::string& db_path,
                                       const std::string& out_file, const Clock& clock);

// Reads and checks a whole archive (magic, version, manifest, every member's SHA-256 and the
// trailing checksum) without writing anything. Errors: the backup.* reasons of reading.
Result<BackupManifest> CheckBackup(const std::string& in_file);

struct RestoreOptions {
  crypto::EnvironmentLookup environment;  // for LANYARD_MASTER_KEY; null: the process's
};

struct RestoreSummary {
  BackupManifest manifest;
  std::string master_key_origin;  // "environment" or the key file's path
  // The restored deployment, opened and checked after it was put in place:
  uint64_t audit_entries = 0;
  std::string audit_problem;  // "" when the chain verifies; else its audit.* reason
  std::string audit_message;
  bool head_matches = false;  // the restored chain's head is the manifest's auditHead
  uint64_t organisations = 0;
  std::vector<std::string> organisations_without_key;  // ODS codes whose signing key won't open

  // Whether the restored deployment is whole: chain intact, head as recorded, every key opens.
  bool ok() const {
    return audit_problem.empty() && head_matches && organisations_without_key.empty();
  }
};

// Restores the archive `in_file` as the deployment at `db_path`: the database to `db_path` and
// the key files to "<db_path>.keys/". The master key must already be available as the new
// deployment will find it (LANYARD_MASTER_KEY, or "<db_path>.master-key" put there from escrow).
// In order: the master key is found; the targets must not exist (nothing is overwritten); the
// whole archive is checked (CheckBackup) before anything is written; members are written to a
// temporary directory beside `db_path` (checked again as written, fsynced); the master key must
// open the restored key store; then the key directory and the database are moved into place
// (refusing to replace anything) and the directory fsynced. Any failure up to here leaves
// nothing behind. Finally the restored deployment is opened: the audit chain is verified, its
// head compared with the manifest, and each organisation's signing key opened; the outcome is in
// the summary (ok()), not an error, since the files are then in place.
// Errors: masterkey.not_found and the other masterkey.*, backup.* (as CheckBackup, and
// backup.exists, backup.too_new, backup.io_error), keystore.wrong_passphrase (a master key that
// is not this deployment's), keystore.*, store.* (opening the restored database).
Result<RestoreSummary> RestoreDeployment(const std::string& in_file, const std::string& db_path,
                                         const RestoreOptions& options = {});

// Writes the master key of the deployment at `db_path` (from LANYARD_MASTER_KEY or
// "<db_path>.master-key"; never created here) to a new file `out_file` for escrow, in the key
// file's own format (mode 0600; crypto/master_key.h WriteMasterKeyFile). When the deployment's
// key store exists, the key must open it, so a stray LANYARD_MASTER_KEY is not escrowed by
// mistake. Returns where the key came from ("environment" or the key file's path).
// Errors: masterkey.not_found, masterkey.exists (out_file exists), masterkey.*,
// keystore.wrong_passphrase, keystore.*.
Result<std::string> ExportMasterKey(const std::string& db_path, const std::string& out_file,
                                    const crypto::EnvironmentLookup& environment = nullptr);

}  // namespace lanyard::service
