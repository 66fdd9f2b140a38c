// One contract, every Store implementation (the factory list is in store_test_support.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "lanyard/store/audit_chain.h"
#include "lanyard/store/store.h"
#include "lanyard/store/store_test_support.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::store {
namespace {

using lanyard::testing::ErrorIs;
using lanyard::testing::IsOk;
using namespace test_support;  // NOLINT: the shared samples and renderers

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    auto opened = GetParam().open(dir_.path());
    ASSERT_THAT(opened, IsOk());
    store_ = std::move(opened).value();
  }

  Status Apply(WriteBatch batch) {
    auto r = store_->Apply(batch);
    if (!r.ok()) return std::move(r).error();
    return {};
  }
  template <typename Op>
  Status Do(Op op) {
    return Apply(std::move(WriteBatch().Add(std::move(op))));
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

// Every record type written with every field set, read back through its Get, and compared as
// text; then the same with every optional absent and every blob empty.
TEST_P(StoreContract, RoundTripsEveryRecordType) {
  ShareRequestRecord share = Consented(SampleShare("s1", "link1", 1), "u2", "c1,c2");
  ASSERT_THAT(store_->CreateList(SampleList("rgt-revocation-1")), IsOk());
  WriteBatch batch;
  batch.Add(PutOrganisation{SampleOrganisation("RGT")})
      .Add(InsertUser{SampleUser("u1", "a@nhs.net")})
      .Add(PutSession{SampleSession("sess1", "u1")})
      .Add(InsertApiToken{SampleToken("t1", "hash1")})
      .Add(InsertInvitation{SampleInvitation("code1")})
      .Add(PutMembership{SampleMembership("u2", "RGT", 5)})
      .Add(InsertWallet{SampleWallet("u2")})
      .Add(PutWalletCredential{SampleWalletCredential("wc1", "u2", 3)})
      .Add(ReserveStatusIndex{"rgt-revocation-1", 4242, "c1", At(1)})
      .Add(InsertIssuedCredential{SampleIssued("c1", "u2", 1)})
      .Add(InsertShareRequest{share})
      .Add(PutJob{SampleJob("j1")})
      .Add(SampleAudit("credential.issue", "c1"));
  auto applied = store_->Apply(batch);
  ASSERT_THAT(applied, IsOk());
  EXPECT_EQ(applied->audit_seqs, std::vector<uint64_t>{1});

  std::string want = Render(SampleOrganisation("RGT")) + Render(SampleUser("u1", "a@nhs.net")) +
                     Render(SampleSession("sess1", "u1")) + Render(SampleToken("t1", "hash1")) +
                     Render(SampleInvitation("code1")) + Render(SampleMembership("u2", "RGT", 5)) +
                     Render(SampleWallet("u2")) + Render(SampleWalletCredential("wc1", "u2", 3)) +
                     Render(SampleIssued("c1", "u2", 1)) + Render(share) + Render(SampleJob("j1"));
  std::string got = Render(*store_->GetOrganisation("RGT")) + Render(*store_->GetUser("u1")) +
                    Render(*store_->GetSession("sess1")) + Render(*store_->FindApiToken("hash1")) +
                    Render(*store_->GetInvitation("code1")) +
                    Render(*store_->MembershipsOfUser("u2")) + Render(*store_->GetWallet("u2")) +
                    Render(*store_->GetWalletCredential("wc1")) +
                    Render(*store_->GetIssuedCredential("c1")) +
                    Render(*store_->GetShareRequest("s1")) + Render(*store_->GetJob("j1"));
  EXPECT_EQ(got, want);
  EXPECT_EQ(Render(*store_->FindUserByEmail("a@nhs.net")), Render(SampleUser("u1", "a@nhs.net")));
  EXPECT_EQ(Render(*store_->FindShareRequestByLink("link1")), Render(share));
  EXPECT_EQ(store_->GetEntry("rgt-revocation-1", 4242)->credential_id, "c1");
  EXPECT_EQ(*store_->AuditDetails(1), std::optional<std::string>(R"({"name":"A. Person"})"));

  // Absent optionals and empty blobs come back absent and empty, not as zero times.
  UserRecord bare = SampleUser("u3", "b@nhs.net", "");
  bare.locked_until.reset();
  bare.totp_secret_sealed.clear();
  ApiTokenRecord token = SampleToken("t2", "hash2");
  token.expires.reset();
  token.revoked.reset();
  MembershipRecord current = SampleMembership("u3", "RGT", 1);
  current.until.reset();
  ShareRequestRecord open = SampleShare("s2", "link2", 2);
  IssuedCredentialRecord plain = SampleIssued("c2", "u3", 2);
  plain.valid_until.reset();
  plain.status_list = "";
  plain.status_index = 0;
  SessionRecord session = SampleSession("sess2", "u3");
  session.step_up_at.reset();
  ASSERT_THAT(Apply(std::move(WriteBatch()
                                  .Add(InsertUser{bare})
                                  .Add(InsertApiToken{token})
                                  .Add(PutMembership{current})
                                  .Add(InsertShareRequest{open})
                                  .Add(InsertIssuedCredential{plain})
                                  .Add(PutSession{session}))),
              IsOk());
  EXPECT_EQ(Render(*store_->GetUser("u3")) + Render(*store_->FindApiToken("hash2")) +
                Render(*store_->MembershipsOfUser("u3")) + Render(*store_->GetShareRequest("s2")) +
                Render(*store_->GetIssuedCredential("c2")) + Render(*store_->GetSession("sess2")),
            Render(bare) + Render(token) + Render(current) + Render(open) + Render(plain) +
                Render(session));
}

TEST_P(StoreContract, GetsOfAbsentRecordsAreNotFound) {
  EXPECT_THAT(store_->GetOrganisation("X"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetUser("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->FindUserByEmail("x@nhs.net"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetSession("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->FindApiToken("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetInvitation("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetWallet("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetWalletCredential("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetIssuedCredential("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetShareRequest("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->FindShareRequestByLink("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetJob("x"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->AuditDetails(1), ErrorIs("store.not_found"));
  EXPECT_EQ(store_->AuditHead()->first, 0u);
  EXPECT_EQ(store_->AuditHead()->second, kAuditGenesisHash);
}

TEST_P(StoreContract, PutsReplaceTheirRecord) {
  ASSERT_THAT(Do(PutOrganisation{SampleOrganisation("RGT")}), IsOk());
  OrganisationRecord changed = SampleOrganisation("RGT");
  changed.signing_key_id = "key-2";
  ASSERT_THAT(Do(PutOrganisation{changed}), IsOk());
  EXPECT_EQ(Render(*store_->ListOrganisations()), Render(changed));

  ASSERT_THAT(Do(InsertUser{SampleUser("u1", "a@nhs.net")}), IsOk());
  UserRecord user = SampleUser("u1", "renamed@nhs.net");
  user.failed_logins = 0;
  user.locked_until.reset();
  ASSERT_THAT(Do(PutUser{user}), IsOk());
  EXPECT_EQ(Render(*store_->GetUser("u1")), Render(user));
  EXPECT_THAT(store_->FindUserByEmail("a@nhs.net"), ErrorIs("store.not_found"));

  MembershipRecord m = SampleMembership("u1", "RGT", 1);
  ASSERT_THAT(Do(PutMembership{m}), IsOk());
  m.until.reset();
  m.staff_number = "ESR-99";
  ASSERT_THAT(Do(PutMembership{m}), IsOk());
  EXPECT_EQ(Render(*store_->MembershipsOfUser("u1")), Render(m));

  ApiTokenRecord token = SampleToken("t1", "hash1");
  ASSERT_THAT(Do(InsertApiToken{token}), IsOk());
  token.revoked = At(99);
  ASSERT_THAT(Do(PutApiToken{token}), IsOk());
  EXPECT_EQ(Render(*store_->FindApiToken("hash1")), Render(token));

  JobRecord job = SampleJob("j1");
  ASSERT_THAT(Do(PutJob{job}), IsOk());
  job.state = "done";
  job.done = 98;
  ASSERT_THAT(Do(PutJob{job}), IsOk());
  EXPECT_EQ(Render(*store_->GetJob("j1")), Render(job));
  JobRecord running = SampleJob("j2");
  ASSERT_THAT(Do(PutJob{running}), IsOk());
  EXPECT_EQ(Render(*store_->ListJobs("running")), Render(running));
  EXPECT_EQ(Render(*store_->ListJobs("done")), Render(job));
  EXPECT_EQ(Render(*store_->ListJobs("queued")), "");

  WalletCredentialRecord wc = SampleWalletCredential("wc1", "u1", 1);
  ASSERT_THAT(Do(PutWalletCredential{wc}), IsOk());
  wc.sealed = Bytes{1};
  ASSERT_THAT(Do(PutWalletCredential{wc}), IsOk());
  EXPECT_EQ(Render(*store_->ListWalletCredentials("u1")), Render(wc));
}

TEST_P(StoreContract, InsertsRefuseDuplicates) {
  ASSERT_THAT(Do(InsertUser{SampleUser("u1", "a@nhs.net")}), IsOk());
  ASSERT_THAT(Do(InsertUser{SampleUser("u2", "b@nhs.net")}), IsOk());
  EXPECT_THAT(Do(InsertUser{SampleUser("u1", "c@nhs.net")}), ErrorIs("store.duplicate"));
  EXPECT_THAT(Do(InsertUser{SampleUser("u3", "a@nhs.net")}), ErrorIs("store.duplicate"));
  // A Put may not take another user's email either.
  EXPECT_THAT(Do(PutUser{SampleUser("u2", "a@nhs.net")}), ErrorIs("store.duplicate"));
  EXPECT_EQ(store_->GetUser("u2")->email, "b@nhs.net");

  ASSERT_THAT(Do(InsertApiToken{SampleToken("t1", "hash1")}), IsOk());
  ASSERT_THAT(Do(InsertApiToken{SampleToken("t2", "hash2")}), IsOk());
  EXPECT_THAT(Do(InsertApiToken{SampleToken("t1", "hash9")}), ErrorIs("store.duplicate"));
  EXPECT_THAT(Do(InsertApiToken{SampleToken("t9", "hash1")}), ErrorIs("store.duplicate"));
  EXPECT_THAT(Do(PutApiToken{SampleToken("t2", "hash1")}), ErrorIs("store.duplicate"));
  EXPECT_EQ(store_->FindApiToken("hash1")->id, "t1");
  EXPECT_EQ(store_->FindApiToken("hash2")->id, "t2");

  ASSERT_THAT(Do(InsertInvitation{SampleInvitation("code1")}), IsOk());
  EXPECT_THAT(Do(InsertInvitation{SampleInvitation("code1")}), ErrorIs("store.duplicate"));
  ASSERT_THAT(Do(InsertWallet{SampleWallet("u1")}), IsOk());
  EXPECT_THAT(Do(InsertWallet{SampleWallet("u1")}), ErrorIs("store.duplicate"));
  ASSERT_THAT(Do(InsertIssuedCredential{SampleIssued("c1", "u1", 1)}), IsOk());
  EXPECT_THAT(Do(InsertIssuedCredential{SampleIssued("c1", "u2", 2)}), ErrorIs("store.duplicate"));
  ASSERT_THAT(Do(InsertShareRequest{SampleShare("s1", "link1", 1)}), IsOk());
  EXPECT_THAT(Do(InsertShareRequest{SampleShare("s1", "link2", 1)}), ErrorIs("store.duplicate"));
  EXPECT_THAT(Do(InsertShareRequest{SampleShare("s2", "link1", 1)}), ErrorIs("store.duplicate"));
}

TEST_P(StoreContract, RoleProfilesKeepEveryVersionAndListTheLatest) {
  ASSERT_THAT(Do(InsertRoleProfile{SampleRoleProfile("RGT", "registered-nurse", 1)}), IsOk());
  ASSERT_THAT(Do(InsertRoleProfile{SampleRoleProfile("RGT", "registered-nurse", 3)}), IsOk());
  ASSERT_THAT(Do(InsertRoleProfile{SampleRoleProfile("RGT", "bank-worker", 2)}), IsOk());
  ASSERT_THAT(Do(InsertRoleProfile{SampleRoleProfile("R1H", "registered-nurse", 7)}), IsOk());
  EXPECT_THAT(Do(InsertRoleProfile{SampleRoleProfile("RGT", "registered-nurse", 3)}),
              ErrorIs("store.duplicate"));
  EXPECT_EQ(Render(*store_->GetRoleProfile("RGT", "registered-nurse", 1)),
            Render(SampleRoleProfile("RGT", "registered-nurse", 1)));
  EXPECT_THAT(store_->GetRoleProfile("RGT", "registered-nurse", 2), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetRoleProfile("R1H", "bank-worker", 2), ErrorIs("store.not_found"));
  auto latest = store_->ListRoleProfiles("RGT");
  ASSERT_THAT(latest, IsOk());
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ(Render((*latest)[0]), Render(SampleRoleProfile("RGT", "bank-worker", 2)));
  EXPECT_EQ(Render((*latest)[1]), Render(SampleRoleProfile("RGT", "registered-nurse", 3)));
  EXPECT_TRUE(store_->ListRoleProfiles("RXX")->empty());
}

TEST_P(StoreContract, PutUserNeedsAnExistingUser) {
  EXPECT_THAT(Do(PutUser{SampleUser("u1", "a@nhs.net")}), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetUser("u1"), ErrorIs("store.not_found"));
}

TEST_P(StoreContract, AnInvitationIsAcceptedOnceAndOnlyInTime) {
  ASSERT_THAT(Do(InsertInvitation{SampleInvitation("code1", At(60))}), IsOk());
  ASSERT_THAT(Do(InsertInvitation{SampleInvitation("code2", At(60))}), IsOk());
  ASSERT_THAT(Do(AcceptInvitation{"code1", "u7", At(59)}), IsOk());
  EXPECT_THAT(Do(AcceptInvitation{"code1", "u8", At(59)}), ErrorIs("store.conflict"));
  EXPECT_THAT(Do(AcceptInvitation{"code2", "u8", At(60)}), ErrorIs("store.conflict"));
  EXPECT_THAT(Do(AcceptInvitation{"code3", "u8", At(1)}), ErrorIs("store.not_found"));
  InvitationRecord accepted = SampleInvitation("code1", At(60));
  accepted.accepted_by = "u7";
  accepted.accepted_at = At(59);
  EXPECT_EQ(Render(*store_->GetInvitation("code1")) + Render(*store_->GetInvitation("code2")),
            Render(accepted) + Render(SampleInvitation("code2", At(60))));
}

TEST_P(StoreContract, IssuedCredentialStateIsCompareAndSet) {
  ASSERT_THAT(Do(InsertIssuedCredential{SampleIssued("c1", "u1", 1)}), IsOk());
  ASSERT_THAT(Do(SetIssuedCredentialState{"c1", "active", "suspended"}), IsOk());
  // A second officer acting on the old state loses.
  EXPECT_THAT(Do(SetIssuedCredentialState{"c1", "active", "revoked"}), ErrorIs("store.conflict"));
  EXPECT_THAT(Do(SetIssuedCredentialState{"c9", "active", "revoked"}), ErrorIs("store.not_found"));
  EXPECT_EQ(store_->GetIssuedCredential("c1")->state, "suspended");
}

TEST_P(StoreContract, ShareRequestUpdatesAreCompareAndSet) {
  ShareRequestRecord open = SampleShare("s1", "link1", 1);
  ASSERT_THAT(Do(InsertShareRequest{open}), IsOk());
  ASSERT_THAT(Do(InsertShareRequest{SampleShare("s2", "link2", 2)}), IsOk());
  ShareRequestRecord consented = Consented(open, "u2", "c1,c2");
  ASSERT_THAT(Do(UpdateShareRequest{consented, "open"}), IsOk());
  // The single-use link: a second consent racing the first finds the state moved.
  EXPECT_THAT(Do(UpdateShareRequest{Consented(open, "u3", "c3"), "open"}),
              ErrorIs("store.conflict"));
  EXPECT_THAT(Do(UpdateShareRequest{SampleShare("s9", "link9", 1), "open"}),
              ErrorIs("store.not_found"));
  // Another request's link cannot be taken over.
  ShareRequestRecord stolen = SampleShare("s2", "link1", 2);
  EXPECT_THAT(Do(UpdateShareRequest{stolen, "open"}), ErrorIs("store.duplicate"));
  EXPECT_EQ(Render(*store_->GetShareRequest("s1")), Render(consented));
  EXPECT_EQ(Ids(*store_->SharesRelyingOn("c2"), [](auto& r) { return r.id; }), "s1");
  EXPECT_EQ(Ids(*store_->SharesRelyingOn("c3"), [](auto& r) { return r.id; }), "");

  // The credential index follows the record: consent narrowed to c2 only.
  ShareRequestRecord narrowed = consented;
  narrowed.credential_ids = "c2";
  ASSERT_THAT(Do(UpdateShareRequest{narrowed, "consented"}), IsOk());
  EXPECT_EQ(Ids(*store_->SharesRelyingOn("c1"), [](auto& r) { return r.id; }), "");
  EXPECT_EQ(Ids(*store_->SharesRelyingOn("c2"), [](auto& r) { return r.id; }), "s1");
}

TEST_P(StoreContract, StatusOpsInBatches) {
  ASSERT_THAT(store_->CreateList(SampleList("l1")), IsOk());
  EXPECT_THAT(store_->CreateList(SampleList("l1")), ErrorIs("status_store.list_exists"));
  ASSERT_THAT(Do(ReserveStatusIndex{"l1", 7, "c1", At(1)}), IsOk());
  EXPECT_THAT(Do(ReserveStatusIndex{"l1", 7, "c2", At(1)}), ErrorIs("status_store.index_taken"));
  EXPECT_THAT(Do(ReserveStatusIndex{"l9", 7, "c2", At(1)}), ErrorIs("status_store.list_not_found"));
  ASSERT_THAT(Do(SetStatusValue{"l1", 7, 0, 1, "fraud", At(2)}), IsOk());
  EXPECT_THAT(Do(SetStatusValue{"l1", 7, 0, 1, "again", At(3)}), ErrorIs("status_store.conflict"));
  EXPECT_THAT(Do(SetStatusValue{"l1", 8, 0, 1, "x", At(3)}),
              ErrorIs("status_store.entry_not_found"));
  EXPECT_EQ(store_->History("l1", 7)->size(), 2u);
  EXPECT_EQ(*store_->NonZero("l1"), (std::vector<std::pair<uint64_t, uint8_t>>{{7, 1}}));
}

// The heart of the contract: a batch is one act. When its last op fails, what its first ops
// wrote is gone, including audit entries, whose sequence numbers are not used up.
TEST_P(StoreContract, AFailingOpRollsBackTheWholeBatch) {
  ASSERT_THAT(store_->CreateList(SampleList("l1")), IsOk());
  ASSERT_THAT(Do(InsertUser{SampleUser("u0", "taken@nhs.net")}), IsOk());
  WriteBatch batch;
  batch.Add(InsertUser{SampleUser("u1", "a@nhs.net")})
      .Add(SampleAudit("user.create", "u1"))
      .Add(ReserveStatusIndex{"l1", 5, "c1", At(1)})
      .Add(InsertIssuedCredential{SampleIssued("c1", "u1", 1)})
      .Add(PutOrganisation{SampleOrganisation("RGT")})
      .Add(SampleAudit("credential.issue", "c1"))
      .Add(InsertUser{SampleUser("u2", "taken@nhs.net")});
  EXPECT_THAT(store_->Apply(batch), ErrorIs("store.duplicate"));
  EXPECT_THAT(store_->GetUser("u1"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetEntry("l1", 5), ErrorIs("status_store.entry_not_found"));
  EXPECT_THAT(store_->GetIssuedCredential("c1"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetOrganisation("RGT"), ErrorIs("store.not_found"));
  EXPECT_TRUE(store_->AuditEntries(1, 10)->empty());
  EXPECT_EQ(store_->AuditHead()->first, 0u);

  auto next =
      store_->Apply(std::move(WriteBatch().Add(SampleAudit("a", "b")).Add(SampleAudit("c", "d"))));
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->audit_seqs, (std::vector<uint64_t>{1, 2}));
  auto verified = VerifyAuditChain(*store_);
  ASSERT_THAT(verified, IsOk());
  EXPECT_EQ(verified->problem, "");
  EXPECT_EQ(verified->entries, 2u);
}

TEST_P(StoreContract, RefusesOversizedBatchesAndBadAuditText) {
  WriteBatch big;
  for (size_t i = 0; i <= kMaxBatchOps; ++i) big.Add(DeleteSession{"s" + std::to_string(i)});
  EXPECT_THAT(store_->Apply(big), ErrorIs("store.too_large"));
  big.ops.pop_back();
  EXPECT_THAT(store_->Apply(big), IsOk());

  EXPECT_THAT(Do(SampleAudit("a", "b", R"({ "name": "x" })")), ErrorIs("store.invalid_audit"));
  EXPECT_THAT(Do(SampleAudit("a", "b", R"(["x"])")), ErrorIs("store.invalid_audit"));
  EXPECT_THAT(Do(SampleAudit("a", "b", "{")), ErrorIs("store.invalid_audit"));
  EXPECT_THAT(Do(SampleAudit("a", "b", "", "\xff")), ErrorIs("store.invalid_audit"));
  EXPECT_THAT(store_->Apply(WriteBatch()), IsOk());
  EXPECT_EQ(store_->AuditHead()->first, 0u);
}

TEST_P(StoreContract, DeletesRemoveWhatTheyName) {
  ASSERT_THAT(
      Apply(std::move(WriteBatch()
                          .Add(PutSession{SampleSession("a", "u1")})
                          .Add(PutSession{SampleSession("b", "u1")})
                          .Add(PutSession{SampleSession("c", "u2")})
                          .Add(PutWalletCredential{SampleWalletCredential("w1", "u1", 1)}))),
      IsOk());
  ASSERT_THAT(Do(DeleteSession{"c"}), IsOk());
  EXPECT_THAT(store_->GetSession("c"), ErrorIs("store.not_found"));
  ASSERT_THAT(Do(DeleteUserSessions{"u1"}), IsOk());
  EXPECT_THAT(store_->GetSession("a"), ErrorIs("store.not_found"));
  EXPECT_THAT(store_->GetSession("b"), ErrorIs("store.not_found"));
  ASSERT_THAT(Do(DeleteWalletCredential{"w1"}), IsOk());
  EXPECT_TRUE(store_->ListWalletCredentials("u1")->empty());
  // Nothing left to delete is not an error.
  EXPECT_THAT(Do(DeleteSession{"c"}), IsOk());
  EXPECT_THAT(Do(DeleteWalletCredential{"w1"}), IsOk());
}

TEST_P(StoreContract, ListsAreOrderedAndPaged) {
  WriteBatch batch;
  for (std::string ods : {"RX2", "RGT", "RAL"}) batch.Add(PutOrganisation{SampleOrganisation(ods)});
  for (std::string id : {"d", "b", "e", "a", "c"}) {
    batch.Add(InsertUser{SampleUser("u" + id, id + "@nhs.net", "RGT")});
  }
  batch.Add(InsertUser{SampleUser("staff", "z@nhs.net", "")});
  batch.Add(InsertUser{SampleUser("other", "y@nhs.net", "RAL")});
  for (int i = 0; i < 5; ++i) {
    // Two share an issue time: the id breaks the tie.
    batch.Add(InsertIssuedCredential{
        SampleIssued("c" + std::to_string(i), i % 2 ? "u1" : "u2", i == 4 ? 3 : i)});
  }
  batch.Add(InsertIssuedCredential{SampleIssued("x1", "u1", 50, "RAL")});
  for (int i = 0; i < 4; ++i) {
    ShareRequestRecord s =
        SampleShare("s" + std::to_string(i), "link" + std::to_string(i), i, i == 3 ? "RAL" : "RGT");
    if (i != 1) s = Consented(s, i == 0 ? "u1" : "u2", "c0");
    batch.Add(InsertShareRequest{s});
  }
  batch.Add(PutMembership{SampleMembership("u1", "RGT", 3)})
      .Add(PutMembership{SampleMembership("u2", "RGT", 1)})
      .Add(PutMembership{SampleMembership("u3", "RGT", 2)})
      .Add(PutMembership{SampleMembership("u1", "RAL", 0)});
  batch.Add(InsertApiToken{SampleToken("t2", "h2")}).Add(InsertApiToken{SampleToken("t1", "h1")});
  ApiTokenRecord later = SampleToken("t0", "h0");
  later.created = At(100);
  batch.Add(InsertApiToken{later}).Add(InsertApiToken{SampleToken("t9", "h9", "RAL")});
  batch.Add(PutWalletCredential{SampleWalletCredential("w2", "u1", 5)})
      .Add(PutWalletCredential{SampleWalletCredential("w1", "u1", 6)})
      .Add(PutWalletCredential{SampleWalletCredential("w3", "u1", 1)});
  ASSERT_THAT(Apply(std::move(batch)), IsOk());

  auto id = [](const auto& r) { return r.id; };
  EXPECT_EQ(Ids(*store_->ListOrganisations(), [](auto& r) { return r.ods; }), "RAL,RGT,RX2");
  EXPECT_EQ(Ids(*store_->ListUsers("RGT", Page{}), id), "ua,ub,uc,ud,ue");
  EXPECT_EQ(Ids(*store_->ListUsers("RGT", Page{2, 1}), id), "ub,uc");
  EXPECT_EQ(Ids(*store_->ListUsers("RGT", Page{10, 4}), id), "ue");
  EXPECT_EQ(Ids(*store_->ListUsers("RGT", Page{10, 5}), id), "");
  EXPECT_EQ(Ids(*store_->ListUsers("", Page{}), id), "staff");
  EXPECT_EQ(*store_->CountUsers(), 7);
  EXPECT_EQ(Ids(*store_->ListIssuedCredentials("RGT", "", Page{}), id), "c4,c3,c2,c1,c0");
  EXPECT_EQ(Ids(*store_->ListIssuedCredentials("RGT", "", Page{2, 1}), id), "c3,c2");
  EXPECT_EQ(Ids(*store_->ListIssuedCredentials("RGT", "u1", Page{}), id), "c3,c1");
  EXPECT_EQ(Ids(*store_->ListShareRequests("RGT", "", Page{}), id), "s2,s1,s0");
  EXPECT_EQ(Ids(*store_->ListShareRequests("RGT", "", Page{1, 1}), id), "s1");
  EXPECT_EQ(Ids(*store_->ListShareRequests("RGT", "u2", Page{}), id), "s2");
  EXPECT_EQ(Ids(*store_->ListShareRequests("", "u2", Page{}), id), "s3,s2");
  EXPECT_EQ(Ids(*store_->ListShareRequests("", "", Page{}), id), "");
  EXPECT_EQ(Ids(*store_->SharesRelyingOn("c0"), id), "s0,s2,s3");
  auto user = [](const auto& r) { return r.user_id; };
  EXPECT_EQ(Ids(*store_->MembershipsOfOrg("RGT", Page{}), user), "u2,u3,u1");
  EXPECT_EQ(Ids(*store_->MembershipsOfOrg("RGT", Page{1, 2}), user), "u1");
  EXPECT_EQ(Ids(*store_->MembershipsOfUser("u1"), [](auto& r) { return r.org_ods; }), "RAL,RGT");
  EXPECT_EQ(Ids(*store_->ListApiTokens("RGT"), id), "t1,t2,t0");
  EXPECT_EQ(Ids(*store_->ListWalletCredentials("u1"), id), "w3,w2,w1");
}

TEST_P(StoreContract, AuditEntriesAreChainedReadAndErased) {
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 5; ++i) {
    auto r = store_->Apply(
        std::move(WriteBatch()
                      .Add(SampleAudit("share.view", "s" + std::to_string(i % 2),
                                       R"({"n":)" + std::to_string(i) + "}", i == 4 ? "s1" : "u1"))
                      .Add(SampleAudit("login.success", "u9", ""))));
    ASSERT_THAT(r, IsOk());
    seqs.insert(seqs.end(), r->audit_seqs.begin(), r->audit_seqs.end());
  }
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  auto all = store_->AuditEntries(1, 100);
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 10u);
  EXPECT_EQ((*all)[0].prev_hash, kAuditGenesisHash);
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq, i + 1);
    EXPECT_EQ((*all)[i].entry_hash, AuditEntryHash((*all)[i]));
    if (i > 0) {
      EXPECT_EQ((*all)[i].prev_hash, (*all)[i - 1].entry_hash);
    }
  }
  EXPECT_EQ((*all)[1].details_hash, "");
  EXPECT_EQ((*all)[0].details_hash, AuditDetailsHash(R"({"n":0})"));
  EXPECT_EQ(store_->AuditHead()->first, 10u);
  EXPECT_EQ(store_->AuditHead()->second, (*all)[9].entry_hash);
  EXPECT_EQ(Render(*store_->AuditEntries(4, 2)), Render((*all)[3]) + Render((*all)[4]));

  // Entries naming s1 as actor or subject, newest first, paged.
  auto seq_of = [](const AuditEntry& e) { return std::to_string(e.seq); };
  EXPECT_EQ(Ids(*store_->AuditAbout("s1", Page{}), seq_of), "9,7,3");
  EXPECT_EQ(Ids(*store_->AuditAbout("s1", Page{1, 1}), seq_of), "7");
  EXPECT_EQ(Ids(*store_->AuditAbout("u9", Page{2, 0}), seq_of), "10,8");

  EXPECT_EQ(*store_->AuditDetails(3), std::optional<std::string>(R"({"n":1})"));
  EXPECT_EQ(*store_->AuditDetails(2), std::nullopt);
  ASSERT_THAT(Do(EraseAuditDetails{3}), IsOk());
  ASSERT_THAT(Do(EraseAuditDetails{3}), IsOk());
  EXPECT_THAT(Do(EraseAuditDetails{11}), ErrorIs("store.not_found"));
  EXPECT_EQ(*store_->AuditDetails(3), std::nullopt);
  auto verified = VerifyAuditChain(*store_);
  ASSERT_THAT(verified, IsOk());
  EXPECT_EQ(verified->problem, "");
  EXPECT_EQ(verified->entries, 10u);
  EXPECT_EQ(verified->details_present, 4u);
  EXPECT_EQ(verified->details_erased, 1u);
  EXPECT_EQ(verified->head_hash, (*all)[9].entry_hash);
}

TEST_P(StoreContract, StatusStoreWritesAreCountedAsBatches) {
  ASSERT_THAT(store_->CreateList(SampleList("l1")), IsOk());
  ASSERT_THAT(store_->Reserve("l1", 1, "c1", kT0), IsOk());
  EXPECT_THAT(store_->Reserve("l1", 1, "c2", kT0), ErrorIs("status_store.index_taken"));
  StoreStats stats = store_->Stats();
  EXPECT_EQ(stats.batches_applied, 2u);
  EXPECT_EQ(stats.batches_failed, 1u);
}

// ---------------------------------------------------------------------------------------------
// Concurrency

// Draws random indexes the way the status service does: collisions are retried with another.
struct Acknowledged {
  std::string credential_id;
  uint64_t index;
  uint64_t seq;
};

TEST_P(StoreContract, ConcurrentBatchesAreEachKeptOnce) {
  constexpr int kThreads = 8;
  constexpr int kBatches = 500;
  // Small enough that random draws collide often: about a quarter of the list ends up taken.
  constexpr uint64_t kListSize = 16384;
  ASSERT_THAT(store_->CreateList(SampleList("l1", kListSize)), IsOk());
  const uint32_t seed = std::random_device{}();
  std::cout << "seed " << seed << "\n";
  std::mutex mu;
  std::vector<Acknowledged> acked;
  std::atomic<int> collisions{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 random(seed + static_cast<uint32_t>(t));
      for (int b = 0; b < kBatches; ++b) {
        std::string id = "urn:t" + std::to_string(t) + ":" + std::to_string(b);
        for (;;) {
          uint64_t index = random() % kListSize;
          IssuedCredentialRecord issued = SampleIssued(id, "u" + std::to_string(t), b);
          issued.status_list = "l1";
          issued.status_index = index;
          WriteBatch batch;
          batch.Add(ReserveStatusIndex{"l1", index, id, At(b)})
              .Add(InsertIssuedCredential{issued})
              .Add(SampleAudit("credential.issue", id, ""));
          auto r = store_->Apply(batch);
          if (r.ok()) {
            std::lock_guard lock(mu);
            acked.push_back({id, index, r->audit_seqs.at(0)});
            break;
          }
          if (r.error().reason == "status_store.index_taken") {
            ++collisions;
            continue;
          }
          ++unexpected;
          ADD_FAILURE() << r.error().ToString();
          return;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(unexpected.load(), 0);
  ASSERT_EQ(acked.size(), static_cast<size_t>(kThreads * kBatches));

  std::set<uint64_t> indexes, seqs;
  for (const Acknowledged& a : acked) {
    auto issued = store_->GetIssuedCredential(a.credential_id);
    ASSERT_THAT(issued, IsOk());
    EXPECT_EQ(issued->status_index, a.index);
    EXPECT_EQ(store_->GetEntry("l1", a.index)->credential_id, a.credential_id);
    EXPECT_TRUE(indexes.insert(a.index).second) << "index " << a.index << " given twice";
    EXPECT_TRUE(seqs.insert(a.seq).second);
  }
  EXPECT_EQ(*store_->CountReserved("l1"), acked.size());
  // Failed attempts used no seqs: 1..N exactly.
  EXPECT_EQ(*seqs.begin(), 1u);
  EXPECT_EQ(*seqs.rbegin(), acked.size());
  auto verified = VerifyAuditChain(*store_);
  ASSERT_THAT(verified, IsOk());
  EXPECT_EQ(verified->problem, "") << verified->message;
  EXPECT_EQ(verified->entries, acked.size());

  StoreStats stats = store_->Stats();
  EXPECT_EQ(stats.batches_applied, acked.size() + 1);  // + CreateList
  EXPECT_EQ(stats.batches_failed, static_cast<uint64_t>(collisions.load()));
  // Group commit groups: fewer transactions than batches.
  EXPECT_LT(stats.transactions_committed, stats.batches_applied);
  std::cout << "collisions " << collisions.load() << ", " << stats.batches_applied
            << " batches applied in " << stats.transactions_committed << " transactions ("
            << static_cast<double>(stats.batches_applied + stats.batches_failed) /
                   static_cast<double>(std::max<uint64_t>(1, stats.transactions_committed))
            << " batches per transaction)\n";
}

// Batches that fail (a duplicate id) share transactions with batches that succeed, and take
// nothing of theirs with them.
TEST_P(StoreContract, FailingBatchesDoNotDisturbTheirGroup) {
  constexpr int kThreads = 8;
  constexpr int kBatches = 150;
  ASSERT_THAT(Do(InsertIssuedCredential{SampleIssued("urn:existing", "u0", 0)}), IsOk());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        bool fail = b % 3 == 1;
        std::string id = "urn:t" + std::to_string(t) + ":" + std::to_string(b);
        WriteBatch batch;
        batch.Add(SampleAudit("credential.issue", id, ""))
            .Add(PutOrganisation{SampleOrganisation(id)})
            .Add(InsertIssuedCredential{SampleIssued(fail ? "urn:existing" : id, "u1", b)});
        auto r = store_->Apply(batch);
        bool as_expected = fail ? !r.ok() && r.error().reason == "store.duplicate" : r.ok();
        if (!as_expected) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  int good = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int b = 0; b < kBatches; ++b) {
      std::string id = "urn:t" + std::to_string(t) + ":" + std::to_string(b);
      bool fail = b % 3 == 1;
      good += fail ? 0 : 1;
      EXPECT_EQ(store_->GetOrganisation(id).ok(), !fail) << id;
      EXPECT_EQ(store_->GetIssuedCredential(id).ok(), !fail) << id;
    }
  }
  auto verified = VerifyAuditChain(*store_);
  ASSERT_THAT(verified, IsOk());
  EXPECT_EQ(verified->problem, "") << verified->message;
  EXPECT_EQ(verified->entries, static_cast<uint64_t>(good));
  StoreStats stats = store_->Stats();
  EXPECT_EQ(stats.batches_failed, static_cast<uint64_t>(kThreads * kBatches - good));
  EXPECT_LT(stats.transactions_committed, stats.batches_applied);
  std::cout << stats.batches_applied << " applied and " << stats.batches_failed << " failed in "
            << stats.transactions_committed << " transactions\n";
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract, ::testing::ValuesIn(StoreFactories()), FactoryName);

}  // namespace
}  // namespace lanyard::store
