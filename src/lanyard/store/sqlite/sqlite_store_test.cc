// What only the SQLite store has: its file (reopening, migrations, other versions), online
// backup and the group commit window. The shared behaviour is in store_contract_test.cc.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <barrier>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "lanyard/store/audit_chain.h"
#include "lanyard/store/store.h"
#include "lanyard/store/store_test_support.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::store {
namespace {

using lanyard::testing::ErrorIs;
using lanyard::testing::IsOk;
using namespace test_support;  // NOLINT

void RawSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  EXPECT_EQ(rc, SQLITE_OK) << (message != nullptr ? message : "") << " in " << sql;
  sqlite3_free(message);
  sqlite3_close(db);
}

int64_t UserVersion(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
  int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

// A few records of each kind and some audit entries: what a reopened or copied file must hold.
void Fill(Store& store, int from, int count) {
  for (int i = from; i < from + count; ++i) {
    std::string n = std::to_string(i);
    WriteBatch batch;
    batch.Add(InsertUser{SampleUser("u" + n, n + "@nhs.net")})
        .Add(InsertIssuedCredential{SampleIssued("c" + n, "u" + n, i)})
        .Add(SampleAudit("credential.issue", "c" + n, R"({"i":)" + n + "}"));
    ASSERT_THAT(store.Apply(batch), IsOk());
  }
}

std::string Snapshot(const Store& store) {
  return Render(*store.ListUsers("RGT", Page{1000, 0})) +
         Render(*store.ListIssuedCredentials("RGT", "", Page{1000, 0})) +
         Render(*store.AuditEntries(1, 1000));
}

TEST(SqliteStore, KeepsEverythingAcrossReopening) {
  TempDir dir;
  std::string path = dir.path() + "/store.db";
  std::string before;
  {
    auto store = OpenSqliteStore(path);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT((*store)->CreateList(SampleList("l1")), IsOk());
    ASSERT_THAT((*store)->Reserve("l1", 3, "c1", kT0), IsOk());
    Fill(**store, 0, 5);
    before = Snapshot(**store);
  }
  auto store = OpenSqliteStore(path);
  ASSERT_THAT(store, IsOk());
  EXPECT_EQ(Snapshot(**store), before);
  EXPECT_EQ((*store)->GetEntry("l1", 3)->credential_id, "c1");
  // The chain carries on from the recorded head.
  auto more = (*store)->Apply(std::move(WriteBatch().Add(SampleAudit("x", "y"))));
  ASSERT_THAT(more, IsOk());
  EXPECT_EQ(more->audit_seqs, std::vector<uint64_t>{6});
  auto v = VerifyAuditChain(**store);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->problem, "");
  EXPECT_EQ(v->entries, 6u);
}

TEST(SqliteStore, MigratesAnEmptyFile) {
  TempDir dir;
  std::string path = dir.path() + "/empty.db";
  std::fclose(std::fopen(path.c_str(), "w"));
  auto store = OpenSqliteStore(path);
  ASSERT_THAT(store, IsOk());
  EXPECT_EQ(UserVersion(path), SqliteStoreSchemaVersion());
  Fill(**store, 0, 1);
}

// A database the status store wrote before the passport tables existed (schema 1) becomes a
// passport store in place, its status lists intact.
TEST(SqliteStore, UpgradesAStatusOnlyDatabaseInPlace) {
  TempDir dir;
  std::string path = dir.path() + "/status.db";
  {
    auto status = NewSqliteStatusStore(path);
    ASSERT_THAT(status, IsOk());
    ASSERT_THAT((*status)->CreateList(SampleList("l1")), IsOk());
    ASSERT_THAT((*status)->Reserve("l1", 9, "urn:old", kT0), IsOk());
    ASSERT_THAT((*status)->SetValue("l1", 9, 0, 1, "dismissed", kT0), IsOk());
  }
  // Take the file back to what the previous release wrote: schema 1, status tables only.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::vector<std::string> later_tables;
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                     "'status_%' AND name NOT LIKE 'sqlite_%'",
                     -1, &s, nullptr);
  while (sqlite3_step(s) == SQLITE_ROW) {
    later_tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  ASSERT_FALSE(later_tables.empty());
  std::string drop = "PRAGMA foreign_keys=OFF;";
  for (const std::string& t : later_tables) drop += "DROP TABLE " + t + ";";
  // Schema 1 had no `reserved` column and recorded the reservation as a history row.
  const std::string t0 = std::to_string(kT0.time_since_epoch().count());
  RawSql(path,
         drop + "ALTER TABLE status_entries DROP COLUMN reserved; DELETE FROM status_history;" +
             "INSERT INTO status_history(list_id,idx,value,reason,at) VALUES ('l1',9,0,'issued'," +
             t0 + "),('l1',9,1,'dismissed'," + t0 + "); PRAGMA user_version=1;");
  ASSERT_EQ(UserVersion(path), 1);

  auto store = OpenSqliteStore(path);
  ASSERT_THAT(store, IsOk());
  EXPECT_EQ(UserVersion(path), SqliteStoreSchemaVersion());
  auto history = (*store)->History("l1", 9);
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].reason, "issued");
  EXPECT_EQ((*history)[1].reason, "dismissed");
  EXPECT_EQ((*store)->GetEntry("l1", 9)->reason, "dismissed");
  // A reservation after the upgrade reads the same, from its own row.
  ASSERT_THAT((*store)->Reserve("l1", 10, "urn:new", kT0), IsOk());
  ASSERT_THAT((*store)->SetValue("l1", 10, 0, 1, "dismissed", kT0), IsOk());
  auto later = (*store)->History("l1", 10);
  ASSERT_THAT(later, IsOk());
  ASSERT_EQ(later->size(), 2u);
  EXPECT_EQ((*later)[0].reason, "issued");
  EXPECT_EQ((*later)[0].at, kT0);
  EXPECT_EQ((*later)[1].value, 1);
  Fill(**store, 0, 2);
  EXPECT_EQ((*store)->AuditHead()->first, 2u);
  // And the status store still opens the upgraded file (one schema for both).
  store->reset();
  auto status = NewSqliteStatusStore(path);
  ASSERT_THAT(status, IsOk());
  EXPECT_EQ(*(*status)->CountReserved("l1"), 2u);
}

TEST(SqliteStore, RefusesADatabaseFromANewerLanyard) {
  TempDir dir;
  std::string path = dir.path() + "/store.db";
  { ASSERT_THAT(OpenSqliteStore(path), IsOk()); }
  RawSql(path, "PRAGMA user_version=" + std::to_string(SqliteStoreSchemaVersion() + 1));
  EXPECT_THAT(OpenSqliteStore(path), ErrorIs("store.too_new"));
  EXPECT_EQ(UserVersion(path), SqliteStoreSchemaVersion() + 1);  // left untouched
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  std::string path = dir.path() + "/junk.db";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("this is not a SQLite database, just text that is long enough to have a header..", f);
  std::fclose(f);
  EXPECT_THAT(OpenSqliteStore(path), ErrorIs("store.corrupt"));
}

TEST(SqliteStore, CannotOpenInAMissingDirectory) {
  EXPECT_THAT(OpenSqliteStore("/nonexistent-lanyard-dir/store.db"), ErrorIs("store.unavailable"));
}

// A backup taken while writers run is one committed state: its chain verifies and its head is
// its last entry.
TEST(SqliteStore, BacksUpOnlineToAConsistentCopy) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.path() + "/store.db");
  ASSERT_THAT(store, IsOk());
  Fill(**store, 0, 50);
  std::thread writer([&] { Fill(**store, 50, 200); });
  // Copy in mid-stream, once the writer is well under way.
  while ((*store)->AuditHead()->first < 100) std::this_thread::yield();
  std::string copy = dir.path() + "/copy.db";
  Status backed_up = (*store)->BackupTo(copy);
  writer.join();
  ASSERT_THAT(backed_up, IsOk());
  EXPECT_THAT((*store)->BackupTo(copy), ErrorIs("store.unavailable"));

  auto restored = OpenSqliteStore(copy);
  ASSERT_THAT(restored, IsOk());
  auto v = VerifyAuditChain(**restored);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->problem, "") << v->message;
  EXPECT_GE(v->entries, 100u);
  EXPECT_EQ(*(*restored)->CountUsers(), static_cast<int64_t>(v->entries));
  std::cout << "backup holds " << v->entries << " of 250 batches\n";
}

// With a window, the first caller waits for company: eight callers arriving together share far
// fewer than eight transactions, and the four whose batches fail (a duplicate id) take nothing
// from the four that commit beside them.
TEST(SqliteStore, GroupCommitWindowGathersCompany) {
  TempDir dir;
  SqliteStoreOptions options;
  options.group_commit_window = std::chrono::milliseconds(200);
  auto store = OpenSqliteStore(dir.path() + "/store.db", options);
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT((*store)->Apply(std::move(
                  WriteBatch().Add(InsertIssuedCredential{SampleIssued("taken", "u0", 0)}))),
              IsOk());
  StoreStats before = (*store)->Stats();
  constexpr int kThreads = 8;
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string id = "c" + std::to_string(t);
      WriteBatch batch;
      batch.Add(SampleAudit("credential.issue", id))
          .Add(InsertIssuedCredential{SampleIssued(t % 2 ? "taken" : id, "u1", 1)});
      start.arrive_and_wait();
      auto r = (*store)->Apply(batch);
      if (t % 2) {
        EXPECT_THAT(r, ErrorIs("store.duplicate"));
      } else {
        EXPECT_THAT(r, IsOk());
      }
    });
  }
  for (auto& th : threads) th.join();
  StoreStats stats = (*store)->Stats();
  uint64_t transactions = stats.transactions_committed - before.transactions_committed;
  EXPECT_EQ(stats.batches_applied - before.batches_applied, 4u);
  EXPECT_EQ(stats.batches_failed - before.batches_failed, 4u);
  EXPECT_LE(transactions, 3u);
  std::cout << kThreads << " batches in " << transactions << " transactions\n";
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ((*store)->GetIssuedCredential("c" + std::to_string(t)).ok(), t % 2 == 0) << t;
  }
  auto v = VerifyAuditChain(**store);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->problem, "");
  EXPECT_EQ(v->entries, 4u);
}

// Two processes writing to one file extend one chain: each transaction reads the head it
// extends while holding the write lock.
// SQLite's own automatic checkpoint is replaced by the store's (a thread of its own, woken by
// the writer): the write-ahead log's pages must still reach the database file while the store
// stays open, or the log would grow for as long as the service runs.
TEST(SqliteStore, CheckpointsTheLogWhileOpen) {
  TempDir dir;
  std::string path = dir.path() + "/store.db";
  auto store = OpenSqliteStore(path);
  ASSERT_THAT(store, IsOk());
  const auto empty_size = std::filesystem::file_size(path);
  // About 6 MB through the log: past the 1,000 pages (4 MB) at which a checkpoint is due.
  for (int i = 0; i < 96; ++i) {
    WalletCredentialRecord r = SampleWalletCredential("w" + std::to_string(i), "u1", i);
    r.sealed = Bytes(64 * 1024, static_cast<uint8_t>(i));
    ASSERT_THAT((*store)->Apply(std::move(WriteBatch().Add(PutWalletCredential{r}))), IsOk());
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::filesystem::file_size(path) < empty_size + 4 * 1024 * 1024 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(std::filesystem::file_size(path), empty_size + 4 * 1024 * 1024)
      << "the log was not checkpointed into the database file";
  EXPECT_EQ((*store)->GetWalletCredential("w95")->sealed.size(), 64u * 1024);
}

TEST(SqliteStore, TwoProcessesExtendOneChain) {
  TempDir dir;
  std::string path = dir.path() + "/store.db";
  { ASSERT_THAT(OpenSqliteStore(path), IsOk()); }
  constexpr int kPerProcess = 150;
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto store = OpenSqliteStore(path);
      if (!store.ok()) ::_exit(3);
      for (int i = 0; i < kPerProcess; ++i) {
        WriteBatch batch;
        batch.Add(SampleAudit("login.success", "p" + std::to_string(p) + ":" + std::to_string(i)));
        if (!(*store)->Apply(batch).ok()) ::_exit(4);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  ExpectChildrenExitedCleanly(children);
  auto store = OpenSqliteStore(path);
  ASSERT_THAT(store, IsOk());
  auto v = VerifyAuditChain(**store);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->problem, "") << v->message;
  EXPECT_EQ(v->entries, 2u * kPerProcess);
}

}  // namespace
}  // namespace lanyard::store
