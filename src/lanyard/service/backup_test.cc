// Backup and restore of a real deployment (SQLite store, file key store, master key file) in a
// temporary directory, with a simulated clock: the round trip, and every way an archive or a
// target can be unusable, each refused with nothing left behind.
#include "lanyard/service/backup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "lanyard/crypto/master_key.h"
#include "lanyard/json/parser.h"
#include "lanyard/service/deployment.h"
#include "lanyard/store/audit_chain.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_deployment.h"

namespace lanyard::service {
namespace {

namespace fs = std::filesystem;
using ::lanyard::testing::ErrorIs;
using ::lanyard::testing::IsOk;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// The names in a directory, sorted, one string: what "nothing left behind" is compared against.
std::string Listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.insert(entry.path().filename().string());
  std::string out;
  for (const std::string& n : names) out += n + " ";
  return out;
}

Principal System(RoleSet roles, std::string org = "") {
  return Principal::System(roles, std::move(org));
}

const crypto::EnvironmentLookup kNoEnvironment = [](const char*) -> const char* { return nullptr; };

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDirectory("lanyard-backup-test");
    fs::create_directories(dir_ / "source");
    fs::create_directories(dir_ / "restored");
    db_ = (dir_ / "source" / "lanyard.db").string();
    d_ = Open(db_);
    ASSERT_NE(d_, nullptr);

    staff_id_ = testing::AddTrustWithStaffMember(*d_, "RGT", hr_, "nurse@example.org");
    ASSERT_FALSE(staff_id_.empty());
    for (int i = 0; i < 2; ++i) {
      auto issued = Issue();
      ASSERT_THAT(issued, IsOk());
      credential_ids_.push_back(issued->record.id);
    }
    ASSERT_THAT(d_->issuer->ChangeStatus(hr_, "RGT", credential_ids_[1], StatusAction::kRevoke,
                                         "withdrawn"),
                IsOk());
  }

  void TearDown() override {
    d_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<Deployment> Open(const std::string& db) {
    auto d = OpenDeployment(testing::TestDeploymentOptions(db), clock_);
    EXPECT_THAT(d, IsOk());
    return d.ok() ? std::move(d).value() : nullptr;
  }

  Result<IssuedCredential> Issue() {
    auto claims = json::Parse(ReadFile(std::string(LANYARD_EXAMPLES_DIR) + "/claims/dbs.json"));
    if (!claims.ok()) return claims.error();
    IssueRequest request;
    request.subject_user_id = staff_id_;
    request.type = "dbs";
    request.format = "di";
    request.claims = *claims;
    return d_->issuer->Issue(hr_, "RGT", std::move(request));
  }

  std::string Backup() {
    std::string out = (dir_ / ("backup-" + std::to_string(++backups_) + ".lanyard")).string();
    auto summary = BackupDeployment(*d_->store, db_, out, clock_);
    EXPECT_THAT(summary, IsOk());
    return out;
  }

  // The restore target, with the source's master key put beside it as from escrow.
  std::string RestoreTarget() {
    std::string db = (dir_ / "restored" / "lanyard.db").string();
    fs::copy_file(crypto::MasterKeyFileFor(db_), crypto::MasterKeyFileFor(db));
    return db;
  }

  Result<RestoreSummary> Restore(const std::string& in, const std::string& db) {
    RestoreOptions options;
    options.environment = kNoEnvironment;
    return RestoreDeployment(in, db, options);
  }

  // A restore that must fail leaves the target directory as it was.
  void ExpectRefused(const std::string& archive, const std::string& reason) {
    std::string db = (dir_ / "restored" / "lanyard.db").string();
    if (!fs::exists(crypto::MasterKeyFileFor(db))) RestoreTarget();
    const std::string before = Listing(dir_ / "restored");
    EXPECT_THAT(Restore(archive, db), ErrorIs(reason));
    EXPECT_EQ(Listing(dir_ / "restored"), before);
  }

  // What a deployment holds, rendered once for comparison.
  static std::string Render(Deployment& d) {
    std::ostringstream out;
    auto orgs = d.store->ListOrganisations();
    if (!orgs.ok()) return orgs.error().ToString();
    for (const auto& org : *orgs) {
      out << "org " << org.ods << " " << org.did << " key " << org.signing_key_id << "\n";
      out << "  signer " << (d.keys->GetSigner(org.signing_key_id).ok() ? "opens" : "FAILS")
          << "\n";
      auto issued = d.store->ListIssuedCredentials(org.ods, "", {});
      if (!issued.ok()) return issued.error().ToString();
      for (const auto& c : *issued) {
        out << "  credential " << c.id << " " << c.type << " " << c.state << " " << c.status_list
            << "#" << c.status_index << "\n";
      }
    }
    auto head = d.store->AuditHead();
    out << "audit " << head->first << " " << head->second << "\n";
    return out.str();
  }

  fs::path dir_;
  std::string db_;
  SimulatedClock clock_{*ParseRfc3339("2026-09-01T09:00:00Z")};
  std::unique_ptr<Deployment> d_;
  Principal hr_ = System(RoleSet{Role::kOrgAdmin, Role::kHrIssuer}, "RGT");
  std::string staff_id_;
  std::vector<std::string> credential_ids_;
  int backups_ = 0;
};

TEST_F(BackupTest, RoundTripRestoresADeploymentThatVerifiesAndKeepsIssuing) {
  const std::string archive = Backup();
  EXPECT_EQ((fs::status(archive).permissions() & fs::perms::all),
            fs::perms::owner_read | fs::perms::owner_write);
  const std::string db = RestoreTarget();
  auto summary = Restore(archive, db);
  ASSERT_THAT(summary, IsOk());
  EXPECT_TRUE(summary->ok());
  EXPECT_EQ(summary->organisations, 1u);
  EXPECT_EQ(summary->manifest.audit_seq, d_->store->AuditHead()->first);
  EXPECT_EQ(summary->manifest.created, clock_.Now());
  EXPECT_EQ(summary->manifest.schema_version, store::SqliteStoreSchemaVersion());

  auto restored = Open(db);
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(Render(*restored), Render(*d_));
  // The hosted wallet opens under the same master key.
  auto wallet = restored->store->ListWalletCredentials(staff_id_);
  ASSERT_THAT(wallet, IsOk());
  EXPECT_EQ(wallet->size(), 2u);
  // The restored deployment goes on: its signing key signs, its status lists take a revocation.
  EXPECT_THAT(restored->issuer->ChangeStatus(hr_, "RGT", credential_ids_[0], StatusAction::kRevoke,
                                             "after restore"),
              IsOk());
  auto chain = store::VerifyAuditChain(*restored->store);
  ASSERT_THAT(chain, IsOk());
  EXPECT_EQ(chain->problem, "");
}

TEST_F(BackupTest, BackupTakenWhileIssuingRestoresToItsOwnHead) {
  std::atomic<bool> stop{false};
  std::atomic<int> issued{0};
  std::thread writer([&] {
    while (!stop.load()) {
      if (Issue().ok()) ++issued;
    }
  });
  while (issued.load() < 3) std::this_thread::yield();
  const std::string archive = Backup();
  stop = true;
  writer.join();
  auto summary = Restore(archive, RestoreTarget());
  ASSERT_THAT(summary, IsOk());
  EXPECT_TRUE(summary->ok()) << summary->audit_problem << " " << summary->audit_message;
  EXPECT_GE(summary->manifest.audit_seq, 3u);
}

TEST_F(BackupTest, CheckBackupReadsTheManifest) {
  auto manifest = CheckBackup(Backup());
  ASSERT_THAT(manifest, IsOk());
  ASSERT_GE(manifest->members.size(), 3u);  // database, keystore.json, RGT's key
  EXPECT_EQ(manifest->members[0].name, "database");
  EXPECT_EQ(manifest->members[1].name.substr(0, 5), "keys/");
}

TEST_F(BackupTest, RefusesACorruptedDatabaseByte) {
  const std::string archive = Backup();
  std::string bytes = ReadFile(archive);
  bytes[bytes.size() / 2] ^= 0x01;  // the middle of the file: inside the database
  WriteFile(archive, bytes);
  EXPECT_THAT(CheckBackup(archive), ErrorIs("backup.corrupt"));
  ExpectRefused(archive, "backup.corrupt");
}

TEST_F(BackupTest, RefusesAnAlteredManifest) {
  const std::string archive = Backup();
  std::string bytes = ReadFile(archive);
  // The creation year 2026 -> 2027: still a valid manifest, caught by the trailing checksum.
  size_t at = bytes.find("2026-09-01");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 3] = '7';
  WriteFile(archive, bytes);
  ExpectRefused(archive, "backup.corrupt");
}

TEST_F(BackupTest, RefusesTruncatedFiles) {
  const std::string archive = Backup();
  const std::string bytes = ReadFile(archive);
  for (size_t keep : {size_t{10}, size_t{20}, size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
    SCOPED_TRACE(keep);
    WriteFile(archive, bytes.substr(0, keep));
    ExpectRefused(archive, "backup.truncated");
  }
}

TEST_F(BackupTest, RefusesBytesAfterTheEnd) {
  const std::string archive = Backup();
  WriteFile(archive, ReadFile(archive) + "x");
  ExpectRefused(archive, "backup.corrupt");
}

TEST_F(BackupTest, RefusesAFileWithoutTheMagic) {
  const std::string archive = Backup();
  std::string bytes = ReadFile(archive);
  bytes[0] = 'l';
  WriteFile(archive, bytes);
  ExpectRefused(archive, "backup.not_a_backup");
  WriteFile(archive, "");
  ExpectRefused(archive, "backup.not_a_backup");
}

TEST_F(BackupTest, RefusesAnUnsupportedVersion) {
  const std::string archive = Backup();
  std::string bytes = ReadFile(archive);
  bytes[18] = 2;  // the low byte of the big-endian version after the 15-byte magic
  WriteFile(archive, bytes);
  ExpectRefused(archive, "backup.unsupported_version");
}

TEST_F(BackupTest, RefusesAbsurdSizesBeforeReadingTheMembers) {
  auto header = [](const std::string& manifest) {
    std::string h = kBackupMagic;
    for (uint32_t v : {kBackupFormatVersion, static_cast<uint32_t>(manifest.size())}) {
      for (int shift = 24; shift >= 0; shift -= 8) h.push_back(static_cast<char>(v >> shift));
    }
    return h + manifest;
  };
  const std::string hash(64, 'a');
  const std::string manifest =
      R"({"auditHead":{"hash":")" + hash +
      R"(","seq":1},"created":"2026-09-01T09:00:00Z","format":"lanyard-backup",)"
      R"("masterKey":"not included","members":[{"name":"database","sha256":")" +
      hash + R"(","size":10},{"name":"keys/keystore.json","sha256":")" + hash +
      R"(","size":4000000000000}],"schemaVersion":1,"version":1})";
  const std::string archive = (dir_ / "absurd.lanyard").string();
  WriteFile(archive, header(manifest));
  ExpectRefused(archive, "backup.too_large");

  // A manifest length far beyond the bound is refused from the header alone.
  std::string huge = kBackupMagic;
  huge += std::string("\0\0\0\1\x7f\xff\xff\xff", 8);
  WriteFile(archive, huge);
  ExpectRefused(archive, "backup.too_large");

  // A member that is not the database or a key file.
  std::string odd = manifest;
  odd.replace(odd.find("keys/keystore.json"), 18, "../../etc/passwd.x");
  WriteFile(archive, header(odd));
  ExpectRefused(archive, "backup.corrupt");
}

TEST_F(BackupTest, RestoreNeverOverwritesADeployment) {
  const std::string archive = Backup();
  const std::string before = Listing(dir_ / "source");
  EXPECT_THAT(Restore(archive, db_), ErrorIs("backup.exists"));
  EXPECT_EQ(Listing(dir_ / "source"), before);

  const std::string db = RestoreTarget();
  for (const char* suffix : {".keys", "-wal"}) {
    SCOPED_TRACE(suffix);
    fs::create_directories(db + suffix);
    EXPECT_THAT(Restore(archive, db), ErrorIs("backup.exists"));
    fs::remove_all(db + suffix);
  }
  EXPECT_THAT(Restore(archive, db), IsOk());
  EXPECT_THAT(Restore(archive, db), ErrorIs("backup.exists"));
}

TEST_F(BackupTest, RestoreNeedsTheMasterKeyFirst) {
  const std::string archive = Backup();
  const std::string db = (dir_ / "restored" / "lanyard.db").string();
  EXPECT_THAT(Restore(archive, db), ErrorIs("masterkey.not_found"));
  EXPECT_EQ(Listing(dir_ / "restored"), "");
}

TEST_F(BackupTest, RestoreWithAnotherDeploymentsKeyLeavesNothingBehind) {
  const std::string archive = Backup();
  const std::string db = (dir_ / "restored" / "lanyard.db").string();
  RestoreOptions options;
  options.environment = [](const char* name) -> const char* {
    return std::string(name) == crypto::kMasterKeyVariable
               ? "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
               : nullptr;
  };
  EXPECT_THAT(RestoreDeployment(archive, db, options), ErrorIs("keystore.wrong_passphrase"));
  EXPECT_EQ(Listing(dir_ / "restored"), "");
}

TEST_F(BackupTest, BackupNeverReplacesAFile) {
  const std::string out = (dir_ / "taken.lanyard").string();
  WriteFile(out, "mine");
  EXPECT_THAT(BackupDeployment(*d_->store, db_, out, clock_), ErrorIs("backup.exists"));
  EXPECT_EQ(ReadFile(out), "mine");
}

TEST_F(BackupTest, BackupRefusesALinkInTheKeyStoreAndLeavesNothing) {
  fs::create_symlink("/etc/passwd", db_ + ".keys/planted.key.json");
  const std::string before = Listing(dir_);
  EXPECT_THAT(BackupDeployment(*d_->store, db_, (dir_ / "b.lanyard").string(), clock_),
              ErrorIs("backup.unsafe_file"));
  EXPECT_EQ(Listing(dir_), before);
}

TEST_F(BackupTest, KeyExportWritesAPrivateCopyOnce) {
  const std::string out = (dir_ / "escrow.key").string();
  auto origin = ExportMasterKey(db_, out, kNoEnvironment);
  ASSERT_THAT(origin, IsOk());
  EXPECT_EQ(*origin, crypto::MasterKeyFileFor(db_));
  EXPECT_EQ(ReadFile(out), ReadFile(crypto::MasterKeyFileFor(db_)));
  EXPECT_EQ((fs::status(out).permissions() & fs::perms::all),
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_THAT(ExportMasterKey(db_, out, kNoEnvironment), ErrorIs("masterkey.exists"));
  // A key in the environment that is not this deployment's is not escrowed by mistake.
  crypto::EnvironmentLookup stray = [](const char* name) -> const char* {
    return std::string(name) == crypto::kMasterKeyVariable
               ? "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
               : nullptr;
  };
  EXPECT_THAT(ExportMasterKey(db_, (dir_ / "stray.key").string(), stray),
              ErrorIs("keystore.wrong_passphrase"));
  EXPECT_FALSE(fs::exists(dir_ / "stray.key"));
  EXPECT_THAT(
      ExportMasterKey((dir_ / "none.db").string(), (dir_ / "none.key").string(), kNoEnvironment),
      ErrorIs("masterkey.not_found"));
}

TEST_F(BackupTest, EscrowedKeyRestoresTheDeployment) {
  const std::string escrow = (dir_ / "escrow.key").string();
  ASSERT_THAT(ExportMasterKey(db_, escrow, kNoEnvironment), IsOk());
  const std::string archive = Backup();
  const std::string db = (dir_ / "restored" / "lanyard.db").string();
  fs::copy_file(escrow, crypto::MasterKeyFileFor(db));
  auto summary = Restore(archive, db);
  ASSERT_THAT(summary, IsOk());
  EXPECT_TRUE(summary->ok());
}

}  // namespace
}  // namespace lanyard::service
