// Role requirement profiles: what a role needs from each NHS Employment Check Standard, corporate
// induction and each core-skills subject. Declarative, versioned files, one per organisation
// (or "*" for every organisation), staff group, role and employment type; the defaults ship in
// profiles/ and are compiled into the binary.
//
// The file format is line-based so that every refusal names its line and field:
//
//   # comments and blank lines are ignored
//   format = lanyard-profile/1
//   id = registered-nurse            # [a-z0-9-]+
//   version = 3                      # a positive whole number, raised with every edit
//   organisation = *                 # an ODS code (A-Z 0-9, 3 to 10), or * for any
//   staff_group = nursing_midwifery  # one of kStaffGroups (the ESR staff groups)
//   role = Registered Nurse          # free text for people, at most 200 bytes
//   employment_type = permanent      # permanent | fixed_term | bank | agency | honorary
//
//   [identity]
//   required = true
//   [right_to_work]
//   required = true
//   [registration]
//   required = true
//   regulators = NMC                 # comma-separated: GMC GDC GPhC HCPC NMC
//   conditions_allowed = false
//   [employment_history]
//   required = true
//   reference_required = true
//   [dbs]
//   required = true
//   level = enhanced_barred          # basic | standard | enhanced | enhanced_barred
//   workforce = adult                # child | adult | child_and_adult | other
//   adults_barred_list = true
//   childrens_barred_list = false
//   recheck_years = 3                # optional local policy; absent = no age limit
//   [work_health]
//   required = true
//   patient_contact = true
//   epp = false
//   [induction]
//   required = true
//   recognise_previous = true        # recognise corporate induction completed elsewhere
//   [training]
//   resuscitation = 2                # subject = level; a subject not listed is not required
//   fire_safety = 1
//   [refresher_months]               # optional: local refresher periods, subject or subject.level
//   fire_safety = 12
//
// Sections may appear in any order; keys within a section at most once; unknown sections or
// keys are refused (a misspelt requirement must not silently vanish). Top-level keys come before
// the first section. A `#` starts a comment anywhere on a line, so no value contains one.
// Values are UTF-8 without control characters; booleans are `true` or `false`; numbers are whole
// and unsigned. A key given no value is refused. Keys not given keep the defaults of Profile
// below; format, id, version, staff_group, role and employment_type must be given.
//
// Also refused, because no real check can meet them: a required registration with no
// regulator; a basic or standard DBS check with a workforce other than `other` (only enhanced
// checks name a workforce); a barred list below enhanced_barred or outside its workforce
// (adults: adult or child_and_adult; children's: child or child_and_adult); enhanced_barred
// with neither list; EPP without patient contact. Ranges: training levels 1..4, recheck_years
// 1..10, refresher months 1..120 (keys `subject` or `subject.level`, level 1..4), version
// 1..999999999. At most 64 KiB, lines at most 1024 bytes.
//
// Errors: kInvalidArgument "profile.invalid", message "<source>:<line>: <field>: <why>" (line 0
// for something missing from the whole file, or a file that is too large). <field> is
// `section.key` or a top-level key; for a line that is no `key = value` or `[section]`, the
// section it is in (`profile` before the first one).
//
// Thread-safety: values and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"

namespace lanyard::passport {

inline constexpr std::string_view kProfileFormat = "lanyard-profile/1";

// The staff groups of the NHS Electronic Staff Record, as keys.
inline constexpr std::string_view kStaffGroups[] = {
    "additional_clinical_services", "additional_professional_scientific_technical",
    "administrative_clerical",      "allied_health_professionals",
    "estates_ancillary",            "healthcare_scientists",
    "medical_dental",               "nursing_midwifery",
    "students"};

inline constexpr std::string_view kEmploymentTypes[] = {"permanent", "fixed_term", "bank",
                                                         "agency", "honorary"};

// The regulators a profile may name in [registration] regulators.
inline constexpr std::string_view kRegulators[] = {"GMC", "GDC", "GPhC", "HCPC", "NMC"};

// The eleven Core Skills Training Framework subjects, by key, in a fixed order.
inline constexpr std::string_view kTrainingSubjects[] = {
    "conflict_resolution",        "equality_diversity_human_rights", "fire_safety",
    "health_safety_welfare",      "infection_prevention_control",    "information_governance",
    "moving_handling",            "preventing_radicalisation",       "resuscitation",
    "safeguarding_adults",        "safeguarding_children"};

enum class DbsLevel { kBasic, kStandard, kEnhanced, kEnhancedBarred };
enum class DbsWorkforce { kChild, kAdult, kChildAndAdult, kOther };

struct Profile {
  std::string id;
  int version = 0;
  std::string organisation = "*";
  std::string staff_group;
  std::string role;
  std::string employment_type;

  struct {
    bool required = true;
  } identity;
  struct {
    bool required = true;
  } right_to_work;
  struct {
    bool required = false;
    std::vector<std::string> regulators;  // "GMC", "NMC" ...
    bool conditions_allowed = false;
  } registration;
  struct {
    bool required = false;
    bool reference_required = false;
  } employment_history;
  struct {
    bool required = false;
    DbsLevel level = DbsLevel::kBasic;
    DbsWorkforce workforce = DbsWorkforce::kOther;
    bool adults_barred_list = false;
    bool childrens_barred_list = false;
    std::optional<int> recheck_years;
  } dbs;
  struct {
    bool required = false;
    bool patient_contact = false;
    bool epp = false;
  } work_health;
  struct {
    bool required = true;
    bool recognise_previous = true;
  } induction;
  std::map<std::string, int> training;          // subject key -> level required
  std::map<std::string, int> refresher_months;  // "fire_safety" or "moving_handling.2" -> months
};

// Every member equal. (Written out in profile.cc: the unnamed section structs cannot default
// it. A member added to Profile is added there too.)
bool operator==(const Profile& a, const Profile& b);

// Parses a profile; `source` names it in errors (a file name).
Result<Profile> ParseProfile(std::string_view text, std::string_view source);
// Writes a profile back in the file format (ParseProfile(WriteProfile(p)) == p): every key,
// sections in the order of the example above, training subjects in kTrainingSubjects order.
// REQUIRES: `profile` is one ParseProfile accepts (for instance one it returned); anything
// else is written as it is and the result may not parse.
std::string WriteProfile(const Profile& profile);

// How many things a person must show for the role: each required Employment Check Standard,
// corporate induction when required, and each training subject.
int RequirementCount(const Profile& profile);

// A profile id: 1 to 64 of a-z, 0-9 and -.
bool IsProfileId(std::string_view id);

// The profiles shipped in profiles/, by id ("registered-nurse" ...), compiled in; in order of id.
std::vector<std::string_view> BuiltInProfileIds();
// Errors: kNotFound "profile.not_found" for an id not shipped.
Result<Profile> BuiltInProfile(std::string_view id);

// Refresher period in months for a subject at a level: the profile's own override, else the
// Core Skills Training Framework default (DOMAIN.md: e.g. resuscitation 12, fire safety 24,
// infection prevention level 1: 36, level 2: 12). Safeguarding adults level 3+ has no fixed
// period in the framework and defaults to 36. An override for "subject.level" wins over one for
// "subject". A level below 1 counts as 1; a subject outside kTrainingSubjects with no override
// gives 0.
int RefresherMonths(const Profile& profile, std::string_view subject, int level);

std::string_view DbsLevelName(DbsLevel level);        // "basic" ... "enhanced_barred"
std::string_view DbsWorkforceName(DbsWorkforce w);    // "child" ... "other"

}  // namespace lanyard::passport
