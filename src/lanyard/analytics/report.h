// `lanyard analytics report`: every CSV under an input folder read and checked, the analyses
// run, and the published tables written (tables/*.csv and report.json, all under disclosure
// control). Files are recognised by their header: organisations.csv, any number of movements
// files (Lanyard's own format, movement_csv.h), workforce extracts and Lanyard's event export
// (ingest.h).
//
// Thread-safety: reentrant.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "lanyard/analytics/analysis.h"
#include "lanyard/analytics/ingest.h"
#include "lanyard/analytics/movement_csv.h"
#include "lanyard/analytics/scenario.h"
#include "lanyard/core/result.h"

namespace lanyard::analytics {

struct ReportOptions {
  std::string in_dir;
  std::string out_dir;
  int threads = 2;
  // Keys raw identifiers in workforce extracts (ingest.h); without it they are refused.
  std::optional<Bytes> pseudonym_key;
  ScenarioSet scenarios = ScenarioSet::Defaults();  // its costs are the report's costs too
};

struct ReportSummary {
  uint64_t rows = 0, accepted = 0, bytes = 0;
  uint64_t bad_rows = 0;
  std::vector<RowError> first_errors;  // up to 1,000, with file and line
  size_t tables = 0;
};

// Errors: analytics.no_input (no organisations.csv or no movements file), movement.invalid_file,
// analytics.write_failed.
Result<ReportSummary> WriteReport(const ReportOptions& options,
                                  const std::function<void(const std::string&)>& progress = {});

}  // namespace lanyard::analytics
