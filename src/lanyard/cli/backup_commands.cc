// Backup, restore and master-key escrow at the command line: `backup`, `restore` and
// `admin key export` (service/backup.h does the work).
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "lanyard/cli/commands.h"
#include "lanyard/core/time.h"
#include "lanyard/crypto/master_key.h"
#include "lanyard/service/backup.h"
#include "lanyard/store/store.h"

namespace lanyard::cli {
namespace {

struct BackupArgs {
  std::string db;
  std::string out;
  std::string in;
};

int Fail(const Environment& env, const Error& error) {
  *env.err << "lanyard: " << error.message << " (" << error.reason << ")\n";
  return kExitUsage;
}

void PrintManifest(const Environment& env, const service::BackupManifest& m) {
  size_t key_files = m.members.empty() ? 0 : m.members.size() - 1;
  *env.out << "created: " << FormatRfc3339(m.created) << "\n"
           << "schema version: " << m.schema_version << "\n"
           << "database: " << (m.members.empty() ? 0 : m.members.front().size) << " bytes\n"
           << "key store files: " << key_files << "\n"
           << "audit head: " << m.audit_seq << " " << m.audit_hash << "\n";
}

int Backup(const Environment& env, const BackupArgs& args) {
  // Opening a path that does not exist would create an empty deployment and back that up.
  struct stat st;
  if (::stat(args.db.c_str(), &st) != 0) {
    return Fail(env, MakeError(Code::kNotFound, "usage", "there is no database at " + args.db));
  }
  // Only the store: a backup needs no master key, which is exactly why it may leave the building.
  auto store = store::OpenSqliteStore(args.db);
  if (!store.ok()) return Fail(env, store.error());
  auto summary = service::BackupDeployment(**store, args.db, args.out, *env.clock);
  if (!summary.ok()) return Fail(env, summary.error());
  *env.out << "backup: " << summary->out_file << " (" << summary->bytes << " bytes)\n";
  PrintManifest(env, summary->manifest);
  *env.err << "lanyard: the MASTER KEY IS NOT IN THIS BACKUP. Without it nothing sealed in the "
              "backup (signing keys, wallets, TOTP secrets) can be opened, which is why the "
              "backup may be kept off-site; keep the key apart from it (lanyard admin key "
              "export). The backup file holds personal data: keep it as such (mode 0600).\n";
  return kExitOk;
}

int Restore(const Environment& env, const BackupArgs& args) {
  auto summary = service::RestoreDeployment(args.in, args.db);
  if (!summary.ok()) {
    if (summary.error().reason == "masterkey.not_found") {
      *env.err << "lanyard: restore needs the deployment's master key first: put the escrowed "
                  "key file at "
               << crypto::MasterKeyFileFor(args.db) << " (mode 0600) or set "
               << crypto::kMasterKeyVariable << "\n";
    }
    return Fail(env, summary.error());
  }
  const service::RestoreSummary& s = *summary;
  *env.out << "restored: " << args.db << " and " << args.db << ".keys/\n";
  PrintManifest(env, s.manifest);
  *env.out << "master key: " << s.master_key_origin << "\n"
           << "organisations: " << s.organisations << "\n"
           << "audit entries: " << s.audit_entries << "\n";
  int code = kExitOk;
  if (!s.audit_problem.empty()) {
    *env.out << "audit chain BROKEN: " << s.audit_problem << ": " << s.audit_message << "\n";
    code = kExitInvalid;
  }
  if (!s.head_matches) {
    *env.out << "audit head DIFFERS from the backup's manifest\n";
    code = kExitInvalid;
  }
  for (const std::string& ods : s.organisations_without_key) {
    *env.out << "signing key of " << ods << " does NOT open\n";
    code = kExitInvalid;
  }
  if (code == kExitOk) *env.out << "verified: audit chain intact, head as recorded, keys open\n";
  return code;
}

int KeyExport(const Environment& env, const BackupArgs& args) {
  auto origin = service::ExportMasterKey(args.db, args.out);
  if (!origin.ok()) return Fail(env, origin.error());
  *env.out << "master key (from " << *origin << ") written to " << args.out << " (mode 0600)\n";
  *env.err << "lanyard: WARNING: " << args.out
           << " holds the deployment's master key. Whoever has it and a backup can read every "
              "signing key and wallet. Move it to escrow (a safe, a secret manager) now, keep "
              "it apart from the backups, and delete this copy.\n";
  return kExitOk;
}

}  // namespace

std::function<std::optional<int>()> AddBackupCommands(CLI::App& app, const Environment& env) {
  auto args = std::make_shared<BackupArgs>();

  auto* backup = app.add_subcommand(
      "backup", "Back a deployment up into one file, online (the master key is not included)");
  backup->add_option("--db", args->db, "The deployment's database")->required();
  backup->add_option("--out", args->out, "The backup file to create (never replaced)")->required();

  auto* restore = app.add_subcommand(
      "restore", "Restore a backup as a new deployment (its master key must be in place first)");
  restore->add_option("--in", args->in, "The backup file")->required();
  restore->add_option("--db", args->db, "The new deployment's database (must not exist)")
      ->required();

  // `admin` is AddServiceCommands's; escrow sits beside the other administration commands.
  CLI::App* admin = app.get_subcommand("admin");
  auto* key = admin->add_subcommand("key", "The deployment's master key");
  key->require_subcommand(1);
  auto* key_export =
      key->add_subcommand("export", "Write the master key to a new file (mode 0600) for escrow");
  key_export->add_option("--db", args->db, "The deployment's database")->required();
  key_export->add_option("--out", args->out, "The file to create (never replaced)")->required();

  return [=, &env]() -> std::optional<int> {
    if (backup->parsed()) return Backup(env, *args);
    if (restore->parsed()) return Restore(env, *args);
    if (key_export->parsed()) return KeyExport(env, *args);
    return std::nullopt;
  };
}

}  // namespace lanyard::cli
