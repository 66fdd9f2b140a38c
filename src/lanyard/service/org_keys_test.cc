// Rotating an organisation's signing key: what was signed before still verifies after an
// ordinary rotation and stops verifying after a compromise; who may rotate; and the stored list.
#include "lanyard/service/org_keys.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "lanyard/service/deployment.h"
#include "lanyard/service/local_documents.h"
#include "lanyard/service/sharing_service.h"
#include "lanyard/store/audit_chain.h"
#include "lanyard/testing/issuing_fixture.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/verify/status_check.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::service {
namespace {

using ::lanyard::testing::ErrorIs;
using ::lanyard::testing::IsOk;

TEST(RetiredKeys, RoundTrip) {
  std::vector<RetiredKey> keys = {
      {"k1", *ParseRfc3339("2026-01-01T00:00:00Z"), false, "annual rotation"},
      {"k2", *ParseRfc3339("2026-06-01T12:30:00Z"), true, ""}};
  auto back = ParseRetiredKeys(RetiredKeysJson(keys));
  ASSERT_THAT(back, IsOk());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].key_id, "k1");
  EXPECT_EQ((*back)[0].reason, "annual rotation");
  EXPECT_FALSE((*back)[0].compromised);
  EXPECT_EQ((*back)[1].since, keys[1].since);
  EXPECT_TRUE((*back)[1].compromised);
  EXPECT_TRUE(ParseRetiredKeys("")->empty());
  EXPECT_TRUE(ParseRetiredKeys("[]")->empty());
}

TEST(RetiredKeys, RefusesDamage) {
  for (const char* text :
       {"{", "{}", "[1]", R"([{"id":"k"}])", R"([{"id":"","since":"2026-01-01T00:00:00Z"}])",
        R"([{"id":"k","since":"yesterday"}])",
        R"([{"id":"k","since":"2026-01-01T00:00:00Z","compromised":"yes"}])"}) {
    EXPECT_THAT(ParseRetiredKeys(text), ErrorIs("org.keys_corrupt")) << text;
  }
}

class KeyRotationTest : public testing::IssuingDeploymentTest {
 protected:
  void SetUp() override {
    IssuingDeploymentTest::SetUp();
    resolver_ = NewServiceResolver(*d_->issuer, *d_->store);
    lists_ = NewLocalStatusLists(*d_->store, d_->issuer->base_url());
  }

  void TearDown() override {
    resolver_.reset();
    IssuingDeploymentTest::TearDown();
  }

  json::Value Issue() {
    auto issued = IssueDbs();
    EXPECT_THAT(issued, IsOk());
    return issued.ok() ? issued->document : json::Value();
  }

  // The failed checks' codes, as this deployment's VC-API verifies (its own resolver and
  // status lists), judged against the trust registry it publishes.
  std::string FailedCodes(const json::Value& credential) {
    auto registry = RegistryFromStore(*d_->store);
    EXPECT_THAT(registry, IsOk());
    LocalStatusHttpClient http(*d_->issuer);
    verify::StatusCheckOptions status_options;
    status_options.local = lists_.get();
    status_options.http = &http;
    verify::StatusChecker checker(*resolver_, clock_, status_options);
    verify::VerifyOptions options;
    options.now = clock_.Now();
    options.status = &checker;
    options.trust = &*registry;
    std::string codes;
    for (const auto& f : verify::VerifyCredential(credential, *resolver_, options).Failures()) {
      codes += (codes.empty() ? "" : " ") + f.code;
    }
    return codes;
  }

  Principal operator_ = Principal::System(RoleSet{Role::kNationalAdmin});
  std::unique_ptr<did::Resolver> resolver_;
  std::shared_ptr<const verify::LocalStatusLists> lists_;
};

TEST_F(KeyRotationTest, RetiredKeyStillVerifiesWhatItSigned) {
  json::Value before = Issue();
  EXPECT_EQ(FailedCodes(before), "");
  const std::string old_key = d_->store->GetOrganisation("RGT")->signing_key_id;

  clock_.Advance(std::chrono::hours(1));
  auto rotated = d_->accounts->RotateSigningKey(operator_, "RGT", "annual rotation", false);
  ASSERT_THAT(rotated, IsOk());
  EXPECT_NE(rotated->signing_key_id, old_key);
  json::Value after = Issue();
  // The resolver noticed the rotation at once: no stale document for the new key.
  EXPECT_EQ(FailedCodes(after), "");
  EXPECT_EQ(FailedCodes(before), "");
  EXPECT_NE(*after.Find("proof")->FindString("verificationMethod"),
            *before.Find("proof")->FindString("verificationMethod"));

  auto doc = d_->issuer->DidDocumentFor("RGT");
  ASSERT_THAT(doc, IsOk());
  ASSERT_EQ(doc->Find("verificationMethod")->as_array().size(), 2u);
  EXPECT_EQ(doc->Find("assertionMethod")->as_array()[0].as_string(),
            rotated->did + "#" + rotated->signing_key_id);
}

TEST_F(KeyRotationTest, CompromisedKeyIsDisowned) {
  json::Value signed_with_first = Issue();
  clock_.Advance(std::chrono::hours(1));
  ASSERT_THAT(d_->accounts->RotateSigningKey(operator_, "RGT", "annual rotation", false), IsOk());
  json::Value signed_with_second = Issue();
  clock_.Advance(std::chrono::hours(1));
  ASSERT_THAT(d_->accounts->RotateSigningKey(operator_, "RGT", "laptop stolen", true), IsOk());
  json::Value signed_with_third = Issue();

  EXPECT_EQ(FailedCodes(signed_with_first), "");  // retired, not compromised
  // Gone from the DID document, so any verifier, with or without the registry, refuses it.
  EXPECT_EQ(FailedCodes(signed_with_second), "proof.method_unresolvable issuer.not_signer");
  EXPECT_EQ(FailedCodes(signed_with_third), "");
  auto doc = d_->issuer->DidDocumentFor("RGT");
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(doc->Find("verificationMethod")->as_array().size(), 2u);

  // The published trust registry names each earlier key with what became of it.
  auto registry = RegistryFromStore(*d_->store);
  ASSERT_THAT(registry, IsOk());
  const std::string first_vm = *signed_with_first.Find("proof")->FindString("verificationMethod");
  const std::string second_vm = *signed_with_second.Find("proof")->FindString("verificationMethod");
  ASSERT_NE(registry->FindKey(first_vm), nullptr);
  EXPECT_EQ(registry->FindKey(first_vm)->status, trust::KeyStatus::kRetired);
  ASSERT_NE(registry->FindKey(second_vm), nullptr);
  EXPECT_EQ(registry->FindKey(second_vm)->status, trust::KeyStatus::kCompromised);
  auto keys = ParseRetiredKeys(d_->store->GetOrganisation("RGT")->retired_keys);
  ASSERT_THAT(keys, IsOk());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_TRUE((*keys)[1].compromised);
  EXPECT_EQ((*keys)[1].reason, "laptop stolen");

  auto audit = d_->store->AuditAbout("RGT", store::Page{10, 0});
  ASSERT_THAT(audit, IsOk());
  ASSERT_GE(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "org.key_compromised");
  EXPECT_EQ((*audit)[1].action, "org.key_rotate");
}

TEST_F(KeyRotationTest, OnlyTheOrganisationsAdministratorsAfterAStepUp) {
  Principal hr_only = Principal::System(RoleSet{Role::kHrIssuer}, "RGT");
  hr_only.id = "u-hr";
  EXPECT_THAT(d_->accounts->RotateSigningKey(hr_only, "RGT", "r", false),
              ErrorIs("permission.denied"));
  Principal other_admin = Principal::System(RoleSet{Role::kOrgAdmin}, "R1H");
  other_admin.id = "u-other";
  EXPECT_THAT(d_->accounts->RotateSigningKey(other_admin, "RGT", "r", false),
              ErrorIs("permission.denied"));
  // An administrator of RGT signed in, but not stepped up (or an API token: no session).
  Principal admin = Principal::System(RoleSet{Role::kOrgAdmin}, "RGT");
  admin.id = "u-admin";
  EXPECT_THAT(d_->accounts->RotateSigningKey(admin, "RGT", "r", false),
              ErrorIs("auth.step_up_required"));
  EXPECT_THAT(d_->accounts->RotateSigningKey(operator_, "RGT", "", false),
              ErrorIs("org.invalid_reason"));
  EXPECT_THAT(d_->accounts->RotateSigningKey(operator_, "RGT", std::string(501, 'x'), false),
              ErrorIs("org.invalid_reason"));
  EXPECT_THAT(d_->accounts->RotateSigningKey(operator_, "NOPE", "r", false),
              ErrorIs("org.not_found"));
  EXPECT_EQ(d_->store->GetOrganisation("RGT")->retired_keys, "");
}

}  // namespace
}  // namespace lanyard::service
