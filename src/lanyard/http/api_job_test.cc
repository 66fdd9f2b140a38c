// Bulk issuance end to end in-process: a real deployment (SQLite store, file key store, master
// key) in a temporary directory, a simulated clock, the job routes called through the Api with
// API tokens, and the background workers doing the issuing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "lanyard/core/csv.h"
#include "lanyard/http/api.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/service/deployment.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_deployment.h"

namespace lanyard::http {
namespace {

using service::Principal;
using service::Role;
using service::RoleSet;
using testing::ErrorIs;
using ::testing::HasSubstr;
using testing::IsOk;

constexpr const char* kPassword = "correct horse battery staple";

constexpr const char* kDbsHeader =
    "staff_number,credential_type,format,valid_until,applicantFirstName,applicantMiddleNames,"
    "applicantSurname,applicantDateOfBirth,typeOfDbsCheck,adultsBarredListChecked,"
    "childrensBarredListChecked,certificateNumber,disclosureIssueDate,informationDisclosed,"
    "workforceType,registeredBodyNumber,registeredBodyName,updateServiceSubscribed\r\n";

// A DBS row for `staff_number`, as an ESR report exported from a spreadsheet writes it.
std::string DbsRow(const std::string& staff_number, const std::string& type = "dbs",
                   const std::string& check = "Enhanced with barred list(s) check") {
  return staff_number + "," + type + ",,,Amara,Grace,Okafor,1988-04-12," + check +
         ",TRUE,false,001234567890,2026-02-27,FALSE,Adult,20012345678,"
         "\"Leeds Teaching Hospitals NHS Trust, Leeds\",true\r\n";
}

Principal Acting(std::string ods, RoleSet roles) {
  return Principal::System(roles, std::move(ods));
}

constexpr auto ParseOrDie = testing::ParseJsonOrFail;
constexpr auto Str = testing::StringMember;

double Num(const json::Value& v, const std::string& name) {
  const json::Value* n = v.Find(name);
  return n != nullptr && n->is_number() ? n->as_number() : -1;
}

// A job's errors as "line code" lines, compared in one go.
std::string RenderErrors(const json::Value& job) {
  std::string out;
  for (const auto& e : job.Find("errors")->as_array()) {
    out += std::to_string(static_cast<int64_t>(e.Find("line")->as_number())) + " " +
           Str(e, "code") + "\n";
  }
  return out;
}

class BulkIssueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDirectory("lanyard-bulk-test");
    service::DeploymentOptions options =
        testing::TestDeploymentOptions((dir_ / "lanyard.db").string());
    options.bulk.progress_every = 10;
    options.bulk.after_row = [this](std::string_view id, int64_t done) {
      if (after_row_) after_row_(id, done);
    };
    auto d = service::OpenDeployment(options, clock_);
    ASSERT_TRUE(d.ok()) << d.error().ToString();
    d_ = std::move(d).value();
    api_ = std::make_unique<Api>(ApiServices::ForDeployment(*d_, clock_));

    for (const char* ods : {"RGT", "R1H"}) {
      store::OrganisationRecord org;
      org.ods = ods;
      org.name = std::string(ods) + " NHS Trust";
      // A trust that also teaches: its training officer issues induction and qualifications.
      org.kinds = "trust,learning_provider";
      ASSERT_THAT(d_->accounts->AddOrganisation(Principal{}, org, d_->did_web_base), IsOk());
      for (Role role : {Role::kHrIssuer, Role::kVerifier, Role::kTrainingIssuer}) {
        auto token = d_->accounts->CreateApiToken(Acting(ods, RoleSet{Role::kOrgAdmin}), ods, role,
                                                  "bulk", std::nullopt);
        ASSERT_THAT(token, IsOk());
        tokens_[std::string(ods) + " " + std::string(service::RoleName(role))] = token->secret;
      }
    }
  }

  void TearDown() override {
    api_.reset();
    d_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Invites and signs up staff member `n` of RGT with staff number "ESR-<n>"; returns their id.
  std::string AddStaff(int n, const std::string& ods = "RGT") {
    std::string email = "staff" + std::to_string(n) + "@" + ods + ".example";
    auto code = d_->accounts->Invite(Acting(ods, RoleSet{Role::kHrIssuer}), ods, email,
                                     "Staff " + std::to_string(n), "ESR-" + std::to_string(n));
    EXPECT_THAT(code, IsOk());
    auto user = d_->accounts->SignUp(code->secret, email, "Staff " + std::to_string(n), kPassword);
    EXPECT_THAT(user, IsOk());
    return user->id;
  }

  ServerResponse Call(const std::string& token, const std::string& method,
                      const std::string& target, const std::string& body = "",
                      const std::string& content_type = "text/csv; charset=utf-8") {
    ServerRequest r;
    r.method = method;
    r.target = target;
    r.path = target;
    r.remote_address = "127.0.0.1";
    r.request_id = "test";
    if (!body.empty()) {
      r.headers.push_back({"Content-Type", content_type});
      r.body = body;
    }
    r.headers.push_back({"Authorization", "Bearer " + token});
    return api_->Dispatch(r);
  }

  // Uploads `csv` as RGT's HR issuer; returns the job id.
  std::string Upload(const std::string& csv, const std::string& expect_state = "queued") {
    ServerResponse r = Call(tokens_["RGT hr_issuer"], "POST", "/orgs/RGT/jobs/bulk-issue", csv);
    EXPECT_EQ(r.status, 202) << r.body;
    json::Value body = ParseOrDie(r.body);
    EXPECT_EQ(Str(body, "state"), expect_state) << r.body;
    std::string id = Str(body, "id");
    bool located = false;
    for (const auto& h : r.headers) {
      if (h.name == "Location") located = h.value == "/orgs/RGT/jobs/" + id;
    }
    EXPECT_TRUE(located) << "no Location header naming the job";
    return id;
  }

  json::Value GetJob(const std::string& id, const std::string& token_name = "RGT hr_issuer") {
    ServerResponse r = Call(tokens_[token_name], "GET", "/orgs/RGT/jobs/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return ParseOrDie(r.body);
  }

  size_t WalletSize(const std::string& user_id) {
    auto list = d_->store->ListWalletCredentials(user_id);
    EXPECT_THAT(list, IsOk());
    return list.ok() ? list->size() : 0;
  }

  std::string AuditActions(const std::string& job_id) {
    auto entries = d_->store->AuditEntries(1, 100'000);
    EXPECT_THAT(entries, IsOk());
    std::string out;
    for (const auto& e : *entries) {
      if (e.subject == job_id) out += e.action + " ";
    }
    return out;
  }

  std::filesystem::path dir_;
  SimulatedClock clock_{*ParseRfc3339("2026-09-01T09:00:00Z")};
  std::unique_ptr<service::Deployment> d_;
  std::unique_ptr<Api> api_;
  std::map<std::string, std::string> tokens_;
  std::function<void(std::string_view, int64_t)> after_row_;
};

TEST_F(BulkIssueTest, IssuesEveryGoodRowAndRecordsEachBadRowWithItsLine) {
  constexpr int kStaff = 50;
  std::vector<std::string> ids;
  for (int n = 0; n < kStaff; ++n) ids.push_back(AddStaff(n));
  std::string csv = "\xEF\xBB\xBF" + std::string(kDbsHeader);
  std::map<std::string, size_t> expected;  // user id -> credentials
  for (int i = 0; i < 200; ++i) {
    int line = i + 2;  // the header is line 1
    if (line == 11) {
      csv += DbsRow("ESR-99999");
    } else if (line == 51) {
      csv += DbsRow("ESR-7", "dbs", "Super-enhanced check");
    } else if (line == 151) {
      csv += DbsRow("ESR-8", "dbs_check");
    } else {
      csv += DbsRow("ESR-" + std::to_string(i % kStaff));
      ++expected[ids[static_cast<size_t>(i % kStaff)]];
    }
  }
  std::string id = Upload(csv);
  d_->bulk->WaitIdle();

  json::Value job = GetJob(id);
  EXPECT_EQ(Str(job, "state"), "done");
  EXPECT_EQ(Num(job, "total"), 200);
  EXPECT_EQ(Num(job, "done"), 200);
  EXPECT_EQ(Num(job, "issued"), 197);
  EXPECT_EQ(Num(job, "failed"), 3);
  EXPECT_EQ(RenderErrors(job),
            "11 bulk.unknown_staff_number\n51 schema.invalid\n"
            "151 issue.unknown_type\n");
  EXPECT_THAT(json::Serialize(*job.Find("errors")), HasSubstr("typeOfDbsCheck"));

  for (const auto& user_id : ids) {
    EXPECT_EQ(WalletSize(user_id), expected[user_id]) << user_id;
  }
  auto issued = d_->store->ListIssuedCredentials("RGT", "", store::Page{1000, 0});
  ASSERT_THAT(issued, IsOk());
  EXPECT_EQ(issued->size(), 197u);
  // The cells became typed claims: booleans from TRUE/FALSE, the leading zeros kept.
  auto claims = json::Parse(issued->front().claims_json);
  ASSERT_THAT(claims, IsOk());
  EXPECT_EQ(*claims->Find("adultsBarredListChecked"), json::Value(true));
  EXPECT_EQ(*claims->Find("informationDisclosed"), json::Value(false));
  EXPECT_EQ(Str(*claims, "certificateNumber"), "001234567890");
  EXPECT_EQ(Str(*claims, "registeredBodyName"), "Leeds Teaching Hospitals NHS Trust, Leeds");

  EXPECT_EQ(AuditActions(id), "job.start job.finish ");

  ServerResponse report =
      Call(tokens_["RGT hr_issuer"], "GET", "/orgs/RGT/jobs/" + id + "/errors.csv");
  EXPECT_EQ(report.status, 200);
  EXPECT_EQ(report.content_type, "text/csv; charset=utf-8");
  CsvReader reader(report.body);
  CsvRecord record;
  std::string rendered;
  while (*reader.Next(&record)) rendered += record.fields[0] + " " + record.fields[1] + "\n";
  EXPECT_EQ(rendered,
            "line code\n11 bulk.unknown_staff_number\n51 schema.invalid\n"
            "151 issue.unknown_type\n");
}

TEST_F(BulkIssueTest, ProgressIsVisibleWhileTheJobRuns) {
  AddStaff(1);
  std::string csv = kDbsHeader;
  for (int i = 0; i < 40; ++i) csv += DbsRow("ESR-1");
  json::Value seen;
  after_row_ = [&](std::string_view id, int64_t done) {
    if (done == 20) {
      seen = GetJob(std::string(id));  // on the worker thread, mid-job
    }
  };
  std::string id = Upload(csv);
  d_->bulk->WaitIdle();
  ASSERT_TRUE(seen.is_object());
  EXPECT_EQ(Str(seen, "state"), "running");
  EXPECT_EQ(Num(seen, "total"), 40);
  EXPECT_EQ(Num(seen, "done"), 20);  // written every 10 rows in this test's options
  EXPECT_EQ(Str(GetJob(id), "state"), "done");
}

TEST_F(BulkIssueTest, ABadHeaderFailsTheJobAtOnceWithTheReason) {
  std::string id = Upload("staff_number,credential_type,applicantFirstName,favouriteColour\r\n" +
                              std::string("ESR-1,dbs,Amara,blue\r\n"),
                          "failed");
  json::Value job = GetJob(id);
  EXPECT_EQ(Str(job, "state"), "failed");
  EXPECT_EQ(RenderErrors(job), "1 bulk.unknown_column\n");
  EXPECT_THAT(json::Serialize(job), HasSubstr("favouriteColour"));
  EXPECT_EQ(AuditActions(id), "job.start job.finish ");
  auto issued = d_->store->ListIssuedCredentials("RGT", "", store::Page{});
  EXPECT_TRUE(issued->empty());

  Principal hr = Acting("RGT", RoleSet{Role::kHrIssuer});
  auto first_error = [&](const std::string& csv) {
    auto started = d_->bulk->Start(hr, "RGT", csv);
    EXPECT_THAT(started, IsOk());
    EXPECT_EQ(started->state, "failed");
    auto errors = service::JobErrors(*started);
    return errors.empty() ? std::string("none")
                          : std::to_string(errors[0].line) + " " + errors[0].code;
  };
  EXPECT_EQ(first_error("staff_number,applicantFirstName\nESR-1,A\n"), "1 bulk.missing_column");
  EXPECT_EQ(first_error("credential_type,applicantFirstName\ndbs,A\n"), "1 bulk.missing_column");
  EXPECT_EQ(first_error("email,credential_type,email\na,dbs,b\n"), "1 bulk.duplicate_column");
  EXPECT_EQ(first_error("email,credential_type,immunisations\na,occupational_health,x\n"),
            "1 bulk.unsupported_column");
  EXPECT_EQ(first_error("email,credential_type,\na,dbs,\n"), "1 bulk.unknown_column");
  EXPECT_EQ(first_error("email,credential_type,id\na,dbs,x\n"), "1 bulk.unknown_column");
  EXPECT_EQ(first_error(""), "1 bulk.no_header");
  EXPECT_EQ(first_error("email,credential_type\r\n\r\n"), "1 bulk.no_rows");
  // A syntax error anywhere in the file fails it before any row is issued.
  EXPECT_EQ(first_error(std::string(kDbsHeader) + DbsRow("ESR-1") + DbsRow("ESR-1") +
                        "ESR-1,dbs,\"unterminated\r\n"),
            "4 csv.unterminated_quote");
  EXPECT_EQ(first_error("email,credential_type\r\na@b,d\xFFx\r\n"), "2 csv.not_utf8");
  EXPECT_TRUE(d_->store->ListIssuedCredentials("RGT", "", store::Page{})->empty());
}

TEST_F(BulkIssueTest, CellsBecomeClaimsByTheSchemasTypesAndBadCellsFailTheirRowOnly) {
  std::string user = AddStaff(3);
  std::string csv =
      "email,staff_number,credential_type,format,valid_until,organisation,completedDate,elements,"
      "qualificationName,awardingBody,awardDate,level\r\n"
      // An email (any case) names the person when the staff number is empty.
      "STAFF3@RGT.example,,corporate_induction,sd-jwt,2027-08-31,RGT,2026-08-06,"
      "values; policies;it_security,,,,\r\n"
      ",ESR-3,qualification,,,,,,BSc (Hons) Adult Nursing,University of Leeds,2021-07-15,6\r\n"
      ",ESR-3,qualification,,,,,,BSc,Leeds,2021-07-15,six\r\n"             // line 4
      ",ESR-3,qualification,,,RGT,,,BSc,Leeds,2021-07-15,6\r\n"            // line 5
      ",,qualification,,,,,,BSc,Leeds,2021-07-15,6\r\n"                    // line 6
      ",ESR-3,qualification,,,,,,BSc,Leeds,2021-07-15\r\n"                 // line 7
      "nobody@rgt.example,,qualification,,,,,,BSc,Leeds,2021-07-15,6\r\n"  // line 8
      ",ESR-3,,,,,,,BSc,Leeds,2021-07-15,6\r\n"                            // line 9
      ",ESR-3,qualification,,31/08/2027,,,,BSc,Leeds,2021-07-15,6\r\n"     // line 10
      ",ESR-3,qualification,pdf,,,,,BSc,Leeds,2021-07-15,6\r\n"            // line 11
      ",,,,,,,,,,,\r\n";                                                   // skipped
  ServerResponse r = Call(tokens_["RGT training_issuer"], "POST", "/orgs/RGT/jobs/bulk-issue", csv);
  ASSERT_EQ(r.status, 202) << r.body;
  d_->bulk->WaitIdle();
  json::Value job = GetJob(Str(ParseOrDie(r.body), "id"));
  EXPECT_EQ(Str(job, "state"), "done");
  EXPECT_EQ(Num(job, "total"), 10);
  EXPECT_EQ(Num(job, "issued"), 2);
  EXPECT_EQ(RenderErrors(job),
            "4 bulk.invalid_integer\n5 bulk.column_not_in_type\n6 bulk.missing_subject\n"
            "7 bulk.column_count\n8 bulk.unknown_email\n9 bulk.missing_type\n"
            "10 bulk.invalid_valid_until\n11 issue.invalid_format\n");
  EXPECT_EQ(WalletSize(user), 2u);
  auto issued = d_->store->ListIssuedCredentials("RGT", user, store::Page{});
  ASSERT_THAT(issued, IsOk());
  std::map<std::string, store::IssuedCredentialRecord> by_type;
  for (const auto& r : *issued) by_type[r.type] = r;
  const auto& induction = by_type["corporate_induction"];
  EXPECT_EQ(induction.format, "sd-jwt");
  ASSERT_TRUE(induction.valid_until.has_value());
  EXPECT_EQ(FormatRfc3339(*induction.valid_until), "2027-08-31T23:59:59Z");
  EXPECT_THAT(induction.claims_json,
              HasSubstr(R"("elements":["values","policies","it_security"])"));
  EXPECT_THAT(by_type["qualification"].claims_json, HasSubstr(R"("level":6)"));
}

TEST_F(BulkIssueTest, AnotherOrganisationsJobIsNotFound) {
  AddStaff(1);
  std::string id = Upload(std::string(kDbsHeader) + DbsRow("ESR-1"));
  d_->bulk->WaitIdle();
  // R1H's issuer asking under its own organisation: the job is not R1H's.
  ServerResponse r = Call(tokens_["R1H hr_issuer"], "GET", "/orgs/R1H/jobs/" + id);
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("job.not_found"));
  r = Call(tokens_["R1H hr_issuer"], "GET", "/orgs/R1H/jobs/" + id + "/errors.csv");
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("job.not_found"));
  // ... and under RGT's path: RGT is not R1H's to look at.
  r = Call(tokens_["R1H hr_issuer"], "GET", "/orgs/RGT/jobs/" + id);
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("org.not_found"));
  r = Call(tokens_["RGT hr_issuer"], "GET", "/orgs/RGT/jobs/no-such-job");
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("job.not_found"));
  EXPECT_THAT(d_->bulk->Get(Acting("R1H", RoleSet{Role::kHrIssuer}), "RGT", id),
              ErrorIs("job.not_found"));
}

TEST_F(BulkIssueTest, OnlyIssuersStartJobsAndOnlyFromACsvBody) {
  std::string csv = std::string(kDbsHeader) + DbsRow("ESR-1");
  ServerResponse r = Call(tokens_["RGT verifier"], "POST", "/orgs/RGT/jobs/bulk-issue", csv);
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(r.body, HasSubstr("permission.denied"));
  r = Call(tokens_["RGT hr_issuer"], "POST", "/orgs/RGT/jobs/bulk-issue", R"({"subject":"x"})",
           "application/json");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("http.unsupported_media_type"));
  r = Call(tokens_["RGT hr_issuer"], "POST", "/orgs/R1H/jobs/bulk-issue", csv);
  EXPECT_EQ(r.status, 404);
  EXPECT_THAT(r.body, HasSubstr("org.not_found"));
  // A training issuer may start a job; each row is still held to what the role issues.
  AddStaff(1);
  r = Call(tokens_["RGT training_issuer"], "POST", "/orgs/RGT/jobs/bulk-issue", csv);
  ASSERT_EQ(r.status, 202) << r.body;
  d_->bulk->WaitIdle();
  json::Value job = GetJob(Str(ParseOrDie(r.body), "id"), "RGT training_issuer");
  EXPECT_EQ(RenderErrors(job), "2 permission.denied\n");
  // The verifier may not read jobs either.
  r = Call(tokens_["RGT verifier"], "GET", "/orgs/RGT/jobs/" + Str(job, "id"));
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(d_->bulk->Start(Acting("RGT", RoleSet{Role::kVerifier}), "RGT", csv),
              ErrorIs("permission.denied"));
  EXPECT_THAT(d_->bulk->Start(Acting("RGT", RoleSet{Role::kHrIssuer}), "RGT",
                              std::string(d_->bulk->options().max_csv_bytes + 1, 'a')),
              ErrorIs("bulk.too_large"));
}

TEST_F(BulkIssueTest, JobsLeftUnfinishedByAStoppedServerAreMarkedFailedAtStart) {
  store::JobRecord running;
  running.id = "job-running";
  running.org_ods = "RGT";
  running.kind = "bulk_issue";
  running.state = "running";
  running.created_by = "u1";
  running.total = 100;
  running.done = 40;
  running.errors_json = R"([{"line":7,"code":"schema.invalid","message":"m"}])";
  running.created = running.updated = clock_.Now();
  store::JobRecord queued = running;
  queued.id = "job-queued";
  queued.state = "queued";
  queued.done = 0;
  queued.errors_json = "[]";
  store::JobRecord done = running;
  done.id = "job-done";
  done.state = "done";
  ASSERT_THAT(d_->store->Apply(store::WriteBatch{}
                                   .Add(store::PutJob{running})
                                   .Add(store::PutJob{queued})
                                   .Add(store::PutJob{done})),
              IsOk());
  auto marked = d_->bulk->FailInterruptedJobs();
  ASSERT_THAT(marked, IsOk());
  EXPECT_EQ(*marked, 2);
  json::Value job = GetJob("job-running");
  EXPECT_EQ(Str(job, "state"), "failed");
  EXPECT_EQ(Num(job, "done"), 40);
  EXPECT_EQ(RenderErrors(job), "7 schema.invalid\n0 job.interrupted\n");
  EXPECT_EQ(RenderErrors(GetJob("job-queued")), "0 job.interrupted\n");
  EXPECT_EQ(Str(GetJob("job-done"), "state"), "done");
  EXPECT_EQ(AuditActions("job-running"), "job.finish ");
  EXPECT_EQ(*d_->bulk->FailInterruptedJobs(), 0);
}

TEST_F(BulkIssueTest, StoppingTheServiceEndsARunningJobAfterItsCurrentRow) {
  AddStaff(1);
  std::string csv = kDbsHeader;
  for (int i = 0; i < 30; ++i) csv += DbsRow("ESR-1");
  std::mutex mu;
  std::condition_variable cv;
  bool reached = false, release = false;
  after_row_ = [&](std::string_view, int64_t done) {
    if (done != 5) return;
    std::unique_lock lock(mu);
    reached = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  };
  std::string id = Upload(csv);
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return reached; });
  }
  api_.reset();
  std::thread stopper([&] { d_->bulk.reset(); });
  // The destructor is now waiting for the worker; let the worker see it.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  stopper.join();
  auto job = d_->store->GetJob(id);
  ASSERT_THAT(job, IsOk());
  EXPECT_EQ(job->state, "failed");
  EXPECT_LT(job->done, 30);
  auto errors = service::JobErrors(*job);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.back().code, "job.interrupted");
  EXPECT_EQ(errors.back().line, job->done + 2);  // the first row not issued
  auto issued = d_->store->ListIssuedCredentials("RGT", "", store::Page{});
  EXPECT_EQ(static_cast<int64_t>(issued->size()), job->done);
}

}  // namespace
}  // namespace lanyard::http
