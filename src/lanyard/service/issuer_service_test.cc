// How the issuer draws status indexes: at random, around the indexes its lists already hold, so
// an issuance does not find out at commit time that its index was taken.
#include "lanyard/service/issuer_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "lanyard/service/deployment.h"
#include "lanyard/testing/issuing_fixture.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::service {
namespace {

using ::lanyard::testing::IsOk;

class IssuerIndexTest : public testing::IssuingDeploymentTest {
 protected:
  void SetUp() override {
    IssuingDeploymentTest::SetUp();
    // Every draw is `next_` until a test says otherwise: collisions on purpose.
    d_->issuer->SetIndexSource([this](uint64_t) { return next_; });
  }

  Result<IssuedCredential> Issue() { return IssueDbs(); }

  // Reserves `index` in RGT's first revocation list and its twin, as another process issuing
  // into the same database would.
  void ReserveElsewhere(uint64_t index) {
    for (const char* list : {"RGT-revocation-1", "RGT-suspension-1"}) {
      ASSERT_THAT(d_->store->Reserve(list, index, "urn:uuid:elsewhere", clock_.Now()), IsOk());
    }
  }

  uint64_t RejectedBatches() const { return d_->store->Stats().batches_failed; }

  uint64_t next_ = 40;
};

TEST_F(IssuerIndexTest, DrawsAroundIndexesAlreadyTaken) {
  auto first = Issue();
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->record.status_list, "RGT-revocation-1");
  EXPECT_EQ(first->record.status_index, 40u);
  // The same draw again: 40 is this issuer's already, so the next free index is used, without
  // a batch refused by the store on the way.
  auto second = Issue();
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->record.status_index, 41u);
  EXPECT_EQ(RejectedBatches(), 0u);
}

TEST_F(IssuerIndexTest, ReadsTheIndexesAListHeldBeforeThisProcess) {
  ASSERT_THAT(Issue(), IsOk());  // creates the lists (index 40)
  ReserveElsewhere(41);
  ReserveElsewhere(42);
  // A new process on the same database learns what is taken from the store.
  Reopen();
  d_->issuer->SetIndexSource([](uint64_t) { return 41; });
  auto issued = Issue();
  ASSERT_THAT(issued, IsOk());
  EXPECT_EQ(issued->record.status_index, 43u);
  EXPECT_EQ(RejectedBatches(), 0u);
}

TEST_F(IssuerIndexTest, AnIndexTakenByAnotherProcessIsDrawnAgain) {
  ASSERT_THAT(Issue(), IsOk());  // index 40; the list is now held in memory
  ReserveElsewhere(41);
  next_ = 41;
  // The issuer believes 41 free; the store refuses it, and the issuance carries on at 42.
  auto issued = Issue();
  ASSERT_THAT(issued, IsOk());
  EXPECT_EQ(issued->record.status_index, 42u);
  EXPECT_EQ(RejectedBatches(), 1u);
  auto entry = d_->store->GetEntry("RGT-revocation-1", 42);
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->credential_id, issued->record.id);
}

TEST_F(IssuerIndexTest, ConcurrentIssuancesNeverShareAnIndex) {
  ASSERT_THAT(Issue(), IsOk());
  // Random draws from a tiny range, so that without the bitmap they would collide constantly.
  d_->issuer->SetIndexSource([n = std::make_shared<std::atomic<uint64_t>>(0)](uint64_t) {
    return 100 + (n->fetch_add(7) % 16);
  });
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<uint64_t> indexes;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 8; ++i) {
        auto issued = Issue();
        ASSERT_THAT(issued, IsOk());
        std::lock_guard lock(mu);
        EXPECT_TRUE(indexes.insert(issued->record.status_index).second);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(indexes.size(), 32u);
  EXPECT_EQ(RejectedBatches(), 0u);
}

}  // namespace
}  // namespace lanyard::service
