// Bulk issuance: an HR, occupational-health or training officer uploads one CSV file (an
// ESR-style report) and the service issues one credential per row in the background, through
// IssuerService::Issue, so every row gets exactly the checks, status entries, wallet copy and
// audit entry a single issuance gets.
//
// The file (docs/bulk-issue.md has the full description and an example):
//   - RFC 4180 CSV in UTF-8 (core/csv.h: a byte order mark is fine, CRLF or LF), one header row,
//     then one row per credential. Column names are exact and case-sensitive; order is free.
//   - Fixed columns:
//       staff_number     the organisation's own staff number for the person (their ESR
//                        assignment number): the staff_number of their membership, given when
//                        they were invited. Either this or email identifies the subject.
//       email            the staff member's sign-in email (case-insensitive); used when a row's
//                        staff_number is empty. Only people who work for the organisation match.
//       credential_type  required: a credential type name (passport/credential_types.h, e.g.
//                        "dbs", "core_skills_training"); rows may mix types.
//       format           optional: "di" (Data Integrity, the default) or "sd-jwt".
//       valid_until      optional: YYYY-MM-DD (the end of that day, UTC) or an RFC 3339 time.
//     The header needs credential_type and at least one of staff_number and email.
//   - Every other column is a claim, named exactly as in the type's JSON Schema
//     (schemas/<type>/v1.json), e.g. applicantFirstName, typeOfDbsCheck, certificateNumber. A
//     file may carry the columns of several types; a row fills those of its own type and leaves
//     the rest empty. recordType is filled in; `id` (the holder's DID) is the service's.
//     Cells become claims by the schema's type: strings as written; booleans "true" / "false"
//     (any letter case, as spreadsheets write TRUE); integers as decimal digits; lists of
//     strings (e.g. corporate_induction's elements, right_to_work's restrictions) separated by
//     ";". An empty cell leaves the claim out. Claims that are lists of records
//     (occupational_health's immunisations) cannot be given in a CSV column.
//   - Spaces around a cell are trimmed. Rows whose cells are all empty are skipped.
//
// A job: Start checks the whole file's CSV syntax and its header at once; a file that fails is
// recorded as a job already "failed" with the reason (nothing is issued). Otherwise the job is
// "queued", then "running" on a worker thread, then "done". Rows are issued in file order; a row
// that fails is recorded as {line, code, message} (line: the row's first physical line, the
// header being line 1) and never stops or changes the others. Progress (total, done = rows
// finished whether issued or not, failed) is written every `progress_every` rows and at the
// end. Audit: "job.start" (with the job's creation) and "job.finish", besides the
// "credential.issue" entry of every credential issued.
//
// Stopping: the destructor lets each running job finish its current row, then records it (and
// every queued job) as "failed" with job.interrupted. A process that dies instead leaves jobs
// "running" or "queued"; FailInterruptedJobs (called once when a server starts) marks them
// "failed" with job.interrupted. Credentials already issued stay issued: the last recorded
// `done` may lag a few rows behind, and running the same file again issues every row again
// (there is no de-duplication), so send a file of the rows not yet issued.
//
// Errors (reason, Code) of Start and Get:
//   permission.denied    (kPermissionDenied) the actor holds no issuing role of the organisation
//   bulk.too_large       (kInvalidArgument) the file is above BulkIssueOptions::max_csv_bytes
//   job.queue_full       (kResourceExhausted) max_queued_jobs jobs are already waiting
//   job.not_found        (kNotFound) no job of that id belongs to the organisation
//   plus the store's errors.
// Reasons a job fails at Start (recorded in the job's errors, line 1 unless the file's syntax
// fails elsewhere): csv.* (core/csv.h), bulk.no_header (empty file), bulk.no_rows,
// bulk.too_many_rows, bulk.missing_column, bulk.duplicate_column, bulk.unknown_column,
// bulk.unsupported_column.
// Row errors: bulk.column_count (a row with more or fewer cells than the header),
// bulk.missing_subject, bulk.unknown_staff_number, bulk.ambiguous_staff_number (two current
// members share it), bulk.unknown_email, bulk.missing_type, issue.unknown_type,
// bulk.column_not_in_type (a filled claim column the row's type does not have),
// bulk.invalid_boolean, bulk.invalid_integer, bulk.invalid_valid_until, and every error of
// IssuerService::Issue (schema.invalid, issue.not_staff, permission.denied,
// issuer.not_authorised_for_type, issue.invalid_format, issue.invalid_validity, ...).
// Job errors: job.interrupted; bulk.too_many_errors (the last entry when more rows failed than
// max_recorded_errors: `failed` still counts them all).
//
// Thread-safety: safe from many threads. Workers start with the first job.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/service/accounts.h"
#include "lanyard/service/issuer_service.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

struct BulkIssueOptions {
  int workers = 2;               // jobs run at once (each job's rows stay in order)
  size_t max_queued_jobs = 8;    // each holds its file in memory until it ends
  // 8 MiB holds a 5,000-row DBS extract (about 450 bytes a row) with room to spare.
  size_t max_csv_bytes = 8 * 1024 * 1024;
  size_t max_rows = 10'000;
  int64_t progress_every = 25;   // rows between progress writes
  size_t max_recorded_errors = 1000;
  // Test hook, called on the worker thread after each row (once its progress is written when it
  // is due) with the job's id and rows done so far. May be empty.
  std::function<void(std::string_view job_id, int64_t done)> after_row;
};

struct JobRowError {
  int64_t line = 0;  // 0 for errors of the job as a whole
  std::string code;
  std::string message;
};

class BulkIssueService {
 public:
  BulkIssueService(store::Store& store, const Clock& clock, IssuerService& issuer,
                   BulkIssueOptions options = {});
  // Stops after each running job's current row; see "Stopping" above.
  ~BulkIssueService();
  BulkIssueService(const BulkIssueService&) = delete;
  BulkIssueService& operator=(const BulkIssueService&) = delete;

  // Records a bulk_issue job for `csv` and returns it at once: "queued", or "failed" when the
  // file's syntax or header is wrong (the reason is its first error).
  Result<store::JobRecord> Start(const Principal& actor, std::string_view org_ods,
                                 std::string csv);
  // The job, if it belongs to `org_ods` and the actor is of that organisation.
  Result<store::JobRecord> Get(const Principal& actor, std::string_view org_ods,
                               std::string_view job_id) const;

  // Marks every "queued" or "running" job in the store "failed" (job.interrupted). Call once when
  // a server starts, before it accepts requests: only the process that ran a job may end it,
  // so the administration commands, which open the same deployment, must not call this.
  // Returns how many jobs it marked.
  Result<int> FailInterruptedJobs();

  // Blocks until no job of this service is queued or running (tests).
  void WaitIdle();

  const BulkIssueOptions& options() const { return options_; }

 private:
  struct QueuedJob {
    store::JobRecord record;
    Principal actor;
    std::string csv;
  };
  void WorkerLoop();
  void Run(QueuedJob job);
  // Writes the job's record (errors included); failures are retried at the next write.
  void Persist(store::JobRecord& record, const std::vector<JobRowError>& errors,
               store::WriteBatch extra = {});

  store::Store& store_;
  const Clock& clock_;
  IssuerService& issuer_;
  BulkIssueOptions options_;

  std::mutex mu_;
  std::condition_variable work_cv_;  // a job is queued, or stopping
  std::condition_variable idle_cv_;  // a job finished
  std::deque<QueuedJob> queue_;
  int running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// The errors of a job (its errors_json), in order; empty when there are none or the text is not
// what the service writes.
std::vector<JobRowError> JobErrors(const store::JobRecord& job);

// A job's errors as a CSV report: the header "line,code,message", then one row per error (CRLF
// line ends, quoted as RFC 4180 needs).
std::string JobErrorsCsv(const store::JobRecord& job);

}  // namespace lanyard::service
