#include "lanyard/analytics/analysis.h"

#include <algorithm>
#include <map>
#include <string>

namespace lanyard::analytics {
namespace {

constexpr std::string_view kOutcomeNames[] = {"unknown", "reused", "reverified", "repeated",
                                              "not_required"};

std::string Month(int m) { return (m < 9 ? "0" : "") + std::to_string(m + 1); }

// The day at quantile q of a histogram with `total` entries.
double Quantile(const std::vector<uint64_t>& histogram, uint64_t total, double q) {
  if (total == 0) return 0;
  auto want = static_cast<uint64_t>(q * static_cast<double>(total - 1));
  uint64_t seen = 0;
  for (size_t d = 0; d < histogram.size(); ++d) {
    seen += histogram[d];
    if (seen > want) return static_cast<double>(d);
  }
  return static_cast<double>(histogram.size() - 1);
}

const std::string& Label(const OrganisationTable& orgs, uint16_t org, int field) {
  static const std::string kOutside = "outside_nhs";
  if (org == kNoOrganisation) return kOutside;
  const Organisation& o = orgs.at(org);
  return field == 0 ? o.ods : field == 1 ? o.ics : o.region;
}

}  // namespace

CostParameters CostParameters::Defaults() {
  CostParameters c;
  // Elapsed days before a start when an item has to be done again (checks run side by side,
  // so a move's delay is its slowest repeated check): docs/movement-report.md.
  c.elapsed_days_if_repeated = {1, 2, 0, 10, 14, 7, 2};
  for (int i = kInductionItem + 1; i < kItems; ++i) c.elapsed_days_if_repeated[i] = 0;
  // Staff hours (recruitment, occupational health, the new starter) per repeated item;
  // a year's statutory and mandatory training is about one working day across 11 subjects.
  c.staff_hours_if_repeated = {1.0, 1.0, 0.5, 2.0, 1.5, 2.0, 16.0};
  for (int i = kInductionItem + 1; i < kItems; ++i) c.staff_hours_if_repeated[i] = 7.5 / 11;
  c.staff_hour_cost_gbp = 25.0;
  return c;
}

MovementAggregate::MovementAggregate() : clear_days_(kMechanisms) {}

void MovementAggregate::Add(const MovementEvent& e) {
  const int cls = static_cast<int>(e.event_class);
  const int mech = static_cast<int>(e.mechanism);
  ++events_[cls];
  int year, month, day;
  CivilFromDay(e.date, &year, &month, &day);
  ++by_month_[cls][month - 1];
  ++by_mechanism_reason_[mech][static_cast<int>(e.reason)];
  if (e.event_class != EventClass::kShift) {
    ++flows_[(static_cast<uint32_t>(e.from_org) << 16) | e.to_org][cls];
  }
  if (e.event_class == EventClass::kOrganisationChange) {
    PersonMoves& p = people_[e.person];
    ++p.moves;
    p.group = e.staff_group;
  }
  if (std::any_of(e.outcomes.begin(), e.outcomes.end(),
                  [](Outcome o) { return o != Outcome::kUnknown; })) {
    ++with_outcomes_[mech];
    for (int i = 0; i < kItems; ++i) ++outcomes_[mech][i][static_cast<int>(e.outcomes[i])];
    if (e.to_org >= receiving_.size()) receiving_.resize(e.to_org + 1u);
    Receiving& r = receiving_[e.to_org];
    ++r.moves;
    for (int i = 0; i < kItems; ++i) r.repeated[i] += e.outcomes[i] == Outcome::kRepeated ? 1 : 0;
    if (e.days_to_clear) {
      r.days_to_clear_sum += *e.days_to_clear;
      ++r.days_to_clear_known;
    }
  }
  if (e.days_to_clear) {
    if (clear_days_[mech].empty()) clear_days_[mech].assign(kMaxDays + 1, 0);
    ++clear_days_[mech][std::min<int>(*e.days_to_clear, kMaxDays)];
  }
  if (e.induction_days) {
    induction_days_[mech] += *e.induction_days;
    ++induction_known_[mech];
  }
}

void MovementAggregate::Merge(const MovementAggregate& o) {
  for (int c = 0; c < kEventClasses; ++c) {
    events_[c] += o.events_[c];
    for (int m = 0; m < 12; ++m) by_month_[c][m] += o.by_month_[c][m];
  }
  for (const auto& [key, counts] : o.flows_) {
    auto& mine = flows_[key];
    mine[0] += counts[0];
    mine[1] += counts[1];
  }
  for (const auto& [person, moves] : o.people_) {
    PersonMoves& p = people_[person];
    p.moves += moves.moves;
    p.group = moves.group;
  }
  for (int m = 0; m < kMechanisms; ++m) {
    for (int r = 0; r < kReasons; ++r) by_mechanism_reason_[m][r] += o.by_mechanism_reason_[m][r];
    for (int i = 0; i < kItems; ++i) {
      for (int k = 0; k < 5; ++k) outcomes_[m][i][k] += o.outcomes_[m][i][k];
    }
    with_outcomes_[m] += o.with_outcomes_[m];
    if (!o.clear_days_[m].empty()) {
      if (clear_days_[m].empty()) clear_days_[m].assign(kMaxDays + 1, 0);
      for (size_t d = 0; d < o.clear_days_[m].size(); ++d) clear_days_[m][d] += o.clear_days_[m][d];
    }
    induction_days_[m] += o.induction_days_[m];
    induction_known_[m] += o.induction_known_[m];
  }
  if (o.receiving_.size() > receiving_.size()) receiving_.resize(o.receiving_.size());
  for (size_t org = 0; org < o.receiving_.size(); ++org) {
    Receiving& mine = receiving_[org];
    const Receiving& theirs = o.receiving_[org];
    mine.moves += theirs.moves;
    for (int i = 0; i < kItems; ++i) mine.repeated[i] += theirs.repeated[i];
    mine.days_to_clear_sum += theirs.days_to_clear_sum;
    mine.days_to_clear_known += theirs.days_to_clear_known;
  }
}

std::vector<Table> BuildTables(const MovementAggregate& a, const OrganisationTable& orgs,
                               const CostParameters& costs) {
  std::vector<Table> out;
  auto table = [&](std::string name, std::string title, std::vector<std::string> columns,
                   size_t labels, size_t counts) -> Table& {
    Table t;
    t.name = std::move(name);
    t.title = std::move(title);
    t.columns = std::move(columns);
    t.label_columns = labels;
    t.count_columns = counts;
    out.push_back(std::move(t));
    return out.back();
  };

  Table& classes = table("events_by_class", "Events by class", {"class", "n"}, 1, 1);
  for (int c = 0; c < kEventClasses; ++c) {
    classes.rows.push_back({{std::string(EventClassName(static_cast<EventClass>(c)))},
                            {static_cast<int64_t>(a.events_[c])},
                            {}});
  }

  // Corridors at three levels. The organisation level lists the 100 busiest; the system and
  // region levels list every pair with a movement.
  const char* level_names[] = {"org", "system", "region"};
  const char* level_titles[] = {"organisations", "integrated care systems", "regions"};
  const char* level_columns[] = {"ods", "ics", "region"};
  for (int level = 0; level < 3; ++level) {
    std::map<std::pair<std::string, std::string>, std::array<int64_t, 2>> pairs;
    for (const auto& [key, counts] : a.flows_) {
      auto from = static_cast<uint16_t>(key >> 16), to = static_cast<uint16_t>(key & 0xffff);
      auto& cell = pairs[{Label(orgs, from, level), Label(orgs, to, level)}];
      cell[0] += static_cast<int64_t>(counts[0]);
      cell[1] += static_cast<int64_t>(counts[1]);
    }
    std::vector<std::pair<std::pair<std::string, std::string>, std::array<int64_t, 2>>> rows(
        pairs.begin(), pairs.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
      return x.second[0] + x.second[1] > y.second[0] + y.second[1];
    });
    if (level == 0 && rows.size() > 100) rows.resize(100);
    Table& t = table(
        std::string("corridors_") + level_names[level],
        std::string("Main corridors between ") + level_titles[level],
        {std::string("from_") + level_columns[level], std::string("to_") + level_columns[level],
         "organisation_change_count", "temporary_move_count"},
        2, 2);
    t.groups = {{}, {0}, {1}};
    for (const auto& [names, counts] : rows) {
      t.rows.push_back({{names.first, names.second}, {counts[0], counts[1]}, {}});
    }
  }

  // Organisation changes per person, by staff group.
  {
    std::map<std::pair<int, int>, int64_t> bins;  // (group, moves capped at 16)
    for (const auto& [person, p] : a.people_) {
      ++bins[{static_cast<int>(p.group), static_cast<int>(std::min<uint32_t>(p.moves, 16))}];
    }
    Table& t = table("moves_per_person", "Organisation changes per person, by staff group",
                     {"staff_group", "moves", "n"}, 2, 1);
    t.groups = {{}, {0}};
    for (const auto& [key, n] : bins) {
      t.rows.push_back({{std::string(StaffGroupName(static_cast<StaffGroup>(key.first))),
                         key.second == 16 ? "16+" : std::to_string(key.second)},
                        {n},
                        {}});
    }
  }

  {
    Table& t = table("seasonality", "Events by month of the year", {"class", "month", "n"}, 2, 1);
    t.groups = {{}, {0}};
    for (int c = 0; c < kEventClasses; ++c) {
      for (int m = 0; m < 12; ++m) {
        t.rows.push_back({{std::string(EventClassName(static_cast<EventClass>(c))), Month(m)},
                          {static_cast<int64_t>(a.by_month_[c][m])},
                          {}});
      }
    }
  }

  {
    Table& t = table("mechanisms_reasons", "Mechanisms and reasons",
                     {"class", "mechanism", "reason", "n"}, 3, 1);
    t.groups = {{}, {0}, {1}};
    for (int m = 0; m < kMechanisms; ++m) {
      auto mech = static_cast<Mechanism>(m);
      for (int r = 0; r < kReasons; ++r) {
        auto n = static_cast<int64_t>(a.by_mechanism_reason_[m][r]);
        if (n == 0) continue;
        t.rows.push_back(
            {{std::string(EventClassName(ClassOf(mech))), std::string(MechanismName(mech)),
              std::string(ReasonName(static_cast<Reason>(r)))},
             {n},
             {}});
      }
    }
  }

  // Row of the checks table holding each (mechanism, item)'s repeats: days_lost is derived
  // from those counts as published, so it can never give back one the checks table hides.
  std::array<std::array<size_t, kItems>, kMechanisms> repeated_row{};
  {
    // Long form, one count column: each (mechanism, item) set adds up to the moves of that
    // mechanism with outcomes recorded, which the next table publishes.
    Table& t = table("checks", "What receiving organisations did, item by item",
                     {"mechanism", "item", "outcome", "n"}, 3, 1);
    t.groups = {{}, {0, 1}, {0, 2}};
    for (int m = 0; m < kMechanisms; ++m) {
      if (a.with_outcomes_[m] == 0) continue;
      for (int i = 0; i < kItems; ++i) {
        repeated_row[m][i] = t.rows.size() + 2;  // k = 3, "repeated"
        for (int k = 1; k < 5; ++k) {
          t.rows.push_back({{std::string(MechanismName(static_cast<Mechanism>(m))),
                             std::string(kItemNames[i]), std::string(kOutcomeNames[k])},
                            {static_cast<int64_t>(a.outcomes_[m][i][k])},
                            {}});
        }
      }
    }
  }

  {
    // Days lost per move: the delay to the start from repeated checks (they run side by side,
    // so the slowest decides; counted here as the largest of the checks' average delays, a
    // lower bound), plus the induction days recorded, plus a day of training for every 11
    // subjects repeated. Computed from the published (rounded) counts of the checks table and
    // the published number of moves; withheld for a mechanism with any repeat count hidden.
    const Table& checks = out.back();
    const auto published = Publish(checks);
    Table& t =
        table("days_lost", "Days and staff hours spent repeating checks, induction and training",
              {"mechanism", "moves_count", "repeated_items_per_move", "days_lost_per_move",
               "staff_hours_per_move", "cost_gbp_per_move"},
              1, 1);
    for (int m = 0; m < kMechanisms; ++m) {
      const uint64_t moves = a.with_outcomes_[m];
      if (moves == 0) continue;
      Table::Row row{{std::string(MechanismName(static_cast<Mechanism>(m)))},
                     {static_cast<int64_t>(moves)},
                     {std::nullopt, std::nullopt, std::nullopt, std::nullopt}};
      const PublishedCount moves_shown = PublishOne(static_cast<int64_t>(moves));
      const int64_t shown_moves = moves_shown.value;
      bool hidden = moves_shown.hidden || shown_moves == 0;
      double repeated = 0, hours = 0, delay = 0, training = 0;
      for (int i = 0; i < kItems && !hidden; ++i) {
        const PublishedCount& p = published[repeated_row[m][i]][0];
        if (p.hidden) {
          hidden = true;
          break;
        }
        const double r = static_cast<double>(p.value);
        repeated += r;
        hours += r * costs.staff_hours_if_repeated[i];
        if (i < kInductionItem) {
          delay = std::max(
              delay, r / static_cast<double>(shown_moves) * costs.elapsed_days_if_repeated[i]);
        } else if (i > kInductionItem) {
          training += r / (kItems - kInductionItem - 1);
        }
      }
      if (!hidden) {
        const double per_move = 1.0 / static_cast<double>(shown_moves);
        const double induction = a.induction_known_[m]
                                     ? static_cast<double>(a.induction_days_[m]) /
                                           static_cast<double>(a.induction_known_[m])
                                     : 0;
        row.values = {repeated * per_move, delay + induction + training * per_move,
                      hours * per_move, hours * per_move * costs.staff_hour_cost_gbp};
      }
      t.rows.push_back(std::move(row));
    }
  }

  {
    Table& t = table("time_to_clear", "Days from offer to cleared-to-start",
                     {"mechanism", "n", "median_days", "p90_days"}, 1, 1);
    for (int m = 0; m < kMechanisms; ++m) {
      const auto& h = a.clear_days_[m];
      if (h.empty()) continue;
      uint64_t total = 0;
      for (uint64_t c : h) total += c;
      t.rows.push_back({{std::string(MechanismName(static_cast<Mechanism>(m)))},
                        {static_cast<int64_t>(total)},
                        {Quantile(h, total, 0.5), Quantile(h, total, 0.9)}});
    }
  }
  return out;
}

}  // namespace lanyard::analytics
