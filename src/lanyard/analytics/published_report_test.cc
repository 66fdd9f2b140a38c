#include "lanyard/analytics/published_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "lanyard/analytics/html_report.h"
#include "lanyard/json/canonical.h"

namespace lanyard::analytics {
namespace {

namespace fs = std::filesystem;

PublishedTable Regions() {
  Table t;
  t.name = "corridors_region";
  t.title = "Organisation changes between regions";
  t.columns = {"from_region", "to_region", "n"};
  t.label_columns = 2;
  t.count_columns = 1;
  t.rows.push_back({{"Y56", "Y59"}, {120}, {}});
  t.rows.push_back({{"Y59", "Y56"}, {3}, {}});
  t.rows.push_back({{"Y59", "Y60"}, {48}, {}});
  return PublishTable(t);
}

std::string ReportJson(std::vector<json::Value> tables, std::string format = "") {
  json::Value doc = json::Object{};
  doc.Set("format", format.empty() ? std::string(kReportFormat) : format);
  json::Value input = json::Object{};
  input.Set("files_read", 2.0);
  input.Set("rows_read", 1234.0);
  input.Set("rows_rejected", 1.0);
  doc.Set("input", std::move(input));
  doc.Set("tables", json::Value(json::Array(tables.begin(), tables.end())));
  return json::Serialize(doc);
}

TEST(PublishedReportTest, ReadsWhatTheReportWrote) {
  auto report = ParsePublishedReport(ReportJson({TableJson(Regions())}));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->rows_read, 1234u);
  EXPECT_EQ(report->files_read, 2u);
  EXPECT_EQ(report->rows_rejected, 1u);
  const PublishedTable* t = report->FindTable("corridors_region");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->rows[1].counts[0].hidden);
  EXPECT_EQ(report->FindTable("nothing"), nullptr);
}

TEST(PublishedReportTest, RefusesWhatIsNotAMovementReport) {
  EXPECT_EQ(ParsePublishedReport("[1,2").error().reason, "input.syntax");
  EXPECT_EQ(ParsePublishedReport("{}").error().reason, "report.invalid");
  EXPECT_EQ(ParsePublishedReport(ReportJson({}, "lanyard-movement-report/0")).error().reason,
            "report.invalid");
  EXPECT_EQ(
      ParsePublishedReport(ReportJson({TableJson(Regions()), TableJson(Regions())})).error().reason,
      "report.duplicate_table");
  json::Value broken = TableJson(Regions());
  broken.Set("rows", json::Value(json::Array{json::Value(json::Array{json::Value(1.0)})}));
  EXPECT_EQ(ParsePublishedReport(ReportJson({broken})).error().reason, "report.invalid_table");
  EXPECT_EQ(ParsePublishedReport(std::string(kMaxReportJsonBytes + 1, ' ')).error().reason,
            "report.too_large");
}

TEST(PublishedReportTest, TheBodyShowsOnlyPublishedValues) {
  std::vector<PublishedTable> tables = {Regions()};
  ReportBodyOptions options;
  options.csv_prefix = "/research/tables/";
  std::string body = RenderReportBody(tables, options);
  EXPECT_NE(body.find("href=\"/research/tables/corridors_region.csv\""), std::string::npos);
  EXPECT_NE(body.find("&lt;5"), std::string::npos);
  EXPECT_EQ(body.find(">3<"), std::string::npos);
  EXPECT_EQ(body.find("<style"), std::string::npos);  // pages allow no inline style
  EXPECT_EQ(body.find("style="), std::string::npos);
  // The page's stylesheet is scoped to the report's container.
  EXPECT_NE(ReportStyle(".r").find(".r .bar{fill:#005eb8}"), std::string::npos);
}

TEST(PublishedReportTest, TheFolderIsReadAgainWhenItsReportChanges) {
  const fs::path dir = fs::temp_directory_path() / ("lanyard-report-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ReportFolder folder(dir.string());
  EXPECT_EQ(folder.Current().error().reason, "research.no_report");
  auto write = [&](const std::string& text) {
    std::ofstream(dir / "report.json", std::ios::trunc) << text;
  };
  write(ReportJson({TableJson(Regions())}));
  auto first = folder.Current();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ((*first)->tables.size(), 1u);
  EXPECT_EQ(folder.Current()->get(), first->get());  // unchanged: the same report
  write(ReportJson({}) + "  ");                      // a new report (and a new size)
  auto second = folder.Current();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*second)->tables.empty());
  write("{\"format\":");
  EXPECT_EQ(folder.Current().error().reason, "input.syntax");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lanyard::analytics
