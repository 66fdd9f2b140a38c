#include "lanyard/passport/credential_types.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "lanyard/json/parser.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::passport {
namespace {

using testing::ErrorIs;
using testing::IsOk;
using trust::OrgKind;

json::Value Example(const CredentialTypeInfo& info) {
  return testing::ReadJsonExample("claims/" + std::string(info.name) + ".json");
}

json::Value SchemaJson(CredentialType type) {
  auto parsed = json::Parse(SchemaText(type));
  EXPECT_THAT(parsed, IsOk());
  return parsed.ok() ? std::move(parsed).value() : json::Value();
}

std::vector<std::string> Strings(const json::Value* list) {
  std::vector<std::string> out;
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& v : list->as_array()) out.push_back(v.is_string() ? v.as_string() : "?");
  return out;
}

// The ValidateClaims message for `claims`, or "valid".
std::string Refusal(CredentialType type, const json::Value& claims) {
  Status s = ValidateClaims(type, claims);
  if (s.ok()) return "valid";
  EXPECT_EQ(s.error().reason, "schema.invalid");
  return s.error().message;
}

TEST(CredentialTypes, TheTableHasTenTypesInEnumOrderWithOurIdentifiers) {
  std::vector<std::string> names;
  for (const auto& info : AllCredentialTypes()) {
    names.emplace_back(info.name);
    EXPECT_EQ(&Info(info.type), &info);
    EXPECT_EQ(info.vct, "https://lanyard.health/vct/" + std::string(info.name) + "/v1");
    EXPECT_EQ(info.schema_id,
              "https://lanyard.health/schemas/" + std::string(info.name) + "/v1.json");
    EXPECT_EQ(info.di_type.substr(0, 7), "Lanyard");
    EXPECT_EQ(info.di_type.substr(info.di_type.size() - 10), "Credential");
    EXPECT_FALSE(info.issuer_kinds.empty()) << info.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "identity", "right_to_work", "professional_registration", "dbs",
                       "occupational_health", "core_skills_training", "corporate_induction",
                       "employment_history", "factual_reference", "qualification"}));
  EXPECT_EQ(Info(CredentialType::kDbs).di_type, "LanyardDbsCheckCredential");
  EXPECT_EQ(Info(CredentialType::kDbs).record_type, "DBSCheckOutcome");
  EXPECT_EQ(Info(CredentialType::kOccupationalHealth).record_type, "OccupationalHealthClearance");
}

TEST(CredentialTypes, FindsATypeByAnyOfItsNames) {
  for (const auto& info : AllCredentialTypes()) {
    EXPECT_EQ(FindCredentialType(info.name), &info);
    EXPECT_EQ(FindCredentialType(info.di_type), &info);
    EXPECT_EQ(FindCredentialType(info.vct), &info);
    EXPECT_EQ(FindCredentialType(info.schema_id), &info);
  }
  EXPECT_EQ(FindCredentialType("DBS"), nullptr);
  EXPECT_EQ(FindCredentialType(""), nullptr);
  EXPECT_EQ(FindCredentialType("https://lanyard.health/schemas/dbs/v2.json"), nullptr);
}

TEST(CredentialTypes, IssuerKindsFollowWhoIssuesWhat) {
  const std::vector<OrgKind> employers = {OrgKind::kTrust, OrgKind::kLeadEmployer,
                                          OrgKind::kPrimaryCare, OrgKind::kAgency};
  auto kinds = [](CredentialType t) {
    auto k = Info(t).issuer_kinds;
    std::sort(k.begin(), k.end());
    return k;
  };
  auto sorted = [](std::vector<OrgKind> k) {
    std::sort(k.begin(), k.end());
    return k;
  };
  for (CredentialType t : {CredentialType::kIdentity, CredentialType::kRightToWork,
                           CredentialType::kEmploymentHistory, CredentialType::kFactualReference,
                           CredentialType::kCorporateInduction, CredentialType::kDbs}) {
    EXPECT_EQ(kinds(t), sorted(employers)) << Info(t).name;
  }
  auto with = [&](OrgKind extra) {
    auto k = employers;
    k.push_back(extra);
    return sorted(k);
  };
  EXPECT_EQ(kinds(CredentialType::kProfessionalRegistration), with(OrgKind::kRegulator));
  EXPECT_EQ(kinds(CredentialType::kCoreSkillsTraining), with(OrgKind::kLearningProvider));
  // Only the occupational health service, never HR.
  EXPECT_EQ(kinds(CredentialType::kOccupationalHealth),
            std::vector<OrgKind>{OrgKind::kOccupationalHealth});
  EXPECT_EQ(kinds(CredentialType::kQualification),
            sorted({OrgKind::kLearningProvider, OrgKind::kRegulator}));
}

TEST(CredentialTypes, ExpiryRules) {
  std::map<std::string, std::string> rules;
  for (const auto& info : AllCredentialTypes()) {
    rules[std::string(info.name)] = std::string(ExpiryRuleName(info.expiry));
  }
  EXPECT_EQ(rules, (std::map<std::string, std::string>{
                       {"identity", "document_expiry"},
                       {"right_to_work", "permission_expiry"},
                       {"professional_registration", "registration_status"},
                       {"dbs", "no_expiry"},
                       {"occupational_health", "no_expiry"},
                       {"core_skills_training", "refresher_period"},
                       {"corporate_induction", "no_expiry"},
                       {"employment_history", "no_expiry"},
                       {"factual_reference", "no_expiry"},
                       {"qualification", "no_expiry"}}));
}

TEST(CredentialTypes, OccupationalHealthDisclosesTheOutcomeByDefaultAndNeverImmunisations) {
  const auto& oh = Info(CredentialType::kOccupationalHealth);
  EXPECT_EQ(std::vector<std::string>(oh.default_disclosures.begin(), oh.default_disclosures.end()),
            (std::vector<std::string>{"clearanceOutcome", "roleCategory", "eppCleared",
                                      "patientContact", "assessmentDate"}));
  auto& sd = oh.selectively_disclosable;
  EXPECT_NE(std::find(sd.begin(), sd.end(), "immunisations"), sd.end());
  const auto& id = Info(CredentialType::kIdentity);
  for (std::string_view name : {"legalFirstName", "legalSurname", "birthDate"}) {
    EXPECT_NE(std::find(id.selectively_disclosable.begin(), id.selectively_disclosable.end(), name),
              id.selectively_disclosable.end());
  }
}

TEST(CredentialTypes, DisclosurePathsAreClaimsOfTheSchemaAndDefaultsAreDisclosable) {
  for (const auto& info : AllCredentialTypes()) {
    json::Value schema = SchemaJson(info.type);
    const json::Value* properties = schema.Find("properties");
    ASSERT_NE(properties, nullptr) << info.name;
    for (std::string_view path : info.selectively_disclosable) {
      EXPECT_NE(properties->Find(path), nullptr) << info.name << " " << path;
      EXPECT_NE(path, "recordType");
      EXPECT_NE(path, "id");
    }
    for (std::string_view path : info.default_disclosures) {
      EXPECT_NE(
          std::find(info.selectively_disclosable.begin(), info.selectively_disclosable.end(), path),
          info.selectively_disclosable.end())
          << info.name << " " << path;
    }
  }
}

TEST(CredentialTypes, EverySchemaLoadsWithItsIdTitleAndRecordType) {
  for (const auto& info : AllCredentialTypes()) {
    ASSERT_FALSE(SchemaText(info.type).empty()) << info.name;
    auto schema = CredentialSchema(info.type);
    ASSERT_THAT(schema, IsOk()) << info.name;
    EXPECT_EQ(schema->id(), info.schema_id);
    EXPECT_FALSE(schema->title().empty());
    json::Value doc = SchemaJson(info.type);
    EXPECT_NE(doc.FindString("description"), nullptr) << info.name;
    EXPECT_EQ(*doc.FindString("$schema"), kJsonSchemaDraft);
    const json::Value* record = doc.Find("properties")->Find("recordType");
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(*record->FindString("const"), info.record_type);
    EXPECT_NE(doc.Find("properties")->Find("id"), nullptr) << info.name;
    EXPECT_EQ(*doc.Find("additionalProperties"), json::Value(false)) << info.name;
  }
}

// The claim names credential_types.h documents, each type's required ones marked by '!'.
TEST(CredentialTypes, SchemasHaveExactlyTheClaimsTheContractDocuments) {
  std::map<std::string, std::vector<std::string>> documented = {
      {"identity",
       {"id", "!recordType", "!legalFirstName", "middleNames", "!legalSurname", "!birthDate",
        "!identityVerified", "!verificationRoute", "evidenceCheckedBy", "!dateOfIdCheck",
        "GPG45profile", "identityDocumentExpiryDate"}},
      {"right_to_work",
       {"id", "!recordType", "!legalFirstName", "middleNames", "!legalSurname", "!birthDate",
        "identityDocumentExpiryDate", "!identityVerified", "evidenceCheckedBy", "!dateOfIdCheck",
        "GPG45profile", "!checkMethod", "!permissionType", "permissionExpiryDate", "followUpDate",
        "restrictions"}},
      {"professional_registration",
       {"id", "!recordType", "!professionalBody", "!registrationNumber", "!registrationStatus",
        "registrationDate", "expiryDate", "revalidationDate", "registrationCheckDate",
        "conditions"}},
      {"dbs",
       {"id", "!recordType", "!applicantFirstName", "!applicantMiddleNames", "!applicantSurname",
        "!applicantDateOfBirth", "!typeOfDbsCheck", "!adultsBarredListChecked",
        "!childrensBarredListChecked", "!certificateNumber", "!disclosureIssueDate",
        "!informationDisclosed", "workforceType", "!registeredBodyNumber", "!registeredBodyName",
        "!updateServiceSubscribed", "originalCertificateSeen", "lastStatusCheckDate",
        "lastStatusCheckResult"}},
      {"occupational_health",
       {"id", "!recordType", "!clearanceOutcome", "!roleCategory", "!eppCleared", "!patientContact",
        "!assessmentDate", "tbScreened", "tbScreenDate", "immunisations"}},
      // subject is required for CSTF training only (the schema's if/then).
      {"core_skills_training",
       {"id", "!recordType", "!competencyFramework", "!subjectName", "!competencyName",
        "!subjectLevel", "renewalPeriodNumber", "renewalPeriodUnits", "proficiencyLevel",
        "!attainmentStatus", "learningMethod", "!awardingOrganisation", "!dateLastAwarded",
        "dateTo", "subject"}},
      {"corporate_induction",
       {"id", "!recordType", "!organisation", "!completedDate", "!elements"}},
      {"employment_history",
       {"id", "!recordType", "!employerOds", "!employerName", "!role", "!staffGroup", "band",
        "!startDate", "endDate", "!contractType"}},
      {"factual_reference",
       {"id", "!recordType", "!refereeOds", "!employmentStartDate", "employmentEndDate", "!role",
        "!issuedDate"}},
      {"qualification",
       {"id", "!recordType", "!qualificationName", "!awardingBody", "!awardDate", "level"}},
  };
  for (const auto& info : AllCredentialTypes()) {
    json::Value doc = SchemaJson(info.type);
    std::set<std::string> properties, required, want_properties, want_required;
    for (const auto& [name, _] : doc.Find("properties")->as_object()) properties.insert(name);
    for (const auto& name : Strings(doc.Find("required"))) required.insert(name);
    for (const auto& name : documented[std::string(info.name)]) {
      bool req = name[0] == '!';
      want_properties.insert(req ? name.substr(1) : name);
      if (req) want_required.insert(name.substr(1));
    }
    EXPECT_EQ(properties, want_properties) << info.name;
    EXPECT_EQ(required, want_required) << info.name;
  }
}

TEST(CredentialTypes, EachExampleIsValid) {
  for (const auto& info : AllCredentialTypes()) {
    json::Value claims = Example(info);
    EXPECT_EQ(Refusal(info.type, claims), "valid") << info.name;
    // With a holder DID as a DI credentialSubject has it.
    claims.Set("id", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    EXPECT_EQ(Refusal(info.type, claims), "valid") << info.name;
  }
}

struct Breakage {
  CredentialType type;
  std::function<void(json::Value*)> edit;
  std::string refusal;
};

TEST(CredentialTypes, EachSchemaRefusesABrokenExampleNamingTheField) {
  std::vector<Breakage> cases = {
      {CredentialType::kIdentity, [](json::Value* c) { c->Set("birthDate", "1988-02-30"); },
       "birthDate: must be a date written YYYY-MM-DD, and a day that exists"},
      {CredentialType::kIdentity, [](json::Value* c) { c->Erase("evidenceCheckedBy"); },
       R"((root): missing required property "evidenceCheckedBy" (an IDSP check names the provider))"},
      {CredentialType::kIdentity, [](json::Value* c) { c->Set("identityVerified", false); },
       "identityVerified: must be true"},
      {CredentialType::kRightToWork, [](json::Value* c) { c->Erase("permissionExpiryDate"); },
       R"((root): missing required property "permissionExpiryDate" (time-limited permission has an expiry date))"},
      {CredentialType::kRightToWork,
       [](json::Value* c) { c->Set("evidenceCheckedBy", "Post Office"); },
       R"(evidenceCheckedBy: must be one of "Yoti Ltd", "Digidentity B.V.")"},
      {CredentialType::kProfessionalRegistration,
       [](json::Value* c) { c->Set("professionalBody", "NMC"); },
       R"(professionalBody: must be one of "General Medical Council", "General Dental Council", "General Pharmaceutical Council", "Health and Care Professions Council", "Nursing and Midwifery Council")"},
      {CredentialType::kProfessionalRegistration,
       [](json::Value* c) { c->Set("registrationStatus", "registered_with_conditions"); },
       R"((root): missing required property "conditions" (a registration with conditions lists them))"},
      {CredentialType::kProfessionalRegistration,
       [](json::Value* c) { c->Set("registrationNumber", 7123456.5); },
       "registrationNumber: must be a string or an integer, not a number with a fraction"},
      {CredentialType::kDbs, [](json::Value* c) { c->Set("typeOfDbsCheck", "Enhanced"); },
       R"(typeOfDbsCheck: must be one of "Basic check", "Standard check", "Enhanced check", "Enhanced with barred list(s) check")"},
      {CredentialType::kDbs, [](json::Value* c) { c->Set("certificateNumber", "12345"); },
       R"(certificateNumber: must match the pattern ^\d{12}$)"},
      {CredentialType::kDbs, [](json::Value* c) { c->Set("registeredBodyNumber", "2001234567X"); },
       R"(registeredBodyNumber: must match the pattern ^\d{11}$)"},
      {CredentialType::kDbs, [](json::Value* c) { c->Set("workforceType", "Other"); },
       R"(workforceType: must be one of "Child", "Adult", "Child and Adult")"},
      {CredentialType::kDbs, [](json::Value* c) { c->Erase("applicantDateOfBirth"); },
       R"((root): missing required property "applicantDateOfBirth")"},
      {CredentialType::kOccupationalHealth, [](json::Value* c) { c->Set("eppCleared", "false"); },
       "eppCleared: must be a boolean (true or false without quotes), not a string"},
      {CredentialType::kOccupationalHealth,
       [](json::Value* c) {
         c->Find("immunisations")->as_array()[1].Set("interpretation", "Not Detected");
       },
       R"(immunisations[1].interpretation: must be one of "Detected", "Not detected", "Equivocal")"},
      {CredentialType::kOccupationalHealth,
       [](json::Value* c) { c->Find("immunisations")->as_array()[0].Set("date", "2019-13"); },
       R"(immunisations[0].date: must match the pattern ^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$)"},
      {CredentialType::kOccupationalHealth, [](json::Value* c) { c->Erase("tbScreenDate"); },
       R"((root): missing required property "tbScreenDate" (a tuberculosis screening has a date))"},
      {CredentialType::kCoreSkillsTraining,
       [](json::Value* c) { c->Set("attainmentStatus", "PASSED"); },
       R"(attainmentStatus: must be one of "ACHIEVED")"},
      {CredentialType::kCoreSkillsTraining, [](json::Value* c) { c->Erase("subject"); },
       R"((root): missing required property "subject" (CSTF training names its subject))"},
      {CredentialType::kCoreSkillsTraining, [](json::Value* c) { c->Set("subjectLevel", 2); },
       "subjectLevel: must be a string, not a number"},
      {CredentialType::kCorporateInduction, [](json::Value* c) { c->Set("organisation", "rgt"); },
       R"(organisation: must match the pattern ^[A-Z0-9]{3,6}$)"},
      {CredentialType::kCorporateInduction,
       [](json::Value* c) { c->Set("elements", json::Array{}); }, "elements: must not be empty"},
      {CredentialType::kEmploymentHistory,
       [](json::Value* c) { c->Set("contractType", "zero_hours"); },
       R"(contractType: must be one of "permanent", "fixed_term", "bank", "agency", "honorary")"},
      {CredentialType::kEmploymentHistory, [](json::Value* c) { c->Set("band", "Band 5"); },
       R"(band: must be one of "1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")"},
      {CredentialType::kFactualReference, [](json::Value* c) { c->Erase("issuedDate"); },
       R"((root): missing required property "issuedDate")"},
      {CredentialType::kFactualReference, [](json::Value* c) { c->Set("referee", "RR8"); },
       "referee: unknown property (not part of this record)"},
      {CredentialType::kQualification, [](json::Value* c) { c->Set("level", 9); },
       "level: must be at most 8"},
  };
  for (const auto& b : cases) {
    json::Value claims = Example(Info(b.type));
    b.edit(&claims);
    EXPECT_EQ(Refusal(b.type, claims), b.refusal) << Info(b.type).name;
  }
}

TEST(CredentialTypes, ConditionalRulesAcceptTheOtherBranch) {
  json::Value mand = Example(Info(CredentialType::kCoreSkillsTraining));
  mand.Set("competencyFramework", "MAND");
  mand.Set("subjectName", "Oliver McGowan Mandatory Training on Learning Disability and Autism");
  mand.Erase("subject");
  EXPECT_EQ(Refusal(CredentialType::kCoreSkillsTraining, mand), "valid");
  json::Value unlimited = Example(Info(CredentialType::kRightToWork));
  unlimited.Set("permissionType", "unlimited");
  unlimited.Erase("permissionExpiryDate");
  EXPECT_EQ(Refusal(CredentialType::kRightToWork, unlimited), "valid");
  json::Value gmc = Example(Info(CredentialType::kProfessionalRegistration));
  gmc.Set("professionalBody", "General Medical Council");
  gmc.Set("registrationNumber", 7123456);  // a number, as the DSP sends it
  EXPECT_EQ(Refusal(CredentialType::kProfessionalRegistration, gmc), "valid");
  json::Value in_person = Example(Info(CredentialType::kIdentity));
  in_person.Set("verificationRoute", "in_person");
  in_person.Erase("evidenceCheckedBy");
  in_person.Erase("GPG45profile");
  EXPECT_EQ(Refusal(CredentialType::kIdentity, in_person), "valid");
}

TEST(CredentialTypes, PrepareClaimsFillsInTheRecordType) {
  json::Value claims = Example(Info(CredentialType::kDbs));
  claims.Erase("recordType");
  auto prepared = PrepareClaims(CredentialType::kDbs, claims);
  ASSERT_THAT(prepared, IsOk());
  EXPECT_EQ(prepared->as_object().front().first, "recordType");
  EXPECT_EQ(*prepared->FindString("recordType"), "DBSCheckOutcome");
  EXPECT_THAT(ValidateClaims(CredentialType::kDbs, claims), ErrorIs("schema.invalid"));
}

TEST(CredentialTypes, PrepareClaimsRefusesAnotherTypesClaimsByTheirRecordType) {
  auto prepared =
      PrepareClaims(CredentialType::kQualification, Example(Info(CredentialType::kDbs)));
  ASSERT_THAT(prepared, ErrorIs("schema.invalid"));
  EXPECT_EQ(prepared.error().message,
            R"(recordType: must be "Qualification" (these are dbs claims))");
  json::Value odd = Example(Info(CredentialType::kQualification));
  odd.Set("recordType", "Diploma");
  prepared = PrepareClaims(CredentialType::kQualification, odd);
  ASSERT_THAT(prepared, ErrorIs("schema.invalid"));
  EXPECT_EQ(prepared.error().message, R"(recordType: must be "Qualification")");
  EXPECT_THAT(PrepareClaims(CredentialType::kQualification, json::Value("x")),
              ErrorIs("schema.invalid"));
}

}  // namespace
}  // namespace lanyard::passport
