// The passport's credential types: what each NHS pre-employment check looks like as a credential.
//
// Each type has a versioned JSON Schema (schemas/<name>/v1.json, compiled into the binary), an
// SD-JWT VC `vct` and a Data Integrity type in Lanyard's own namespace, the kinds of organisation
// authorised to issue it, its expiry rule and its default disclosure set. Where the retired NHS
// Digital Staff Passport API standard covers a record, its field names and enums are reused as
// they were (recordType discriminator included), so workforce systems built to it map onto
// Lanyard without translation tables.
//
// Claims (credentialSubject for Data Integrity, top-level claims for SD-JWT VC); every type also
// has `id` (the holder's DID) and `recordType`:
//   identity              recordType "Identity"; legalFirstName, middleNames?, legalSurname,
//                         birthDate, identityVerified, verificationRoute ("in_person" | "idsp"),
//                         evidenceCheckedBy?, dateOfIdCheck, GPG45profile?,
//                         identityDocumentExpiryDate?
//   right_to_work         recordType "RightToWork"; the DSP fields (legalFirstName, middleNames?,
//                         legalSurname, birthDate, identityDocumentExpiryDate?, identityVerified,
//                         evidenceCheckedBy?, dateOfIdCheck, GPG45profile?) plus checkMethod
//                         ("manual_document" | "home_office_online" | "idsp"), permissionType
//                         ("unlimited" | "time_limited"), permissionExpiryDate?, followUpDate?,
//                         restrictions? (e.g. ["student_term_time_20h"])
//   professional_registration recordType "ProfessionalRegistration"; professionalBody (the DSP
//                         enum plus "Nursing and Midwifery Council"), registrationNumber (string or
//                         number), registrationStatus ("registered" | "registered_with_conditions"
//                         | "suspended" | "lapsed" | "removed"), registrationDate?, expiryDate?,
//                         revalidationDate?, registrationCheckDate?, conditions?
//   dbs                   recordType "DBSCheckOutcome"; the DSP fields (applicantFirstName,
//                         applicantMiddleNames, applicantSurname, applicantDateOfBirth,
//                         typeOfDbsCheck, adultsBarredListChecked, childrensBarredListChecked,
//                         certificateNumber, disclosureIssueDate, informationDisclosed,
//                         workforceType?, registeredBodyNumber, registeredBodyName) plus
//                         updateServiceSubscribed, originalCertificateSeen?, lastStatusCheckDate?,
//                         lastStatusCheckResult? (NO_MATCH_FOUND | BLANK_NO_NEW_INFO |
//                         NON_BLANK_NO_NEW_INFO | NEW_INFO)
//   occupational_health   recordType "OccupationalHealthClearance"; clearanceOutcome ("cleared" |
//                         "cleared_with_restrictions" | "not_cleared"), roleCategory, eppCleared,
//                         patientContact, assessmentDate, tbScreened?, tbScreenDate?,
//                         immunisations? (array of DSP Vaccination / ClinicalTest / Observation
//                         records; selectively disclosable, never disclosed by default)
//   core_skills_training  recordType "CoreSkillsTraining"; the DSP fields (competencyFramework,
//                         subjectName, competencyName, subjectLevel, renewalPeriodNumber?,
//                         renewalPeriodUnits?, proficiencyLevel?, attainmentStatus, learningMethod?,
//                         awardingOrganisation, dateLastAwarded, dateTo?) plus subject (one of the
//                         eleven subject keys, e.g. "resuscitation"; required for CSTF training,
//                         optional for MAND, whose subjects lie outside the eleven)
//   corporate_induction   recordType "CorporateInduction"; organisation (ODS), completedDate,
//                         elements (e.g. ["values", "policies", "statutory_mandatory", "it_security"])
//   employment_history    recordType "EmploymentHistory"; employerOds, employerName, role,
//                         staffGroup, band?, startDate, endDate?, contractType
//   factual_reference     recordType "FactualReference"; refereeOds, employmentStartDate,
//                         employmentEndDate?, role, issuedDate
//   qualification         recordType "Qualification"; qualificationName, awardingBody, awardDate,
//                         level?
// Dates are "YYYY-MM-DD". Booleans are JSON booleans (the DSP examples' "true"/"false" strings
// are refused by the schema with the field named). The schemas add the constraints a field's
// meaning implies (e.g. permissionExpiryDate is required for time-limited permission); see
// docs/credential-types.md for each type.
//
// SD-JWT disclosure: `selectively_disclosable` lists every claim issued as a disclosure (the
// holder may withhold it); every other claim (recordType, id, and the fields a receiving
// employer must always see) is plain. `default_disclosures` is the part of that list a
// holder's presentation reveals when the holder names nothing (`lanyard passport present`). For
// occupational health that is the clearance outcome; immunisations are disclosable but never by
// default.
//
// Thread-safety: immutable tables.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/json/value.h"
#include "lanyard/passport/json_schema.h"
#include "lanyard/trust/trust_registry.h"

namespace lanyard::passport {

enum class CredentialType {
  kIdentity,
  kRightToWork,
  kProfessionalRegistration,
  kDbs,
  kOccupationalHealth,
  kCoreSkillsTraining,
  kCorporateInduction,
  kEmploymentHistory,
  kFactualReference,
  kQualification,
};

// When a credential of the type stops being usable, beyond its own validUntil / exp.
enum class ExpiryRule {
  kDocumentExpiry,      // identity: identityDocumentExpiryDate
  kPermissionExpiry,    // right to work: permissionExpiryDate for time-limited permission
  kRegistrationStatus,  // registration: live status decides; expiryDate when given
  kNoExpiry,            // DBS (Update Service decides), OH, employment history, references, qualifications
  kRefresherPeriod,     // core skills: dateTo, else dateLastAwarded + the subject's refresher period
};

struct CredentialTypeInfo {
  CredentialType type;
  std::string_view name;        // "identity", "right_to_work" ... (the CLI's --type)
  std::string_view record_type; // the recordType claim, e.g. "DBSCheckOutcome"
  std::string_view di_type;     // e.g. "LanyardDbsCheckCredential"
  std::string_view vct;         // e.g. "https://lanyard.health/vct/dbs/v1"
  std::string_view schema_id;   // e.g. "https://lanyard.health/schemas/dbs/v1.json"
  std::vector<trust::OrgKind> issuer_kinds;
  ExpiryRule expiry;
  std::vector<std::string_view> default_disclosures;  // SD-JWT claim paths disclosed by default
  std::vector<std::string_view> selectively_disclosable;  // every SD-JWT disclosable claim path
};

std::span<const CredentialTypeInfo> AllCredentialTypes();
const CredentialTypeInfo& Info(CredentialType type);
// By name, DI type, vct or schema id; nullptr when none matches.
const CredentialTypeInfo* FindCredentialType(std::string_view any_name);

// The JSON Schema text of a type (compiled in from schemas/).
std::string_view SchemaText(CredentialType type);

// Validates claims against the type's schema. Errors: kInvalidArgument "schema.invalid" whose
// message names the failing field by its path (e.g. "typeOfDbsCheck: must be one of ...");
// kInternal "schema.unavailable" if the compiled-in schema does not load (a build defect).
Status ValidateClaims(CredentialType type, const json::Value& claims);

// Additions to the contract above.

// The type's schema, loaded once from SchemaText (cheap to copy).
// Errors: kInternal "schema.unavailable" (missing or not loadable: a build defect).
Result<JsonSchema> CredentialSchema(CredentialType type);

// "document_expiry", "permission_expiry", "registration_status", "no_expiry", "refresher_period".
std::string_view ExpiryRuleName(ExpiryRule rule);

// The claims an issuer signs: `claims` with recordType filled in when absent, validated.
// Errors: those of ValidateClaims (a recordType of another type is refused by the schema, e.g.
// `recordType: must be "DBSCheckOutcome"`); "schema.invalid" when `claims` is not an object.
Result<json::Value> PrepareClaims(CredentialType type, json::Value claims);

}  // namespace lanyard::passport
