#include "lanyard/analytics/scenario.h"

#include <gtest/gtest.h>

#include "lanyard/testing/matchers.h"

namespace lanyard::analytics {
namespace {

using ::lanyard::testing::ErrorIs;
using ::lanyard::testing::IsOk;

double Value(const Table& t, const std::string& scenario, const std::string& measure, int col) {
  for (const auto& row : t.rows) {
    if (row.labels[0] == scenario && row.labels[1] == measure) return *row.values[col];
  }
  ADD_FAILURE() << scenario << " " << measure;
  return -1;
}

TEST(PassportScenarios, KnownAnswerWithoutUncertainty) {
  OrganisationTable orgs;
  ASSERT_THAT(orgs.Add({"RGT", "A", "trust", "QUE", "Y61"}), IsOk());
  ASSERT_THAT(orgs.Add({"LE1", "B", "lead_employer", "", "Y61"}), IsOk());
  MovementAggregate aggregate;
  for (int i = 0; i < 10; ++i) {
    MovementEvent e;
    e.event_class = EventClass::kOrganisationChange;
    e.mechanism = Mechanism::kPermanentContract;
    e.person = static_cast<uint64_t>(i);
    e.to_org = 0;
    e.outcomes.fill(Outcome::kReused);
    e.outcomes[0] = Outcome::kRepeated;  // identity: 1 day, 1 staff hour when repeated
    e.days_to_clear = 20;
    aggregate.Add(e);
  }
  ScenarioSet set = ScenarioSet::Defaults();
  Scenario all, none, half_identity;
  all.name = "all trusts";
  all.adoption = {{"trust", 1.0}};
  none.name = "none";
  none.adoption = {{"lead_employer", 1.0}};
  half_identity = all;
  half_identity.name = "identity by half";
  half_identity.item_adoption[0] = 0.5;
  set.scenarios = {all, none, half_identity};
  set.relative_sd = 0;
  set.draws = 10;
  Table t = ScenarioTables(set, aggregate, orgs)[1];
  EXPECT_DOUBLE_EQ(Value(t, "all trusts", "staff_hours_saved", 0), 10.0);
  EXPECT_DOUBLE_EQ(Value(t, "all trusts", "cost_saved_gbp", 0), 250.0);
  // Each move starts a day sooner: identity was the slowest (and only) repeated check.
  EXPECT_DOUBLE_EQ(Value(t, "all trusts", "days_saved", 0), 10.0);
  EXPECT_DOUBLE_EQ(Value(t, "all trusts", "days_saved_per_move", 0), 1.0);
  // 10 moves x elasticity 0.1 x (1 day of 20).
  EXPECT_DOUBLE_EQ(Value(t, "all trusts", "additional_movements", 0), 0.05);
  EXPECT_DOUBLE_EQ(Value(t, "all trusts", "days_saved", 1), 10.0);  // no spread without sd
  EXPECT_DOUBLE_EQ(Value(t, "none", "days_saved", 0), 0.0);
  // Adoption by check: half the trusts rely on the passport for identity.
  EXPECT_DOUBLE_EQ(Value(t, "identity by half", "staff_hours_saved", 0), 5.0);
  // With uncertainty the interval opens around the mean.
  set.relative_sd = 0.2;
  set.draws = 2000;
  Table wide = ScenarioTables(set, aggregate, orgs)[1];
  EXPECT_LT(Value(wide, "all trusts", "staff_hours_saved", 1), 10.0);
  EXPECT_GT(Value(wide, "all trusts", "staff_hours_saved", 2), 10.0);
  // Adoption cannot pass 100%: capping the draws takes the mean to E[min(1, X)] x 10 hours,
  // X ~ N(1, 0.2): 10 x (1 - 0.2 x 0.399) = 9.2.
  EXPECT_NEAR(Value(wide, "all trusts", "staff_hours_saved", 0), 9.2, 0.3);
}

TEST(PassportScenarios, ReadOnlyPublishedCounts) {
  OrganisationTable orgs;
  ASSERT_THAT(orgs.Add({"RGT", "A", "trust", "QUE", "Y61"}), IsOk());
  MovementAggregate aggregate;
  for (int i = 0; i < 20; ++i) {
    MovementEvent e;
    e.person = static_cast<uint64_t>(i);
    e.to_org = 0;
    e.outcomes.fill(Outcome::kReused);
    if (i < 3) e.outcomes[4] = Outcome::kRepeated;  // 3 DBS repeats: a hidden count
    aggregate.Add(e);
  }
  ScenarioSet set = ScenarioSet::Defaults();
  Scenario dbs_only;
  dbs_only.name = "dbs only";
  dbs_only.adoption = {{"trust", 1.0}};
  dbs_only.item_adoption.fill(0);
  dbs_only.item_adoption[4] = 1;
  set.scenarios = {dbs_only};
  set.relative_sd = 0;
  set.draws = 1;
  auto tables = ScenarioTables(set, aggregate, orgs);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].name, "repeats_by_receiving_kind");
  // The 3 repeats are hidden in the base, so the narrowest scenario cannot show them.
  EXPECT_DOUBLE_EQ(Value(tables[1], "dbs only", "staff_hours_saved", 0), 0.0);
}

TEST(PassportScenarios, ParsesAFileAndRefusesMistakes) {
  auto set = ParseScenarioSet(R"({"format":"lanyard-passport-scenario/1",
      "scenarios":[{"name":"pilot","adoption":{"trust":0.3},"by_item":{"dbs":0.4}}],
      "avoidable":{"dbs":0.5},"elasticity":0.2,"draws":500,"seed":7,"relative_sd":0.1,
      "staff_hour_cost_gbp":30})");
  ASSERT_THAT(set, IsOk());
  EXPECT_EQ(set->scenarios.size(), 1u);
  EXPECT_EQ(set->scenarios[0].adoption.at("trust"), 0.3);
  EXPECT_EQ(set->scenarios[0].item_adoption[4], 0.4);
  EXPECT_EQ(set->scenarios[0].item_adoption[0], 1.0);
  EXPECT_EQ(set->avoidable[4], 0.5);
  EXPECT_EQ(set->avoidable[0], 1.0);  // the default where the file says nothing
  EXPECT_EQ(set->draws, 500);
  for (
      const char* bad : {
          R"([])",
          R"({"scenarios":[]})",
          R"({"format":"lanyard-passport-scenario/1","scenarios":[]})",
          R"({"format":"lanyard-passport-scenario/1","scenarios":[{"name":"x","adoption":{"trust":1.5}}]})",
          R"({"format":"lanyard-passport-scenario/1","scenarios":[{"name":"","adoption":{}}]})",
          R"({"format":"lanyard-passport-scenario/1","avoidable":{"flying":1}})",
          R"({"format":"lanyard-passport-scenario/1","draws":0})",
          R"({"format":"lanyard-passport-scenario/1","surprise":1})",
          "{not json",
      }) {
    EXPECT_THAT(ParseScenarioSet(bad), ErrorIs("analytics.invalid_scenario")) << bad;
  }
}

}  // namespace
}  // namespace lanyard::analytics
