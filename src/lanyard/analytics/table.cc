#include "lanyard/analytics/table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "lanyard/core/csv.h"

namespace lanyard::analytics {
namespace {

int64_t Round(int64_t n) { return (n + kRoundTo / 2) / kRoundTo * kRoundTo; }

std::string FormatValue(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  if (std::fabs(*v - std::round(*v)) < 1e-9) {
    std::snprintf(buf, sizeof buf, "%.0f", *v);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", *v);
  }
  return buf;
}

}  // namespace

PublishedCount PublishOne(int64_t n) {
  if (n > 0 && n < kSuppressBelow) return {true, 0};
  return {false, Round(n)};
}

bool IsCountColumnName(std::string_view name) {
  return name == "n" || (name.size() > 6 && name.substr(name.size() - 6) == "_count");
}

std::vector<std::vector<PublishedCount>> Publish(const Table& table) {
  const size_t rows = table.rows.size();
  std::vector<std::vector<bool>> hidden(rows, std::vector<bool>(table.count_columns, false));
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < table.count_columns; ++c) {
      int64_t n = table.rows[r].counts[c];
      hidden[r][c] = n > 0 && n < kSuppressBelow;
    }
  }
  // Secondary suppression, column by column, over every declared group, until nothing changes
  // (hiding a cell for one group can leave another group with a single hidden cell).
  // Finest groups first: a cell hidden for one of them often settles the coarser ones too.
  std::vector<std::vector<size_t>> groups = table.groups;
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (size_t c = 0; c < table.count_columns; ++c) {
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& key_columns : groups) {
        std::map<std::vector<std::string>, std::vector<size_t>> sets;
        for (size_t r = 0; r < rows; ++r) {
          std::vector<std::string> key;
          for (size_t k : key_columns) key.push_back(table.rows[r].labels[k]);
          sets[key].push_back(r);
        }
        for (const auto& [key, members] : sets) {
          size_t hidden_count = 0;
          for (size_t r : members) hidden_count += hidden[r][c] ? 1 : 0;
          if (hidden_count != 1) continue;
          // The smallest non-zero count still shown in this set hides too (a zero is known
          // to be zero only if shown; hiding one reveals nothing and protects nothing).
          size_t pick = rows;
          for (size_t r : members) {
            int64_t n = table.rows[r].counts[c];
            if (hidden[r][c] || n == 0) continue;
            if (pick == rows || n < table.rows[pick].counts[c]) pick = r;
          }
          if (pick != rows) {
            hidden[pick][c] = true;
            changed = true;
          }
        }
      }
    }
  }
  std::vector<std::vector<PublishedCount>> out(rows);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < table.count_columns; ++c) {
      out[r].push_back(hidden[r][c] ? PublishedCount{true, 0}
                                    : PublishOne(table.rows[r].counts[c]));
    }
  }
  return out;
}

void WriteTableCsv(const Table& table, std::ostream& out) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    out << (i ? "," : "") << CsvField(table.columns[i]);
  }
  out << '\n';
  auto published = Publish(table);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const Table::Row& row = table.rows[r];
    bool first = true;
    auto cell = [&](const std::string& text) {
      out << (first ? "" : ",") << CsvField(text);
      first = false;
    };
    for (const std::string& label : row.labels) cell(label);
    for (const PublishedCount& p : published[r]) cell(p.hidden ? "<5" : std::to_string(p.value));
    const bool withheld = !published[r].empty() && published[r][0].hidden;
    for (const auto& v : row.values) cell(withheld ? "" : FormatValue(v));
    out << '\n';
  }
}

json::Value TableJson(const Table& table) {
  json::Array columns;
  for (const std::string& c : table.columns) columns.emplace_back(c);
  auto published = Publish(table);
  json::Array rows;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const Table::Row& row = table.rows[r];
    json::Array cells;
    for (const std::string& label : row.labels) cells.emplace_back(label);
    // (if/else, not ?: : GCC 12 warns falsely about a json::Value built in a conditional)
    for (const PublishedCount& p : published[r]) {
      if (p.hidden) {
        cells.emplace_back("<5");
      } else {
        cells.emplace_back(static_cast<double>(p.value));
      }
    }
    const bool withheld = !published[r].empty() && published[r][0].hidden;
    for (const auto& v : row.values) {
      if (v && !withheld) {
        cells.emplace_back(*v);
      } else {
        cells.emplace_back(nullptr);
      }
    }
    rows.push_back(json::Value(std::move(cells)));
  }
  json::Value out = json::Object{};
  out.Set("name", table.name);
  out.Set("title", table.title);
  out.Set("columns", json::Value(std::move(columns)));
  out.Set("rows", json::Value(std::move(rows)));
  return out;
}

}  // namespace lanyard::analytics
