// The movement report as one self-contained HTML page: SVG charts (a flow diagram of the main
// corridors between regions, moves per person by staff group, seasonality, savings by
// scenario) and every table, drawn only from the published (disclosure-controlled) values. No
// scripts, fonts or images from anywhere: it opens from a file, and prints on A4.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "lanyard/analytics/table.h"

namespace lanyard::analytics {

struct HtmlReportInput {
  std::string title = "NHS staff movement report";
  std::string subtitle;  // e.g. the input's size
  const std::vector<Table>* tables = nullptr;
};

std::string RenderHtmlReport(const HtmlReportInput& input);

}  // namespace lanyard::analytics
