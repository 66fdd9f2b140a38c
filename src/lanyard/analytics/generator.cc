#include "lanyard/analytics/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "lanyard/analytics/movement_csv.h"

namespace lanyard::analytics {
namespace {

// xoshiro256** seeded through splitmix64: fast, and the same sequence on every platform.
uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& word : s_) word = SplitMix(seed);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  double Normal() {
    double u1 = std::max(Uniform(), 1e-300), u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  int Poisson(double lambda) {  // Knuth's method in pieces, so exp(-lambda) never underflows
    int n = 0;
    while (lambda > 0) {
      double step = std::min(lambda, 30.0);
      lambda -= step;
      double limit = std::exp(-step), p = Uniform();
      while (p > limit) {
        ++n;
        p *= Uniform();
      }
    }
    return n;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

// The seven NHS England regions, with their shares of the systems (42 in all).
struct RegionSpec {
  const char* code;
  const char* name;
  int systems;
};
constexpr RegionSpec kRegions[] = {
    {"Y56", "London", 5},
    {"Y58", "South West", 7},
    {"Y59", "South East", 6},
    {"Y60", "Midlands", 11},
    {"Y61", "East of England", 6},
    {"Y62", "North West", 3},
    {"Y63", "North East and Yorkshire", 4},
};

// Shares of staff by group (NHS Digital workforce statistics, rounded; see docs), resident
// doctors apart (their number is a parameter).
constexpr std::array<double, kStaffGroups> kGroupShares = {
    0.0,  // resident doctors: options.resident_doctors
    0.050, 0.270, 0.070, 0.080, 0.300, 0.200, 0.030};
const std::vector<std::vector<const char*>> kRoles = {
    {"FY1", "FY2", "CT1", "CT2", "ST3", "ST4", "ST5", "ST6", "ST7"},
    {"consultant", "specialty_doctor", "gp_salaried"},
    {"band5_nurse", "band6_nurse", "band7_nurse", "midwife", "nursing_associate"},
    {"physiotherapist", "radiographer", "occupational_therapist", "paramedic", "dietitian"},
    {"biomedical_scientist", "pharmacist", "clinical_scientist"},
    {"healthcare_assistant", "maternity_support_worker", "porter", "theatre_support"},
    {"admin_band3", "medical_secretary", "estates_officer", "it_analyst"},
    {"band8a_manager", "band8c_manager", "director"},
};

bool Registered(StaffGroup g) {
  return g == StaffGroup::kResidentDoctor || g == StaffGroup::kConsultantAndOtherDoctor ||
         g == StaffGroup::kNurseAndMidwife || g == StaffGroup::kAlliedHealthProfessional ||
         g == StaffGroup::kScientificAndTechnical;
}

struct Person {
  uint64_t pseudonym = 0;
  uint16_t org = 0;
  StaffGroup group = StaffGroup::kNurseAndMidwife;
  uint8_t role = 0;
  bool bank = false;
  bool foundation = false;  // doctors: a foundation programme (three rotations a year)
  uint8_t org_changes = 0;  // doctors: organisation changes so far
  uint8_t region = 0;       // doctors: the region whose programme they are in
};

class Generator {
 public:
  // Events go to `sink`; a sink that fails stops the run with its error.
  using Sink =
      std::function<Status(const MovementEvent&, const OrganisationTable&, const RoleTable&)>;
  Generator(const GeneratorOptions& o, Sink sink) : o_(o), rng_(o.seed), sink_(std::move(sink)) {
    uint64_t key_seed = o.seed ^ 0x5eed5eed5eed5eedULL;
    key_ = SplitMix(key_seed);
  }

  // Builds the organisations (then `on_orgs` is called with them) and runs every year.
  Status Run(const std::function<Status(const OrganisationTable&)>& on_orgs,
             const std::function<void(double)>& progress) {
    BuildOrganisations();
    LANYARD_TRY(on_orgs(orgs_));
    BuildPopulation();
    const int first_year = o_.end_year - o_.years;
    for (int y = first_year; y < o_.end_year; ++y) {
      LANYARD_TRY(Year(y));
      if (progress) progress(static_cast<double>(y - first_year + 1) / o_.years);
    }
    summary_.staff = static_cast<int64_t>(people_.size());
    summary_.resident_doctors =
        static_cast<int64_t>(std::count_if(people_.begin(), people_.end(), [](const Person& p) {
          return p.group == StaffGroup::kResidentDoctor;
        }));
    summary_.organisations = static_cast<int>(orgs_.size());
    for (size_t t : in_scope_) summary_.scope.push_back(orgs_.at(trust_org_[t]).ods);
    return {};
  }

  GeneratorSummary summary() const { return summary_; }
  const OrganisationTable& organisations() const { return orgs_; }
  const RoleTable& roles() const { return roles_; }

 private:
  uint64_t Pseudonym() { return SplitMix(serial_) ^ key_; }

  void BuildOrganisations() {
    // Systems go to regions in proportion to England's (5, 7, 6, 11, 6, 3, 4 of 42): system s
    // belongs to the region whose share of the cumulative total covers s's midpoint.
    const int total_systems = o_.systems;
    double cumulative[std::size(kRegions)];
    double sum = 0;
    for (size_t r = 0; r < std::size(kRegions); ++r) cumulative[r] = (sum += kRegions[r].systems);
    for (int system_index = 0; system_index < total_systems; ++system_index) {
      const double at = (system_index + 0.5) / total_systems * sum;
      size_t r = 0;
      while (r + 1 < std::size(kRegions) && at > cumulative[r]) ++r;
      char ics[8];
      std::snprintf(ics, sizeof ics, "Q%c%c", 'A' + system_index / 26 % 26,
                    'A' + system_index % 26);
      systems_.push_back({ics, static_cast<uint8_t>(r), {}});
    }
    int trust_index = 0;
    // Trusts go round the systems, so every system has about trusts/systems of them; their
    // sizes are log-normal (a few large teaching hospitals, many smaller trusts).
    for (; trust_index < o_.trusts; ++trust_index) {
      size_t s = static_cast<size_t>(trust_index) % systems_.size();
      char ods[8];
      std::snprintf(ods, sizeof ods, "R%c%c", "ABCDEFGHJKLMNPQRSTVWXY"[trust_index / 22 % 22],
                    "0123456789ABCDEFGHJKLM"[trust_index % 22]);
      char name[64];
      std::snprintf(name, sizeof name, "Synthetic NHS Trust %03d", trust_index + 1);
      const SystemInfo& sys = systems_[s];
      auto index = orgs_.Add(Organisation{ods, name, "trust", sys.ics, kRegions[sys.region].code});
      trust_org_.push_back(*index);
      trust_system_.push_back(static_cast<uint16_t>(s));
      systems_[s].trusts.push_back(static_cast<uint16_t>(trust_org_.size() - 1));
      trust_weight_.push_back(std::exp(0.6 * rng_.Normal()));
    }
    // One lead employer per region employs its resident doctors.
    for (size_t r = 0; r < std::size(kRegions); ++r) {
      char ods[8];
      std::snprintf(ods, sizeof ods, "LE%zu", r + 1);
      // (Codes are generated unique, so adding cannot fail.)
      (void)orgs_.Add(Organisation{ods, std::string("Synthetic Lead Employer, ") + kRegions[r].name,
                                   "lead_employer", "", kRegions[r].code});
    }
    // The trusts in scope.
    if (o_.scale == Scale::kEngland) {
      for (size_t t = 0; t < trust_org_.size(); ++t) in_scope_.push_back(t);
    } else if (o_.scale == Scale::kSystem) {
      size_t s = rng_.Below(systems_.size());
      for (uint16_t t : systems_[s].trusts) in_scope_.push_back(t);
    } else {
      in_scope_.push_back(rng_.Below(trust_org_.size()));
    }
    double total = 0, scoped = 0;
    for (double w : trust_weight_) total += w;
    for (size_t t : in_scope_) scoped += trust_weight_[t];
    scope_share_ = scoped / total;
    for (size_t t : in_scope_) {
      scope_cumulative_.push_back((scope_cumulative_.empty() ? 0 : scope_cumulative_.back()) +
                                  trust_weight_[t]);
    }
    for (size_t t = 0; t < trust_weight_.size(); ++t) {
      all_cumulative_.push_back((all_cumulative_.empty() ? 0 : all_cumulative_.back()) +
                                trust_weight_[t]);
    }
  }

  // A trust drawn by size: from those in scope, or from all.
  size_t DrawTrust(bool scoped) {
    const auto& c = scoped ? scope_cumulative_ : all_cumulative_;
    double u = rng_.Uniform() * c.back();
    size_t i = static_cast<size_t>(std::upper_bound(c.begin(), c.end(), u) - c.begin());
    i = std::min(i, c.size() - 1);
    return scoped ? in_scope_[i] : i;
  }

  // Another trust for someone at trust `from`: the same system half the time, the same region
  // a further 30%, anywhere otherwise.
  size_t DrawDestination(size_t from) {
    const SystemInfo& sys = systems_[trust_system_[from]];
    double u = rng_.Uniform();
    if (u < 0.5 && sys.trusts.size() > 1) {
      for (;;) {
        size_t t = sys.trusts[rng_.Below(sys.trusts.size())];
        if (t != from) return t;
      }
    }
    for (int tries = 0; tries < 64; ++tries) {
      size_t t = DrawTrust(false);
      if (t == from) continue;
      if (u < 0.8 && systems_[trust_system_[t]].region != sys.region) continue;
      return t;
    }
    return (from + 1) % trust_org_.size();
  }

  void BuildPopulation() {
    const auto staff = static_cast<int64_t>(std::llround(o_.staff * scope_share_));
    const auto doctors = static_cast<int64_t>(std::llround(o_.resident_doctors * scope_share_));
    people_.reserve(static_cast<size_t>(staff));
    for (int64_t i = 0; i < doctors; ++i) people_.push_back(NewDoctor(false));
    std::array<double, kStaffGroups> cumulative{};
    double sum = 0;
    for (int g = 0; g < kStaffGroups; ++g) cumulative[g] = (sum += kGroupShares[g]);
    for (int64_t i = doctors; i < staff; ++i) {
      double u = rng_.Uniform() * sum;
      int g = 1;
      while (g < kStaffGroups - 1 && u > cumulative[g]) ++g;
      people_.push_back(NewStaff(static_cast<StaffGroup>(g), DrawTrust(true)));
    }
  }

  Person NewStaff(StaffGroup group, size_t trust) {
    Person p;
    p.pseudonym = Pseudonym();
    p.group = group;
    p.org = static_cast<uint16_t>(trust);
    p.role = static_cast<uint8_t>(rng_.Below(kRoles[static_cast<int>(group)].size()));
    p.bank = rng_.Chance(o_.bank_workers);
    return p;
  }

  Person NewDoctor(bool first_year) {
    Person p;
    p.pseudonym = Pseudonym();
    p.group = StaffGroup::kResidentDoctor;
    size_t trust = DrawTrust(true);
    p.org = static_cast<uint16_t>(trust);
    p.region = systems_[trust_system_[trust]].region;
    p.foundation = first_year || rng_.Chance(0.25);
    p.role = first_year ? 0 : static_cast<uint8_t>(p.foundation ? 1 : 2 + rng_.Below(7));
    return p;
  }

  Day RandomDay(int year, bool seasonal) {
    // Starts cluster in September, January and April; shifts spread evenly.
    static constexpr double kMonth[12] = {1.3, 0.9, 0.9, 1.2, 0.9, 0.9,
                                          0.8, 0.8, 1.6, 1.2, 0.9, 0.5};
    int month = 0;
    if (seasonal) {
      double u = rng_.Uniform() * 12.0;
      while (month < 11 && u > kMonth[month]) u -= kMonth[month++];
    } else {
      month = static_cast<int>(rng_.Below(12));
    }
    Day first = DayFromCivil(year, month + 1, 1);
    Day next = month == 11 ? DayFromCivil(year + 1, 1, 1) : DayFromCivil(year, month + 2, 1);
    return first + static_cast<Day>(rng_.Below(static_cast<uint64_t>(next - first)));
  }

  Outcome Pick(double reuse, double reverify = 0) {
    double u = rng_.Uniform();
    return u < reuse              ? Outcome::kReused
           : u < reuse + reverify ? Outcome::kReverified
                                  : Outcome::kRepeated;
  }

  // What receiving organisations do today, by mechanism (before a passport).
  void Outcomes(MovementEvent& e, bool from_nhs) {
    const bool registered = Registered(e.staff_group);
    auto& out = e.outcomes;
    switch (e.mechanism) {
      case Mechanism::kLeadEmployerRotation:
        if (from_nhs) {
          out = {Outcome::kReused, Outcome::kReused, Outcome::kReverified,
                 Outcome::kReused, Pick(0.9),        Pick(0.85)};
          out[kInductionItem] = Pick(0.2);
          for (int i = kInductionItem + 1; i < kItems; ++i) out[i] = Pick(0.7);
          e.days_to_clear = static_cast<uint16_t>(5 + rng_.Below(20));
        } else {
          out.fill(Outcome::kRepeated);
          out[2] = Outcome::kReverified;
          e.days_to_clear = static_cast<uint16_t>(40 + rng_.Below(60));
        }
        break;
      case Mechanism::kSecondment:
      case Mechanism::kLicenceToAttend:
      case Mechanism::kWorkforceSharingAgreement:
      case Mechanism::kHonoraryContract:
        out = {Outcome::kReused, Outcome::kReused, Outcome::kReverified,
               Outcome::kReused, Pick(0.85),       Pick(0.8)};
        out[kInductionItem] = Pick(0.5);
        for (int i = kInductionItem + 1; i < kItems; ++i) out[i] = Pick(0.8);
        e.days_to_clear = static_cast<uint16_t>(7 + rng_.Below(40));
        break;
      default:  // a new employer: a permanent contract, or an agency placement
        if (from_nhs && e.mechanism == Mechanism::kPermanentContract) {
          out = {Pick(0.4), Outcome::kRepeated, Outcome::kReverified,
                 Pick(0.3), Pick(0.0, 0.25),    Pick(0.3)};
          out[kInductionItem] = Outcome::kRepeated;
          for (int i = kInductionItem + 1; i < kItems; ++i) out[i] = Pick(0.45);
        } else {
          out.fill(Outcome::kRepeated);
          out[2] = Outcome::kReverified;
        }
        e.days_to_clear = static_cast<uint16_t>(std::clamp(
            std::lround(std::exp(std::log(from_nhs ? 70.0 : 98.0) + 0.4 * rng_.Normal())), 7L,
            365L));
        break;
    }
    if (!registered) out[2] = Outcome::kNotRequired;
    e.induction_days = static_cast<uint8_t>(out[kInductionItem] == Outcome::kRepeated ? 2 : 0);
  }

  Status Emit(MovementEvent& e) {
    ++summary_.events[static_cast<int>(e.event_class)];
    return sink_(e, orgs_, roles_);
  }

  uint16_t RoleIndex(const Person& p) {
    const char* code = kRoles[static_cast<int>(p.group)][p.role];
    return *roles_.Intern(code);
  }

  MovementEvent Base(const Person& p, Day date, Mechanism m, Reason r) {
    MovementEvent e;
    e.event_class = ClassOf(m);
    e.person = p.pseudonym;
    e.date = date;
    e.staff_group = p.group;
    e.role = RoleIndex(p);
    e.mechanism = m;
    e.reason = r;
    return e;
  }

  Status Year(int year) {
    // Resident doctors: changeover days, and a tenth finishing training each August, their
    // places taken by new foundation doctors from medical school.
    const double p_foundation =
        o_.doctor_org_changes_per_year / (o_.doctors_rotating_in_august + 2);
    const double p_specialty =
        o_.doctor_org_changes_per_year / (o_.doctors_rotating_in_august + 0.5);
    const std::pair<int, bool> kChangeovers[] = {{2, false}, {4, true}, {8, false}, {12, true}};
    for (auto [month, foundation_only] : kChangeovers) {
      Day day = FirstWednesday(year, month);
      for (Person& p : people_) {
        if (p.group != StaffGroup::kResidentDoctor) continue;
        if (month == 8 && rng_.Chance(0.1)) {
          p = NewDoctor(true);  // finished; a new FY1 takes the place
          MovementEvent e =
              Base(p, day, Mechanism::kLeadEmployerRotation, Reason::kTrainingRotation);
          e.to_org = trust_org_[p.org];
          Outcomes(e, false);
          LANYARD_TRY(Emit(e));
          ++summary_.doctor_rotations;
          ++summary_.doctor_rotations_in_august;
          continue;
        }
        bool rotates = month == 8   ? rng_.Chance(o_.doctors_rotating_in_august)
                       : month == 2 ? !p.foundation && rng_.Chance(0.5)
                                    : p.foundation;
        if (foundation_only && !p.foundation) rotates = false;
        if (!rotates) continue;
        ++summary_.doctor_rotations;
        if (month == 8) ++summary_.doctor_rotations_in_august;
        if (month == 8 && p.foundation && p.role == 0) p.role = 1;  // FY1 -> FY2
        double p_change = p.foundation ? p_foundation : p_specialty;
        if (p.org_changes >= o_.doctor_max_org_changes_per_decade || !rng_.Chance(p_change)) {
          continue;
        }
        size_t from = p.org;
        size_t to = DrawDoctorPlacement(p);
        if (to == from) continue;
        p.org = static_cast<uint16_t>(to);
        ++p.org_changes;
        MovementEvent e = Base(p, day, Mechanism::kLeadEmployerRotation, Reason::kTrainingRotation);
        e.from_org = trust_org_[from];
        e.to_org = trust_org_[to];
        Outcomes(e, true);
        LANYARD_TRY(Emit(e));
      }
    }
    // Everyone else: moves to another NHS organisation, leavers replaced from outside,
    // temporary moves and bank shifts elsewhere.
    const double p_move = o_.new_starters_per_staff * o_.new_starters_from_nhs;
    const double p_leave = o_.new_starters_per_staff * (1 - o_.new_starters_from_nhs);
    for (Person& p : people_) {
      if (p.group == StaffGroup::kResidentDoctor) continue;
      double u = rng_.Uniform();
      if (u < p_move) {
        size_t from = p.org;
        size_t to = DrawDestination(from);
        Mechanism m = rng_.Chance(0.05) ? Mechanism::kAgency : Mechanism::kPermanentContract;
        static constexpr Reason kWhy[] = {Reason::kCareerProgression, Reason::kCareerProgression,
                                          Reason::kRelocation,        Reason::kWorkLifeBalance,
                                          Reason::kServiceChange,     Reason::kOther};
        MovementEvent e = Base(p, RandomDay(year, true), m, kWhy[rng_.Below(std::size(kWhy))]);
        e.from_org = trust_org_[from];
        e.to_org = trust_org_[to];
        Outcomes(e, true);
        LANYARD_TRY(Emit(e));
        if (IsInScope(to)) {
          p.org = static_cast<uint16_t>(to);
        } else {
          // Gone from the scope: the place is filled by someone from another NHS
          // organisation outside it, as the moves into it that are not simulated would.
          p = NewStaff(p.group, from);
          MovementEvent join = Base(p, RandomDay(year, true), Mechanism::kPermanentContract,
                                    Reason::kCareerProgression);
          join.from_org = trust_org_[DrawOutOfScope()];
          join.to_org = trust_org_[from];
          Outcomes(join, true);
          LANYARD_TRY(Emit(join));
        }
      } else if (u < p_move + p_leave) {
        size_t trust = p.org;
        p = NewStaff(p.group, trust);
        MovementEvent e =
            Base(p, RandomDay(year, true), Mechanism::kPermanentContract, Reason::kOther);
        e.to_org = trust_org_[trust];
        Outcomes(e, false);
        LANYARD_TRY(Emit(e));
      }
      if (rng_.Chance(o_.temporary_moves_per_staff)) {
        static constexpr Mechanism kTemporary[] = {
            Mechanism::kSecondment, Mechanism::kSecondment, Mechanism::kLicenceToAttend,
            Mechanism::kWorkforceSharingAgreement, Mechanism::kHonoraryContract};
        Mechanism m = kTemporary[rng_.Below(std::size(kTemporary))];
        MovementEvent e =
            Base(p, RandomDay(year, true), m,
                 rng_.Chance(0.6) ? Reason::kTemporaryCover : Reason::kCareerProgression);
        e.from_org = trust_org_[p.org];
        e.to_org = trust_org_[DrawDestination(p.org)];
        Outcomes(e, true);
        LANYARD_TRY(Emit(e));
      }
      if (p.bank) {
        int shifts = rng_.Poisson(o_.shifts_elsewhere_per_bank_worker);
        const SystemInfo& sys = systems_[trust_system_[p.org]];
        for (int s = 0; s < shifts; ++s) {
          bool collaborative = sys.trusts.size() > 1 && rng_.Chance(0.75);
          size_t at =
              collaborative ? sys.trusts[rng_.Below(sys.trusts.size())] : DrawDestination(p.org);
          if (at == p.org) at = DrawDestination(p.org);
          MovementEvent e = Base(p, RandomDay(year, false),
                                 collaborative ? Mechanism::kCollaborativeBank : Mechanism::kBank,
                                 Reason::kExtraHours);
          e.from_org = trust_org_[p.org];
          e.to_org = trust_org_[at];
          LANYARD_TRY(Emit(e));
        }
      }
    }
    return {};
  }

  // A doctor's next placement: a trust in their programme's region (in scope, when smaller).
  size_t DrawDoctorPlacement(const Person& p) {
    for (int tries = 0; tries < 64; ++tries) {
      size_t t = DrawTrust(true);
      if (systems_[trust_system_[t]].region == p.region || o_.scale == Scale::kTrust) return t;
    }
    return p.org;
  }

  size_t DrawOutOfScope() {
    for (;;) {
      size_t t = DrawTrust(false);
      if (!IsInScope(t)) return t;
    }
  }

  bool IsInScope(size_t trust) const {
    return o_.scale == Scale::kEngland ||
           std::find(in_scope_.begin(), in_scope_.end(), trust) != in_scope_.end();
  }

  struct SystemInfo {
    std::string ics;
    uint8_t region = 0;
    std::vector<uint16_t> trusts;  // indexes into trust_org_
  };

  const GeneratorOptions& o_;
  Rng rng_;
  Sink sink_;
  uint64_t key_ = 0;
  uint64_t serial_ = 0;
  OrganisationTable orgs_;
  RoleTable roles_;
  std::vector<SystemInfo> systems_;
  std::vector<uint16_t> trust_org_;     // trust index -> organisation index
  std::vector<uint16_t> trust_system_;  // trust index -> system index
  std::vector<double> trust_weight_;
  std::vector<size_t> in_scope_;
  std::vector<double> scope_cumulative_, all_cumulative_;
  double scope_share_ = 1;
  std::vector<Person> people_;
  GeneratorSummary summary_;
};

}  // namespace

Result<Scale> ParseScale(std::string_view name) {
  if (name == "england") return Scale::kEngland;
  if (name == "system") return Scale::kSystem;
  if (name == "trust") return Scale::kTrust;
  return MakeError(Code::kInvalidArgument, "analytics.invalid_scale",
                   "the scale is england, system or trust");
}

Day FirstWednesday(int year, int month) {
  Day first = DayFromCivil(year, month, 1);
  // 1970-01-01 was a Thursday: weekday 0 = Thursday, so Wednesday is 6.
  int weekday = ((first % 7) + 7) % 7;
  return first + (6 - weekday + 7) % 7;
}

Status CheckOptions(const GeneratorOptions& options) {
  if (options.years < 1 || options.years > 30 || options.staff < 1000 ||
      options.staff > 5'000'000 || options.trusts < 1 || options.trusts > 480 ||
      options.systems < 1 || options.systems > options.trusts || options.resident_doctors < 0 ||
      options.resident_doctors > options.staff / 2) {
    return MakeError(Code::kInvalidArgument, "analytics.invalid_options",
                     "years 1-30, staff 1,000-5,000,000, trusts 1-480, systems 1-trusts, "
                     "resident doctors at most half the staff");
  }
  return {};
}

Result<GeneratorSummary> GenerateEvents(const GeneratorOptions& options,
                                        const std::function<void(const MovementEvent&)>& sink,
                                        OrganisationTable* organisations,
                                        const std::function<void(double)>& progress) {
  LANYARD_TRY(CheckOptions(options));
  Generator g(options,
              [&](const MovementEvent& e, const OrganisationTable&, const RoleTable&) -> Status {
                sink(e);
                return {};
              });
  LANYARD_TRY(g.Run(
      [&](const OrganisationTable& orgs) -> Status {
        if (organisations != nullptr) *organisations = orgs;
        return {};
      },
      progress));
  return g.summary();
}

Result<GeneratorSummary> GenerateWorkforce(const GeneratorOptions& options,
                                           const std::string& out_dir,
                                           const std::function<void(double)>& progress) {
  LANYARD_TRY(CheckOptions(options));
  auto write_failed = [](const std::string& path) {
    return MakeError(Code::kUnavailable, "analytics.write_failed", "cannot write " + path);
  };
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  const std::string path = out_dir + "/movements.csv";
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (out == nullptr) return write_failed(path);
  // Lines gather in a buffer written a few megabytes at a time.
  constexpr size_t kFlushBytes = 4 << 20;
  std::string buffer;
  buffer.reserve(kFlushBytes + 4096);
  buffer += kMovementsHeader;
  buffer += '\n';
  int64_t bytes = 0;
  auto flush = [&]() -> Status {
    if (!buffer.empty() &&
        std::fwrite(buffer.data(), 1, buffer.size(), out.get()) != buffer.size()) {
      return write_failed(path);
    }
    bytes += static_cast<int64_t>(buffer.size());
    buffer.clear();
    return {};
  };
  Generator g(
      options,
      [&](const MovementEvent& e, const OrganisationTable& orgs, const RoleTable& roles) -> Status {
        AppendMovementLine(e, orgs, roles, buffer);
        return buffer.size() >= kFlushBytes ? flush() : Status();
      });
  LANYARD_TRY(g.Run(
      [&](const OrganisationTable& orgs) -> Status {
        const std::string orgs_path = out_dir + "/organisations.csv";
        std::ofstream file(orgs_path, std::ios::binary | std::ios::trunc);
        WriteOrganisationsCsv(orgs, file);
        file.close();
        if (!file) return write_failed(orgs_path);
        return {};
      },
      progress));
  LANYARD_TRY(flush());
  if (std::fclose(out.release()) != 0) return write_failed(path);
  GeneratorSummary summary = g.summary();
  summary.bytes = bytes;
  return summary;
}

}  // namespace lanyard::analytics
