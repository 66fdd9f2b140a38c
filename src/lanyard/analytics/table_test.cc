#include "lanyard/analytics/table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "lanyard/json/parser.h"

namespace lanyard::analytics {
namespace {

Table Corridors() {
  Table t;
  t.name = "corridors";
  t.columns = {"from_ods", "to_ods", "n"};
  t.label_columns = 2;
  t.count_columns = 1;
  t.groups = {{}, {0}};  // the whole table, and each origin (its outflow is published)
  auto row = [&](std::string from, std::string to, int64_t n) {
    t.rows.push_back(Table::Row{{std::move(from), std::move(to)}, {n}, {}});
  };
  row("RGT", "R1H", 120);
  row("RGT", "RYJ", 3);   // small: hidden
  row("RGT", "RAL", 40);  // the smallest other cell of RGT's group: hidden too
  row("R1H", "RGT", 7);
  row("R1H", "RYJ", 0);
  row("R1H", "RAL", 58);
  return t;
}

TEST(TableDisclosure, SmallCountsHiddenTheRestRounded) {
  auto p = Publish(Corridors());
  EXPECT_FALSE(p[0][0].hidden);
  EXPECT_EQ(p[0][0].value, 120);
  EXPECT_TRUE(p[1][0].hidden);
  EXPECT_EQ(p[5][0].value, 60);  // 58 rounds to 60
  EXPECT_EQ(p[4][0].value, 0);   // a true zero is not a small count
}

TEST(TableDisclosure, AHiddenCellCannotBeRecoveredFromAGroupTotal) {
  auto p = Publish(Corridors());
  // RGT's cells add up to its published outflow: with only 3 hidden, 3 = total - 120 - 40.
  EXPECT_TRUE(p[2][0].hidden);
  // The whole table had one more hidden cell after that, so nothing further is needed; R1H's
  // group has none hidden.
  EXPECT_FALSE(p[3][0].hidden);
  EXPECT_FALSE(p[5][0].hidden);
  size_t hidden = 0;
  for (const auto& row : p) hidden += row[0].hidden ? 1 : 0;
  EXPECT_EQ(hidden, 2u);
}

TEST(TableDisclosure, SecondarySuppressionReachesEveryGroup) {
  Table t = Corridors();
  t.rows[3].counts[0] = 2;  // R1H -> RGT small as well: R1H's group needs a second cell
  auto p = Publish(t);
  EXPECT_TRUE(p[3][0].hidden);
  EXPECT_TRUE(p[5][0].hidden);  // R1H's only other non-zero cell
}

TEST(TableDisclosure, CsvShowsHiddenCellsAsLessThanFive) {
  std::ostringstream out;
  WriteTableCsv(PublishTable(Corridors()), out);
  EXPECT_EQ(out.str(),
            "from_ods,to_ods,n\nRGT,R1H,120\nRGT,RYJ,<5\nRGT,RAL,<5\nR1H,RGT,5\nR1H,RYJ,0\n"
            "R1H,RAL,60\n");
}

TEST(TableDisclosure, MeasuresBesideAHiddenCountAreWithheld) {
  Table t = Corridors();
  t.columns.push_back("median_days");
  for (auto& row : t.rows) row.values = {12.5};
  PublishedTable p = PublishTable(t);
  EXPECT_EQ(p.rows[0].values[0], 12.5);
  EXPECT_FALSE(p.rows[1].values[0].has_value());  // beside the hidden 3
  EXPECT_FALSE(p.rows[2].values[0].has_value());  // beside the secondary suppression
}

TEST(TableDisclosure, JsonReadsBackAsPublished) {
  Table t = Corridors();
  t.title = "Corridors";
  t.columns.push_back("median_days");
  for (auto& row : t.rows) row.values = {7};
  PublishedTable written = PublishTable(t);
  auto read = ParseTableJson(TableJson(written));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->name, "corridors");
  EXPECT_EQ(read->title, "Corridors");
  EXPECT_EQ(read->label_columns, 2u);
  EXPECT_EQ(read->count_columns, 1u);
  std::ostringstream before, after;
  WriteTableCsv(written, before);
  WriteTableCsv(*read, after);
  EXPECT_EQ(after.str(), before.str());
}

TEST(TableDisclosure, JsonThatIsNotAPublishedTableIsRefused) {
  auto refuse = [](const char* text) {
    auto value = json::Parse(text);
    EXPECT_TRUE(value.ok()) << text;
    auto table = ParseTableJson(*value);
    EXPECT_FALSE(table.ok()) << text;
    return table.ok() ? std::string() : table.error().reason + ": " + table.error().message;
  };
  const std::string head =
      R"({"name":"t","title":"T","columns":["from","n","median_days"],"label_columns":1,)";
  EXPECT_EQ(refuse("[]"), "report.invalid_table: table (unnamed): is not an object");
  EXPECT_EQ(refuse(R"({"name":"../etc","title":"T","columns":["n"],"label_columns":0,"rows":[]})"),
            "report.invalid_table: table (unnamed): needs a name of lower-case letters, "
            "digits and _");
  EXPECT_EQ(refuse((head + R"("rows":[["RGT",3,1]]})").c_str()),
            "report.invalid_table: table 't': row 1 has a count that is not rounded to 5");
  EXPECT_EQ(refuse((head + R"("rows":[["RGT",5.5,1]]})").c_str()),
            "report.invalid_table: table 't': row 1 has a count that is neither a whole number "
            "nor \"<5\"");
  EXPECT_EQ(refuse((head + R"("rows":[["RGT","<5",4.5]]})").c_str()),
            "report.invalid_table: table 't': row 1 shows a measure beside its hidden count");
  EXPECT_EQ(refuse((head + R"("rows":[["RGT",5]]})").c_str()),
            "report.invalid_table: table 't': row 1 does not have one cell per column");
  EXPECT_EQ(
      refuse(R"({"name":"t","title":"T","columns":["a","b","n"],"label_columns":1,"rows":[]})"),
      "report.invalid_table: table 't': has the count column 'n' out of place");
  EXPECT_EQ(refuse(R"({"name":"t","title":"T","columns":["a"],"label_columns":2,"rows":[]})"),
            "report.invalid_table: table 't': needs the number of its label columns");
  EXPECT_EQ(refuse((head + R"("rows":[["RGT",-5,1]]})").c_str()),
            "report.invalid_table: table 't': row 1 has a count that is neither a whole number "
            "nor \"<5\"");
}

TEST(TableDisclosure, CountColumnNames) {
  EXPECT_TRUE(IsCountColumnName("n"));
  EXPECT_TRUE(IsCountColumnName("repeated_count"));
  EXPECT_FALSE(IsCountColumnName("count"));
  EXPECT_FALSE(IsCountColumnName("median_days"));
}

}  // namespace
}  // namespace lanyard::analytics
