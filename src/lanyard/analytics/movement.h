// The movement data model: how NHS staff move between organisations, event by event.
//
// Three classes of event are kept apart because published figures count them differently:
// an organisation change (a new employer, or a rotation to a different organisation), a
// temporary move (secondment, Licence to Attend, workforce sharing, honorary contract) and a
// shift worked at another organisation through a bank or collaborative bank (many per person
// per year; not a "movement" in the figures about who moves).
//
// Every event names a person by a keyed pseudonym (the same person has the same pseudonym in
// every extract only for whoever holds the key), the organisations by ODS code (their region
// and integrated care system come from the organisation table, not from each event), a date,
// the staff group and role, the mechanism, a reason, and for each of the 18 items a receiving
// organisation decides (six employment checks, corporate induction, eleven core-skills
// subjects) whether it was reused, re-verified or repeated, where known.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lanyard/core/result.h"

namespace lanyard::analytics {

enum class EventClass : uint8_t { kOrganisationChange, kTemporaryMove, kShift };
inline constexpr int kEventClasses = 3;

// The contractual or legal instrument a move happens under.
enum class Mechanism : uint8_t {
  kPermanentContract,
  kLeadEmployerRotation,
  kSecondment,
  kLicenceToAttend,
  kWorkforceSharingAgreement,
  kHonoraryContract,
  kBank,
  kCollaborativeBank,
  kAgency,
};
inline constexpr int kMechanisms = 9;

enum class StaffGroup : uint8_t {
  kResidentDoctor,
  kConsultantAndOtherDoctor,
  kNurseAndMidwife,
  kAlliedHealthProfessional,
  kScientificAndTechnical,
  kSupportToClinical,
  kAdministrativeAndEstates,
  kManager,
};
inline constexpr int kStaffGroups = 8;

// Why the person moved, as workforce systems record it.
enum class Reason : uint8_t {
  kTrainingRotation,
  kCareerProgression,
  kRelocation,
  kWorkLifeBalance,
  kServiceChange,  // reconfiguration, TUPE, a service moving between organisations
  kTemporaryCover,
  kExtraHours,  // a bank shift worked on top of a substantive post
  kOther,
};
inline constexpr int kReasons = 8;

// What the receiving organisation did with one item.
enum class Outcome : uint8_t { kUnknown, kReused, kReverified, kRepeated, kNotRequired };

// The items, in a fixed order: the six NHS Employment Check Standards, corporate induction,
// then the eleven Core Skills Training Framework subjects.
inline constexpr int kItems = 18;
inline constexpr int kEmploymentChecks = 6;
inline constexpr int kInductionItem = 6;
inline constexpr std::array<std::string_view, kItems> kItemNames = {
    "identity",
    "right_to_work",
    "registration",
    "employment_history",
    "dbs",
    "work_health",
    "induction",
    "conflict_resolution",
    "equality_diversity_human_rights",
    "fire_safety",
    "health_safety_welfare",
    "infection_prevention_control",
    "information_governance",
    "moving_handling",
    "preventing_radicalisation",
    "resuscitation",
    "safeguarding_adults",
    "safeguarding_children",
};

// Days since 1970-01-01 (UTC calendar dates; movement data has no time of day).
using Day = int32_t;

// An organisation field with no organisation: from outside the NHS, or not known.
inline constexpr uint16_t kNoOrganisation = 0xffff;

struct MovementEvent {
  EventClass event_class = EventClass::kOrganisationChange;
  uint64_t person = 0;  // keyed pseudonym, as 16 hex digits in files
  Day date = 0;
  uint16_t from_org = kNoOrganisation;  // index into the organisation table
  uint16_t to_org = kNoOrganisation;
  StaffGroup staff_group = StaffGroup::kNurseAndMidwife;
  uint16_t role = 0;  // index into the role table (a short code such as "FY1", "band5_nurse")
  Mechanism mechanism = Mechanism::kPermanentContract;
  Reason reason = Reason::kOther;
  std::array<Outcome, kItems> outcomes{};  // all kUnknown unless recorded
  std::optional<uint16_t> days_to_clear;   // offer to cleared-to-start
  std::optional<uint8_t> induction_days;
};

// Stable names, as they appear in files and reports, and back. Parsers take exactly these.
std::string_view EventClassName(EventClass c);
std::string_view MechanismName(Mechanism m);
std::string_view StaffGroupName(StaffGroup g);
std::string_view ReasonName(Reason r);
// One letter per outcome in the outcomes column: u reused, v re-verified, r repeated,
// n not required, - unknown.
char OutcomeLetter(Outcome o);
std::optional<EventClass> ParseEventClass(std::string_view s);
std::optional<Mechanism> ParseMechanism(std::string_view s);
std::optional<StaffGroup> ParseStaffGroup(std::string_view s);
std::optional<Reason> ParseReason(std::string_view s);
std::optional<Outcome> ParseOutcomeLetter(char c);

// The class a mechanism belongs to: bank and collaborative bank are shifts; secondment,
// Licence to Attend, workforce sharing and honorary contracts are temporary moves; the rest
// (a permanent contract, a lead-employer rotation, agency) change the organisation worked for.
EventClass ClassOf(Mechanism m);

// Calendar conversions (proleptic Gregorian). ParseDay takes exactly YYYY-MM-DD.
Day DayFromCivil(int year, int month, int day);
void CivilFromDay(Day d, int* year, int* month, int* day);
std::optional<Day> ParseDay(std::string_view s);
std::string FormatDay(Day d);

}  // namespace lanyard::analytics
