// What a passport changes: scenarios of adoption applied to the checks, induction and training
// that receiving organisations repeated, giving days saved, staff hours and cost saved, and the
// movements a shorter time to clear would unlock. Every assumption is a named parameter (a
// scenario file can set each; docs/movement-report.md lists the defaults and why), and the
// uncertainty in them is carried through by Monte Carlo: each result is a mean with a 90%
// interval.
//
// A scenario file (JSON, "format": "lanyard-passport-scenario/1"):
//   {"format": "lanyard-passport-scenario/1",
//    "scenarios": [{"name": "...", "adoption": {"trust": 0.8, "lead_employer": 1.0},
//                   "by_item": {"dbs": 0.5}}],                          (by_item optional)
//    "avoidable": {"identity": 1.0, "right_to_work": 0.5, ...},   (optional; per item)
//    "staff_hour_cost_gbp": 25, "elasticity": 0.1, "relative_sd": 0.2,
//    "draws": 2000, "seed": 1}
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/analytics/analysis.h"
#include "lanyard/analytics/movement_csv.h"
#include "lanyard/analytics/table.h"
#include "lanyard/core/result.h"

namespace lanyard::analytics {

struct Scenario {
  std::string name;
  // Share of receiving organisations of each kind ("trust", "lead_employer", ...) that rely on
  // the passport; kinds not named: 0.
  std::map<std::string, double> adoption;
  // By check: the share of those organisations that rely on the passport for each item (a
  // DBS reuse may wait for the Update Service to be adopted); items not named: 1.
  std::array<double, kItems> item_adoption = [] {
    std::array<double, kItems> all{};
    all.fill(1.0);
    return all;
  }();
};

struct ScenarioSet {
  std::vector<Scenario> scenarios;
  // Of the repeats of each item, the share a passport can avoid where it is adopted (a new
  // employer must still make its own right-to-work check, so only the document chase goes;
  // registration is always confirmed live, so nothing goes).
  std::array<double, kItems> avoidable{};
  CostParameters costs = CostParameters::Defaults();
  // Additional movements per 1% shorter time to clear, in % (the "movements that would happen
  // if barriers were lower").
  double elasticity = 0.1;
  // Each uncertain parameter (adoption, hours, elapsed days, elasticity) is scaled by a factor
  // drawn from a normal distribution with mean 1 and this standard deviation.
  double relative_sd = 0.2;
  int draws = 2000;
  uint64_t seed = 1;

  // Three scenarios (low, central, high adoption) and the documented defaults.
  static ScenarioSet Defaults();
};

// Errors: analytics.invalid_scenario, naming what is wrong.
Result<ScenarioSet> ParseScenarioSet(std::string_view json_text);

// Two tables. First the scenarios' base, `repeats_by_receiving_kind`: per kind of receiving
// organisation, its moves and each item's repeats, under disclosure control. The model reads
// only these published figures (a hidden count as 0), so no scenario file, however narrow,
// can get back a count the base hides. Then `passport_scenarios`: per scenario and measure,
// the mean and the 5th and 95th percentiles over the draws, to 3 significant figures.
// Measures: days_saved, staff_hours_saved, cost_saved_gbp, additional_movements (all for the
// whole period of the data), and days_saved_per_move.
std::vector<Table> ScenarioTables(const ScenarioSet& set, const MovementAggregate& aggregate,
                                  const OrganisationTable& orgs);

}  // namespace lanyard::analytics
