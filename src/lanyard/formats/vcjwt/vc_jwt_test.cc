#include "lanyard/formats/vcjwt/vc_jwt.h"

#include <gtest/gtest.h>

#include "lanyard/core/encoding.h"
#include "lanyard/did/did_key.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/testing/report.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::formats::vcjwt {
namespace {

using testing::FailedCodes;

// A VC-JWT 1.1 as an Entra-style issuer writes it, signed with any key type (ES256K included,
// which Lanyard's own signing API refuses).
std::string MakeToken(const crypto::PrivateKey& key, const char* alg, json::Value claims,
                      std::string kid = "") {
  std::string did = did::DidKeyFromPublicKey(key.public_key());
  if (kid.empty()) kid = did::DidKeyMethodId(key.public_key());
  json::Value header(json::Object{{"alg", alg}, {"typ", "JWT"}, {"kid", kid}});
  std::string input = Base64UrlEncode(AsBytes(json::Serialize(header))) + "." +
                      Base64UrlEncode(AsBytes(json::Serialize(claims)));
  return input + "." + Base64UrlEncode(key.Sign(AsBytes(input)).value());
}

json::Value Claims(const crypto::PrivateKey& key) {
  std::string did = did::DidKeyFromPublicKey(key.public_key());
  return json::Parse(R"({
    "iss": ")" + did +
                     R"(", "sub": "did:example:nurse-4711", "nbf": 1767225600,
    "exp": 1798761600, "jti": "urn:uuid:0b6e8a52-1f3c-4f3e-9a52-6c0d5e8f7a21",
    "vc": {
      "@context": ["https://www.w3.org/2018/credentials/v1"],
      "type": ["VerifiableCredential", "VerifiedEmployee"],
      "credentialSubject": {"id": "did:example:nurse-4711", "jobTitle": "Staff Nurse"},
      "credentialStatus": {"id": "https://status.example/1#94567", "type": "StatusList2021Entry",
        "statusPurpose": "revocation", "statusListIndex": "94567",
        "statusListCredential": "https://status.example/1"}
    }})")
      .value();
}

class VcJwtTest : public ::testing::Test {
 protected:
  verify::VerificationReport Verify(const std::string& token) {
    verify::VerificationReport report;
    VerifyVcJwt(token, *resolver_, options_, &report);
    return report;
  }
  std::unique_ptr<did::Resolver> resolver_ = did::NewOfflineResolver();
  VerifyOptions options_{FromUnixSeconds(1785920400)};
  SimulatedClock clock_{FromUnixSeconds(1785920400)};
};

TEST_F(VcJwtTest, VerifiesEveryAlgorithmIncludingEs256k) {
  for (auto [type, alg] :
       {std::pair{crypto::KeyType::kEd25519, "EdDSA"}, std::pair{crypto::KeyType::kP256, "ES256"},
        std::pair{crypto::KeyType::kSecp256k1, "ES256K"}}) {
    auto key = crypto::PrivateKey::Generate(type).value();
    auto report = Verify(MakeToken(key, alg, Claims(key)));
    EXPECT_TRUE(report.verified()) << alg << "\n" << report.ToText();
    // The status entry is the pipeline's to check (verify/status_check.h), not the format's.
    EXPECT_EQ(report.ToText().find("status."), std::string::npos);
  }
}

TEST_F(VcJwtTest, ThePipelineChecksTheStatusEntryAndFailsClosed) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  verify::VerifyOptions pipeline;
  pipeline.now = options_.now;
  // A StatusList2021 list is not read: unknown status is not "cleared".
  EXPECT_EQ(FailedCodes(verify::VerifyDocumentText(MakeToken(key, "EdDSA", Claims(key)),
                                                   *resolver_, pipeline)),
            "status.unavailable");
  json::Value bad_status = Claims(key);
  bad_status.Find("vc")->Find("credentialStatus")->Set("type", "BitstringStatusListEntry");
  bad_status.Find("vc")->Find("credentialStatus")->Set("statusListIndex", "-1");
  verify::StatusChecker offline(*resolver_, clock_, {});
  pipeline.status = &offline;
  EXPECT_EQ(FailedCodes(verify::VerifyDocumentText(MakeToken(key, "EdDSA", bad_status),
                                                   *resolver_, pipeline)),
            "status.malformed");
}

TEST_F(VcJwtTest, RefusesTamperingWrongKeysAndWrongClaims) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kSecp256k1).value();
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kSecp256k1).value();
  std::string token = MakeToken(key, "ES256K", Claims(key));
  std::string tampered = token;
  char& c = tampered[tampered.size() - 10];  // inside the signature
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(FailedCodes(Verify(tampered)), "signature.invalid");
  // Signed by another key that claims to be the issuer's.
  EXPECT_EQ(FailedCodes(Verify(
                MakeToken(other, "ES256K", Claims(key), did::DidKeyMethodId(key.public_key())))),
            "signature.invalid");
  // A kid of another DID than iss.
  EXPECT_EQ(FailedCodes(Verify(MakeToken(key, "ES256K", Claims(other)))),
            "vcjwt.kid_not_of_issuer");
  EXPECT_EQ(FailedCodes(Verify(MakeToken(key, "ES256", Claims(key)))), "jws.key_alg_mismatch");
  json::Value wrong_sub = Claims(key);
  wrong_sub.Set("sub", "did:example:someone-else");
  EXPECT_EQ(FailedCodes(Verify(MakeToken(key, "ES256K", wrong_sub))), "vcjwt.claim_mismatch");
  json::Value v2 = Claims(key);
  v2.Find("vc")->Set("@context", json::Array{"https://www.w3.org/ns/credentials/v2"});
  EXPECT_EQ(FailedCodes(Verify(MakeToken(key, "ES256K", v2))), "context.invalid");
  options_.now = FromUnixSeconds(1798761600 + 3600);
  EXPECT_EQ(FailedCodes(Verify(token)), "jwt.expired");
}

TEST_F(VcJwtTest, ChecksTheCredentialsOwnDatesToo) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256).value();
  json::Value claims = Claims(key);
  claims.Erase("exp");
  claims.Find("vc")->Set("expirationDate", "2026-01-01T00:00:00Z");
  EXPECT_EQ(FailedCodes(Verify(MakeToken(key, "ES256", claims))), "validity.expired");
  claims.Find("vc")->Set("expirationDate", "2030-01-01T00:00:00Z");
  claims.Find("vc")->Set("issuanceDate", "2029-01-01T00:00:00Z");
  EXPECT_EQ(FailedCodes(Verify(MakeToken(key, "ES256", claims))), "validity.not_yet_valid");
}

TEST_F(VcJwtTest, RefusesUnsignedAndSymmetricTokens) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256).value();
  std::string token = MakeToken(key, "ES256", Claims(key));
  std::string payload = token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  EXPECT_EQ(
      FailedCodes(Verify(Base64UrlEncode(AsBytes(R"({"alg":"none"})")) + "." + payload + ".")),
      "jws.alg_none");
  EXPECT_EQ(
      FailedCodes(Verify(Base64UrlEncode(AsBytes(R"({"alg":"HS256"})")) + "." + payload + ".AAAA")),
      "jws.alg_symmetric");
}

}  // namespace
}  // namespace lanyard::formats::vcjwt
