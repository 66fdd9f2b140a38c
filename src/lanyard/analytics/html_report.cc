#include "lanyard/analytics/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "lanyard/core/encoding.h"

namespace lanyard::analytics {
namespace {

std::string Num(double v, int decimals = 0) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  // Thousands separators for readability.
  std::string s = buf;
  size_t dot = s.find('.');
  size_t end = dot == std::string::npos ? s.size() : dot;
  size_t start = s[0] == '-' ? 1 : 0;
  for (size_t i = end; i > start + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

// NHS England's region codes, named for readers.
std::string RegionName(const std::string& code) {
  static const std::map<std::string, std::string> kNames = {{"Y56", "London"},
                                                            {"Y58", "South West"},
                                                            {"Y59", "South East"},
                                                            {"Y60", "Midlands"},
                                                            {"Y61", "East of England"},
                                                            {"Y62", "North West"},
                                                            {"Y63", "North East and Yorkshire"}};
  auto it = kNames.find(code);
  return it == kNames.end() ? code : it->second + " (" + code + ")";
}

// The table of that name when it has at least the label and count columns a chart reads
// (a report read back from a file is checked for consistency, not for each table's shape).
const PublishedTable* Find(const std::vector<PublishedTable>& tables, std::string_view name,
                           size_t labels, size_t counts) {
  for (const PublishedTable& t : tables) {
    if (t.name == name) {
      return t.label_columns >= labels && t.count_columns >= counts ? &t : nullptr;
    }
  }
  return nullptr;
}

// Published value of each row's first count; -1 when hidden.
std::vector<int64_t> Counts(const PublishedTable& t) {
  std::vector<int64_t> out;
  for (const auto& row : t.rows) {
    out.push_back(row.counts.empty() || row.counts[0].hidden ? -1 : row.counts[0].value);
  }
  return out;
}

// A horizontal bar chart: one bar per (label, value), with an optional interval drawn as a
// line across the bar's end; hidden values are left out.
struct Bar {
  std::string label;
  double value = 0;
  double low = -1, high = -1;  // an interval, when both are set
};
std::string Bars(const std::string& aria, const std::vector<Bar>& bars, int width = 640) {
  if (bars.empty()) return "<p>No data.</p>";
  double max = 0;
  for (const Bar& b : bars) max = std::max({max, b.value, b.high});
  const int row = 22, label_w = 220, height = static_cast<int>(bars.size()) * row + 10;
  const double span = width - label_w - 110;
  std::string svg = "<svg role=\"img\" aria-label=\"" + HtmlEscape(aria) + "\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) + "\" width=\"" +
                    std::to_string(width) + "\">";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    auto x = [&](double v) { return label_w + (max > 0 ? v / max * span : 0); };
    int y = static_cast<int>(i) * row + 4;
    svg += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 14) +
           "\" text-anchor=\"end\">" + HtmlEscape(b.label) + "</text>";
    svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           Num(x(b.value) - label_w, 1) + "\" height=\"16\" class=\"bar\"/>";
    double text_x = x(b.value);
    if (b.low >= 0 && b.high >= 0) {
      svg += "<line x1=\"" + Num(x(b.low), 1) + "\" x2=\"" + Num(x(b.high), 1) + "\" y1=\"" +
             std::to_string(y + 8) + "\" y2=\"" + std::to_string(y + 8) + "\" class=\"interval\"/>";
      text_x = x(b.high);
    }
    svg += "<text x=\"" + Num(text_x + 4, 1) + "\" y=\"" + std::to_string(y + 14) + "\">" +
           Num(b.value) + "</text>";
  }
  return svg + "</svg>";
}

// Columns: one bar per value, labelled underneath (months, moves per person).
std::string Columns(const std::string& aria,
                    const std::vector<std::pair<std::string, double>>& cols, int width = 300,
                    int height = 140) {
  double max = 0;
  for (const auto& [label, v] : cols) max = std::max(max, v);
  const double slot = static_cast<double>(width) / std::max<size_t>(1, cols.size());
  std::string svg = "<svg role=\"img\" aria-label=\"" + HtmlEscape(aria) + "\" viewBox=\"0 -14 " +
                    std::to_string(width) + " " + std::to_string(height + 32) + "\" width=\"" +
                    std::to_string(width) + "\">";
  // The scale: the tallest column's value, at its top.
  svg += "<text x=\"0\" y=\"-3\" class=\"small\">largest: " + Num(max) + "</text>";
  for (size_t i = 0; i < cols.size(); ++i) {
    double h = max > 0 ? cols[i].second / max * height : 0;
    double x = static_cast<double>(i) * slot;
    svg += "<rect x=\"" + Num(x + 1, 1) + "\" y=\"" + Num(height - h, 1) + "\" width=\"" +
           Num(slot - 2, 1) + "\" height=\"" + Num(h, 1) + "\" class=\"bar\"><title>" +
           HtmlEscape(cols[i].first) + ": " + Num(cols[i].second) + "</title></rect>";
    svg += "<text x=\"" + Num(x + slot / 2, 1) + "\" y=\"" + std::to_string(height + 14) +
           "\" text-anchor=\"middle\" class=\"small\">" + HtmlEscape(cols[i].first) + "</text>";
  }
  return svg + "</svg>";
}

// A two-sided flow diagram: sending regions on the left, receiving on the right, a band for
// each pair between different regions, as wide as its flow.
std::string FlowDiagram(const PublishedTable& regions) {
  auto published = Counts(regions);
  std::map<std::string, double> out_total, in_total;
  std::vector<std::tuple<std::string, std::string, double>> flows;
  for (size_t r = 0; r < regions.rows.size(); ++r) {
    const auto& labels = regions.rows[r].labels;
    if (published[r] <= 0 || labels[0] == labels[1] || labels[0] == "outside_nhs") continue;
    double v = static_cast<double>(published[r]);
    flows.emplace_back(labels[0], labels[1], v);
    out_total[labels[0]] += v;
    in_total[labels[1]] += v;
  }
  if (flows.empty()) return "<p>No movements between regions.</p>";
  double grand = 0;
  for (const auto& [k, v] : out_total) grand += v;
  const double height = 360, gap = 8, width = 960, left = 220, right = 740;
  auto layout = [&](const std::map<std::string, double>& totals) {
    std::map<std::string, double> top;
    double scale = (height - gap * static_cast<double>(totals.size())) / grand, y = 0;
    for (const auto& [k, v] : totals) {
      top[k] = y;
      y += v * scale + gap;
    }
    return std::make_pair(top, scale);
  };
  auto [left_top, scale] = layout(out_total);
  auto right_top = layout(in_total).first;
  std::map<std::string, double> left_used, right_used;
  std::string svg =
      "<svg role=\"img\" aria-label=\"Organisation changes between regions\" "
      "viewBox=\"0 0 " +
      Num(width) + " " + Num(height + 10) + "\" width=\"" + Num(width) + "\">";
  std::sort(flows.begin(), flows.end(),
            [](const auto& a, const auto& b) { return std::get<2>(a) > std::get<2>(b); });
  for (const auto& [from, to, v] : flows) {
    double w = v * scale;
    double y0 = left_top[from] + left_used[from] + w / 2;
    double y1 = right_top[to] + right_used[to] + w / 2;
    left_used[from] += w;
    right_used[to] += w;
    svg += "<path d=\"M" + Num(left, 1) + "," + Num(y0, 1) + " C480," + Num(y0, 1) + " 480," +
           Num(y1, 1) + " " + Num(right, 1) + "," + Num(y1, 1) +
           "\" class=\"flow\" stroke-width=\"" + Num(std::max(w, 0.5), 2) + "\"><title>" +
           HtmlEscape(from) + " to " + HtmlEscape(to) + ": " + Num(v) + "</title></path>";
  }
  for (const auto& [k, v] : out_total) {
    svg += "<rect x=\"" + Num(left - 10) + "\" y=\"" + Num(left_top[k], 1) +
           "\" width=\"10\" height=\"" + Num(v * scale, 1) + "\" class=\"node\"/>";
    svg += "<text x=\"" + Num(left - 14) + "\" y=\"" + Num(left_top[k] + v * scale / 2 + 4, 1) +
           "\" text-anchor=\"end\">" + HtmlEscape(RegionName(k)) + "</text>";
  }
  for (const auto& [k, v] : in_total) {
    svg += "<rect x=\"" + Num(right) + "\" y=\"" + Num(right_top[k], 1) +
           "\" width=\"10\" height=\"" + Num(v * scale, 1) + "\" class=\"node\"/>";
    svg += "<text x=\"" + Num(right + 14) + "\" y=\"" + Num(right_top[k] + v * scale / 2 + 4, 1) +
           "\">" + HtmlEscape(RegionName(k)) + "</text>";
  }
  return svg + "</svg>";
}

std::string HtmlTable(const PublishedTable& t, const ReportBodyOptions& options) {
  std::string html = "<table><caption>" + HtmlEscape(t.title) + " <a href=\"" +
                     HtmlEscape(options.csv_prefix) + HtmlEscape(t.name) + ".csv\">" +
                     HtmlEscape(t.name) + ".csv</a></caption><thead><tr>";
  for (const std::string& c : t.columns) html += "<th scope=\"col\">" + HtmlEscape(c) + "</th>";
  html += "</tr></thead><tbody>";
  const size_t max_rows = options.max_table_rows;
  for (size_t r = 0; r < t.rows.size() && r < max_rows; ++r) {
    const PublishedTable::Row& row = t.rows[r];
    html += "<tr>";
    for (const std::string& l : row.labels) html += "<td>" + HtmlEscape(l) + "</td>";
    for (const auto& p : row.counts) {
      html += "<td class=\"n\">" +
              (p.hidden ? std::string("&lt;5") : Num(static_cast<double>(p.value))) + "</td>";
    }
    for (const auto& v : row.values) {
      html += "<td class=\"n\">" + (v ? Num(*v, 2) : std::string()) + "</td>";
    }
    html += "</tr>";
  }
  html += "</tbody></table>";
  if (t.rows.size() > max_rows) {
    html += "<p class=\"small\">" + Num(static_cast<double>(t.rows.size() - max_rows)) +
            " more rows in the CSV file.</p>";
  }
  return html;
}

struct StyleRule {
  std::vector<std::string_view> selectors;
  std::string_view declarations;
};

// The charts' and tables' rules, which the web pages scope to the report's container.
const std::vector<StyleRule>& ReportRules() {
  static const std::vector<StyleRule> kRules = {
      {{"svg"}, "max-width:100%;height:auto;font-size:12px"},
      {{"svg text"}, "fill:#212b32"},
      {{".bar"}, "fill:#005eb8"},
      {{".node"}, "fill:#003087"},
      {{".flow"}, "fill:none;stroke:#41b6e6;stroke-opacity:.55"},
      {{".interval"}, "stroke:#212b32;stroke-width:2"},
      {{".small"}, "font-size:10px"},
      {{"table"}, "border-collapse:collapse;margin:1em 0;font-size:13px"},
      {{"caption"}, "text-align:left;font-weight:bold;padding:.5em 0"},
      {{"th", "td"}, "border-bottom:1px solid #d8dde0;padding:2px 8px;text-align:left"},
      {{"td.n"}, "text-align:right"},
      {{".groups"}, "display:flex;flex-wrap:wrap;gap:1em"},
      {{".groups figure"}, "margin:0"},
      {{"figcaption"}, "font-weight:bold"},
  };
  return kRules;
}

}  // namespace

std::string ReportStyle(std::string_view scope) {
  const std::string prefix = scope.empty() ? "" : std::string(scope) + " ";
  auto selectors = [&](const std::vector<std::string_view>& list) {
    std::string out;
    for (std::string_view selector : list)
      out += (out.empty() ? "" : ",") + prefix + std::string(selector);
    return out;
  };
  std::string css;
  for (const StyleRule& rule : ReportRules()) {
    css += selectors(rule.selectors) + "{" + std::string(rule.declarations) + "}";
  }
  return css + "@media print{" + selectors({"table", "svg", "figure"}) + "{break-inside:avoid}}";
}

std::string RenderHtmlReport(const HtmlReportInput& input) {
  std::string html =
      "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
      HtmlEscape(input.title) +
      "</title><style>"
      "body{font-family:Arial,Helvetica,sans-serif;color:#212b32;max-width:960px;margin:2em auto;"
      "padding:0 1em;line-height:1.4}h1{font-size:2em}h2{margin-top:2em;border-bottom:2px solid "
      "#005eb8}@media print{body{margin:0;max-width:none}h2{break-before:auto}}" +
      ReportStyle("") + "</style></head><body><h1>" + HtmlEscape(input.title) + "</h1>";
  if (!input.subtitle.empty()) html += "<p>" + HtmlEscape(input.subtitle) + "</p>";
  return html + RenderReportBody(*input.tables, ReportBodyOptions()) + "</body></html>\n";
}

std::string RenderReportBody(const std::vector<PublishedTable>& tables,
                             const ReportBodyOptions& options) {
  std::string html =
      "<p>Every count is published under disclosure control: counts below 5 are shown as "
      "&lt;5, with further cells hidden where a total would give them away, and the rest are "
      "rounded to the nearest 5. Organisation changes, temporary moves and shifts are counted "
      "apart.</p>";
  if (const PublishedTable* regions = Find(tables, "corridors_region", 2, 1)) {
    html +=
        "<h2>Movements between regions</h2><p>Organisation changes between different NHS "
        "England regions; band width is proportional to the number.</p>" +
        FlowDiagram(*regions);
  }
  if (const PublishedTable* systems = Find(tables, "corridors_system", 2, 1)) {
    auto counts = Counts(*systems);
    std::vector<Bar> bars;
    for (size_t r = 0; r < systems->rows.size(); ++r) {
      const auto& l = systems->rows[r].labels;
      if (counts[r] <= 0 || l[0] == l[1] || l[0] == "outside_nhs") continue;
      bars.push_back({l[0] + " to " + l[1], static_cast<double>(counts[r])});
    }
    std::sort(bars.begin(), bars.end(),
              [](const Bar& a, const Bar& b) { return a.value > b.value; });
    if (bars.size() > 15) bars.resize(15);
    html +=
        "<h2>Main corridors between integrated care systems</h2><p>Organisation changes "
        "between different systems, the 15 largest.</p>" +
        Bars("Main corridors between integrated care systems", bars);
  }
  if (const PublishedTable* moves = Find(tables, "moves_per_person", 2, 1)) {
    html += "<h2>Organisation changes per person, by staff group</h2><div class=\"groups\">";
    auto counts = Counts(*moves);
    std::map<std::string, std::vector<std::pair<std::string, double>>> by_group;
    for (size_t r = 0; r < moves->rows.size(); ++r) {
      if (counts[r] < 0) continue;
      by_group[moves->rows[r].labels[0]].emplace_back(moves->rows[r].labels[1],
                                                      static_cast<double>(counts[r]));
    }
    for (const auto& [group, cols] : by_group) {
      html += "<figure><figcaption>" + HtmlEscape(group) + "</figcaption>" +
              Columns("People by organisation changes: " + group, cols) + "</figure>";
    }
    html += "</div>";
  }
  if (const PublishedTable* season = Find(tables, "seasonality", 2, 1)) {
    html += "<h2>Seasonality</h2><div class=\"groups\">";
    auto counts = Counts(*season);
    std::map<std::string, std::vector<std::pair<std::string, double>>> by_class;
    for (size_t r = 0; r < season->rows.size(); ++r) {
      by_class[season->rows[r].labels[0]].emplace_back(
          season->rows[r].labels[1], static_cast<double>(std::max<int64_t>(0, counts[r])));
    }
    for (const auto& [cls, cols] : by_class) {
      html += "<figure><figcaption>" + HtmlEscape(cls) + " by month</figcaption>" +
              Columns(cls + " by month", cols) + "</figure>";
    }
    html += "</div>";
  }
  if (const PublishedTable* scenarios = Find(tables, "passport_scenarios", 2, 0)) {
    html +=
        "<h2>What a passport changes</h2><p>Modelled savings over the period of the data, "
        "by scenario: the bar is the mean over the uncertain assumptions and the line its 90% "
        "interval (docs/movement-report.md).</p>";
    for (const char* measure : {"days_saved", "cost_saved_gbp"}) {
      const std::string title =
          std::string(measure) == "days_saved" ? "Days saved" : "Cost saved (£)";
      std::vector<Bar> bars;
      for (const auto& row : scenarios->rows) {
        if (row.labels.size() < 2 || row.labels[1] != measure || row.values.size() < 3 ||
            !row.values[0] || !row.values[1] || !row.values[2]) {
          continue;
        }
        bars.push_back({row.labels[0], *row.values[0], *row.values[1], *row.values[2]});
      }
      html += "<h3>" + title + "</h3>" + Bars(title + " by scenario", bars);
    }
  }
  html += "<h2>Tables</h2>";
  for (const PublishedTable& t : tables) html += HtmlTable(t, options);
  return html;
}

}  // namespace lanyard::analytics
