// One contract, every StatusStore implementation.
#include "lanyard/store/status_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "lanyard/service/status_service.h"
#include "lanyard/store/store.h"
#include "lanyard/store/store_test_support.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::store {
namespace {

using testing::ErrorIs;
using testing::IsOk;

const TimePoint kT0 = FromUnixSeconds(1785000000);

StatusListRecord List(std::string id) {
  return StatusListRecord{std::move(id),
                          ListFormat::kBitstring,
                          "revocation",
                          131072,
                          "https://rgt.example/s/1",
                          "did:web:rgt.example",
                          kT0};
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/lanyard-store-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class StatusStoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = NewMemoryStatusStore();
    } else if (GetParam() == "sqlite_store") {
      auto opened = OpenSqliteStore(dir_.path() + "/store.db");
      ASSERT_THAT(opened, IsOk());
      store_ = std::move(opened).value();
    } else {
      auto opened = NewSqliteStatusStore(dir_.path() + "/status.db");
      ASSERT_THAT(opened, IsOk());
      store_ = std::move(opened).value();
    }
  }
  TempDir dir_;
  std::unique_ptr<StatusStore> store_;
};

TEST_P(StatusStoreContract, CreatesAndReadsLists) {
  ASSERT_THAT(store_->CreateList(List("a")), IsOk());
  EXPECT_THAT(store_->CreateList(List("a")), ErrorIs("status_store.list_exists"));
  auto got = store_->GetList("a");
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->url, "https://rgt.example/s/1");
  EXPECT_EQ(got->size, 131072u);
  EXPECT_EQ(got->created, kT0);
  EXPECT_THAT(store_->GetList("b"), ErrorIs("status_store.list_not_found"));
  EXPECT_EQ(store_->Lists()->size(), 1u);
}

TEST_P(StatusStoreContract, ReservesEachIndexOnce) {
  ASSERT_THAT(store_->CreateList(List("a")), IsOk());
  ASSERT_THAT(store_->Reserve("a", 42, "urn:cred:1", kT0), IsOk());
  EXPECT_THAT(store_->Reserve("a", 42, "urn:cred:2", kT0), ErrorIs("status_store.index_taken"));
  EXPECT_THAT(store_->Reserve("zz", 1, "urn:cred:3", kT0), ErrorIs("status_store.list_not_found"));
  EXPECT_EQ(*store_->CountReserved("a"), 1u);
  EXPECT_EQ(store_->GetEntry("a", 42)->credential_id, "urn:cred:1");
  EXPECT_THAT(store_->GetEntry("a", 43), ErrorIs("status_store.entry_not_found"));
}

TEST_P(StatusStoreContract, ListsReservedIndexesInOrder) {
  ASSERT_THAT(store_->CreateList(List("a")), IsOk());
  ASSERT_THAT(store_->CreateList(List("b")), IsOk());
  for (uint64_t i : {900u, 3u, 131071u, 0u}) {
    ASSERT_THAT(store_->Reserve("a", i, "urn:cred:" + std::to_string(i), kT0), IsOk());
  }
  ASSERT_THAT(store_->Reserve("b", 5, "urn:cred:b", kT0), IsOk());
  EXPECT_EQ(*store_->ReservedIndexes("a"), (std::vector<uint64_t>{0, 3, 900, 131071}));
  EXPECT_EQ(*store_->ReservedIndexes("b"), std::vector<uint64_t>{5});
  EXPECT_THAT(store_->ReservedIndexes("zz"), ErrorIs("status_store.list_not_found"));
}

TEST_P(StatusStoreContract, ChangesAreCompareAndSetWithHistory) {
  ASSERT_THAT(store_->CreateList(List("a")), IsOk());
  ASSERT_THAT(store_->Reserve("a", 7, "urn:cred:1", kT0), IsOk());
  ASSERT_THAT(store_->SetValue("a", 7, 0, 1, "fraud", kT0 + std::chrono::hours(1)), IsOk());
  // A second officer acting on the old value loses, and nothing changes.
  EXPECT_THAT(store_->SetValue("a", 7, 0, 1, "duplicate", kT0), ErrorIs("status_store.conflict"));
  EXPECT_THAT(store_->SetValue("a", 8, 0, 1, "x", kT0), ErrorIs("status_store.entry_not_found"));
  auto history = store_->History("a", 7);
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].reason, "issued");
  EXPECT_EQ((*history)[1].reason, "fraud");
  EXPECT_EQ((*history)[1].value, 1);
  auto set = store_->NonZero("a");
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ(*set, (std::vector<std::pair<uint64_t, uint8_t>>{{7, 1}}));
}

INSTANTIATE_TEST_SUITE_P(Stores, StatusStoreContract,
                         ::testing::Values("memory", "sqlite", "sqlite_store"));

TEST(SqliteStatusStore, KeepsEverythingAcrossReopening) {
  TempDir dir;
  std::string path = dir.path() + "/status.db";
  {
    auto store = NewSqliteStatusStore(path);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT((*store)->CreateList(List("a")), IsOk());
    ASSERT_THAT((*store)->Reserve("a", 9, "urn:cred:9", kT0), IsOk());
    ASSERT_THAT((*store)->SetValue("a", 9, 0, 1, "dismissed", kT0), IsOk());
  }
  auto again = NewSqliteStatusStore(path);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)->GetEntry("a", 9)->reason, "dismissed");
  EXPECT_EQ((*again)->History("a", 9)->size(), 2u);
}

TEST(SqliteStatusStore, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  std::string path = dir.path() + "/junk.db";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("this is not a SQLite database, just text that is long enough to have a header..", f);
  std::fclose(f);
  EXPECT_THAT(NewSqliteStatusStore(path), ErrorIs("status_store.corrupt"));
}

// Two processes allocating on one file at once never receive the same index.
TEST(SqliteStatusStore, TwoProcessesNeverShareAnIndex) {
  TempDir dir;
  std::string path = dir.path() + "/status.db";
  {
    auto store = NewSqliteStatusStore(path);
    ASSERT_THAT(store, IsOk());
    // A small list makes collisions between the two processes' random draws certain.
    StatusListRecord list = List("shared");
    ASSERT_THAT((*store)->CreateList(list), IsOk());
  }
  constexpr int kPerProcess = 400;
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto store = NewSqliteStatusStore(path);
      if (!store.ok()) ::_exit(3);
      SimulatedClock clock(kT0);
      service::StatusService service(**store, clock);
      for (int i = 0; i < kPerProcess; ++i) {
        auto entry =
            service.Allocate("shared", "urn:p" + std::to_string(p) + ":" + std::to_string(i));
        if (!entry.ok()) ::_exit(4);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  test_support::ExpectChildrenExitedCleanly(children);
  auto store = NewSqliteStatusStore(path);
  ASSERT_THAT(store, IsOk());
  EXPECT_EQ(*(*store)->CountReserved("shared"), 2u * kPerProcess);
  // Every successful allocation is its own row under the (list, index) primary key: had two
  // processes been handed one index, one of them would have failed or the count would be short.
}

}  // namespace
}  // namespace lanyard::store
