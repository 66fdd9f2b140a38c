#include "lanyard/analytics/published_report.h"

#include <fstream>
#include <set>

#include "lanyard/json/parser.h"

namespace lanyard::analytics {
namespace {

Error Invalid(const std::string& what) {
  return MakeError(Code::kInvalidArgument, "report.invalid", "not a movement report: " + what);
}

Error TooLarge() {
  return MakeError(
      Code::kResourceExhausted, "report.too_large",
      "report.json is larger than " + std::to_string(kMaxReportJsonBytes >> 20) + " MiB");
}

// The file, refused once it passes the limit (it may grow after it was measured).
Result<std::string> ReadBounded(const std::filesystem::path& path) {
  auto failed = [] {
    return MakeError(Code::kUnavailable, "report.read_failed",
                     "could not read the published report.json");
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) return failed();
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxReportJsonBytes) return TooLarge();
  }
  if (in.bad()) return failed();
  return text;
}

Result<uint64_t> Statistic(const json::Value* input, std::string_view name) {
  const json::Value* v = input == nullptr ? nullptr : input->Find(name);
  if (v == nullptr || !v->is_number() || v->as_number() < 0 || v->as_number() > 1e15) {
    return Invalid("input." + std::string(name) + " is not a count");
  }
  return static_cast<uint64_t>(v->as_number());
}

}  // namespace

const PublishedTable* PublishedReport::FindTable(std::string_view name) const {
  for (const PublishedTable& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Result<PublishedReport> ParsePublishedReport(std::string_view text) {
  if (text.size() > kMaxReportJsonBytes) return TooLarge();
  json::ParseOptions options;
  options.max_bytes = kMaxReportJsonBytes;
  options.max_depth = 8;
  LANYARD_ASSIGN_OR_RETURN(json::Value doc, json::Parse(text, options));
  if (!doc.is_object()) return Invalid("not a JSON object");
  const std::string* format = doc.FindString("format");
  if (format == nullptr || *format != kReportFormat) {
    return Invalid("its format is not " + std::string(kReportFormat));
  }
  PublishedReport report;
  const json::Value* input = doc.Find("input");
  LANYARD_ASSIGN_OR_RETURN(report.files_read, Statistic(input, "files_read"));
  LANYARD_ASSIGN_OR_RETURN(report.rows_read, Statistic(input, "rows_read"));
  LANYARD_ASSIGN_OR_RETURN(report.rows_rejected, Statistic(input, "rows_rejected"));
  const json::Value* tables = doc.Find("tables");
  if (tables == nullptr || !tables->is_array()) return Invalid("it has no tables");
  if (tables->as_array().size() > kMaxReportTables) {
    return Invalid("it has more than " + std::to_string(kMaxReportTables) + " tables");
  }
  std::set<std::string> names;
  for (const json::Value& t : tables->as_array()) {
    LANYARD_ASSIGN_OR_RETURN(PublishedTable table, ParseTableJson(t));
    if (!names.insert(table.name).second) {
      return MakeError(Code::kInvalidArgument, "report.duplicate_table",
                       "the report has two tables named '" + table.name + "'");
    }
    report.tables.push_back(std::move(table));
  }
  return report;
}

ReportFolder::ReportFolder(std::string dir) : dir_(std::move(dir)) {}

Result<std::shared_ptr<const PublishedReport>> ReportFolder::Current() const {
  namespace fs = std::filesystem;
  const fs::path path = fs::path(dir_) / "report.json";
  std::error_code ec;
  const auto modified = fs::last_write_time(path, ec);
  const auto size = ec ? 0 : fs::file_size(path, ec);
  if (ec) {
    return MakeError(Code::kNotFound, "research.no_report",
                     "No movement report has been published on this service yet");
  }
  std::lock_guard lock(mu_);
  if (report_ != nullptr && modified == modified_ && size == size_) return report_;
  if (size > kMaxReportJsonBytes) return TooLarge();
  LANYARD_ASSIGN_OR_RETURN(std::string text, ReadBounded(path));
  LANYARD_ASSIGN_OR_RETURN(PublishedReport report, ParsePublishedReport(text));
  report_ = std::make_shared<const PublishedReport>(std::move(report));
  modified_ = modified;
  size_ = size;
  return report_;
}

}  // namespace lanyard::analytics
