#include "lanyard/passport/passport_credential.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/json/canonical.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/report.h"
#include "lanyard/testing/test_data.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::passport {
namespace {

using testing::ErrorIs;
using testing::FailedCodes;
using testing::IsOk;

const TimePoint kNow = ParseRfc3339("2026-04-01T09:30:00.250Z").value();

json::Value Claims(CredentialType type) {
  return testing::ReadJsonExample("claims/" + std::string(Info(type).name) + ".json");
}

json::Value DbsCredential() {
  return MakeDataIntegrityCredential(Info(CredentialType::kDbs), Claims(CredentialType::kDbs),
                                     "did:web:rr8.example", kNow,
                                     ParseRfc3339("2029-04-01T00:00:00Z").value());
}

// "code passed|failed|warning subject" for every schema.* check, one per line.
std::string SchemaChecks(const verify::VerificationReport& report) {
  std::string out;
  for (const auto& c : report.checks()) {
    if (c.code.rfind("schema.", 0) != 0) continue;
    out += c.code +
           (c.warning  ? " warning "
            : c.passed ? " passed "
                       : " failed ") +
           c.subject + "\n";
  }
  return out;
}

TEST(PassportCredential, DataIntegrityCredentialShape) {
  EXPECT_EQ(
      json::Serialize(MakeDataIntegrityCredential(Info(CredentialType::kQualification),
                                                  json::Object{{"recordType", "Qualification"}}, "",
                                                  kNow, std::nullopt)),
      R"({"@context":["https://www.w3.org/ns/credentials/v2"],)"
      R"("type":["VerifiableCredential","LanyardQualificationCredential"],)"
      R"("validFrom":"2026-04-01T09:30:00Z",)"
      R"("credentialSchema":{"id":"https://lanyard.health/schemas/qualification/v1.json","type":"JsonSchema"},)"
      R"("credentialSubject":{"recordType":"Qualification"}})");
  json::Value dbs = DbsCredential();
  EXPECT_EQ(*dbs.FindString("issuer"), "did:web:rr8.example");
  EXPECT_EQ(*dbs.FindString("validUntil"), "2029-04-01T00:00:00Z");
}

TEST(PassportCredential, SdJwtPayloadHasTheClaimsAtTheTop) {
  EXPECT_EQ(json::Serialize(MakeSdJwtVcPayload(
                Info(CredentialType::kQualification), json::Object{{"recordType", "Qualification"}},
                "did:web:x.example", ParseRfc3339("2030-01-01T00:00:00Z").value())),
            R"({"iss":"did:web:x.example","vct":"https://lanyard.health/vct/qualification/v1",)"
            R"("exp":1893456000,"recordType":"Qualification"})");
}

TEST(PassportCredential, DisclosablePathsAreThoseTheClaimsHold) {
  const auto& oh = Info(CredentialType::kOccupationalHealth);
  json::Value claims = Claims(CredentialType::kOccupationalHealth);
  EXPECT_EQ(
      DisclosablePaths(oh, claims),
      (std::vector<std::string>{"clearanceOutcome", "roleCategory", "eppCleared", "patientContact",
                                "assessmentDate", "tbScreened", "tbScreenDate", "immunisations"}));
  claims.Erase("immunisations");
  claims.Erase("tbScreened");
  claims.Erase("tbScreenDate");
  EXPECT_EQ(DisclosablePaths(oh, claims).size(), 5u);
  EXPECT_TRUE(
      DisclosablePaths(Info(CredentialType::kQualification), Claims(CredentialType::kQualification))
          .empty());
}

TEST(PassportCredential, DefaultDisclosuresOfAnOccupationalHealthSdJwt) {
  const auto& oh = Info(CredentialType::kOccupationalHealth);
  json::Value claims = Claims(CredentialType::kOccupationalHealth);
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  formats::sdjwt::VcIssueOptions options;
  options.now = kNow;
  for (const auto& p : DisclosablePaths(oh, claims)) {
    options.disclosable.push_back(formats::sdjwt::ParseClaimPath(p).value());
  }
  auto token = formats::sdjwt::IssueSdJwtVc(
      MakeSdJwtVcPayload(oh, claims, did::DidKeyFromPublicKey(key.public_key()), std::nullopt),
      options, key);
  ASSERT_THAT(token, IsOk());
  auto defaults = DefaultDisclosurePaths(*token);
  ASSERT_THAT(defaults, IsOk());
  std::vector<std::string> sorted = *defaults;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"assessmentDate", "clearanceOutcome", "eppCleared",
                                              "patientContact", "roleCategory"}));
}

TEST(PassportCredential, DefaultDisclosuresRefuseOtherCredentials) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  formats::sdjwt::VcIssueOptions options;
  options.now = kNow;
  auto token = formats::sdjwt::IssueSdJwtVc(
      json::Object{{"vct", "https://example.org/staff"}, {"name", "x"}}, options, key);
  ASSERT_THAT(token, IsOk());
  EXPECT_THAT(DefaultDisclosurePaths(*token), ErrorIs("passport.unknown_type"));
  EXPECT_THAT(DefaultDisclosurePaths("not an sd-jwt"), ErrorIs("sdjwt.malformed"));
}

TEST(PassportCredential, SchemaCheckPassesAValidSubject) {
  verify::VerificationReport report;
  CheckCredentialSchema(DbsCredential(), &report);
  EXPECT_EQ(SchemaChecks(report), "schema.valid passed credentialSchema\n");
}

TEST(PassportCredential, SchemaCheckNamesTheFieldThatIsWrong) {
  json::Value vc = DbsCredential();
  vc.Find("credentialSubject")->Set("typeOfDbsCheck", "Enhanced");
  verify::VerificationReport report;
  CheckCredentialSchema(vc, &report);
  EXPECT_EQ(SchemaChecks(report), "schema.invalid failed credentialSchema\n");
  EXPECT_EQ(report.Failures().front().message,
            "credentialSubject does not match the dbs schema "
            "(https://lanyard.health/schemas/dbs/v1.json): typeOfDbsCheck: must be one of "
            "\"Basic check\", \"Standard check\", \"Enhanced check\", \"Enhanced with barred "
            "list(s) check\".");
}

TEST(PassportCredential, SchemaCheckRefusesAPassportTypeNamingAnothersSchema) {
  json::Value vc = DbsCredential();
  vc.Set("credentialSchema",
         json::Object{{"id", "https://lanyard.health/schemas/qualification/v1.json"},
                      {"type", "JsonSchema"}});
  verify::VerificationReport report;
  CheckCredentialSchema(vc, &report);
  EXPECT_EQ(FailedCodes(report), "schema.invalid");
  EXPECT_NE(report.Failures().front().message.find("LanyardDbsCheckCredential"), std::string::npos);
}

TEST(PassportCredential, AnUnknownSchemaIsAWarning) {
  json::Value vc = DbsCredential();
  vc.Set("credentialSchema",
         json::Array{
             json::Object{{"id", "https://example.org/schemas/staff.json"}, {"type", "JsonSchema"}},
             json::Object{{"id", "https://lanyard.health/schemas/dbs/v1.json"},
                          {"type", "JsonSchemaCredential"}},
             json::Object{{"type", "JsonSchema"}},
             json::Object{{"id", "https://lanyard.health/schemas/dbs/v1.json"},
                          {"type", "JsonSchema"}},
         });
  verify::VerificationReport report;
  CheckCredentialSchema(vc, &report);
  EXPECT_EQ(SchemaChecks(report),
            "schema.unknown warning credentialSchema[0]\n"
            "schema.unknown warning credentialSchema[1]\n"
            "schema.unknown warning credentialSchema[2]\n"
            "schema.valid passed credentialSchema[3]\n");
  EXPECT_TRUE(report.verified());
}

TEST(PassportCredential, NoSchemaNoCheck) {
  json::Value vc = DbsCredential();
  vc.Erase("credentialSchema");
  verify::VerificationReport report;
  CheckCredentialSchema(vc, &report);
  EXPECT_TRUE(report.checks().empty());
}

TEST(PassportCredential, TheVerifierChecksTheSchemaOfASignedCredential) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  std::string did = did::DidKeyFromPublicKey(key.public_key());
  json::Value vc = MakeDataIntegrityCredential(
      Info(CredentialType::kDbs), Claims(CredentialType::kDbs), did, kNow, std::nullopt);
  vc.Find("credentialSubject")->Set("certificateNumber", "1234");
  formats::di::ProofOptions proof;
  proof.verification_method = did::DidKeyMethodId(key.public_key());
  proof.created = kNow;
  auto resolver = did::NewOfflineResolver();
  verify::VerifyOptions options;
  options.now = kNow + std::chrono::hours(1);
  auto report =
      verify::VerifyCredential(formats::di::AddProof(vc, proof, key).value(), *resolver, options);
  EXPECT_EQ(FailedCodes(report), "schema.invalid");
  EXPECT_NE(report.Failures().front().message.find("certificateNumber: must match the pattern"),
            std::string::npos);
}

}  // namespace
}  // namespace lanyard::passport
