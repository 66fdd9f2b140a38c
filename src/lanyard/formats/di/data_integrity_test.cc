#include "lanyard/formats/di/data_integrity.h"

#include <gtest/gtest.h>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/did/did_key.h"
#include "lanyard/json/canonical.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::formats::di {
namespace {

using testing::ErrorIs;
using testing::IsOk;
using testing::ReadJsonVector;
using testing::ReadVector;

struct SuiteVectors {
  const char* name;
  Cryptosuite suite;
  const char* dir;       // under tests/vectors
  const char* key_file;  // relative to dir's parent
  const char* secret_member;
  const char* suffix;  // file name suffix of the intermediates
  bool deterministic;  // Ed25519 is; OpenSSL 3.0's ECDSA is not, so verify only
};

const SuiteVectors kSuites[] = {
    {"eddsa", Cryptosuite::kEddsaJcs2022, "w3c-vc-di-eddsa/eddsa-jcs-2022",
     "w3c-vc-di-eddsa/keyPair.json", "privateKeyMultibase", "JCS", true},
    {"ecdsa", Cryptosuite::kEcdsaJcs2019, "w3c-vc-di-ecdsa/ecdsa-jcs-2019-p256",
     "w3c-vc-di-ecdsa/p256KeyPair.json", "secretKeyMultibase", "JCSECDSAP256", false},
};

class W3cVectors : public ::testing::TestWithParam<SuiteVectors> {
 protected:
  std::string File(const std::string& stem, const char* ext = ".txt") {
    return std::string(GetParam().dir) + "/" + stem + GetParam().suffix + ext;
  }
  std::string Unsigned() {
    std::string dir = GetParam().dir;
    return dir.substr(0, dir.find('/')) + "/unsigned.json";
  }
};

TEST_P(W3cVectors, EveryIntermediateStepMatches) {
  const SuiteVectors& v = GetParam();
  json::Value document = ReadJsonVector(Unsigned());
  json::Value proof_config = ReadJsonVector(File("proofConfig", ".json"));

  // 1. Canonical forms.
  std::string canonical_document = json::Canonicalize(document).value();
  std::string canonical_config = json::Canonicalize(proof_config).value();
  EXPECT_EQ(canonical_document, ReadVector(File("canonDoc")));
  EXPECT_EQ(canonical_config, ReadVector(File("proofCanon")));
  // 2. Hashes.
  std::string doc_hash = HexEncode(crypto::Sha256(AsBytes(canonical_document)));
  std::string config_hash = HexEncode(crypto::Sha256(AsBytes(canonical_config)));
  EXPECT_EQ(doc_hash, ReadVector(File("docHash")));
  EXPECT_EQ(config_hash, ReadVector(File("proofHash")));
  // 3. Combined hash: proof configuration first.
  auto hash = HashData(proof_config, document);
  ASSERT_THAT(hash, IsOk());
  EXPECT_EQ(HexEncode(*hash), ReadVector(File("combinedHash")));

  // 4. The proof configuration Lanyard builds for the same options is the vector's.
  json::Value keys = ReadJsonVector(v.key_file);
  auto key = crypto::PrivateKeyFromMultikey(*keys.FindString(v.secret_member));
  ASSERT_THAT(key, IsOk());
  ProofOptions options;
  options.suite = v.suite;
  options.verification_method = *proof_config.FindString("verificationMethod");
  options.created = ParseRfc3339(*proof_config.FindString("created")).value();
  EXPECT_EQ(did::DidKeyMethodId(key->public_key()), options.verification_method);
  auto built = MakeProofConfig(document, options);
  ASSERT_THAT(built, IsOk());
  EXPECT_EQ(json::Canonicalize(*built).value(), canonical_config);

  // 5. Signature and proofValue.
  Bytes expected_signature = HexDecode(ReadVector(File("sigHex"))).value();
  EXPECT_EQ(MultibaseEncode(Multibase::kBase58btc, expected_signature),
            ReadVector(File("sigBTC58")));
  EXPECT_TRUE(key->public_key().Verify(*hash, expected_signature));
  auto signed_doc = AddProof(document, options, *key);
  ASSERT_THAT(signed_doc, IsOk());
  const std::string& proof_value = *signed_doc->Find("proof")->FindString("proofValue");
  if (v.deterministic) {
    EXPECT_EQ(proof_value, ReadVector(File("sigBTC58")));
    EXPECT_EQ(json::Canonicalize(*signed_doc).value(),
              json::Canonicalize(ReadJsonVector(File("signed", ".json"))).value());
  } else {
    EXPECT_TRUE(key->public_key().Verify(*hash, MultibaseDecode(proof_value).value()));
  }
}

TEST_P(W3cVectors, SignedVectorVerifiesAndTamperingIsCaught) {
  auto resolver = did::NewOfflineResolver();
  ProofExpectations expect;
  expect.now = ParseRfc3339("2025-01-01T00:00:00Z").value();
  json::Value signed_doc = ReadJsonVector(File("signed", ".json"));
  verify::VerificationReport report;
  auto proofs = VerifyProofs(signed_doc, *resolver, expect, &report);
  EXPECT_EQ(proofs.size(), 1u) << report.ToText();
  EXPECT_TRUE(report.verified()) << report.ToText();

  json::Value altered = signed_doc;
  altered.Set("name", "Altered Credential");
  verify::VerificationReport altered_report;
  EXPECT_TRUE(VerifyProofs(altered, *resolver, expect, &altered_report).empty());
  EXPECT_TRUE(altered_report.HasFailure("signature.invalid")) << altered_report.ToText();

  json::Value flipped = signed_doc;
  std::string value = *flipped.Find("proof")->FindString("proofValue");
  value[10] = value[10] == 'a' ? 'b' : 'a';
  flipped.Find("proof")->Set("proofValue", value);
  verify::VerificationReport flipped_report;
  EXPECT_TRUE(VerifyProofs(flipped, *resolver, expect, &flipped_report).empty());
  EXPECT_TRUE(flipped_report.HasFailure("signature.invalid")) << flipped_report.ToText();
}

INSTANTIATE_TEST_SUITE_P(Suites, W3cVectors, ::testing::ValuesIn(kSuites),
                         [](const auto& info) { return std::string(info.param.name); });

// A credential signed by a fresh key, for the negative tests below.
class ProofFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    document_ = ReadJsonVector("w3c-vc-di-eddsa/unsigned.json");
    options_.verification_method = did::DidKeyMethodId(ed_.public_key());
    options_.created = ParseRfc3339("2026-08-01T09:00:00Z").value();
    expect_.now = ParseRfc3339("2026-08-05T09:00:00Z").value();
  }

  verify::VerificationReport Verify(const json::Value& doc) {
    verify::VerificationReport report;
    VerifyProofs(doc, *resolver_, expect_, &report);
    return report;
  }

  json::Value Signed() { return AddProof(document_, options_, ed_).value(); }

  crypto::PrivateKey ed_ = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  crypto::PrivateKey p256_ = crypto::PrivateKey::Generate(crypto::KeyType::kP256).value();
  std::unique_ptr<did::Resolver> resolver_ = did::NewOfflineResolver();
  json::Value document_;
  ProofOptions options_;
  ProofExpectations expect_;
};

TEST_F(ProofFixture, ProofSetNeedsEveryProofToVerify) {
  json::Value doc = Signed();
  ProofOptions second = options_;
  second.suite = Cryptosuite::kEcdsaJcs2019;
  second.verification_method = did::DidKeyMethodId(p256_.public_key());
  auto both = AddProof(doc, second, p256_);
  ASSERT_THAT(both, IsOk());
  ASSERT_TRUE(both->Find("proof")->is_array());
  EXPECT_TRUE(Verify(*both).verified()) << Verify(*both).ToText();

  json::Value broken = *both;
  broken.Find("proof")->as_array()[1].Set("proofValue",
                                          "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq");
  auto report = Verify(broken);
  EXPECT_FALSE(report.verified());
  EXPECT_TRUE(report.HasFailure("signature.malformed")) << report.ToText();
  EXPECT_EQ(report.Failures().front().subject, "proof[1]");
}

TEST_F(ProofFixture, ExtendedContextStillVerifiesButAChangedPrefixDoesNot) {
  json::Value doc = Signed();
  doc.Find("@context")->as_array().push_back("https://example.org/extra/v1");
  EXPECT_TRUE(Verify(doc).verified()) << Verify(doc).ToText();
  doc.Find("@context")->as_array()[1] = "https://example.org/other/v1";
  EXPECT_TRUE(Verify(doc).HasFailure("proof.context_mismatch"));
}

TEST_F(ProofFixture, RefusesAWrongProofPurpose) {
  expect_.proof_purpose = "authentication";
  EXPECT_TRUE(Verify(Signed()).HasFailure("proof.purpose_mismatch"));
}

TEST_F(ProofFixture, RefusesAnUnknownCryptosuite) {
  json::Value doc = Signed();
  doc.Find("proof")->Set("cryptosuite", "eddsa-rdfc-2022");
  EXPECT_TRUE(Verify(doc).HasFailure("proof.unknown_cryptosuite"));
}

TEST_F(ProofFixture, RefusesAProofValueThatIsNotBase58btc) {
  json::Value doc = Signed();
  doc.Find("proof")->Set("proofValue", "z0OIl0OIl");
  EXPECT_TRUE(Verify(doc).HasFailure("proof.invalid_encoding"));
  doc.Find("proof")->Set("proofValue", "uAAAA");
  EXPECT_TRUE(Verify(doc).HasFailure("proof.invalid_encoding"));
}

TEST_F(ProofFixture, RefusesTruncatedAndDerEncodedSignatures) {
  json::Value doc = Signed();
  Bytes sig = MultibaseDecode(*doc.Find("proof")->FindString("proofValue")).value();
  sig.pop_back();
  doc.Find("proof")->Set("proofValue", MultibaseEncode(Multibase::kBase58btc, sig));
  EXPECT_TRUE(Verify(doc).HasFailure("signature.malformed"));

  ProofOptions ecdsa = options_;
  ecdsa.suite = Cryptosuite::kEcdsaJcs2019;
  ecdsa.verification_method = did::DidKeyMethodId(p256_.public_key());
  json::Value p = AddProof(document_, ecdsa, p256_).value();
  Bytes raw = MultibaseDecode(*p.Find("proof")->FindString("proofValue")).value();
  Bytes der{0x30, 0x44, 0x02, 0x20};
  der.insert(der.end(), raw.begin(), raw.begin() + 32);
  der.insert(der.end(), {0x02, 0x20});
  der.insert(der.end(), raw.begin() + 32, raw.end());
  p.Find("proof")->Set("proofValue", MultibaseEncode(Multibase::kBase58btc, der));
  auto report = Verify(p);
  EXPECT_TRUE(report.HasFailure("signature.malformed"));
  EXPECT_NE(report.ToText().find("DER"), std::string::npos) << report.ToText();
}

TEST_F(ProofFixture, RefusesAKeyOfTheWrongTypeForTheSuite) {
  json::Value doc = Signed();
  doc.Find("proof")->Set("verificationMethod", did::DidKeyMethodId(p256_.public_key()));
  EXPECT_TRUE(Verify(doc).HasFailure("proof.key_type_mismatch"));
  ProofOptions wrong = options_;
  wrong.suite = Cryptosuite::kEcdsaJcs2019;
  EXPECT_THAT(AddProof(document_, wrong, ed_), ErrorIs("proof.key_type_mismatch"));
}

TEST_F(ProofFixture, RefusesAnUnresolvableVerificationMethod) {
  json::Value doc = Signed();
  doc.Find("proof")->Set("verificationMethod", "https://trust.example/keys/1");
  EXPECT_TRUE(Verify(doc).HasFailure("proof.method_unresolvable"));
  doc.Find("proof")->Set("verificationMethod", "did:key:z6MkBogus#z6MkBogus");
  EXPECT_TRUE(Verify(doc).HasFailure("proof.method_unresolvable"));
}

TEST_F(ProofFixture, RefusesAnExpiredProofAndAMissingOne) {
  options_.expires = ParseRfc3339("2026-08-02T00:00:00Z").value();
  EXPECT_TRUE(Verify(Signed()).HasFailure("proof.expired"));
  EXPECT_TRUE(Verify(document_).HasFailure("proof.missing"));
}

TEST_F(ProofFixture, ChecksChallengeAndDomain) {
  options_.proof_purpose = "authentication";
  options_.challenge = "n-0S6_WzA2Mj";
  options_.domain = "https://trust.example";
  expect_.proof_purpose = "authentication";
  expect_.challenge = "n-0S6_WzA2Mj";
  expect_.domain = "https://trust.example";
  EXPECT_TRUE(Verify(Signed()).verified()) << Verify(Signed()).ToText();
  expect_.challenge = "another";
  EXPECT_TRUE(Verify(Signed()).HasFailure("proof.challenge_mismatch"));
  expect_.challenge = "n-0S6_WzA2Mj";
  expect_.domain = "https://elsewhere.example";
  EXPECT_TRUE(Verify(Signed()).HasFailure("proof.domain_mismatch"));
}

}  // namespace
}  // namespace lanyard::formats::di
