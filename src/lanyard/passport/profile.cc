#include "lanyard/passport/profile.h"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "lanyard/core/text.h"
#include "lanyard/core/utf8.h"
#include "lanyard/passport/builtin_profiles.h"

namespace lanyard::passport {
namespace {

// A profile is a page of settings. The bounds keep what a hostile file can cost small without
// coming near anything a real profile needs.
constexpr size_t kMaxProfileBytes = 64 * 1024;
constexpr size_t kMaxLineBytes = 1024;
constexpr size_t kMaxIdBytes = 64;
constexpr size_t kMaxRoleBytes = 200;
constexpr int kMaxVersion = 999999999;  // nine digits: never overflows an int
constexpr int kMaxLevel = 4;
constexpr int kMaxRecheckYears = 10;
constexpr int kMaxRefresherMonths = 120;

// Indexed by the enums: never reorder one without the other.
constexpr std::string_view kDbsLevelNames[] = {"basic", "standard", "enhanced", "enhanced_barred"};
constexpr std::string_view kDbsWorkforceNames[] = {"child", "adult", "child_and_adult", "other"};

constexpr std::string_view kSections[] = {
    "identity",    "right_to_work", "registration", "employment_history", "dbs",
    "work_health", "induction",     "training",     "refresher_months"};

// The Core Skills Training Framework's typical refresher periods (DOMAIN.md's table; sources
// disagree, so these are defaults a profile overrides). Subjects whose period changes with the
// level give level 1 and "level 2 and above"; safeguarding adults level 3 has no fixed period
// in the framework (intercollegiate guidance) and keeps 36.
struct RefresherDefault {
  std::string_view subject;
  int level1;
  int level2_up;
};
constexpr RefresherDefault kRefresherDefaults[] = {{"conflict_resolution", 36, 36},
                                                   {"equality_diversity_human_rights", 36, 36},
                                                   {"fire_safety", 24, 24},
                                                   {"health_safety_welfare", 36, 36},
                                                   {"infection_prevention_control", 36, 12},
                                                   {"information_governance", 12, 12},
                                                   {"moving_handling", 36, 24},
                                                   {"preventing_radicalisation", 36, 36},
                                                   {"resuscitation", 12, 12},
                                                   {"safeguarding_adults", 36, 36},
                                                   {"safeguarding_children", 36, 36}};

constexpr bool DefaultsCoverEverySubject() {
  if (std::size(kRefresherDefaults) != std::size(kTrainingSubjects)) return false;
  for (size_t i = 0; i < std::size(kTrainingSubjects); ++i) {
    if (kRefresherDefaults[i].subject != kTrainingSubjects[i]) return false;
  }
  return true;
}
static_assert(DefaultsCoverEverySubject(), "one refresher default per subject, in order");

// A value quoted for a message, cut short at a character boundary.
std::string Shown(std::string_view v) {
  constexpr size_t kMax = 40;
  if (v.size() <= kMax) return "\"" + std::string(v) + "\"";
  size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(v[end]) & 0xC0) == 0x80) --end;
  return "\"" + std::string(v.substr(0, end)) + "...\"";
}

template <size_t N>
std::string Joined(const std::string_view (&names)[N]) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

template <size_t N>
bool Contains(const std::string_view (&names)[N], std::string_view name) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// Why a line cannot be read (bad UTF-8, a control character), or "".
std::string CheckCharacters(std::string_view line) {
  for (size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7F) return "contains a control character";
      ++i;
      continue;
    }
    Utf8Char ch = DecodeUtf8(line, i);
    if (ch.error != Utf8Error::kNone) return std::string("not UTF-8: ") + Utf8ErrorText(ch.error);
    if (ch.code_point < 0xA0) return "contains a control character";
    i += ch.length;
  }
  return "";
}

// Value readers: each returns why the value is refused, or "" after storing it.

std::string ReadBool(std::string_view v, bool* out) {
  if (v == "true") {
    *out = true;
  } else if (v == "false") {
    *out = false;
  } else {
    return "expected true or false, got " + Shown(v);
  }
  return "";
}

std::string ReadWhole(std::string_view v, int lo, int hi, const char* what, int* out) {
  int n = 0;
  bool digits = !v.empty() && v.size() <= 9 &&
                std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) std::from_chars(v.data(), v.data() + v.size(), n);
  if (!digits || n < lo || n > hi) {
    return std::string("expected ") + what + " from " + std::to_string(lo) + " to " +
           std::to_string(hi) + ", got " + Shown(v);
  }
  *out = n;
  return "";
}

template <typename Enum, size_t N>
std::string ReadEnum(const std::string_view (&names)[N], std::string_view v, Enum* out) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == v) {
      *out = static_cast<Enum>(i);
      return "";
    }
  }
  return "expected one of " + Joined(names) + ", got " + Shown(v);
}

template <size_t N>
std::string ReadName(const std::string_view (&names)[N], std::string_view v, std::string* out) {
  if (!Contains(names, v)) return "expected one of " + Joined(names) + ", got " + Shown(v);
  *out = std::string(v);
  return "";
}

std::string ReadId(std::string_view v, std::string* out) {
  if (!IsProfileId(v)) return "expected at most 64 of a-z, 0-9 and -, got " + Shown(v);
  *out = std::string(v);
  return "";
}

std::string ReadOrganisation(std::string_view v, std::string* out) {
  bool ods = v.size() >= 3 && v.size() <= 10 && std::all_of(v.begin(), v.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
             });
  if (v != "*" && !ods) {
    return "expected an ODS code (3 to 10 of A-Z and 0-9, e.g. RJ1) or *, got " + Shown(v);
  }
  *out = std::string(v);
  return "";
}

std::string ReadRole(std::string_view v, std::string* out) {
  if (v.size() > kMaxRoleBytes) return "longer than 200 bytes";
  *out = std::string(v);
  return "";
}

std::string ReadRegulators(std::string_view v, std::vector<std::string>* out) {
  std::vector<std::string> list;
  while (true) {
    size_t comma = v.find(',');
    std::string_view item = TrimBlanks(v.substr(0, comma));
    if (item.empty()) return "an empty item in the list";
    if (!Contains(kRegulators, item)) {
      return "expected regulators from " + Joined(kRegulators) + ", got " + Shown(item);
    }
    if (std::find(list.begin(), list.end(), item) != list.end()) {
      return std::string(item) + " is listed twice";
    }
    list.emplace_back(item);
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  *out = std::move(list);
  return "";
}

// The keys of the fixed sections ("" is the top level), each with its reader.
using Setter = std::string (*)(std::string_view value, Profile& p);
struct KeySpec {
  std::string_view section;
  std::string_view key;
  Setter set;
};

const KeySpec kKeys[] = {
    {"", "format",
     [](std::string_view v, Profile&) -> std::string {
       if (v == kProfileFormat) return "";
       return "expected " + std::string(kProfileFormat) + ", got " + Shown(v);
     }},
    {"", "id", [](std::string_view v, Profile& p) { return ReadId(v, &p.id); }},
    {"", "version",
     [](std::string_view v, Profile& p) {
       return ReadWhole(v, 1, kMaxVersion, "a whole number", &p.version);
     }},
    {"", "organisation",
     [](std::string_view v, Profile& p) { return ReadOrganisation(v, &p.organisation); }},
    {"", "staff_group",
     [](std::string_view v, Profile& p) { return ReadName(kStaffGroups, v, &p.staff_group); }},
    {"", "role", [](std::string_view v, Profile& p) { return ReadRole(v, &p.role); }},
    {"", "employment_type",
     [](std::string_view v, Profile& p) {
       return ReadName(kEmploymentTypes, v, &p.employment_type);
     }},
    {"identity", "required",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.identity.required); }},
    {"right_to_work", "required",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.right_to_work.required); }},
    {"registration", "required",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.registration.required); }},
    {"registration", "regulators",
     [](std::string_view v, Profile& p) { return ReadRegulators(v, &p.registration.regulators); }},
    {"registration", "conditions_allowed",
     [](std::string_view v, Profile& p) {
       return ReadBool(v, &p.registration.conditions_allowed);
     }},
    {"employment_history", "required",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.employment_history.required); }},
    {"employment_history", "reference_required",
     [](std::string_view v, Profile& p) {
       return ReadBool(v, &p.employment_history.reference_required);
     }},
    {"dbs", "required",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.dbs.required); }},
    {"dbs", "level",
     [](std::string_view v, Profile& p) { return ReadEnum(kDbsLevelNames, v, &p.dbs.level); }},
    {"dbs", "workforce",
     [](std::string_view v, Profile& p) {
       return ReadEnum(kDbsWorkforceNames, v, &p.dbs.workforce);
     }},
    {"dbs", "adults_barred_list",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.dbs.adults_barred_list); }},
    {"dbs", "childrens_barred_list",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.dbs.childrens_barred_list); }},
    {"dbs", "recheck_years",
     [](std::string_view v, Profile& p) {
       int years = 0;
       std::string why = ReadWhole(v, 1, kMaxRecheckYears, "a number of years", &years);
       if (why.empty()) p.dbs.recheck_years = years;
       return why;
     }},
    {"work_health", "required",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.work_health.required); }},
    {"work_health", "patient_contact",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.work_health.patient_contact); }},
    {"work_health", "epp",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.work_health.epp); }},
    {"induction", "required",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.induction.required); }},
    {"induction", "recognise_previous",
     [](std::string_view v, Profile& p) { return ReadBool(v, &p.induction.recognise_previous); }},
};

const KeySpec* FindKey(std::string_view section, std::string_view key) {
  for (const KeySpec& k : kKeys) {
    if (k.section == section && k.key == key) return &k;
  }
  return nullptr;
}

std::string KnownKeys(std::string_view section) {
  std::string out;
  for (const KeySpec& k : kKeys) {
    if (k.section != section) continue;
    if (!out.empty()) out += ", ";
    out += k.key;
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}

  Result<Profile> Parse(std::string_view text) {
    if (text.size() > kMaxProfileBytes) {
      return Fail(0, "profile", "larger than " + std::to_string(kMaxProfileBytes) + " bytes");
    }
    // A byte-order mark, as some editors write, is not part of the first key.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    size_t number = 0;
    while (!text.empty()) {
      ++number;
      size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      LANYARD_TRY(Line(number, line));
    }
    for (std::string_view key :
         {"format", "id", "version", "staff_group", "role", "employment_type"}) {
      if (seen_.find(key) == seen_.end()) return Fail(0, key, "missing");
    }
    LANYARD_TRY(CheckConsistency());
    return std::move(profile_);
  }

 private:
  Error Fail(size_t line, std::string_view field, std::string_view why) const {
    return MakeError(Code::kInvalidArgument, "profile.invalid",
                     std::string(source_) + ":" + std::to_string(line) + ": " + std::string(field) +
                         ": " + std::string(why));
  }

  std::string SectionField() const { return section_.empty() ? "profile" : section_; }

  Status Line(size_t number, std::string_view line) {
    if (line.size() > kMaxLineBytes) {
      return Fail(number, SectionField(),
                  "line longer than " + std::to_string(kMaxLineBytes) + " bytes");
    }
    if (std::string why = CheckCharacters(line); !why.empty()) {
      return Fail(number, SectionField(), why);
    }
    line = TrimBlanks(line.substr(0, line.find('#')));
    if (line.empty()) return OkStatus();
    if (line.front() == '[') {
      if (line.back() != ']') return Fail(number, SectionField(), "expected [section]");
      return Section(number, TrimBlanks(line.substr(1, line.size() - 2)));
    }
    size_t eq = line.find('=');
    std::string_view key = TrimBlanks(line.substr(0, eq));
    if (eq == std::string_view::npos || key.empty()) {
      return Fail(number, SectionField(), "expected key = value or [section], got " + Shown(line));
    }
    std::string_view value = TrimBlanks(line.substr(eq + 1));
    std::string field = section_.empty() ? std::string(key) : section_ + "." + std::string(key);
    if (auto it = seen_.find(field); it != seen_.end()) {
      return Fail(number, field, "given twice (first on line " + std::to_string(it->second) + ")");
    }
    if (value.empty()) return Fail(number, field, "no value");
    std::string why = Set(key, value);
    if (!why.empty()) return Fail(number, field, why);
    seen_.emplace(field, number);
    return OkStatus();
  }

  Status Section(size_t number, std::string_view name) {
    if (!Contains(kSections, name)) {
      return Fail(number, name.empty() ? "profile" : name,
                  "unknown section (known: " + Joined(kSections) + ")");
    }
    if (auto it = sections_.find(name); it != sections_.end()) {
      return Fail(number, name,
                  "section given twice (first on line " + std::to_string(it->second) + ")");
    }
    sections_.emplace(name, number);
    section_ = std::string(name);
    return OkStatus();
  }

  // Stores one value of the current section; returns why it is refused, or "".
  std::string Set(std::string_view key, std::string_view value) {
    if (section_ == "training") {
      if (!Contains(kTrainingSubjects, key)) {
        return "not one of the eleven Core Skills Training Framework subjects (" +
               Joined(kTrainingSubjects) + ")";
      }
      int level = 0;
      std::string why = ReadWhole(value, 1, kMaxLevel, "a level", &level);
      if (why.empty()) profile_.training[std::string(key)] = level;
      return why;
    }
    if (section_ == "refresher_months") {
      size_t dot = key.find('.');
      std::string_view subject = key.substr(0, dot);
      if (!Contains(kTrainingSubjects, subject)) {
        return "not one of the eleven Core Skills Training Framework subjects (" +
               Joined(kTrainingSubjects) + "), alone or as subject.level";
      }
      if (dot != std::string_view::npos) {
        std::string_view level = key.substr(dot + 1);
        if (level.size() != 1 || level[0] < '1' || level[0] > '0' + kMaxLevel) {
          return "expected subject.level with a level from 1 to 4, got " + Shown(key);
        }
      }
      int months = 0;
      std::string why = ReadWhole(value, 1, kMaxRefresherMonths, "a number of months", &months);
      if (why.empty()) profile_.refresher_months[std::string(key)] = months;
      return why;
    }
    const KeySpec* spec = FindKey(section_, key);
    if (spec == nullptr) {
      if (!section_.empty() && FindKey("", key) != nullptr) {
        return "unknown key in [" + section_ + "] (top-level keys come before the first section)";
      }
      return "unknown key (known: " + KnownKeys(section_) + ")";
    }
    return spec->set(value, profile_);
  }

  // The line of `field` if it was given, else of its section's header.
  size_t LineOf(std::string_view section, std::string_view key) const {
    auto it = seen_.find(std::string(section) + "." + std::string(key));
    if (it != seen_.end()) return it->second;
    auto s = sections_.find(section);
    return s == sections_.end() ? 0 : s->second;
  }

  Error FailAt(std::string_view section, std::string_view key, std::string_view why) const {
    return Fail(LineOf(section, key), std::string(section) + "." + std::string(key), why);
  }

  // Combinations no real check can meet. Every one of them needs a value other than the
  // default, so the section (and usually the key) has a line to name.
  Status CheckConsistency() const {
    const Profile& p = profile_;
    if (p.registration.required && p.registration.regulators.empty()) {
      return FailAt("registration", "regulators", "a required registration names its regulators");
    }
    const auto& dbs = p.dbs;
    bool barred = dbs.level == DbsLevel::kEnhancedBarred;
    if ((dbs.level == DbsLevel::kBasic || dbs.level == DbsLevel::kStandard) &&
        dbs.workforce != DbsWorkforce::kOther) {
      return FailAt("dbs", "workforce",
                    "basic and standard checks name no workforce: expected other");
    }
    bool adults =
        dbs.workforce == DbsWorkforce::kAdult || dbs.workforce == DbsWorkforce::kChildAndAdult;
    bool children =
        dbs.workforce == DbsWorkforce::kChild || dbs.workforce == DbsWorkforce::kChildAndAdult;
    for (auto [set, key, fits, workforces] :
         {std::tuple(dbs.adults_barred_list, "adults_barred_list", adults, "adult"),
          std::tuple(dbs.childrens_barred_list, "childrens_barred_list", children, "child")}) {
      if (!set) continue;
      if (!barred) return FailAt("dbs", key, "a barred list is checked only at enhanced_barred");
      if (!fits) {
        return FailAt("dbs", key,
                      std::string("this list is checked only for the ") + workforces +
                          " or child_and_adult workforce");
      }
    }
    if (barred && !dbs.adults_barred_list && !dbs.childrens_barred_list) {
      return FailAt("dbs", "level",
                    "enhanced_barred checks adults_barred_list, childrens_barred_list or both");
    }
    if (p.work_health.epp && !p.work_health.patient_contact) {
      return FailAt("work_health", "epp",
                    "exposure-prone procedures are patient contact: expected patient_contact = "
                    "true");
    }
    return OkStatus();
  }

  std::string_view source_;
  Profile profile_;
  std::string section_;                                  // "" before the first section
  std::map<std::string, size_t, std::less<>> seen_;      // field -> line
  std::map<std::string, size_t, std::less<>> sections_;  // section -> line
};

std::string_view Flag(bool b) { return b ? "true" : "false"; }

}  // namespace

bool operator==(const Profile& a, const Profile& b) {
  auto fields = [](const Profile& p) {
    return std::tie(p.id, p.version, p.organisation, p.staff_group, p.role, p.employment_type,
                    p.identity.required, p.right_to_work.required, p.registration.required,
                    p.registration.regulators, p.registration.conditions_allowed,
                    p.employment_history.required, p.employment_history.reference_required,
                    p.dbs.required, p.dbs.level, p.dbs.workforce, p.dbs.adults_barred_list,
                    p.dbs.childrens_barred_list, p.dbs.recheck_years, p.work_health.required,
                    p.work_health.patient_contact, p.work_health.epp, p.induction.required,
                    p.induction.recognise_previous, p.training, p.refresher_months);
  };
  return fields(a) == fields(b);
}

Result<Profile> ParseProfile(std::string_view text, std::string_view source) {
  return Parser(source).Parse(text);
}

std::string WriteProfile(const Profile& p) {
  std::string out;
  auto line = [&out](std::string_view key, std::string_view value) {
    out.append(key).append(" = ").append(value).append("\n");
  };
  auto section = [&out](std::string_view name) { out.append("\n[").append(name).append("]\n"); };
  line("format", kProfileFormat);
  line("id", p.id);
  line("version", std::to_string(p.version));
  line("organisation", p.organisation);
  line("staff_group", p.staff_group);
  line("role", p.role);
  line("employment_type", p.employment_type);
  section("identity");
  line("required", Flag(p.identity.required));
  section("right_to_work");
  line("required", Flag(p.right_to_work.required));
  section("registration");
  line("required", Flag(p.registration.required));
  if (!p.registration.regulators.empty()) {
    std::string list;
    for (const auto& r : p.registration.regulators) list += (list.empty() ? "" : ", ") + r;
    line("regulators", list);
  }
  line("conditions_allowed", Flag(p.registration.conditions_allowed));
  section("employment_history");
  line("required", Flag(p.employment_history.required));
  line("reference_required", Flag(p.employment_history.reference_required));
  section("dbs");
  line("required", Flag(p.dbs.required));
  line("level", DbsLevelName(p.dbs.level));
  line("workforce", DbsWorkforceName(p.dbs.workforce));
  line("adults_barred_list", Flag(p.dbs.adults_barred_list));
  line("childrens_barred_list", Flag(p.dbs.childrens_barred_list));
  if (p.dbs.recheck_years) line("recheck_years", std::to_string(*p.dbs.recheck_years));
  section("work_health");
  line("required", Flag(p.work_health.required));
  line("patient_contact", Flag(p.work_health.patient_contact));
  line("epp", Flag(p.work_health.epp));
  section("induction");
  line("required", Flag(p.induction.required));
  line("recognise_previous", Flag(p.induction.recognise_previous));
  section("training");
  for (std::string_view subject : kTrainingSubjects) {
    auto it = p.training.find(std::string(subject));
    if (it != p.training.end()) line(subject, std::to_string(it->second));
  }
  if (!p.refresher_months.empty()) {
    section("refresher_months");
    for (const auto& [key, months] : p.refresher_months) line(key, std::to_string(months));
  }
  return out;
}

int RequirementCount(const Profile& p) {
  return int{p.identity.required} + int{p.right_to_work.required} + int{p.registration.required} +
         int{p.employment_history.required} + int{p.dbs.required} + int{p.work_health.required} +
         int{p.induction.required} + static_cast<int>(p.training.size());
}

namespace {
// "registered-nurse.profile" -> "registered-nurse".
std::string_view ProfileId(const EmbeddedFile& file) {
  std::string_view id = file.path;
  return id.substr(0, id.rfind(".profile"));
}
}  // namespace

bool IsProfileId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxIdBytes && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::vector<std::string_view> BuiltInProfileIds() {
  std::vector<std::string_view> ids;
  for (const auto& e : EmbeddedProfileFiles()) ids.push_back(ProfileId(e));
  // Files sort by name ("a-b.profile" before "a.profile"); ids sort as ids.
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<Profile> BuiltInProfile(std::string_view id) {
  for (const auto& e : EmbeddedProfileFiles()) {
    if (ProfileId(e) != id) continue;
    std::string source = "profiles/" + std::string(id) + ".profile";
    LANYARD_ASSIGN_OR_RETURN(Profile profile, ParseProfile(e.text, source));
    // Looked up by file name, used by id: a shipped file whose two differ is a packaging fault.
    if (profile.id != id) {
      return MakeError(Code::kInternal, "profile.invalid",
                       source + ":0: id: \"" + profile.id + "\" differs from the file name");
    }
    return profile;
  }
  std::string shipped;
  for (std::string_view known : BuiltInProfileIds()) {
    shipped += (shipped.empty() ? "" : ", ") + std::string(known);
  }
  return MakeError(Code::kNotFound, "profile.not_found",
                   "no built-in profile " + Shown(id) + " (built in: " + shipped + ")");
}

int RefresherMonths(const Profile& profile, std::string_view subject, int level) {
  level = std::max(level, 1);
  std::string key(subject);
  if (auto it = profile.refresher_months.find(key + "." + std::to_string(level));
      it != profile.refresher_months.end()) {
    return it->second;
  }
  if (auto it = profile.refresher_months.find(key); it != profile.refresher_months.end()) {
    return it->second;
  }
  for (const RefresherDefault& d : kRefresherDefaults) {
    if (d.subject == subject) return level >= 2 ? d.level2_up : d.level1;
  }
  return 0;
}

std::string_view DbsLevelName(DbsLevel level) { return kDbsLevelNames[static_cast<size_t>(level)]; }

std::string_view DbsWorkforceName(DbsWorkforce w) {
  return kDbsWorkforceNames[static_cast<size_t>(w)];
}

}  // namespace lanyard::passport
