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

bool IsTableName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
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

PublishedTable PublishTable(const Table& table) {
  PublishedTable out;
  out.name = table.name;
  out.title = table.title;
  out.columns = table.columns;
  out.label_columns = table.label_columns;
  out.count_columns = table.count_columns;
  auto published = Publish(table);
  out.rows.reserve(table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    PublishedTable::Row row{table.rows[r].labels, std::move(published[r]), table.rows[r].values};
    if (!row.counts.empty() && row.counts[0].hidden) {
      for (auto& v : row.values) v.reset();
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

void WriteTableCsv(const PublishedTable& table, std::ostream& out) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    out << (i ? "," : "") << CsvField(table.columns[i]);
  }
  out << '\n';
  for (const PublishedTable::Row& row : table.rows) {
    bool first = true;
    auto cell = [&](const std::string& text) {
      out << (first ? "" : ",") << CsvField(text);
      first = false;
    };
    for (const std::string& label : row.labels) cell(label);
    for (const PublishedCount& p : row.counts) cell(p.hidden ? "<5" : std::to_string(p.value));
    for (const auto& v : row.values) cell(FormatValue(v));
    out << '\n';
  }
}

json::Value TableJson(const PublishedTable& table) {
  json::Array columns;
  for (const std::string& c : table.columns) columns.emplace_back(c);
  json::Array rows;
  for (const PublishedTable::Row& row : table.rows) {
    json::Array cells;
    for (const std::string& label : row.labels) cells.emplace_back(label);
    // (if/else, not ?: : GCC 12 warns falsely about a json::Value built in a conditional)
    for (const PublishedCount& p : row.counts) {
      if (p.hidden) {
        cells.emplace_back("<5");
      } else {
        cells.emplace_back(static_cast<double>(p.value));
      }
    }
    for (const auto& v : row.values) {
      if (v) {
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
  out.Set("label_columns", static_cast<double>(table.label_columns));
  out.Set("rows", json::Value(std::move(rows)));
  return out;
}

Result<PublishedTable> ParseTableJson(const json::Value& value) {
  PublishedTable t;
  auto invalid = [&t](const std::string& what) {
    return MakeError(
        Code::kInvalidArgument, "report.invalid_table",
        "table " + (t.name.empty() ? std::string("(unnamed)") : "'" + t.name + "'") + ": " + what);
  };
  if (!value.is_object()) return invalid("is not an object");
  const std::string* name = value.FindString("name");
  const std::string* title = value.FindString("title");
  const json::Value* columns = value.Find("columns");
  const json::Value* rows = value.Find("rows");
  if (name == nullptr || !IsTableName(*name)) {
    return invalid("needs a name of lower-case letters, digits and _");
  }
  t.name = *name;
  if (title == nullptr) return invalid("needs a title");
  t.title = *title;
  if (columns == nullptr || !columns->is_array() || columns->as_array().empty()) {
    return invalid("needs its columns");
  }
  const json::Value* labels = value.Find("label_columns");
  if (labels == nullptr || !labels->is_number() || labels->as_number() < 0 ||
      labels->as_number() > static_cast<double>(columns->as_array().size()) ||
      labels->as_number() != static_cast<double>(static_cast<size_t>(labels->as_number()))) {
    return invalid("needs the number of its label columns");
  }
  t.label_columns = static_cast<size_t>(labels->as_number());
  // Labels, then counts, then other measures: the order every table is written in, and the
  // naming rule (only counts are named as counts).
  for (const json::Value& c : columns->as_array()) {
    if (!c.is_string()) return invalid("has a column name that is not a string");
    const size_t i = t.columns.size();
    const bool count = IsCountColumnName(c.as_string());
    if (count && (i < t.label_columns || i != t.label_columns + t.count_columns)) {
      return invalid("has the count column '" + c.as_string() + "' out of place");
    }
    if (count) ++t.count_columns;
    t.columns.push_back(c.as_string());
  }
  if (rows == nullptr || !rows->is_array()) return invalid("needs its rows");
  for (const json::Value& r : rows->as_array()) {
    const std::string where = "row " + std::to_string(t.rows.size() + 1) + " ";
    if (!r.is_array() || r.as_array().size() != t.columns.size()) {
      return invalid(where + "does not have one cell per column");
    }
    const json::Array& cells = r.as_array();
    PublishedTable::Row row;
    for (size_t c = 0; c < cells.size(); ++c) {
      const json::Value& cell = cells[c];
      if (c < t.label_columns) {
        if (!cell.is_string()) return invalid(where + "has a label that is not a string");
        row.labels.push_back(cell.as_string());
      } else if (c < t.label_columns + t.count_columns) {
        if (cell.is_string() && cell.as_string() == "<5") {
          row.counts.push_back({true, 0});
        } else if (cell.is_number() && cell.as_number() >= 0 && cell.as_number() <= 1e15 &&
                   cell.as_number() ==
                       static_cast<double>(static_cast<int64_t>(cell.as_number()))) {
          const auto n = static_cast<int64_t>(cell.as_number());
          // A published count is rounded; any other would be a count that escaped control.
          if (n % kRoundTo != 0) return invalid(where + "has a count that is not rounded to 5");
          row.counts.push_back({false, n});
        } else {
          return invalid(where + "has a count that is neither a whole number nor \"<5\"");
        }
      } else if (cell.is_number()) {
        row.values.emplace_back(cell.as_number());
      } else if (cell.is_null()) {
        row.values.emplace_back(std::nullopt);
      } else {
        return invalid(where + "has a measure that is neither a number nor null");
      }
    }
    if (!row.counts.empty() && row.counts[0].hidden) {
      for (const auto& v : row.values) {
        if (v) return invalid(where + "shows a measure beside its hidden count");
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace lanyard::analytics
