#include "lanyard/store/audit_chain.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/store/store_test_support.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::store {
namespace {

using lanyard::testing::IsOk;
using namespace test_support;  // NOLINT

std::string Sha256Hex(std::string_view text) {
  auto d = crypto::Sha256(AsBytes(text));
  return HexEncode(ByteView(d.data(), d.size()));
}

TEST(AuditChain, HashesAreComputedAsSpecified) {
  AuditEntry e;
  e.seq = 12;
  e.at = ParseRfc3339("2026-08-05T09:00:00.5Z").value();
  e.actor = "token:t1";
  e.org_ods = "RGT";
  e.action = "credential.issue";
  e.subject = "urn:uuid:1";
  e.details_hash = AuditDetailsHash(R"({"name":"Zoë"})");
  e.prev_hash = std::string(kAuditGenesisHash);
  EXPECT_EQ(e.details_hash, Sha256Hex(R"({"name":"Zoë"})"));
  EXPECT_EQ(AuditDetailsHash(""), "");
  // Members in RFC 8785 order; the number as a number.
  EXPECT_EQ(AuditChainPayload(e),
            R"({"action":"credential.issue","actor":"token:t1","at":"2026-08-05T09:00:00.5Z",)"
            R"("details_hash":")" +
                e.details_hash + R"(","org":"RGT","seq":12,"subject":"urn:uuid:1"})");
  EXPECT_EQ(AuditEntryHash(e),
            Sha256Hex(std::string(kAuditGenesisHash) + "\n" + AuditChainPayload(e)));
  std::string hash = AuditEntryHash(e);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
}

// A store with a chain of 30 entries, in 10 batches, every third entry without details; and a
// raw connection to its file for tampering.
class AuditChainTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/store.db";
    auto opened = OpenSqliteStore(path_);
    ASSERT_THAT(opened, IsOk());
    store_ = std::move(opened).value();
    for (int b = 0; b < 10; ++b) {
      WriteBatch batch;
      for (int i = 0; i < 3; ++i) {
        int n = b * 3 + i;
        batch.Add(SampleAudit("share.view", "s" + std::to_string(n),
                              i == 2 ? "" : R"({"n":)" + std::to_string(n) + "}"));
      }
      ASSERT_THAT(store_->Apply(batch), IsOk());
    }
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw_), SQLITE_OK);
    sqlite3_busy_timeout(raw_, 5000);
  }
  void TearDown() override { sqlite3_close(raw_); }

  void Exec(const std::string& sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(raw_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message != nullptr ? message : "") << " in " << sql;
  }
  // A change of exactly one row.
  void Sql(const std::string& sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(raw_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message != nullptr ? message : "") << " in " << sql;
    ASSERT_EQ(sqlite3_changes(raw_), 1) << sql;
  }

  // "problem@seq", or "intact".
  std::string Verify() {
    auto v = VerifyAuditChain(*store_);
    if (!v.ok()) return v.error().ToString();
    if (v->problem.empty()) return "intact";
    return v->problem + "@" + std::to_string(v->problem_seq);
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  sqlite3* raw_ = nullptr;
};

TEST_F(AuditChainTamper, AnUntouchedChainVerifies) {
  auto v = VerifyAuditChain(*store_);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->problem, "");
  EXPECT_EQ(v->entries, 30u);
  EXPECT_EQ(v->details_present, 20u);
  EXPECT_EQ(v->details_erased, 0u);
  EXPECT_EQ(v->head_hash, store_->AuditHead()->second);
}

TEST(AuditChain, AnEmptyLogVerifies) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.path() + "/store.db");
  ASSERT_THAT(store, IsOk());
  auto v = VerifyAuditChain(**store);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->problem, "");
  EXPECT_EQ(v->entries, 0u);
  EXPECT_EQ(v->head_hash, kAuditGenesisHash);
}

// Each column of an entry, changed in the file: the first break is reported at that entry.
TEST_F(AuditChainTamper, AnyEditedFieldIsFound) {
  struct Edit {
    std::string set;
    std::string want;
  };
  const std::vector<Edit> edits = {
      {"at=at+1", "audit.altered@14"},
      {"actor='u2'", "audit.altered@14"},
      {"org_ods='RAL'", "audit.altered@14"},
      {"action='share.close'", "audit.altered@14"},
      {"subject='s99'", "audit.altered@14"},
      {"details_hash=''", "audit.altered@14"},
      {"prev_hash='" + std::string(kAuditGenesisHash) + "'", "audit.broken_link@14"},
      {"entry_hash='" + std::string(kAuditGenesisHash) + "'", "audit.altered@14"},
      {"seq=100", "audit.gap@14"},
  };
  for (const Edit& edit : edits) {
    SCOPED_TRACE(edit.set);
    Exec("CREATE TEMP TABLE original AS SELECT * FROM audit_log WHERE seq=14");
    Sql("UPDATE audit_log SET " + edit.set + " WHERE seq=14");
    EXPECT_EQ(Verify(), edit.want);
    // Put the original row back, so each edit starts from a sound chain.
    Sql("DELETE FROM audit_log WHERE seq=14 OR seq=100");
    Sql("INSERT INTO audit_log SELECT * FROM original");
    Exec("DROP TABLE original");
    EXPECT_EQ(Verify(), "intact");
  }
}

TEST_F(AuditChainTamper, ADeletedMiddleEntryIsAGap) {
  Sql("DELETE FROM audit_details WHERE seq=17");
  Sql("DELETE FROM audit_log WHERE seq=17");
  EXPECT_EQ(Verify(), "audit.gap@17");
}

TEST_F(AuditChainTamper, ADeletedLastEntryDisagreesWithTheHead) {
  Sql("DELETE FROM audit_log WHERE seq=30");  // entry 30 had no details
  EXPECT_EQ(Verify(), "audit.head_mismatch@30");
}

TEST_F(AuditChainTamper, AnEntryAppendedBehindTheHeadsBackIsFound) {
  auto last = store_->AuditEntries(30, 1);
  ASSERT_THAT(last, IsOk());
  AuditEntry forged = (*last)[0];
  forged.seq = 31;
  forged.prev_hash = forged.entry_hash;
  forged.subject = "s30";
  forged.details_hash = "";
  forged.entry_hash = AuditEntryHash(forged);
  // Chained correctly to entry 30, but the recorded head was not moved.
  Sql("INSERT INTO audit_log VALUES (31," + std::to_string(forged.at.time_since_epoch().count()) +
      ",'" + forged.actor + "','" + forged.org_ods + "','" + forged.action + "','" +
      forged.subject + "','','" + forged.prev_hash + "','" + forged.entry_hash + "')");
  EXPECT_EQ(Verify(), "audit.head_mismatch@30");
}

TEST_F(AuditChainTamper, AlteredDetailsAreFound) {
  Sql(R"(UPDATE audit_details SET details='{"n":99}' WHERE seq=5)");
  EXPECT_EQ(Verify(), "audit.details_altered@5");
}

TEST_F(AuditChainTamper, ErasedDetailsStillVerify) {
  ASSERT_THAT(
      store_->Apply(std::move(WriteBatch().Add(EraseAuditDetails{5}).Add(EraseAuditDetails{7}))),
      IsOk());
  auto v = VerifyAuditChain(*store_);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->problem, "");
  EXPECT_EQ(v->details_present, 18u);
  EXPECT_EQ(v->details_erased, 2u);
  EXPECT_EQ(*store_->AuditDetails(5), std::nullopt);
}

}  // namespace
}  // namespace lanyard::store
