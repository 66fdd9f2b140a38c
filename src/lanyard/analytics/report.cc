#include "lanyard/analytics/report.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "lanyard/analytics/html_report.h"
#include "lanyard/json/canonical.h"

namespace lanyard::analytics {
namespace {

namespace fs = std::filesystem;

Error WriteFailed(const std::string& path) {
  return MakeError(Code::kUnavailable, "analytics.write_failed", "cannot write " + path);
}

// The header line, from the first 4 KB at most (a file without a line end is not read whole).
std::string FirstLine(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  std::string line = head.substr(0, head.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

Result<ReportSummary> WriteReport(const ReportOptions& options,
                                  const std::function<void(const std::string&)>& progress) {
  std::error_code ec;
  std::vector<fs::path> movement_files;
  std::vector<std::pair<fs::path, InputFormat>> other_files;
  fs::path organisations;
  for (fs::recursive_directory_iterator it(options.in_dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".csv") continue;
    const InputFormat format = DetectFormat(FirstLine(it->path()));
    switch (format) {
      case InputFormat::kMovements:
        movement_files.push_back(it->path());
        break;
      case InputFormat::kOrganisations:
        if (!organisations.empty()) {
          return MakeError(
              Code::kInvalidArgument, "analytics.no_input",
              "two organisation tables: " + organisations.string() + " and " + it->path().string());
        }
        organisations = it->path();
        break;
      case InputFormat::kUnknown:
        return MakeError(Code::kInvalidArgument, "movement.invalid_file",
                         it->path().string() +
                             ": not a file this report reads (docs/movement-data.md lists the "
                             "headers it knows)");
      default:
        other_files.emplace_back(it->path(), format);
    }
  }
  if (ec) {
    return MakeError(Code::kInvalidArgument, "analytics.no_input",
                     "cannot read " + options.in_dir + ": " + ec.message());
  }
  if (organisations.empty() || (movement_files.empty() && other_files.empty())) {
    return MakeError(Code::kInvalidArgument, "analytics.no_input",
                     options.in_dir +
                         " needs an organisations.csv and at least one movement file "
                         "or extract");
  }
  std::sort(movement_files.begin(), movement_files.end());
  // A table of NHS organisations is tens of kilobytes; anything past 16 MB is not one.
  if (fs::file_size(organisations, ec) > (16u << 20)) {
    return MakeError(Code::kInvalidArgument, "movement.invalid_file",
                     organisations.string() + " is over 16 MB: not an organisation table");
  }
  std::ifstream orgs_in(organisations, std::ios::binary);
  std::string orgs_text((std::istreambuf_iterator<char>(orgs_in)), {});
  LANYARD_ASSIGN_OR_RETURN(OrganisationTable orgs,
                           ReadOrganisationsCsv(orgs_text, organisations.string()));
  RoleTable roles;
  RowErrors errors;
  ReportSummary summary;
  const int threads = std::max(1, options.threads);
  std::vector<std::unique_ptr<MovementAggregate>> parts;
  for (int t = 0; t < threads; ++t) parts.push_back(std::make_unique<MovementAggregate>());
  for (const fs::path& file : movement_files) {
    if (progress) progress("reading " + file.string());
    LANYARD_ASSIGN_OR_RETURN(ReadSummary read, ReadMovementsFile(
                                                   file.string(), orgs, roles, threads,
                                                   [&](int t) -> EventSink {
                                                     MovementAggregate* part = parts[t].get();
                                                     return [part](const MovementEvent& e) {
                                                       part->Add(e);
                                                     };
                                                   },
                                                   errors));
    summary.rows += read.rows;
    summary.accepted += read.accepted;
    summary.bytes += read.bytes;
  }
  std::sort(other_files.begin(), other_files.end());
  IngestContext context{&orgs, &roles, options.pseudonym_key, &errors};
  MeasuredEffect measured;
  bool any_measured = false;
  for (const auto& [file, format] : other_files) {
    if (progress) progress("reading " + file.string());
    Result<ReadSummary> read = ReadSummary{};
    if (format == InputFormat::kLanyardEvents) {
      read = IngestLanyardEvents(file.string(), context, measured);
      any_measured = true;
    } else {
      MovementAggregate* part = parts[0].get();
      read = IngestWorkforceFile(file.string(), format, context,
                                 [part](const MovementEvent& e) { part->Add(e); });
    }
    if (!read.ok()) return std::move(read).error();
    summary.rows += read->rows;
    summary.accepted += read->accepted;
    summary.bytes += read->bytes;
  }
  for (int t = 1; t < threads; ++t) parts[0]->Merge(*parts[t]);
  if (progress) progress("writing tables");
  std::vector<Table> tables = BuildTables(*parts[0], orgs, options.scenarios.costs);
  if (progress) progress("running the passport scenarios");
  for (Table& t : ScenarioTables(options.scenarios, *parts[0], orgs)) {
    tables.push_back(std::move(t));
  }
  if (any_measured) tables.push_back(MeasuredTable(measured));

  fs::create_directories(fs::path(options.out_dir) / "tables", ec);
  json::Array tables_json;
  std::vector<PublishedTable> published;
  published.reserve(tables.size());
  for (const Table& table : tables) published.push_back(PublishTable(table));
  for (const PublishedTable& t : published) {
    const std::string path = (fs::path(options.out_dir) / "tables" / (t.name + ".csv")).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    WriteTableCsv(t, out);
    out.close();
    if (!out) return WriteFailed(path);
    tables_json.push_back(TableJson(t));
  }
  summary.bad_rows = errors.count();
  summary.first_errors = errors.kept();
  summary.tables = tables.size();
  json::Value report = json::Object{};
  report.Set("format", "lanyard-movement-report/1");
  json::Value input = json::Object{};
  // Statistics of the input files, not of people: exact, and named so that no one takes them
  // for published counts.
  input.Set("files_read", static_cast<double>(movement_files.size() + other_files.size()));
  input.Set("rows_read", static_cast<double>(summary.rows));
  input.Set("rows_rejected", static_cast<double>(summary.bad_rows));
  report.Set("input", std::move(input));
  json::Value disclosure = json::Object{};
  disclosure.Set("suppressed_below", static_cast<double>(kSuppressBelow));
  disclosure.Set("rounded_to", static_cast<double>(kRoundTo));
  report.Set("disclosure_control", std::move(disclosure));
  report.Set("tables", json::Value(std::move(tables_json)));
  {
    HtmlReportInput html;
    html.subtitle = std::to_string(summary.rows) + " rows read from " +
                    std::to_string(movement_files.size() + other_files.size()) + " file(s); " +
                    std::to_string(summary.bad_rows) + " rejected.";
    html.tables = &published;
    const std::string html_path = (fs::path(options.out_dir) / "report.html").string();
    std::ofstream out(html_path, std::ios::binary | std::ios::trunc);
    out << RenderHtmlReport(html);
    out.close();
    if (!out) return WriteFailed(html_path);
  }
  const std::string report_path = (fs::path(options.out_dir) / "report.json").string();
  std::ofstream out(report_path, std::ios::binary | std::ios::trunc);
  out << json::Serialize(report, 1) << '\n';
  out.close();
  if (!out) return WriteFailed(report_path);
  return summary;
}

}  // namespace lanyard::analytics
