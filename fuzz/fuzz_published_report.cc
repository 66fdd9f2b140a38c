// Fuzzes the published-report reader (analytics/published_report.h), what the research pages
// read from report.json: every input is refused with one of the documented errors, or gives
// tables that keep the disclosure rules (no visible count below 5 or unrounded, no measure
// beside a hidden count) and render without fault.
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "lanyard/analytics/html_report.h"
#include "lanyard/analytics/published_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lanyard::analytics;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto report = ParsePublishedReport(text);
  if (!report.ok()) {
    static const std::set<std::string> kReasons = {
        "report.too_large", "report.invalid", "report.invalid_table", "report.duplicate_table"};
    const std::string& reason = report.error().reason;
    if (!kReasons.contains(reason) && !reason.starts_with("input.")) std::abort();
    return 0;
  }
  for (const PublishedTable& t : report->tables) {
    if (!IsTableName(t.name)) std::abort();
    for (const auto& row : t.rows) {
      if (row.labels.size() != t.label_columns || row.counts.size() != t.count_columns) {
        std::abort();
      }
      for (const PublishedCount& c : row.counts) {
        if (!c.hidden && (c.value < 0 || c.value % kRoundTo != 0)) std::abort();
      }
      if (!row.counts.empty() && row.counts[0].hidden) {
        for (const auto& v : row.values) {
          if (v) std::abort();
        }
      }
    }
  }
  ReportBodyOptions options;
  options.csv_prefix = "/research/tables/";
  if (RenderReportBody(report->tables, options).empty()) std::abort();
  return 0;
}
