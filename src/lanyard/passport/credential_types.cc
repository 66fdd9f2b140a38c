#include "lanyard/passport/credential_types.h"

#include <array>
#include <span>

#include "lanyard/core/embedded_files.h"

namespace lanyard::passport {

// Written at build time from schemas/ by cmake/embed_files.cmake.
std::span<const EmbeddedFile> EmbeddedSchemaFiles();

namespace {

using trust::OrgKind;

// Every employer kind: the organisations that hold HR records and run pre-employment checks.
#define LANYARD_EMPLOYERS \
  OrgKind::kTrust, OrgKind::kLeadEmployer, OrgKind::kPrimaryCare, OrgKind::kAgency

std::vector<CredentialTypeInfo> MakeTable() {
  // Names, record types, vcts and schema ids are published identifiers: never rename one. A new
  // version of a type gets new ids (v2) beside the old.
  return {
      {CredentialType::kIdentity,
       "identity",
       "Identity",
       "LanyardIdentityCredential",
       "https://lanyard.health/vct/identity/v1",
       "https://lanyard.health/schemas/identity/v1.json",
       {LANYARD_EMPLOYERS},
       ExpiryRule::kDocumentExpiry,
       {"legalFirstName", "legalSurname", "birthDate", "identityDocumentExpiryDate"},
       {"legalFirstName", "middleNames", "legalSurname", "birthDate",
        "identityDocumentExpiryDate"}},
      {CredentialType::kRightToWork,
       "right_to_work",
       "RightToWork",
       "LanyardRightToWorkCredential",
       "https://lanyard.health/vct/right_to_work/v1",
       "https://lanyard.health/schemas/right_to_work/v1.json",
       {LANYARD_EMPLOYERS},
       ExpiryRule::kPermissionExpiry,
       {"legalFirstName", "legalSurname", "birthDate"},
       {"legalFirstName", "middleNames", "legalSurname", "birthDate",
        "identityDocumentExpiryDate"}},
      {CredentialType::kProfessionalRegistration,
       "professional_registration",
       "ProfessionalRegistration",
       "LanyardProfessionalRegistrationCredential",
       "https://lanyard.health/vct/professional_registration/v1",
       "https://lanyard.health/schemas/professional_registration/v1.json",
       {OrgKind::kRegulator, LANYARD_EMPLOYERS},
       ExpiryRule::kRegistrationStatus,
       {"conditions"},
       {"conditions"}},
      {CredentialType::kDbs,
       "dbs",
       "DBSCheckOutcome",
       "LanyardDbsCheckCredential",
       "https://lanyard.health/vct/dbs/v1",
       "https://lanyard.health/schemas/dbs/v1.json",
       {LANYARD_EMPLOYERS},
       ExpiryRule::kNoExpiry,
       // What a new employer needs for an Update Service status check (certificate number,
       // surname, date of birth) and to know whether to ask for the certificate itself.
       {"applicantFirstName", "applicantSurname", "applicantDateOfBirth", "certificateNumber",
        "informationDisclosed"},
       {"applicantFirstName", "applicantMiddleNames", "applicantSurname", "applicantDateOfBirth",
        "certificateNumber", "informationDisclosed", "registeredBodyNumber", "registeredBodyName"}},
      {CredentialType::kOccupationalHealth,
       "occupational_health",
       "OccupationalHealthClearance",
       "LanyardOccupationalHealthClearanceCredential",
       "https://lanyard.health/vct/occupational_health/v1",
       "https://lanyard.health/schemas/occupational_health/v1.json",
       {OrgKind::kOccupationalHealth},
       ExpiryRule::kNoExpiry,
       {"clearanceOutcome", "roleCategory", "eppCleared", "patientContact", "assessmentDate"},
       {"clearanceOutcome", "roleCategory", "eppCleared", "patientContact", "assessmentDate",
        "tbScreened", "tbScreenDate", "immunisations"}},
      {CredentialType::kCoreSkillsTraining,
       "core_skills_training",
       "CoreSkillsTraining",
       "LanyardCoreSkillsTrainingCredential",
       "https://lanyard.health/vct/core_skills_training/v1",
       "https://lanyard.health/schemas/core_skills_training/v1.json",
       {OrgKind::kLearningProvider, LANYARD_EMPLOYERS},
       ExpiryRule::kRefresherPeriod,
       {},
       {}},
      {CredentialType::kCorporateInduction,
       "corporate_induction",
       "CorporateInduction",
       "LanyardCorporateInductionCredential",
       "https://lanyard.health/vct/corporate_induction/v1",
       "https://lanyard.health/schemas/corporate_induction/v1.json",
       {LANYARD_EMPLOYERS},
       ExpiryRule::kNoExpiry,
       {},
       {}},
      {CredentialType::kEmploymentHistory,
       "employment_history",
       "EmploymentHistory",
       "LanyardEmploymentHistoryCredential",
       "https://lanyard.health/vct/employment_history/v1",
       "https://lanyard.health/schemas/employment_history/v1.json",
       {LANYARD_EMPLOYERS},
       ExpiryRule::kNoExpiry,
       {},
       // The pay band says what someone earned: theirs to show when it matters (pay protection).
       {"band"}},
      {CredentialType::kFactualReference,
       "factual_reference",
       "FactualReference",
       "LanyardFactualReferenceCredential",
       "https://lanyard.health/vct/factual_reference/v1",
       "https://lanyard.health/schemas/factual_reference/v1.json",
       {LANYARD_EMPLOYERS},
       ExpiryRule::kNoExpiry,
       {},
       {}},
      {CredentialType::kQualification,
       "qualification",
       "Qualification",
       "LanyardQualificationCredential",
       "https://lanyard.health/vct/qualification/v1",
       "https://lanyard.health/schemas/qualification/v1.json",
       {OrgKind::kLearningProvider, OrgKind::kRegulator},
       ExpiryRule::kNoExpiry,
       {},
       {}},
  };
}

#undef LANYARD_EMPLOYERS

const std::vector<CredentialTypeInfo>& Table() {
  static const std::vector<CredentialTypeInfo> table = MakeTable();
  return table;
}

size_t IndexOf(CredentialType type) { return static_cast<size_t>(type); }

// Each schema is compiled once (patterns included), on first use, by whichever thread asks first.
const std::vector<Result<JsonSchema>>& Schemas() {
  static const std::vector<Result<JsonSchema>> schemas = [] {
    std::vector<Result<JsonSchema>> out;
    for (const auto& info : Table()) {
      std::string_view text = SchemaText(info.type);
      if (text.empty()) {
        out.emplace_back(MakeError(
            Code::kInternal, "schema.unavailable",
            "no schema for " + std::string(info.name) + " was compiled into this program"));
        continue;
      }
      auto loaded = JsonSchema::FromText(text);
      if (!loaded.ok()) {
        out.emplace_back(MakeError(Code::kInternal, "schema.unavailable",
                                   "the schema for " + std::string(info.name) +
                                       " does not load: " + loaded.error().message));
        continue;
      }
      if (loaded->id() != info.schema_id) {
        out.emplace_back(MakeError(Code::kInternal, "schema.unavailable",
                                   "the schema for " + std::string(info.name) + " has $id " +
                                       loaded->id() + ", not " + std::string(info.schema_id)));
        continue;
      }
      out.push_back(std::move(loaded));
    }
    return out;
  }();
  return schemas;
}

}  // namespace

std::span<const CredentialTypeInfo> AllCredentialTypes() { return Table(); }

const CredentialTypeInfo& Info(CredentialType type) { return Table()[IndexOf(type)]; }

const CredentialTypeInfo* FindCredentialType(std::string_view any_name) {
  for (const auto& info : Table()) {
    if (info.name == any_name || info.di_type == any_name || info.vct == any_name ||
        info.schema_id == any_name) {
      return &info;
    }
  }
  return nullptr;
}

std::string_view SchemaText(CredentialType type) {
  std::string wanted = std::string(Info(type).name) + "/v1.json";
  for (const auto& file : EmbeddedSchemaFiles()) {
    if (file.path == wanted) return file.text;
  }
  return {};
}

Result<JsonSchema> CredentialSchema(CredentialType type) { return Schemas()[IndexOf(type)]; }

Status ValidateClaims(CredentialType type, const json::Value& claims) {
  const Result<JsonSchema>& schema = Schemas()[IndexOf(type)];
  if (!schema.ok()) return schema.error();
  return schema->Check(claims);
}

Result<json::Value> PrepareClaims(CredentialType type, json::Value claims) {
  if (!claims.is_object()) {
    return MakeError(Code::kInvalidArgument, "schema.invalid", "(root): must be an object");
  }
  const CredentialTypeInfo& info = Info(type);
  const json::Value* record_type = claims.Find("recordType");
  if (record_type == nullptr) {
    // First, as the DSP writes records.
    claims.as_object().insert(claims.as_object().begin(),
                              json::Member("recordType", std::string(info.record_type)));
  } else if (record_type->is_string() && record_type->as_string() != info.record_type) {
    // Claims of another type: every other field would be reported too, and only this matters.
    std::string message = "recordType: must be \"" + std::string(info.record_type) + "\"";
    for (const auto& other : Table()) {
      if (other.record_type == record_type->as_string()) {
        message += " (these are " + std::string(other.name) + " claims)";
      }
    }
    return MakeError(Code::kInvalidArgument, "schema.invalid", std::move(message));
  }
  LANYARD_TRY(ValidateClaims(type, claims));
  return claims;
}

std::string_view ExpiryRuleName(ExpiryRule rule) {
  switch (rule) {
    case ExpiryRule::kDocumentExpiry:
      return "document_expiry";
    case ExpiryRule::kPermissionExpiry:
      return "permission_expiry";
    case ExpiryRule::kRegistrationStatus:
      return "registration_status";
    case ExpiryRule::kNoExpiry:
      return "no_expiry";
    case ExpiryRule::kRefresherPeriod:
      return "refresher_period";
  }
  return "unknown";
}

}  // namespace lanyard::passport
