// A movement report as `lanyard analytics report` published it (report.json), read back so that
// the web pages can show it to analysts. Only published values are in that file: every count
// is already under disclosure control (table.h), so the pages cannot show more than the files.
//
// Thread-safety: ParsePublishedReport is a pure function; ReportFolder may be used from many
// threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/analytics/table.h"
#include "lanyard/core/result.h"

namespace lanyard::analytics {

inline constexpr std::string_view kReportFormat = "lanyard-movement-report/1";
// An England-scale ten-year report.json is a few megabytes; this leaves room for many more
// organisations without letting a stray file exhaust the server's memory.
inline constexpr size_t kMaxReportJsonBytes = 64 * 1024 * 1024;
inline constexpr size_t kMaxReportTables = 256;

struct PublishedReport {
  // Statistics of the input files (exact: they count rows, not people).
  uint64_t files_read = 0;
  uint64_t rows_read = 0;
  uint64_t rows_rejected = 0;
  std::vector<PublishedTable> tables;

  const PublishedTable* FindTable(std::string_view name) const;
};

// Errors: report.too_large, the JSON parser's input.* errors, report.invalid (not a movement
// report of this format), report.invalid_table (table.h), report.duplicate_table.
Result<PublishedReport> ParsePublishedReport(std::string_view text);

// The report folder a deployment publishes (`lanyard serve --research-report DIR`). Operators
// replace its contents when they run a new report; the folder is read when first asked for and
// again whenever report.json changes, so a new report shows without a restart.
class ReportFolder {
 public:
  explicit ReportFolder(std::string dir);

  // The current report. Errors: research.no_report (no report.json in the folder),
  // report.read_failed, and ParsePublishedReport's errors.
  Result<std::shared_ptr<const PublishedReport>> Current() const;
  const std::string& dir() const { return dir_; }

 private:
  const std::string dir_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const PublishedReport> report_;
  mutable std::filesystem::file_time_type modified_{};
  mutable uintmax_t size_ = 0;
};

}  // namespace lanyard::analytics
