#include "lanyard/analytics/movement.h"

namespace lanyard::analytics {
namespace {

constexpr std::array<std::string_view, kEventClasses> kClassNames = {"organisation_change",
                                                                     "temporary_move", "shift"};
constexpr std::array<std::string_view, kMechanisms> kMechanismNames = {"permanent_contract",
                                                                       "lead_employer_rotation",
                                                                       "secondment",
                                                                       "licence_to_attend",
                                                                       "workforce_sharing",
                                                                       "honorary_contract",
                                                                       "bank",
                                                                       "collaborative_bank",
                                                                       "agency"};
constexpr std::array<std::string_view, kStaffGroups> kStaffGroupNames = {
    "resident_doctor",          "consultant_and_other_doctor", "nurse_and_midwife", "allied_health",
    "scientific_and_technical", "support_to_clinical",         "admin_and_estates", "manager"};
constexpr std::array<std::string_view, kReasons> kReasonNames = {
    "training_rotation", "career_progression", "relocation",  "work_life_balance",
    "service_change",    "temporary_cover",    "extra_hours", "other"};

template <typename E, size_t N>
std::optional<E> Find(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

int Digits(std::string_view s, size_t from, size_t count) {
  int v = 0;
  for (size_t i = from; i < from + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::string_view EventClassName(EventClass c) { return kClassNames[static_cast<int>(c)]; }
std::string_view MechanismName(Mechanism m) { return kMechanismNames[static_cast<int>(m)]; }
std::string_view StaffGroupName(StaffGroup g) { return kStaffGroupNames[static_cast<int>(g)]; }
std::string_view ReasonName(Reason r) { return kReasonNames[static_cast<int>(r)]; }

char OutcomeLetter(Outcome o) {
  switch (o) {
    case Outcome::kReused:
      return 'u';
    case Outcome::kReverified:
      return 'v';
    case Outcome::kRepeated:
      return 'r';
    case Outcome::kNotRequired:
      return 'n';
    case Outcome::kUnknown:
      break;
  }
  return '-';
}

std::optional<EventClass> ParseEventClass(std::string_view s) {
  return Find<EventClass>(kClassNames, s);
}
std::optional<Mechanism> ParseMechanism(std::string_view s) {
  return Find<Mechanism>(kMechanismNames, s);
}
std::optional<StaffGroup> ParseStaffGroup(std::string_view s) {
  return Find<StaffGroup>(kStaffGroupNames, s);
}
std::optional<Reason> ParseReason(std::string_view s) { return Find<Reason>(kReasonNames, s); }

std::optional<Outcome> ParseOutcomeLetter(char c) {
  switch (c) {
    case 'u':
      return Outcome::kReused;
    case 'v':
      return Outcome::kReverified;
    case 'r':
      return Outcome::kRepeated;
    case 'n':
      return Outcome::kNotRequired;
    case '-':
      return Outcome::kUnknown;
    default:
      return std::nullopt;
  }
}

EventClass ClassOf(Mechanism m) {
  switch (m) {
    case Mechanism::kBank:
    case Mechanism::kCollaborativeBank:
      return EventClass::kShift;
    case Mechanism::kSecondment:
    case Mechanism::kLicenceToAttend:
    case Mechanism::kWorkforceSharingAgreement:
    case Mechanism::kHonoraryContract:
      return EventClass::kTemporaryMove;
    case Mechanism::kPermanentContract:
    case Mechanism::kLeadEmployerRotation:
    case Mechanism::kAgency:
      break;
  }
  return EventClass::kOrganisationChange;
}

// Howard Hinnant's days_from_civil and civil_from_days (public domain algorithms).
Day DayFromCivil(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDay(Day d, int* year, int* month, int* day) {
  const int z = d + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = static_cast<int>(yoe) + era * 400 + (*month <= 2 ? 1 : 0);
}

std::optional<Day> ParseDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = Digits(s, 0, 4), m = Digits(s, 5, 2), d = Digits(s, 8, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  return DayFromCivil(y, m, d);
}

std::string FormatDay(Day d) {
  int y, m, day;
  CivilFromDay(d, &y, &m, &day);
  if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;  // outside what ParseDay reads back; never written
  std::string out = "0000-00-00";
  for (int i = 3; i >= 0; --i, y /= 10) out[i] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + day / 10);
  out[9] = static_cast<char>('0' + day % 10);
  return out;
}

}  // namespace lanyard::analytics
