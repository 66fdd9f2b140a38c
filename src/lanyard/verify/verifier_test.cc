#include "lanyard/verify/verifier.h"

#include <gtest/gtest.h>

#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/json/canonical.h"
#include "lanyard/testing/report.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::verify {
namespace {

using formats::di::AddProof;
using formats::di::Cryptosuite;
using formats::di::ProofOptions;

using testing::FailedCodes;

class VerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    credential_ = testing::ReadJsonVector("w3c-vc-di-eddsa/unsigned.json");
    credential_.Set("issuer", did::DidKeyFromPublicKey(trust_.public_key()));
    credential_.Set("validUntil", "2027-01-01T00:00:00Z");
    options_.now = ParseRfc3339("2026-08-05T09:00:00Z").value();
  }

  json::Value SignedBy(const crypto::PrivateKey& key, json::Value doc,
                       Cryptosuite suite = Cryptosuite::kEddsaJcs2022,
                       std::string purpose = "assertionMethod") {
    ProofOptions p;
    p.suite = suite;
    p.verification_method = did::DidKeyMethodId(key.public_key());
    p.created = ParseRfc3339("2026-08-01T09:00:00Z").value();
    p.proof_purpose = std::move(purpose);
    p.challenge = challenge_;
    p.domain = domain_;
    return AddProof(std::move(doc), p, key).value();
  }

  VerificationReport Check(const json::Value& doc) {
    return VerifyDocumentText(json::Serialize(doc), *resolver_, options_);
  }

  crypto::PrivateKey trust_ = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  crypto::PrivateKey other_ = crypto::PrivateKey::Generate(crypto::KeyType::kP256).value();
  crypto::PrivateKey nurse_ = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  std::unique_ptr<did::Resolver> resolver_ = did::NewOfflineResolver();
  json::Value credential_;
  VerifyOptions options_;
  std::optional<std::string> challenge_, domain_;
};

TEST_F(VerifierTest, AcceptsACredentialSignedByItsIssuer) {
  auto report = Check(SignedBy(trust_, credential_));
  EXPECT_TRUE(report.verified()) << report.ToText();
  EXPECT_EQ(FailedCodes(report), "");
}

TEST_F(VerifierTest, RefusesACredentialSignedBySomeoneElse) {
  auto report = Check(SignedBy(other_, credential_, Cryptosuite::kEcdsaJcs2019));
  EXPECT_EQ(FailedCodes(report), "issuer.not_signer");
}

TEST_F(VerifierTest, AcceptsAnEmployerCountersignatureAlongsideTheIssuer) {
  json::Value doc = SignedBy(trust_, credential_);
  doc = SignedBy(other_, doc, Cryptosuite::kEcdsaJcs2019);
  auto report = Check(doc);
  EXPECT_TRUE(report.verified()) << report.ToText();
  int signatures = 0;
  for (const auto& c : report.checks()) signatures += c.code == "signature.valid";
  EXPECT_EQ(signatures, 2);  // the report names each signer
}

TEST_F(VerifierTest, ChecksTheValidityWindowAtTheGivenTime) {
  json::Value doc = SignedBy(trust_, credential_);
  options_.now = ParseRfc3339("2022-12-31T23:59:59Z").value();
  EXPECT_EQ(FailedCodes(Check(doc)), "validity.not_yet_valid");
  options_.now = ParseRfc3339("2027-01-01T00:00:01Z").value();
  EXPECT_EQ(FailedCodes(Check(doc)), "validity.expired");
  credential_.Set("validUntil", "next year");
  EXPECT_EQ(FailedCodes(Check(SignedBy(trust_, credential_))), "validity.malformed");
}

TEST_F(VerifierTest, ChecksTheDataModel) {
  json::Value doc = credential_;
  doc.Set("@context", json::Array{"https://www.w3.org/2018/credentials/v1"});
  doc.Set("type", json::Array{"AlumniCredential"});
  doc.Erase("credentialSubject");
  EXPECT_EQ(FailedCodes(Check(SignedBy(trust_, doc))),
            "context.invalid,type.invalid,subject.missing");
  json::Value no_issuer = credential_;
  no_issuer.Erase("issuer");
  EXPECT_EQ(FailedCodes(Check(SignedBy(trust_, no_issuer))), "issuer.missing");
  json::Value bad_issuer = credential_;
  bad_issuer.Set("issuer", json::Object{{"name", "A trust"}});
  EXPECT_EQ(FailedCodes(Check(SignedBy(trust_, bad_issuer))), "issuer.invalid");
}

TEST_F(VerifierTest, AcceptsAnIssuerObjectWithAnId) {
  credential_.Set("issuer", json::Object{{"id", did::DidKeyFromPublicKey(trust_.public_key())},
                                         {"name", "Example NHS Foundation Trust"}});
  EXPECT_TRUE(Check(SignedBy(trust_, credential_)).verified());
}

TEST_F(VerifierTest, ReportsUnusableInputWithTheParsersCode) {
  for (auto [text, code] : std::vector<std::pair<std::string, std::string>>{
           {"{\"a\":1,\"a\":2}", "input.duplicate_key"},
           {std::string(10000, '['), "input.too_deep"},
           {"\"\xff\"", "input.invalid_utf8"},
           {"[1,2]", "input.not_object"},
           {"", "input.syntax"}}) {
    auto report = VerifyCredentialText(text, *resolver_, options_);
    EXPECT_TRUE(report.unusable());
    EXPECT_EQ(FailedCodes(report), code);
  }
}

TEST_F(VerifierTest, VerifiesAPresentationBoundToChallengeAndDomain) {
  json::Value vc = SignedBy(trust_, credential_);
  json::Value vp(json::Object{{"@context", json::Array{"https://www.w3.org/ns/credentials/v2"}},
                              {"type", json::Array{"VerifiablePresentation"}},
                              {"holder", did::DidKeyFromPublicKey(nurse_.public_key())},
                              {"verifiableCredential", json::Array{vc}}});
  challenge_ = "c-8f3e2a";
  domain_ = "https://receiving-trust.example";
  json::Value signed_vp = SignedBy(nurse_, vp, Cryptosuite::kEddsaJcs2022, "authentication");
  options_.challenge = "c-8f3e2a";
  options_.domain = "https://receiving-trust.example";
  auto report = Check(signed_vp);
  EXPECT_TRUE(report.verified()) << report.ToText();

  options_.challenge = "replayed";
  EXPECT_EQ(FailedCodes(Check(signed_vp)), "proof.challenge_mismatch,holder.not_signer");

  // A presentation signed for assertion, not authentication, is refused.
  options_.challenge = "c-8f3e2a";
  json::Value wrong_purpose = SignedBy(nurse_, vp, Cryptosuite::kEddsaJcs2022, "assertionMethod");
  EXPECT_EQ(FailedCodes(Check(wrong_purpose)), "proof.purpose_mismatch,holder.not_signer");

  // A tampered embedded credential fails under its own subject.
  json::Value tampered = vp;
  tampered.Find("verifiableCredential")->as_array()[0].Set("name", "Forged");
  auto tampered_report =
      Check(SignedBy(nurse_, tampered, Cryptosuite::kEddsaJcs2022, "authentication"));
  EXPECT_EQ(FailedCodes(tampered_report), "signature.invalid,issuer.not_signer");
  EXPECT_EQ(tampered_report.Failures()[0].subject, "verifiableCredential[0].proof");
}

TEST_F(VerifierTest, ReportRendersAsJsonWithErrors) {
  credential_.Set("validUntil", "2026-01-01T00:00:00Z");
  auto report = Check(SignedBy(trust_, credential_));
  json::Value j = report.ToJson();
  EXPECT_EQ(j.Find("verified")->as_bool(), false);
  EXPECT_EQ(json::Serialize(*j.Find("errors")), "[\"validity.expired\"]");
}

}  // namespace
}  // namespace lanyard::verify
