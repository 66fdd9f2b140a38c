// The synthetic workforce against the published figures it is calibrated to (each within 10%),
// and its determinism. The England-scale run (ten years, about 28 million events) is made once
// for the suite; under the sanitizers, which make it minutes long, those tests are skipped
// (the Release pass of `make test` runs them).
#include "lanyard/analytics/generator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "lanyard/testing/matchers.h"

namespace lanyard::analytics {
namespace {

using ::lanyard::testing::ErrorIs;
using ::lanyard::testing::IsOk;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

#define EXPECT_WITHIN_10_PERCENT(actual, target)                        \
  EXPECT_NEAR(static_cast<double>(actual), static_cast<double>(target), \
              0.10 * static_cast<double>(target))                       \
      << #actual " against the calibration target " #target

struct EnglandFigures {
  GeneratorSummary summary;
  OrganisationTable orgs;
  int64_t new_starters = 0, new_starters_from_nhs = 0;
  int64_t doctor_org_changes = 0;  // between two trusts
  int64_t nhs_movements = 0, doctor_nhs_movements = 0;
  int max_doctor_changes = 0;
  int64_t shift_events = 0, shifts_not_bank = 0;
};

const EnglandFigures& England() {
  static const EnglandFigures figures = [] {
    EnglandFigures f;
    std::unordered_map<uint64_t, int> doctor_changes;
    GeneratorOptions options;  // the defaults are the calibration
    auto summary = GenerateEvents(
        options,
        [&](const MovementEvent& e) {
          bool from_nhs = e.from_org != kNoOrganisation;
          if (e.event_class == EventClass::kShift) {
            ++f.shift_events;
            if (e.mechanism != Mechanism::kBank && e.mechanism != Mechanism::kCollaborativeBank) {
              ++f.shifts_not_bank;
            }
            return;
          }
          if (from_nhs) {
            ++f.nhs_movements;
            if (e.staff_group == StaffGroup::kResidentDoctor) ++f.doctor_nhs_movements;
          }
          if (e.event_class != EventClass::kOrganisationChange) return;
          if (e.mechanism == Mechanism::kLeadEmployerRotation) {
            if (from_nhs) {
              ++f.doctor_org_changes;
              f.max_doctor_changes = std::max(f.max_doctor_changes, ++doctor_changes[e.person]);
            }
            return;
          }
          ++f.new_starters;
          if (from_nhs) ++f.new_starters_from_nhs;
        },
        &f.orgs);
    EXPECT_THAT(summary, IsOk());
    if (summary.ok()) f.summary = *summary;
    return f;
  }();
  return figures;
}

class EnglandCalibration : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kSanitized) GTEST_SKIP() << "ten years of England take minutes under the sanitizers";
  }
};

TEST_F(EnglandCalibration, StaffOrganisationsSystemsAndRegions) {
  const EnglandFigures& f = England();
  EXPECT_WITHIN_10_PERCENT(f.summary.staff, 1'500'000);
  std::set<std::string> systems, regions;
  int trusts = 0;
  for (const Organisation& o : f.orgs.all()) {
    if (o.kind != "trust") continue;
    ++trusts;
    systems.insert(o.ics);
    regions.insert(o.region);
  }
  EXPECT_WITHIN_10_PERCENT(trusts, 209);
  EXPECT_EQ(systems.size(), 42u);
  EXPECT_EQ(regions.size(), 7u);
}

TEST_F(EnglandCalibration, NewStartersAndWhereTheyComeFrom) {
  const EnglandFigures& f = England();
  EXPECT_WITHIN_10_PERCENT(f.new_starters / 10, 250'000);
  EXPECT_WITHIN_10_PERCENT(static_cast<double>(f.new_starters_from_nhs) / f.new_starters, 0.5);
}

TEST_F(EnglandCalibration, ResidentDoctors) {
  const EnglandFigures& f = England();
  EXPECT_GE(f.summary.resident_doctors, 55'000);
  EXPECT_LE(f.summary.resident_doctors, 75'000);
  // About 10 organisation changes in a ten-year career, never more than 16.
  double per_decade = static_cast<double>(f.doctor_org_changes) / f.summary.resident_doctors;
  EXPECT_WITHIN_10_PERCENT(per_decade, 10.0);
  EXPECT_LE(f.max_doctor_changes, 16);
  // About 50,000 rotate on the first Wednesday of August, whether or not the organisation
  // changes.
  EXPECT_WITHIN_10_PERCENT(f.summary.doctor_rotations_in_august / 10, 50'000);
}

TEST_F(EnglandCalibration, DoctorsAreAFifthToAQuarterOfMovements) {
  const EnglandFigures& f = England();
  double share = static_cast<double>(f.doctor_nhs_movements) / f.nhs_movements;
  EXPECT_GE(share, 0.20);
  EXPECT_LE(share, 0.25);
}

TEST_F(EnglandCalibration, ShiftsAreTheirOwnClass) {
  const EnglandFigures& f = England();
  EXPECT_EQ(f.shifts_not_bank, 0);
  EXPECT_EQ(f.shift_events, f.summary.events[static_cast<int>(EventClass::kShift)]);
  // Many per bank worker a year: the bulk of the rows, kept apart from movements.
  EXPECT_GT(f.shift_events, 5 * f.nhs_movements);
}

TEST(Generator, SmallerScalesKeepTheRatesPerMemberOfStaff) {
  for (Scale scale : {Scale::kSystem, Scale::kTrust}) {
    GeneratorOptions options;
    options.scale = scale;
    options.years = 3;
    int64_t new_starters = 0, from_nhs = 0;
    OrganisationTable orgs;
    std::vector<MovementEvent> joins;
    auto summary = GenerateEvents(
        options,
        [&](const MovementEvent& e) {
          if (e.event_class == EventClass::kOrganisationChange &&
              e.mechanism != Mechanism::kLeadEmployerRotation) {
            joins.push_back(e);
          }
        },
        &orgs);
    ASSERT_THAT(summary, IsOk());
    // New starters are the joins into the organisations generated.
    std::set<uint16_t> scope;
    for (const std::string& ods : summary->scope) scope.insert(orgs.Find(ods));
    for (const MovementEvent& e : joins) {
      if (scope.count(e.to_org) == 0) continue;
      ++new_starters;
      if (e.from_org != kNoOrganisation) ++from_nhs;
    }
    EXPECT_WITHIN_10_PERCENT(static_cast<double>(from_nhs) / new_starters, 0.5);
    EXPECT_LT(summary->staff, 200'000);
    EXPECT_GT(summary->staff, 1'000);
    double rate = static_cast<double>(new_starters) / 3 / summary->staff;
    EXPECT_NEAR(rate, 250'000.0 / 1'500'000, 0.10 * 250'000.0 / 1'500'000);
  }
}

TEST(Generator, TheSameSeedWritesTheSameBytes) {
  auto dir = std::filesystem::temp_directory_path() / ("lanyard-gen-" + std::to_string(getpid()));
  GeneratorOptions options;
  options.scale = Scale::kTrust;
  options.years = 2;
  options.seed = 42;
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  ASSERT_THAT(GenerateWorkforce(options, (dir / "a").string()), IsOk());
  ASSERT_THAT(GenerateWorkforce(options, (dir / "b").string()), IsOk());
  options.seed = 43;
  ASSERT_THAT(GenerateWorkforce(options, (dir / "c").string()), IsOk());
  std::string a = read(dir / "a" / "movements.csv");
  EXPECT_GT(a.size(), 100'000u);
  EXPECT_EQ(a, read(dir / "b" / "movements.csv"));
  EXPECT_NE(a, read(dir / "c" / "movements.csv"));
  EXPECT_EQ(read(dir / "a" / "organisations.csv"), read(dir / "b" / "organisations.csv"));
  std::filesystem::remove_all(dir);
}

TEST(Generator, RefusesImpossibleOptions) {
  GeneratorOptions options;
  options.years = 0;
  EXPECT_THAT(GenerateEvents(options, [](const MovementEvent&) {}),
              ErrorIs("analytics.invalid_options"));
  EXPECT_THAT(ParseScale("county"), ErrorIs("analytics.invalid_scale"));
}

TEST(Generator, FirstWednesdays) {
  EXPECT_EQ(FormatDay(FirstWednesday(2026, 8)), "2026-08-05");
  EXPECT_EQ(FormatDay(FirstWednesday(2025, 8)), "2025-08-06");
  EXPECT_EQ(FormatDay(FirstWednesday(2024, 2)), "2024-02-07");
}

}  // namespace
}  // namespace lanyard::analytics
