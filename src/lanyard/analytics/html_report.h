// The movement report as one self-contained HTML page: SVG charts (a flow diagram of the main
// corridors between regions, moves per person by staff group, seasonality, savings by
// scenario) and every table, drawn only from the published (disclosure-controlled) values. No
// scripts, fonts or images from anywhere: it opens from a file, and prints on A4.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lanyard/analytics/table.h"

namespace lanyard::analytics {

struct HtmlReportInput {
  std::string title = "NHS staff movement report";
  std::string subtitle;  // e.g. the input's size
  const std::vector<PublishedTable>* tables = nullptr;
};

// The whole document, its style inline (it must open from a file); its tables link to
// tables/NAME.csv beside it.
std::string RenderHtmlReport(const HtmlReportInput& input);

// The report's sections without a document around them, for a page that has its own title and
// layout; each table links to `csv_prefix` + NAME.csv. Charts whose table is missing or of
// another shape are left out.
struct ReportBodyOptions {
  std::string csv_prefix = "tables/";
  size_t max_table_rows = 60;  // the rest are in the CSV file, and a line says how many
};
std::string RenderReportBody(const std::vector<PublishedTable>& tables,
                             const ReportBodyOptions& options);

// The charts' and tables' style rules, each selector inside `scope` (a CSS selector; "" for
// none), for a page that serves them as a stylesheet of its own.
std::string ReportStyle(std::string_view scope);

}  // namespace lanyard::analytics
