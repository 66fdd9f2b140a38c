// A published table, and the disclosure control every published count goes through.
//
// Published NHS workforce statistics hide counts below 5 and round the rest; so does every
// table Lanyard writes. A hidden cell must not be recoverable from totals: wherever a set of
// cells adds up to a figure that is published (the table's column total, or a total that
// another table gives for the same group, such as an organisation's outflow), one hidden cell
// alone in that set is not enough, so the next smallest is hidden too (secondary suppression).
// A table declares those sets as "groups": columns whose equal values make a set.
//
// Naming rule, checked by a test over every output file: a count column is named `n` or ends
// in `_count`, and no other column does.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/json/value.h"

namespace lanyard::analytics {

struct Table {
  std::string name;                  // file name without .csv, e.g. "corridors_org"
  std::string title;                 // for the HTML report
  std::vector<std::string> columns;  // labels first, then counts (n or *_count), then others
  struct Row {
    std::vector<std::string> labels;
    std::vector<int64_t> counts;  // true values before Publish()
    // Measures that are not counts (medians, days lost), derived from this row's first count:
    // when that count is hidden they are withheld too, or they could give it away.
    std::vector<std::optional<double>> values;
  };
  std::vector<Row> rows;
  size_t label_columns = 0;
  size_t count_columns = 0;
  // Sets of rows whose counts add up to a published figure, by label column: {} is the whole
  // table; {0} is each value of the first label column.
  std::vector<std::vector<size_t>> groups = {{}};
};

inline constexpr int64_t kSuppressBelow = 5;
inline constexpr int64_t kRoundTo = 5;

// A count as published: hidden ("<5"), or rounded to the nearest 5 (a true 0 stays 0).
struct PublishedCount {
  bool hidden = false;
  int64_t value = 0;
};

// One count on its own under the primary rule (hidden below 5, else rounded).
PublishedCount PublishOne(int64_t n);

// The table's counts under disclosure control, row by row and column by column.
std::vector<std::vector<PublishedCount>> Publish(const Table& table);

// A table as it leaves the process: counts under disclosure control, and the measures of a
// row whose first count is hidden withheld. Everything that is written, shown or served is
// made from one of these, never from a Table's true counts.
struct PublishedTable {
  std::string name;
  std::string title;
  std::vector<std::string> columns;
  size_t label_columns = 0;
  size_t count_columns = 0;
  struct Row {
    std::vector<std::string> labels;
    std::vector<PublishedCount> counts;
    std::vector<std::optional<double>> values;  // nullopt: none, or withheld
  };
  std::vector<Row> rows;
};

PublishedTable PublishTable(const Table& table);

// The published table as CSV (hidden counts as "<5"), and as JSON
// {name, title, columns, label_columns, rows: [[label..., count or "<5"..., value or null...]]}.
void WriteTableCsv(const PublishedTable& table, std::ostream& out);
json::Value TableJson(const PublishedTable& table);

// A table read back from TableJson's form (the web pages read report.json). Count columns are
// those named as counts (IsCountColumnName), straight after the labels; counts must be "<5" or
// rounded as published, and a row with a hidden first count must show no measures.
// Errors: report.invalid_table, naming the table and what is wrong.
Result<PublishedTable> ParseTableJson(const json::Value& value);

bool IsCountColumnName(std::string_view name);
// A table's name as its file is named: 1 to 64 of a-z, 0-9 and _.
bool IsTableName(std::string_view name);

}  // namespace lanyard::analytics
