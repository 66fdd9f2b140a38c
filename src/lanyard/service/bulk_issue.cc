#include "lanyard/service/bulk_issue.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "lanyard/core/csv.h"
#include "lanyard/core/text.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/passport/json_schema.h"

namespace lanyard::service {
namespace {

constexpr std::string_view kStaffNumber = "staff_number";
constexpr std::string_view kEmail = "email";
constexpr std::string_view kType = "credential_type";
constexpr std::string_view kFormat = "format";
constexpr std::string_view kValidUntil = "valid_until";

// How a cell becomes a claim, from the claim's type in the schema.
enum class CellKind { kString, kBoolean, kInteger, kStringList, kUnsupported };

using TypeColumns = std::map<std::string, CellKind, std::less<>>;

CellKind KindOfProperty(const json::Value& property) {
  const json::Value* type = property.Find("type");
  if (type == nullptr) return CellKind::kString;  // const / enum of strings
  if (type->is_array()) {
    // ["string", "integer"] (a registration number): the text as written is valid.
    for (const auto& t : type->as_array()) {
      if (t.is_string() && t.as_string() == "string") return CellKind::kString;
    }
    return CellKind::kUnsupported;
  }
  if (!type->is_string()) return CellKind::kUnsupported;
  const std::string& name = type->as_string();
  if (name == "string") return CellKind::kString;
  if (name == "boolean") return CellKind::kBoolean;
  if (name == "integer") return CellKind::kInteger;
  if (name == "array") {
    const json::Value* items = property.Find("items");
    const std::string* item_type = items != nullptr ? items->FindString("type") : nullptr;
    if (item_type != nullptr && *item_type == "string") return CellKind::kStringList;
  }
  return CellKind::kUnsupported;
}

// Each credential type's claim columns, read once from its compiled-in schema, so the columns
// can never drift from what the schema validates.
const std::map<std::string, TypeColumns, std::less<>>& ColumnsByType() {
  static const auto* table = [] {
    auto* out = new std::map<std::string, TypeColumns, std::less<>>();
    for (const auto& info : passport::AllCredentialTypes()) {
      TypeColumns& columns = (*out)[std::string(info.name)];
      auto schema = json::Parse(passport::SchemaText(info.type));
      if (!schema.ok()) continue;
      const json::Value* props = schema->Find("properties");
      if (props == nullptr || !props->is_object()) continue;
      for (const auto& [name, property] : props->as_object()) {
        if (name == "id" || name == "recordType") continue;
        columns[name] = KindOfProperty(property);
      }
    }
    return out;
  }();
  return *table;
}

bool IsFixedColumn(std::string_view name) {
  return name == kStaffNumber || name == kEmail || name == kType || name == kFormat ||
         name == kValidUntil;
}

// A column name quoted for a message, cut short (names are not personal data, but may be long).
std::string Quoted(std::string_view name) {
  std::string out = "\"" + std::string(name.substr(0, 64));
  return out + (name.size() > 64 ? "...\"" : "\"");
}

Error RowError(std::string reason, std::string message) {
  return MakeError(Code::kInvalidArgument, std::move(reason), std::move(message));
}

struct Header {
  std::vector<std::string> names;  // trimmed, in file order
  int staff_number = -1, email = -1, type = -1, format = -1, valid_until = -1;
  std::vector<std::pair<size_t, std::string>> claims;  // (cell index, claim name)
};

Result<Header> ParseHeader(const CsvRecord& record) {
  Header h;
  std::set<std::string, std::less<>> seen;
  const auto& by_type = ColumnsByType();
  for (size_t i = 0; i < record.fields.size(); ++i) {
    std::string name(TrimBlanks(record.fields[i]));
    if (name.empty()) {
      return RowError("bulk.unknown_column",
                      "column " + std::to_string(i + 1) + " of the header has no name");
    }
    if (!seen.insert(name).second) {
      return RowError("bulk.duplicate_column", "the header names " + Quoted(name) + " twice");
    }
    h.names.push_back(name);
    int index = static_cast<int>(i);
    if (name == kStaffNumber) h.staff_number = index;
    else if (name == kEmail) h.email = index;
    else if (name == kType) h.type = index;
    else if (name == kFormat) h.format = index;
    else if (name == kValidUntil) h.valid_until = index;
    if (IsFixedColumn(name)) continue;
    bool known = false;
    bool representable = false;
    for (const auto& [type, columns] : by_type) {
      auto it = columns.find(name);
      if (it == columns.end()) continue;
      known = true;
      representable = representable || it->second != CellKind::kUnsupported;
    }
    if (!known) {
      return RowError("bulk.unknown_column",
                      "the column " + Quoted(name) +
                          " is neither staff_number, email, credential_type, format, "
                          "valid_until nor a claim of any credential type (claim columns are "
                          "named exactly as in the type's schema, e.g. applicantFirstName)");
    }
    if (!representable) {
      return RowError("bulk.unsupported_column",
                      "the claim " + Quoted(name) +
                          " is a list of records, which a CSV column cannot hold; issue it "
                          "through POST /orgs/{ods}/credentials instead");
    }
    h.claims.emplace_back(i, name);
  }
  if (h.type < 0) {
    return RowError("bulk.missing_column", "the header needs a credential_type column");
  }
  if (h.staff_number < 0 && h.email < 0) {
    return RowError("bulk.missing_column",
                    "the header needs a staff_number or an email column to name each row's "
                    "staff member");
  }
  return h;
}

bool AllEmpty(const CsvRecord& record) {
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const std::string& f) { return TrimBlanks(f).empty(); });
}

std::string_view Cell(const CsvRecord& record, int index) {
  return index < 0 ? std::string_view() : TrimBlanks(record.fields[static_cast<size_t>(index)]);
}

Result<json::Value> CellValue(std::string_view column, std::string_view text, CellKind kind) {
  switch (kind) {
    case CellKind::kString:
      return json::Value(text);
    case CellKind::kBoolean: {
      std::string lower = AsciiLower(text);
      if (lower == "true") return json::Value(true);
      if (lower == "false") return json::Value(false);
      return RowError("bulk.invalid_boolean",
                      Quoted(column) + " is true or false");
    }
    case CellKind::kInteger: {
      if (text.size() > 9 || !std::all_of(text.begin(), text.end(),
                                          [](char c) { return c >= '0' && c <= '9'; })) {
        return RowError("bulk.invalid_integer",
                        Quoted(column) + " is a whole number (up to 9 digits)");
      }
      int64_t n = 0;
      for (char c : text) n = n * 10 + (c - '0');
      return json::Value(n);
    }
    case CellKind::kStringList: {
      json::Array items;
      while (!text.empty()) {
        size_t semi = text.find(';');
        std::string_view item = TrimBlanks(text.substr(0, semi));
        if (!item.empty()) items.emplace_back(item);
        text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
      }
      return json::Value(std::move(items));
    }
    case CellKind::kUnsupported:
      break;
  }
  return RowError("bulk.unsupported_column", Quoted(column) + " cannot be given in a CSV column");
}

Result<std::optional<TimePoint>> ValidUntil(std::string_view text) {
  if (text.empty()) return std::optional<TimePoint>();
  std::string full = passport::IsCalendarDate(text) ? std::string(text) + "T23:59:59Z"
                                                    : std::string(text);
  auto t = ParseRfc3339(full);
  if (!t.ok()) {
    return RowError("bulk.invalid_valid_until",
                    "valid_until is a date (YYYY-MM-DD) or an RFC 3339 time");
  }
  return std::optional<TimePoint>(*t);
}

// Who the rows can name: the organisation's current members, by staff number and by email.
struct Staff {
  std::map<std::string, std::vector<std::string>, std::less<>> by_number;  // number -> user ids
  std::map<std::string, std::string, std::less<>> by_email;                // lower-case email
};

Result<Staff> LoadStaff(const store::Store& store, std::string_view ods, TimePoint now,
                        bool with_email) {
  Staff staff;
  store::Page page;
  page.limit = 1000;
  while (true) {
    LANYARD_ASSIGN_OR_RETURN(auto members, store.MembershipsOfOrg(ods, page));
    for (const auto& m : members) {
      if (m.until && *m.until <= now) continue;
      if (!m.staff_number.empty()) staff.by_number[m.staff_number].push_back(m.user_id);
      if (with_email) {
        auto user = store.GetUser(m.user_id);
        if (user.ok()) staff.by_email[AsciiLower(user->email)] = m.user_id;
      }
    }
    if (members.size() < page.limit) break;
    page.offset += page.limit;
  }
  return staff;
}

// One row -> the issuance request, or why not.
Result<IssueRequest> RequestForRow(const Header& h, const CsvRecord& row, const Staff& staff) {
  if (row.fields.size() != h.names.size()) {
    return RowError("bulk.column_count", "the row has " + std::to_string(row.fields.size()) +
                                             " cells where the header has " +
                                             std::to_string(h.names.size()));
  }
  IssueRequest request;
  std::string_view number = Cell(row, h.staff_number);
  std::string_view email = Cell(row, h.email);
  if (!number.empty()) {
    auto it = staff.by_number.find(number);
    if (it == staff.by_number.end()) {
      return MakeError(Code::kNotFound, "bulk.unknown_staff_number",
                       "no current staff member of the organisation has this staff_number "
                       "(it is the one given when they were invited)");
    }
    if (it->second.size() > 1) {
      return MakeError(Code::kFailedPrecondition, "bulk.ambiguous_staff_number",
                       "more than one current staff member has this staff_number");
    }
    request.subject_user_id = it->second.front();
  } else if (!email.empty()) {
    auto it = staff.by_email.find(AsciiLower(email));
    if (it == staff.by_email.end()) {
      return MakeError(Code::kNotFound, "bulk.unknown_email",
                       "no current staff member of the organisation signs in with this email");
    }
    request.subject_user_id = it->second;
  } else {
    return RowError("bulk.missing_subject", "the row names nobody: fill staff_number or email");
  }
  std::string_view type_name = Cell(row, h.type);
  if (type_name.empty()) {
    return RowError("bulk.missing_type", "the row has no credential_type");
  }
  const passport::CredentialTypeInfo* info = passport::FindCredentialType(type_name);
  if (info == nullptr) {
    return RowError("issue.unknown_type",
                    "credential_type " + Quoted(type_name) + " is not a credential type");
  }
  request.type = std::string(info->name);
  const TypeColumns& columns = ColumnsByType().at(request.type);
  json::Value claims = json::Object{};
  for (const auto& [index, name] : h.claims) {
    std::string_view text = TrimBlanks(row.fields[index]);
    if (text.empty()) continue;
    auto it = columns.find(name);
    if (it == columns.end()) {
      return RowError("bulk.column_not_in_type", Quoted(name) + " is not a claim of " +
                                                     request.type +
                                                     " credentials: leave it empty on this row");
    }
    LANYARD_ASSIGN_OR_RETURN(json::Value value, CellValue(name, text, it->second));
    claims.Set(name, std::move(value));
  }
  request.claims = std::move(claims);
  request.format = std::string(Cell(row, h.format));
  LANYARD_ASSIGN_OR_RETURN(request.valid_until, ValidUntil(Cell(row, h.valid_until)));
  return request;
}

// The first pass over a file: its syntax, its header and its row count. The error's line goes
// with it.
struct Checked {
  Header header;
  int64_t rows = 0;
};

Result<Checked> CheckFile(std::string_view csv, const BulkIssueOptions& options,
                          int64_t* error_line) {
  CsvReader reader(csv);
  CsvRecord record;
  *error_line = 1;
  auto more = reader.Next(&record);
  if (!more.ok()) {
    *error_line = static_cast<int64_t>(reader.line());
    return std::move(more).error();
  }
  if (!*more) return RowError("bulk.no_header", "the file is empty: it needs a header row");
  Checked out;
  LANYARD_ASSIGN_OR_RETURN(out.header, ParseHeader(record));
  while (true) {
    more = reader.Next(&record);
    if (!more.ok()) {
      *error_line = static_cast<int64_t>(reader.line());
      return std::move(more).error();
    }
    if (!*more) break;
    if (AllEmpty(record)) continue;
    if (++out.rows > static_cast<int64_t>(options.max_rows)) {
      *error_line = static_cast<int64_t>(record.line);
      return RowError("bulk.too_many_rows", "a file holds at most " +
                                                std::to_string(options.max_rows) +
                                                " rows; split it into several files");
    }
  }
  if (out.rows == 0) {
    return RowError("bulk.no_rows", "the file has a header but no rows");
  }
  return out;
}

std::string ErrorsJson(const std::vector<JobRowError>& errors) {
  json::Array items;
  items.reserve(errors.size());
  for (const auto& e : errors) {
    json::Value v = json::Object{};
    v.Set("line", e.line);
    v.Set("code", e.code);
    v.Set("message", e.message);
    items.push_back(std::move(v));
  }
  return json::Serialize(json::Value(std::move(items)));
}

Principal SystemFor(std::string_view ods) {
  Principal p;
  p.kind = Principal::Kind::kUser;
  p.id = "system";
  p.org_ods = std::string(ods);
  return p;
}

store::AppendAudit FinishAudit(TimePoint at, const Principal& actor,
                               const store::JobRecord& job) {
  return AuditOp(at, actor, "job.finish", job.id,
                 DetailsJson({{"kind", job.kind},
                              {"state", job.state},
                              {"total", std::to_string(job.total)},
                              {"done", std::to_string(job.done)},
                              {"failed", std::to_string(job.failed)}}));
}

Error JobNotFound() {
  return MakeError(Code::kNotFound, "job.not_found", "no job with that id in this organisation");
}

}  // namespace

std::vector<JobRowError> JobErrors(const store::JobRecord& job) {
  std::vector<JobRowError> out;
  if (job.errors_json.empty()) return out;
  auto parsed = json::Parse(job.errors_json);
  if (!parsed.ok() || !parsed->is_array()) return out;
  for (const auto& item : parsed->as_array()) {
    const json::Value* line = item.Find("line");
    const std::string* code = item.FindString("code");
    const std::string* message = item.FindString("message");
    if (line == nullptr || !line->is_number() || code == nullptr || message == nullptr) continue;
    out.push_back({static_cast<int64_t>(line->as_number()), *code, *message});
  }
  return out;
}

std::string JobErrorsCsv(const store::JobRecord& job) {
  std::string out = "line,code,message\r\n";
  for (const auto& e : JobErrors(job)) {
    out += std::to_string(e.line) + "," + CsvField(e.code) + "," + CsvField(e.message) + "\r\n";
  }
  return out;
}

BulkIssueService::BulkIssueService(store::Store& store, const Clock& clock,
                                   IssuerService& issuer, BulkIssueOptions options)
    : store_(store), clock_(clock), issuer_(issuer), options_(std::move(options)) {
  options_.workers = std::max(1, options_.workers);
  options_.progress_every = std::max<int64_t>(1, options_.progress_every);
}

BulkIssueService::~BulkIssueService() {
  std::deque<QueuedJob> abandoned;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    abandoned.swap(queue_);
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
  // Jobs that never started: nothing of theirs was issued.
  for (auto& job : abandoned) {
    job.record.state = "failed";
    std::vector<JobRowError> errors = {
        {0, "job.interrupted",
         "the server stopped before the job started; nothing was issued: upload the file again"}};
    Persist(job.record, errors,
            store::WriteBatch{}.Add(FinishAudit(clock_.Now(), job.actor, job.record)));
  }
}

Result<store::JobRecord> BulkIssueService::Start(const Principal& actor, std::string_view org_ods,
                                                 std::string csv) {
  const RoleSet issuers{Role::kHrIssuer, Role::kOhIssuer, Role::kTrainingIssuer};
  if (actor.org_ods != org_ods || !actor.roles.HasAny(issuers)) {
    return MakeError(Code::kPermissionDenied, "permission.denied",
                     "only the organisation's issuers start bulk issuance");
  }
  if (csv.size() > options_.max_csv_bytes) {
    return MakeError(Code::kInvalidArgument, "bulk.too_large",
                     "a bulk file is at most " + std::to_string(options_.max_csv_bytes) +
                         " bytes; split it into several files");
  }
  TimePoint now = clock_.Now();
  store::JobRecord job;
  job.id = NewId();
  job.org_ods = std::string(org_ods);
  job.kind = "bulk_issue";
  job.created_by = actor.Actor();
  job.created = now;
  job.updated = now;
  job.errors_json = "[]";

  int64_t error_line = 1;
  auto checked = CheckFile(csv, options_, &error_line);
  store::WriteBatch batch;
  if (!checked.ok()) {
    // A file that cannot be read as a whole issues nothing: the job is born failed, so the
    // officer sees the reason where they look for every other outcome.
    job.state = "failed";
    job.errors_json = ErrorsJson(
        {{error_line, checked.error().reason, checked.error().message}});
    batch.Add(store::PutJob{job});
    batch.Add(AuditOp(now, actor, "job.start", job.id,
                      DetailsJson({{"kind", job.kind}, {"rows", "0"}})));
    batch.Add(FinishAudit(now, actor, job));
    LANYARD_TRY(store_.Apply(batch));
    return job;
  }
  job.state = "queued";
  job.total = checked->rows;
  std::lock_guard lock(mu_);
  if (queue_.size() >= options_.max_queued_jobs) {
    return MakeError(Code::kResourceExhausted, "job.queue_full",
                     "too many jobs are waiting; try again when one has finished");
  }
  batch.Add(store::PutJob{job});
  batch.Add(AuditOp(now, actor, "job.start", job.id,
                    DetailsJson({{"kind", job.kind}, {"rows", std::to_string(job.total)}})));
  LANYARD_TRY(store_.Apply(batch));
  queue_.push_back(QueuedJob{job, actor, std::move(csv)});
  while (workers_.size() < static_cast<size_t>(options_.workers)) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
  work_cv_.notify_one();
  return job;
}

Result<store::JobRecord> BulkIssueService::Get(const Principal& actor, std::string_view org_ods,
                                               std::string_view job_id) const {
  if (actor.org_ods != org_ods) return JobNotFound();
  auto job = store_.GetJob(job_id);
  if (!job.ok()) {
    if (job.error().reason == "store.not_found") return JobNotFound();
    return std::move(job).error();
  }
  // Another organisation's job looks exactly like one that does not exist.
  if (job->org_ods != org_ods) return JobNotFound();
  return job;
}

Result<int> BulkIssueService::FailInterruptedJobs() {
  int marked = 0;
  for (const char* state : {"queued", "running"}) {
    LANYARD_ASSIGN_OR_RETURN(auto jobs, store_.ListJobs(state));
    for (auto& job : jobs) {
      std::vector<JobRowError> errors = JobErrors(job);
      bool started = job.state == "running";
      errors.push_back(
          {0, "job.interrupted",
           started ? "the server stopped while the job ran; " + std::to_string(job.done) +
                         " rows were recorded as done and rows just after them may also have "
                         "been issued (see the organisation's issued credentials). Running the "
                         "same file again issues every row again"
                   : std::string("the server stopped before the job started; nothing was "
                                 "issued: upload the file again")});
      job.state = "failed";
      job.updated = clock_.Now();
      job.errors_json = ErrorsJson(errors);
      store::WriteBatch batch;
      batch.Add(store::PutJob{job});
      batch.Add(FinishAudit(job.updated, SystemFor(job.org_ods), job));
      LANYARD_TRY(store_.Apply(batch));
      ++marked;
    }
  }
  return marked;
}

void BulkIssueService::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
}

void BulkIssueService::WorkerLoop() {
  while (true) {
    QueuedJob job;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    Run(std::move(job));
    {
      std::lock_guard lock(mu_);
      --running_;
    }
    idle_cv_.notify_all();
  }
}

void BulkIssueService::Persist(store::JobRecord& record, const std::vector<JobRowError>& errors,
                               store::WriteBatch extra) {
  record.updated = clock_.Now();
  record.errors_json = ErrorsJson(errors);
  store::WriteBatch batch;
  batch.Add(store::PutJob{record});
  for (auto& op : extra.ops) batch.ops.push_back(std::move(op));
  // A failed progress write is not worth stopping the job for: the next write carries the same
  // state again. Only the final write has no successor; if the store is down then, the job stays
  // "running" and the next server start marks it interrupted.
  (void)store_.Apply(batch);
}

void BulkIssueService::Run(QueuedJob job) {
  store::JobRecord& record = job.record;
  std::vector<JobRowError> errors;
  bool truncated = false;
  auto add_error = [&](int64_t line, const Error& e) {
    ++record.failed;
    if (errors.size() < options_.max_recorded_errors) {
      errors.push_back({line, e.reason, e.message});
    } else {
      truncated = true;
    }
  };
  auto finish = [&](std::string state, std::optional<JobRowError> last) {
    record.state = std::move(state);
    if (truncated) {
      errors.push_back({0, "bulk.too_many_errors",
                        "more rows failed than are listed here (" +
                            std::to_string(options_.max_recorded_errors) +
                            " are); `failed` counts them all"});
    }
    if (last) errors.push_back(std::move(*last));
    Persist(record, errors,
            store::WriteBatch{}.Add(FinishAudit(clock_.Now(), job.actor, record)));
  };

  record.state = "running";
  Persist(record, errors);

  CsvReader reader(job.csv);
  CsvRecord row;
  auto header_row = reader.Next(&row);
  Result<Header> header = RowError("job.internal", "the file could not be read again");
  if (header_row.ok() && *header_row) header = ParseHeader(row);
  if (!header.ok()) {
    // Start checked this same text; reaching here means the text changed under us.
    finish("failed", JobRowError{1, "job.internal", "the file could not be read again"});
    return;
  }
  auto staff = LoadStaff(store_, record.org_ods, clock_.Now(), header->email >= 0);
  if (!staff.ok()) {
    finish("failed", JobRowError{0, staff.error().reason, staff.error().message});
    return;
  }
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    auto more = reader.Next(&row);
    if (!more.ok() || !*more) {
      finish("done", std::nullopt);
      return;
    }
    if (AllEmpty(row)) continue;
    int64_t line = static_cast<int64_t>(row.line);
    auto request = RequestForRow(*header, row, *staff);
    if (!request.ok()) {
      add_error(line, request.error());
    } else {
      auto issued = issuer_.Issue(job.actor, record.org_ods, std::move(request).value());
      if (!issued.ok()) add_error(line, issued.error());
    }
    ++record.done;
    if (record.done % options_.progress_every == 0 && record.done < record.total) {
      Persist(record, errors);
    }
    if (options_.after_row) options_.after_row(record.id, record.done);
  }
  // Stopping: this row is finished; the rest of the file is not issued.
  finish("failed", JobRowError{static_cast<int64_t>(reader.line()), "job.interrupted",
                               "the server stopped after " + std::to_string(record.done) +
                                   " rows; rows from this line on were not issued: send them "
                                   "in a new file"});
}

}  // namespace lanyard::service
