#include "lanyard/formats/sdjwt/sd_jwt_vc.h"

#include <gtest/gtest.h>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_key.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/testing/fake_http_client.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/report.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::formats::sdjwt {
namespace {

using testing::ErrorIs;
using testing::IsOk;

using testing::FailedCodes;

class SdJwtVcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    payload_ = json::Parse(R"({"vct": "https://lanyard.example/vct/dbs-check",
      "dbs": {"level": "enhanced", "barred_lists": ["adults"], "certificate": "001234567890"},
      "birthdate": "1990-04-01"})")
                   .value();
    issue_.now = FromUnixSeconds(1785920400);
    issue_.disclosable = {ParseClaimPath("dbs.certificate").value(),
                          ParseClaimPath("birthdate").value()};
    issue_.holder_key = holder_.public_key();
    verify_.now = issue_.now + std::chrono::minutes(5);
    sources_.resolver = resolver_.get();
    sources_.http = &http_;
  }

  verify::VerificationReport Verify(const std::string& token) {
    verify::VerificationReport report;
    result_ = VerifySdJwtVc(token, sources_, verify_, &report);
    return report;
  }

  crypto::PrivateKey issuer_ = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  crypto::PrivateKey holder_ = crypto::PrivateKey::Generate(crypto::KeyType::kP256).value();
  std::unique_ptr<did::Resolver> resolver_ = did::NewOfflineResolver();
  testing::FakeHttpClient http_;
  json::Value payload_;
  VcIssueOptions issue_;
  VerifyOptions verify_;
  IssuerKeySources sources_;
  std::optional<VerifiedSdJwt> result_;
};

TEST_F(SdJwtVcTest, IssuesWithTheKeysDidAndAlwaysAnExpiry) {
  auto token = IssueSdJwtVc(payload_, issue_, issuer_);
  ASSERT_THAT(token, IsOk());
  auto report = Verify(*token);
  EXPECT_TRUE(report.verified()) << report.ToText();
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(*result_->claims.FindString("iss"), did::DidKeyFromPublicKey(issuer_.public_key()));
  EXPECT_EQ(*result_->header.FindString("kid"), did::DidKeyMethodId(issuer_.public_key()));
  EXPECT_EQ(*result_->header.FindString("typ"), "dc+sd-jwt");
  EXPECT_EQ(result_->claims.Find("iat")->as_number(), 1785920400);
  EXPECT_EQ(result_->claims.Find("exp")->as_number(), 1785920400 + 365 * 86400);
  EXPECT_EQ(json::Serialize(*result_->claims.Find("cnf")->Find("jwk")),
            json::Serialize(crypto::PublicKeyToJwk(holder_.public_key())));
  EXPECT_TRUE(http_.requested_urls().empty());  // a DID issuer needs no network
}

TEST_F(SdJwtVcTest, LeavesTheStatusClaimToThePipeline) {
  payload_.Set(
      "status",
      json::Object{{"status_list",
                    json::Object{{"idx", 412}, {"uri", "https://status.trust.example/lists/7"}}}});
  auto report = Verify(IssueSdJwtVc(payload_, issue_, issuer_).value());
  EXPECT_TRUE(report.verified()) << report.ToText();
  // verify/status_check.h reads it (lifecycle_test.cc); the format only carries it.
  EXPECT_EQ(report.ToText().find("status."), std::string::npos);
}

TEST_F(SdJwtVcTest, RefusesAPayloadWithoutATypeAndReservedDisclosures) {
  json::Value no_vct = payload_;
  no_vct.Erase("vct");
  EXPECT_THAT(IssueSdJwtVc(no_vct, issue_, issuer_), ErrorIs("sdjwt_vc.missing_claim"));
  issue_.disclosable.push_back(ParseClaimPath("vct").value());
  EXPECT_THAT(IssueSdJwtVc(payload_, issue_, issuer_), ErrorIs("sdjwt.claim_not_disclosable"));
}

TEST_F(SdJwtVcTest, AcceptsTheOlderTypButNotAPlainJwt) {
  // Re-sign the same payload under other typ values.
  SdJwtVcTest::payload_.Set("iss", did::DidKeyFromPublicKey(issuer_.public_key()));
  payload_.Set("iat", 1785920400);
  payload_.Set("exp", 1817456400);
  for (auto [typ, want] : {std::pair{"vc+sd-jwt", ""}, std::pair{"JWT", "sdjwt_vc.wrong_typ"},
                           std::pair{"example+sd-jwt", "sdjwt_vc.wrong_typ"}}) {
    IssueOptions o;
    o.typ = typ;
    o.kid = did::DidKeyMethodId(issuer_.public_key());
    auto token = IssueSdJwt(payload_, o, issuer_);
    ASSERT_THAT(token, IsOk());
    EXPECT_EQ(FailedCodes(Verify(*token)), want) << typ;
  }
}

TEST_F(SdJwtVcTest, RefusesAKidThatIsNotTheIssuers) {
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  // Lanyard will not issue such a token...
  issue_.kid = did::DidKeyMethodId(other.public_key());
  EXPECT_THAT(IssueSdJwtVc(payload_, issue_, issuer_), ErrorIs("sdjwt_vc.kid_not_of_issuer"));
  issue_.kid.reset();
  json::Value claiming_other = payload_;
  claiming_other.Set("iss", did::DidKeyFromPublicKey(other.public_key()));
  EXPECT_THAT(IssueSdJwtVc(claiming_other, issue_, issuer_), ErrorIs("sdjwt_vc.kid_not_of_issuer"));
  // ...and refuses one made elsewhere: a trust's DID as iss, signed with another key.
  claiming_other.Set("iat", 1785920400);
  IssueOptions raw;
  raw.kid = did::DidKeyMethodId(issuer_.public_key());
  auto forged = IssueSdJwt(claiming_other, raw, issuer_);
  ASSERT_THAT(forged, IsOk());
  EXPECT_EQ(FailedCodes(Verify(*forged)), "sdjwt_vc.kid_not_of_issuer");
  raw.kid = did::DidKeyMethodId(other.public_key());
  auto wrong_key = IssueSdJwt(claiming_other, raw, issuer_);
  EXPECT_EQ(FailedCodes(Verify(*wrong_key)), "signature.invalid");
}

TEST_F(SdJwtVcTest, RefusesReservedClaimsThatArriveAsDisclosures) {
  payload_.Set("iss", did::DidKeyFromPublicKey(issuer_.public_key()));
  payload_.Set("iat", 1785920400);
  payload_.Set("exp", 1817456400);
  std::vector<ClaimPath> paths = {ParseClaimPath("exp").value()};
  IssueOptions raw;  // a foreign issuer that ignores the rule
  raw.kid = did::DidKeyMethodId(issuer_.public_key());
  raw.disclosable = paths;
  auto token = IssueSdJwt(payload_, raw, issuer_);
  ASSERT_THAT(token, IsOk());
  EXPECT_EQ(FailedCodes(Verify(*token)), "sdjwt_vc.claim_disclosed");
}

TEST_F(SdJwtVcTest, RefusesAnIssuerUrlWhoseHostIsNotWhatItSeems) {
  auto anchors = crypto::LoadTrustAnchorsPem(testing::ReadVector("x509/root.pem"));
  ASSERT_THAT(anchors, IsOk());
  sources_.anchors = &*anchors;
  auto leaf_key =
      crypto::PrivateKeyFromJwk(testing::ReadJsonVector("x509/leaf-key.jwk.json")).value();
  json::Value header(
      json::Object{{"typ", "dc+sd-jwt"}, {"x5c", testing::ReadJsonVector("x509/chain.x5c.json")}});
  // A URL parser reads the host of this as nhs.example, not issuer.trust.example.
  payload_.Set("iss", "https://issuer.trust.example:1@nhs.example/");
  std::string jwt = jose::SignCompactJws(header, json::Serialize(payload_), leaf_key).value() + "~";
  EXPECT_EQ(FailedCodes(Verify(jwt)), "issuer_metadata.invalid_issuer");
}

TEST_F(SdJwtVcTest, SaysWhenHolderBindingWasNotChecked) {
  std::string issued = IssueSdJwtVc(payload_, issue_, issuer_).value();
  auto report = Verify(issued);
  EXPECT_TRUE(report.verified());
  EXPECT_NE(report.ToText().find("WARN sdjwt.kb_not_checked"), std::string::npos);
  std::vector<ClaimPath> none;
  KeyBindingRequest kb{&holder_, "n", "https://elsewhere.example", verify_.now};
  auto presented = PresentSdJwt(issued, none, &kb).value();
  auto unbound = Verify(presented);
  EXPECT_FALSE(result_->key_bound);
  EXPECT_NE(unbound.ToText().find("WARN sdjwt.kb_not_checked"), std::string::npos);
  EXPECT_EQ(unbound.ToText().find("sdjwt.key_bound"), std::string::npos);
}

TEST_F(SdJwtVcTest, FindsAnHttpsIssuersKeyInItsMetadata) {
  payload_.Set("iss", "https://trust.example/tenants/rhq");
  auto token = IssueSdJwtVc(payload_, issue_, issuer_);
  ASSERT_THAT(token, IsOk());
  json::Value jwk = crypto::PublicKeyToJwk(issuer_.public_key());
  jwk.Set("kid", crypto::JwkThumbprint(issuer_.public_key()));
  json::Value metadata(json::Object{{"issuer", "https://trust.example/tenants/rhq"},
                                    {"jwks", json::Object{{"keys", json::Array{jwk}}}}});
  http_.SetResponse("https://trust.example/.well-known/jwt-vc-issuer/tenants/rhq", 200,
                    json::Serialize(metadata), {{"content-type", "application/json"}});
  auto report = Verify(*token);
  EXPECT_TRUE(report.verified()) << report.ToText();
  EXPECT_EQ(http_.requested_urls().size(), 1u);
  sources_.http = nullptr;
  EXPECT_EQ(FailedCodes(Verify(*token)), "sdjwt_vc.no_key_source");
}

TEST_F(SdJwtVcTest, FindsAKeyInAnX5cChainTrustedByAConfiguredRoot) {
  auto anchors = crypto::LoadTrustAnchorsPem(testing::ReadVector("x509/root.pem"));
  ASSERT_THAT(anchors, IsOk());
  auto leaf_key =
      crypto::PrivateKeyFromJwk(testing::ReadJsonVector("x509/leaf-key.jwk.json")).value();
  json::Value chain = testing::ReadJsonVector("x509/chain.x5c.json");
  payload_.Set("iss", "https://issuer.trust.example");
  payload_.Set("iat", 1785920400);
  payload_.Set("exp", 1817456400);
  IssueOptions o;
  auto token = IssueSdJwt(payload_, o, leaf_key);
  ASSERT_THAT(token, IsOk());
  // Put the chain in the header: re-sign with x5c.
  json::Value header(json::Object{{"typ", "dc+sd-jwt"}, {"x5c", chain}});
  payload_.Set("_sd_alg", "sha-256");
  std::string jwt = jose::SignCompactJws(header, json::Serialize(payload_), leaf_key).value() + "~";
  EXPECT_EQ(FailedCodes(Verify(jwt)), "sdjwt_vc.no_key_source");
  sources_.anchors = &*anchors;
  auto report = Verify(jwt);
  EXPECT_TRUE(report.verified()) << report.ToText();
  // The same chain for another issuer name is refused.
  payload_.Set("iss", "https://impostor.example");
  std::string impostor =
      jose::SignCompactJws(header, json::Serialize(payload_), leaf_key).value() + "~";
  EXPECT_EQ(FailedCodes(Verify(impostor)), "x5c.name_mismatch");
}

}  // namespace
}  // namespace lanyard::formats::sdjwt
