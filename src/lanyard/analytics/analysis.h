// The analyses of staff movement: one pass over the events, in parallel (each reader thread
// adds to its own MovementAggregate; they are merged at the end), then published tables.
//
// What the tables answer (docs/movement-report.md has each table's columns):
// flows between organisations, systems and regions (the main corridors); moves per person by
// staff group; seasonality by month; mechanisms and reasons; what was reused, re-verified and
// repeated per move, check by check; days lost to repeated checks, induction and training; and
// the time from offer to cleared-to-start.
//
// Thread-safety: a MovementAggregate is used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "lanyard/analytics/movement.h"
#include "lanyard/analytics/movement_csv.h"
#include "lanyard/analytics/table.h"

namespace lanyard::analytics {

// What a repeated item costs the person moving (elapsed days before they can start) and the
// organisation (staff hours). Each is a named, documented assumption; defaults in analysis.cc
// follow docs/readiness.md and docs/movement-report.md.
struct CostParameters {
  std::array<double, kItems> elapsed_days_if_repeated{};
  std::array<double, kItems> staff_hours_if_repeated{};
  double staff_hour_cost_gbp = 0;
  static CostParameters Defaults();
};

class MovementAggregate {
 public:
  MovementAggregate();
  void Add(const MovementEvent& e);
  // Adds `other` into this one.
  void Merge(const MovementAggregate& other);

  uint64_t events(EventClass c) const { return events_[static_cast<int>(c)]; }

  // What each receiving organisation repeated: the base of the passport scenarios.
  struct Receiving {
    uint64_t moves = 0;  // movements into it with outcomes recorded
    std::array<uint64_t, kItems> repeated{};
    uint64_t days_to_clear_sum = 0, days_to_clear_known = 0;
  };
  const std::vector<Receiving>& receiving() const { return receiving_; }

 private:
  friend std::vector<Table> BuildTables(const MovementAggregate&, const OrganisationTable&,
                                        const CostParameters&);
  static constexpr int kMaxDays = 3650;

  std::array<uint64_t, kEventClasses> events_{};
  // Movements (organisation changes and temporary moves) by (from << 16 | to) and class.
  std::unordered_map<uint32_t, std::array<uint64_t, 2>> flows_;
  // Organisation changes per person, with the staff group last seen.
  struct PersonMoves {
    uint32_t moves = 0;
    StaffGroup group = StaffGroup::kNurseAndMidwife;
  };
  std::unordered_map<uint64_t, PersonMoves> people_;
  std::array<std::array<uint64_t, 12>, kEventClasses> by_month_{};
  std::array<std::array<uint64_t, kReasons>, kMechanisms> by_mechanism_reason_{};
  // [mechanism][item][outcome]
  std::array<std::array<std::array<uint64_t, 5>, kItems>, kMechanisms> outcomes_{};
  std::array<uint64_t, kMechanisms> with_outcomes_{};
  // days_to_clear histogram per mechanism (0 .. kMaxDays)
  std::vector<std::vector<uint64_t>> clear_days_;
  std::array<uint64_t, kMechanisms> induction_days_{}, induction_known_{};
  std::vector<Receiving> receiving_;  // by organisation index
};

// The published tables (under disclosure control when written).
std::vector<Table> BuildTables(const MovementAggregate& aggregate, const OrganisationTable& orgs,
                               const CostParameters& costs);

}  // namespace lanyard::analytics
