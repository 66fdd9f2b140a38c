// The report on small hand-built data with known answers, and the disclosure-control scan of
// every file it writes.
#include "lanyard/analytics/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lanyard/analytics/ingest.h"
#include "lanyard/core/csv.h"
#include "lanyard/json/parser.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::analytics {
namespace {

namespace fs = std::filesystem;
using ::lanyard::testing::ErrorIs;
using ::lanyard::testing::IsOk;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lanyard-report-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
    std::ofstream(dir_ / "in" / "organisations.csv")
        << "ods,name,kind,ics,region\nRGT,\"Cambridge, CUH\",trust,QUE,Y61\n"
           "R1H,Barts,trust,QMF,Y56\nRYJ,Imperial,trust,QRV,Y56\n";
    std::string text = std::string(kMovementsHeader) + "\n";
    auto add = [&](int count, const std::string& row) {
      for (int i = 0; i < count; ++i) {
        char person[17];
        std::snprintf(person, sizeof person, "%016x", ++serial_);
        text += row.substr(0, row.find(',') + 1) + person + row.substr(row.find(','));
        text += "\n";
      }
    };
    // 12 nurses move RGT -> R1H in March, 3 RGT -> RYJ in August; 20 secondments R1H -> RYJ;
    // 40 bank shifts at RYJ.
    add(12,
        "organisation_change,2025-03-10,RGT,R1H,nurse_and_midwife,band5_nurse,"
        "permanent_contract,career_progression,uurrrrruuuuuuuuuuu,60,2");
    add(3,
        "organisation_change,2025-08-06,RGT,RYJ,nurse_and_midwife,band6_nurse,"
        "permanent_contract,relocation,uurrrrruuuuuuuuuuu,90,2");
    add(20,
        "temporary_move,2025-05-01,R1H,RYJ,allied_health,physiotherapist,secondment,"
        "temporary_cover,uuvuuuuuuuuuuuuuuu,10,0");
    add(40,
        "shift,2025-11-20,R1H,RYJ,support_to_clinical,healthcare_assistant,bank,"
        "extra_hours,,,");
    text += "shift,zz,2025-11-20,R1H,RYJ\n";  // one bad row, on line 77
    std::ofstream(dir_ / "in" / "movements.csv", std::ios::binary) << text;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<ReportSummary> Run() {
    ReportOptions options;
    options.in_dir = (dir_ / "in").string();
    options.out_dir = (dir_ / "out").string();
    return WriteReport(options);
  }

  fs::path dir_;
  unsigned serial_ = 0;
};

TEST_F(ReportTest, KnownAnswers) {
  auto summary = Run();
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->rows, 76u);
  EXPECT_EQ(summary->accepted, 75u);
  ASSERT_EQ(summary->first_errors.size(), 1u);
  EXPECT_EQ(summary->first_errors[0].line, 77u);
  EXPECT_EQ(Read(dir_ / "out" / "tables" / "events_by_class.csv"),
            "class,n\norganisation_change,15\ntemporary_move,20\nshift,40\n");
  // 12 rounds to 10; the 3 is hidden, and with it the smallest other cell of RGT's outflow
  // and of RYJ's inflow.
  std::string corridors = Read(dir_ / "out" / "tables" / "corridors_org.csv");
  EXPECT_NE(corridors.find("R1H,RYJ,0,20\n"), std::string::npos) << corridors;
  EXPECT_NE(corridors.find("RGT,RYJ,<5,0\n"), std::string::npos) << corridors;
  EXPECT_NE(corridors.find("RGT,R1H,<5,0\n"), std::string::npos) << corridors;
  std::string regions = Read(dir_ / "out" / "tables" / "corridors_region.csv");
  EXPECT_NE(regions.find("Y56,Y56,0,20\n"), std::string::npos) << regions;
  std::string season = Read(dir_ / "out" / "tables" / "seasonality.csv");
  EXPECT_NE(season.find("shift,11,40\n"), std::string::npos) << season;
  // 12 in March would give away the 3 in August from the published total: both hidden.
  EXPECT_NE(season.find("organisation_change,03,<5\n"), std::string::npos) << season;
  std::string clear = Read(dir_ / "out" / "tables" / "time_to_clear.csv");
  EXPECT_NE(clear.find("permanent_contract,15,60,90\n"), std::string::npos) << clear;
  std::string moves = Read(dir_ / "out" / "tables" / "moves_per_person.csv");
  EXPECT_EQ(moves, "staff_group,moves,n\nnurse_and_midwife,1,15\n");
}

TEST_F(ReportTest, EveryCountInEveryFileIsUnderDisclosureControl) {
  ASSERT_THAT(Run(), IsOk());
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "out" / "tables")) {
    ++files;
    const std::string text = Read(entry.path());  // outlives the reader, which keeps a view
    CsvReader reader(text);
    CsvRecord header, row;
    ASSERT_TRUE(*reader.Next(&header)) << entry.path();
    while (*reader.Next(&row)) {
      for (size_t c = 0; c < header.fields.size(); ++c) {
        if (!IsCountColumnName(header.fields[c])) continue;
        const std::string& v = row.fields[c];
        bool ok = v == "<5" || (!v.empty() && std::stoll(v) % kRoundTo == 0);
        EXPECT_TRUE(ok) << entry.path() << " " << header.fields[c] << "=" << v;
      }
    }
  }
  EXPECT_GE(files, 10u);
  // And in report.json, the same names and the same values.
  auto report = json::Parse(Read(dir_ / "out" / "report.json"));
  ASSERT_THAT(report, IsOk());
  for (const auto& table : report->Find("tables")->as_array()) {
    const auto& columns = table.Find("columns")->as_array();
    for (const auto& row : table.Find("rows")->as_array()) {
      for (size_t c = 0; c < columns.size(); ++c) {
        if (!IsCountColumnName(columns[c].as_string())) continue;
        const json::Value& v = row.as_array()[c];
        bool ok = (v.is_string() && v.as_string() == "<5") ||
                  (v.is_number() && static_cast<int64_t>(v.as_number()) % kRoundTo == 0);
        EXPECT_TRUE(ok) << *table.FindString("name");
      }
    }
  }
}

TEST_F(ReportTest, TheHtmlReportIsSelfContainedAndShowsOnlyPublishedCounts) {
  ASSERT_THAT(Run(), IsOk());
  std::string html = Read(dir_ / "out" / "report.html");
  ASSERT_FALSE(html.empty());
  for (const char* outside : {"<script", "http://", "https://", " src=", "@import", "url("}) {
    EXPECT_EQ(html.find(outside), std::string::npos) << outside;
  }
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Movements between regions"), std::string::npos);
  EXPECT_NE(html.find("What a passport changes"), std::string::npos);
  // The corridor RGT -> RYJ (3 moves) appears hidden, never as its true count.
  EXPECT_NE(html.find("<td>RGT</td><td>RYJ</td><td class=\"n\">&lt;5</td>"), std::string::npos);
  EXPECT_EQ(html.find("<td>RGT</td><td>RYJ</td><td class=\"n\">3</td>"), std::string::npos);
}

TEST(ReportTables, CountColumnsAreNamedAsCountsAndNothingElseIs) {
  MovementAggregate aggregate;
  OrganisationTable orgs;
  ASSERT_THAT(orgs.Add({"RGT", "A", "trust", "QUE", "Y61"}), IsOk());
  MovementEvent e;
  e.to_org = 0;
  e.outcomes.fill(Outcome::kRepeated);
  e.days_to_clear = 30;
  aggregate.Add(e);
  std::vector<Table> tables = BuildTables(aggregate, orgs, CostParameters::Defaults());
  for (Table& t : ScenarioTables(ScenarioSet::Defaults(), aggregate, orgs)) {
    tables.push_back(std::move(t));
  }
  MeasuredEffect measured;
  measured.by_movement[0].reports = 7;
  tables.push_back(MeasuredTable(measured));
  for (const Table& t : tables) {
    // Every row fills every column, and only the declared ones.
    for (const auto& row : t.rows) {
      EXPECT_EQ(row.labels.size(), t.label_columns) << t.name;
      EXPECT_EQ(row.counts.size(), t.count_columns) << t.name;
      EXPECT_EQ(row.labels.size() + row.counts.size() + row.values.size(), t.columns.size())
          << t.name;
    }
    for (size_t c = 0; c < t.columns.size(); ++c) {
      bool is_count = c >= t.label_columns && c < t.label_columns + t.count_columns;
      EXPECT_EQ(IsCountColumnName(t.columns[c]), is_count) << t.name << "." << t.columns[c];
    }
  }
}

TEST_F(ReportTest, RefusesAFolderWithoutItsFiles) {
  fs::remove(dir_ / "in" / "organisations.csv");
  EXPECT_THAT(Run(), ErrorIs("analytics.no_input"));
  std::ofstream(dir_ / "in" / "other.csv") << "name,age\n";
  EXPECT_THAT(Run(), ErrorIs("movement.invalid_file"));
}

// The days_lost table is derived from the checks table as published: a repeat count that the
// checks table hides makes the mechanism's derived values withheld, not computed exactly.
TEST(DaysLost, WithheldWhenAChecksCountIsHidden) {
  OrganisationTable orgs;
  ASSERT_THAT(orgs.Add({"RGT", "A", "trust", "QUE", "Y61"}), IsOk());
  auto build = [&](int dbs_repeats) {
    MovementAggregate aggregate;
    for (int i = 0; i < 40; ++i) {
      MovementEvent e;
      e.mechanism = Mechanism::kLicenceToAttend;
      e.event_class = EventClass::kTemporaryMove;
      e.to_org = 0;
      e.outcomes.fill(Outcome::kReused);
      e.outcomes[0] = Outcome::kUnknown;  // first and last items unknown: still recorded
      e.outcomes[kItems - 1] = Outcome::kUnknown;
      if (i < dbs_repeats) e.outcomes[4] = Outcome::kRepeated;
      aggregate.Add(e);
    }
    for (const Table& t : BuildTables(aggregate, orgs, CostParameters::Defaults())) {
      if (t.name == "days_lost") return t;
    }
    return Table{};
  };
  Table hidden = build(3);
  ASSERT_EQ(hidden.rows.size(), 1u);
  EXPECT_EQ(hidden.rows[0].counts[0], 40);
  EXPECT_FALSE(hidden.rows[0].values[1].has_value());
  Table shown = build(10);
  ASSERT_TRUE(shown.rows[0].values[1].has_value());
  // 10 of 40 moves repeat DBS (14 days): a delay of 3.5 days a move; induction is reused, so
  // nothing is added for it.
  EXPECT_DOUBLE_EQ(*shown.rows[0].values[1], 3.5);
}

}  // namespace
}  // namespace lanyard::analytics
