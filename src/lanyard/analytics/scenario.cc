#include "lanyard/analytics/scenario.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "lanyard/json/parser.h"

namespace lanyard::analytics {
namespace {

Error Invalid(std::string message) {
  return MakeError(Code::kInvalidArgument, "analytics.invalid_scenario", std::move(message));
}

Result<double> Number(const json::Value& v, std::string_view what, double lo, double hi) {
  if (!v.is_number() || !(v.as_number() >= lo && v.as_number() <= hi)) {
    return Invalid(std::string(what) + " is a number from " + std::to_string(lo) + " to " +
                   std::to_string(hi));
  }
  return v.as_number();
}

// `v` to 3 significant figures: model outputs are estimates, and more digits would only
// carry the input counts' exact values through.
double SignificantFigures(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  const double scale = std::pow(10.0, 2 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
  return std::round(v * scale) / scale;
}

// Mean and the 5th and 95th percentiles of a sample.
std::array<double, 3> Summarise(std::vector<double> sample) {
  std::sort(sample.begin(), sample.end());
  double sum = 0;
  for (double x : sample) sum += x;
  auto at = [&](double q) {
    return sample[static_cast<size_t>(q * static_cast<double>(sample.size() - 1) + 0.5)];
  };
  return {sum / static_cast<double>(sample.size()), at(0.05), at(0.95)};
}

}  // namespace

ScenarioSet ScenarioSet::Defaults() {
  ScenarioSet set;
  auto scenario = [](std::string name, double trust, double lead) {
    Scenario s;
    s.name = std::move(name);
    s.adoption = {{"trust", trust}, {"lead_employer", lead}};
    return s;
  };
  set.scenarios = {scenario("low adoption", 0.25, 0.5), scenario("central", 0.6, 0.9),
                   scenario("high adoption", 0.9, 1.0)};
  set.avoidable = {1.0, 0.5, 0.0, 1.0, 0.7, 0.8, 0.5};
  for (int i = kInductionItem + 1; i < kItems; ++i) set.avoidable[i] = 1.0;
  return set;
}

Result<ScenarioSet> ParseScenarioSet(std::string_view json_text) {
  if (json_text.size() > 1 << 20) return Invalid("a scenario file is at most 1 MB");
  auto parsed = json::Parse(json_text);
  if (!parsed.ok()) return Invalid("not JSON: " + parsed.error().message);
  if (!parsed->is_object()) return Invalid("a scenario file is a JSON object");
  ScenarioSet set = ScenarioSet::Defaults();
  const std::string* format = parsed->FindString("format");
  if (format == nullptr || *format != "lanyard-passport-scenario/1") {
    return Invalid("\"format\" must be \"lanyard-passport-scenario/1\"");
  }
  for (const auto& [key, value] : parsed->as_object()) {
    if (key == "format") continue;
    if (key == "scenarios") {
      if (!value.is_array() || value.as_array().empty() || value.as_array().size() > 20) {
        return Invalid("\"scenarios\" is a list of 1 to 20 scenarios");
      }
      set.scenarios.clear();
      for (const json::Value& s : value.as_array()) {
        const std::string* name = s.FindString("name");
        const json::Value* adoption = s.Find("adoption");
        const json::Value* by_item = s.Find("by_item");
        const size_t keys = 2 + (by_item != nullptr ? 1 : 0);
        if (name == nullptr || name->empty() || name->size() > 100 || adoption == nullptr ||
            !adoption->is_object() || s.as_object().size() != keys ||
            (by_item != nullptr && !by_item->is_object())) {
          return Invalid(
              "each scenario is {\"name\": text (1-100), \"adoption\": {kind: share}, "
              "optionally \"by_item\": {item: share}}");
        }
        Scenario scenario;
        scenario.name = *name;
        if (by_item != nullptr) {
          for (const auto& [item, share] : by_item->as_object()) {
            auto it = std::find(kItemNames.begin(), kItemNames.end(), item);
            if (it == kItemNames.end()) {
              return Invalid("unknown item \"" + item.substr(0, 40) + "\"");
            }
            LANYARD_ASSIGN_OR_RETURN(scenario.item_adoption[it - kItemNames.begin()],
                                     Number(share, "an adoption share", 0, 1));
          }
        }
        for (const auto& [kind, share] : adoption->as_object()) {
          if (kind.empty() || kind.size() > 40) return Invalid("an organisation kind is 1-40 long");
          LANYARD_ASSIGN_OR_RETURN(scenario.adoption[kind],
                                   Number(share, "an adoption share", 0, 1));
        }
        set.scenarios.push_back(std::move(scenario));
      }
    } else if (key == "avoidable") {
      if (!value.is_object()) return Invalid("\"avoidable\" is {item: share}");
      for (const auto& [item, share] : value.as_object()) {
        auto it = std::find(kItemNames.begin(), kItemNames.end(), item);
        if (it == kItemNames.end()) return Invalid("unknown item \"" + item.substr(0, 40) + "\"");
        LANYARD_ASSIGN_OR_RETURN(set.avoidable[it - kItemNames.begin()],
                                 Number(share, "an avoidable share", 0, 1));
      }
    } else if (key == "staff_hour_cost_gbp") {
      LANYARD_ASSIGN_OR_RETURN(set.costs.staff_hour_cost_gbp,
                               Number(value, "staff_hour_cost_gbp", 0, 10000));
    } else if (key == "elasticity") {
      LANYARD_ASSIGN_OR_RETURN(set.elasticity, Number(value, "elasticity", 0, 10));
    } else if (key == "relative_sd") {
      LANYARD_ASSIGN_OR_RETURN(set.relative_sd, Number(value, "relative_sd", 0, 1));
    } else if (key == "draws") {
      LANYARD_ASSIGN_OR_RETURN(double draws, Number(value, "draws", 1, 100000));
      set.draws = static_cast<int>(draws);
    } else if (key == "seed") {
      LANYARD_ASSIGN_OR_RETURN(double seed, Number(value, "seed", 0, 9007199254740991.0));
      set.seed = static_cast<uint64_t>(seed);
    } else {
      return Invalid("unknown key \"" + key.substr(0, 40) + "\"");
    }
  }
  return set;
}

std::vector<Table> ScenarioTables(const ScenarioSet& set, const MovementAggregate& aggregate,
                                  const OrganisationTable& orgs) {
  // The base: what each kind of receiving organisation repeated.
  struct KindTotals {
    int64_t moves = 0;
    std::array<int64_t, kItems> repeated{};
    uint64_t days_to_clear_sum = 0, days_to_clear_known = 0;
  };
  std::map<std::string, KindTotals> kinds;
  const auto& receiving = aggregate.receiving();
  for (size_t org = 0; org < receiving.size() && org < orgs.size(); ++org) {
    const auto& r = receiving[org];
    if (r.moves == 0) continue;
    KindTotals& k = kinds[orgs.at(static_cast<uint16_t>(org)).kind];
    k.moves += static_cast<int64_t>(r.moves);
    for (int i = 0; i < kItems; ++i) k.repeated[i] += static_cast<int64_t>(r.repeated[i]);
    k.days_to_clear_sum += r.days_to_clear_sum;
    k.days_to_clear_known += r.days_to_clear_known;
  }
  Table base;
  base.name = "repeats_by_receiving_kind";
  base.title = "Moves and repeats by kind of receiving organisation (the scenarios' base)";
  base.columns = {"kind", "item", "n"};
  base.label_columns = 2;
  base.count_columns = 1;
  base.groups = {{}, {0}, {1}};
  for (const auto& [kind, k] : kinds) {
    base.rows.push_back({{kind, "moves"}, {k.moves}, {}});
    for (int i = 0; i < kItems; ++i) {
      base.rows.push_back({{kind, std::string(kItemNames[i])}, {k.repeated[i]}, {}});
    }
  }
  const auto published = Publish(base);
  struct Shown {
    double moves = 0;
    std::array<double, kItems> repeated{};
    double time_to_clear = 0;
  };
  std::map<std::string, Shown> shown;
  {
    size_t row = 0;
    for (const auto& [kind, k] : kinds) {
      Shown& s = shown[kind];
      s.moves = static_cast<double>(published[row++][0].value);
      for (int i = 0; i < kItems; ++i) {
        s.repeated[i] = static_cast<double>(published[row++][0].value);
      }
      if (k.days_to_clear_known > 0) {
        s.time_to_clear =
            static_cast<double>(k.days_to_clear_sum) / static_cast<double>(k.days_to_clear_known);
      }
    }
  }

  Table t;
  t.name = "passport_scenarios";
  t.title = "What a passport changes (mean, and 90% interval over the uncertain assumptions)";
  t.columns = {"scenario", "measure", "mean", "p05", "p95"};
  t.label_columns = 2;
  t.count_columns = 0;
  const CostParameters& c = set.costs;
  const int training_subjects = kItems - kInductionItem - 1;
  double all_moves = 0;
  for (const auto& [kind, s] : shown) all_moves += s.moves;
  for (const Scenario& scenario : set.scenarios) {
    std::mt19937_64 rng(set.seed);
    std::normal_distribution<double> factor(1.0, set.relative_sd);
    auto draw = [&] { return std::max(0.0, factor(rng)); };
    std::vector<double> days(set.draws), hours(set.draws), cost(set.draws), more(set.draws),
        per_move(set.draws);
    for (int d = 0; d < set.draws; ++d) {
      const double f_adopt = draw(), f_hours = draw(), f_days = draw(), f_elastic = draw();
      double saved_days = 0, saved_hours = 0, extra = 0;
      for (const auto& [kind, s] : shown) {
        auto adoption = scenario.adoption.find(kind);
        if (adoption == scenario.adoption.end() || s.moves <= 0) continue;
        const double adopted = std::min(1.0, adoption->second * f_adopt);
        double before = 0, after = 0, kind_days = 0;
        for (int i = 0; i < kItems; ++i) {
          const double repeated = s.repeated[i];
          const double avoided = repeated * adopted * scenario.item_adoption[i] * set.avoidable[i];
          saved_hours += avoided * c.staff_hours_if_repeated[i] * f_hours;
          if (i < kInductionItem) {
            // Checks run side by side: the slowest repeated one sets the delay.
            before = std::max(before, repeated / s.moves * c.elapsed_days_if_repeated[i]);
            after = std::max(after, (repeated - avoided) / s.moves * c.elapsed_days_if_repeated[i]);
          } else if (i == kInductionItem) {
            kind_days += avoided * c.elapsed_days_if_repeated[i];
          } else {
            kind_days += avoided / training_subjects;  // a day a year across the subjects
          }
        }
        const double delay_saved = (before - after) * f_days;
        saved_days += kind_days * f_days + delay_saved * s.moves;
        if (s.time_to_clear > 0) {
          extra +=
              s.moves * set.elasticity * f_elastic * std::min(1.0, delay_saved / s.time_to_clear);
        }
      }
      days[d] = saved_days;
      hours[d] = saved_hours;
      cost[d] = saved_hours * c.staff_hour_cost_gbp;
      more[d] = extra;
      per_move[d] = all_moves > 0 ? saved_days / all_moves : 0;
    }
    const std::pair<const char*, std::vector<double>*> measures[] = {
        {"days_saved", &days},
        {"days_saved_per_move", &per_move},
        {"staff_hours_saved", &hours},
        {"cost_saved_gbp", &cost},
        {"additional_movements", &more}};
    for (const auto& [name, sample] : measures) {
      auto [mean, lo, hi] = Summarise(*sample);
      t.rows.push_back(
          {{scenario.name, name},
           {},
           {SignificantFigures(mean), SignificantFigures(lo), SignificantFigures(hi)}});
    }
  }
  return {std::move(base), std::move(t)};
}

}  // namespace lanyard::analytics
