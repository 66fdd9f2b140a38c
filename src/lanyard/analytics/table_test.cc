#include "lanyard/analytics/table.h"

#include <gtest/gtest.h>

#include <sstream>

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
  WriteTableCsv(Corridors(), out);
  EXPECT_EQ(out.str(),
            "from_ods,to_ods,n\nRGT,R1H,120\nRGT,RYJ,<5\nRGT,RAL,<5\nR1H,RGT,5\nR1H,RYJ,0\n"
            "R1H,RAL,60\n");
}

TEST(TableDisclosure, CountColumnNames) {
  EXPECT_TRUE(IsCountColumnName("n"));
  EXPECT_TRUE(IsCountColumnName("repeated_count"));
  EXPECT_FALSE(IsCountColumnName("count"));
  EXPECT_FALSE(IsCountColumnName("median_days"));
}

}  // namespace
}  // namespace lanyard::analytics
