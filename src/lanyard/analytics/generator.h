// A synthetic NHS England workforce and its movements, for trying the research tools at full
// scale without personal data. Seeded and deterministic: the same options write the same bytes.
//
// It is calibrated to the published figures in docs/movement-data.md (sources listed there):
// about 1.5 million staff in about 209 trusts, 42 integrated care systems and 7 regions; about
// 250,000 new starters a year, about half from another NHS organisation; 55,000-75,000 resident
// doctors, each changing organisation about 10 (at most 16) times in ten years, about 50,000 of
// them rotating on the first Wednesday of August; doctors 20-25% of movements between NHS
// organisations; bank and collaborative-bank shifts as their own class. Each figure is a
// named parameter here and a calibration test.
//
// It writes organisations.csv and movements.csv (movement_csv.h) into a directory, streaming:
// memory is the population (a few bytes a person), not the events.
//
// Thread-safety: GenerateWorkforce is reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lanyard/analytics/movement.h"
#include "lanyard/analytics/movement_csv.h"
#include "lanyard/core/result.h"

namespace lanyard::analytics {

enum class Scale { kEngland, kSystem, kTrust };
// "england", "system", "trust". Errors: analytics.invalid_scale.
Result<Scale> ParseScale(std::string_view name);

struct GeneratorOptions {
  Scale scale = Scale::kEngland;
  int years = 10;  // 1 to 30, ending with the last full calendar year before `end_year`
  int end_year = 2026;
  uint64_t seed = 1;

  // Calibration (England; smaller scales keep the same rates per member of staff).
  int64_t staff = 1'500'000;
  int trusts = 209;
  int systems = 42;
  int64_t resident_doctors = 65'000;
  double new_starters_per_staff = 250'000.0 / 1'500'000.0;  // a year
  double new_starters_from_nhs = 0.5;
  double doctors_rotating_in_august = 50'000.0 / 65'000.0;
  double doctor_org_changes_per_year = 1.0;  // about 10 in a ten-year career
  int doctor_max_org_changes_per_decade = 16;
  double temporary_moves_per_staff = 0.06;         // a year: secondment, Licence to Attend, ...
  double bank_workers = 0.10;                      // share of staff who also work bank shifts
  double shifts_elsewhere_per_bank_worker = 17.0;  // a year, at another organisation
};

struct GeneratorSummary {
  int64_t staff = 0;
  int64_t resident_doctors = 0;  // in post at any time (each leaver's place is filled)
  int organisations = 0;
  std::vector<std::string> scope;  // ODS codes of the trusts whose staff were generated
  int64_t events[kEventClasses] = {};
  int64_t doctor_rotations = 0;            // placement changes, whether or not the org changes
  int64_t doctor_rotations_in_august = 0;  // on the first Wednesday of August, all years
  int64_t bytes = 0;
};

// Writes organisations.csv and movements.csv into `out_dir` (created if needed). `progress`,
// when set, is told the fraction done now and then. Errors: analytics.invalid_options,
// analytics.write_failed.
Result<GeneratorSummary> GenerateWorkforce(const GeneratorOptions& options,
                                           const std::string& out_dir,
                                           const std::function<void(double)>& progress = {});

// The same events, to `sink` instead of files (the calibration tests read them this way), and
// the organisation table to `organisations` when not null. Errors: analytics.invalid_options.
Result<GeneratorSummary> GenerateEvents(const GeneratorOptions& options,
                                        const std::function<void(const MovementEvent&)>& sink,
                                        OrganisationTable* organisations = nullptr,
                                        const std::function<void(double)>& progress = {});

// The first Wednesday of a month: the resident doctors' changeover day.
Day FirstWednesday(int year, int month);

}  // namespace lanyard::analytics
