// The background-job routes: bulk issuance from a CSV file, a job's progress, and its error
// report as CSV. The rules live in service/bulk_issue.h; this file translates HTTP.
#include <cctype>

#include "lanyard/core/time.h"
#include "lanyard/http/api.h"
#include "lanyard/json/canonical.h"

namespace lanyard::http {
namespace {

using service::Role;
using service::RoleSet;

const RoleSet kJobIssuers{Role::kHrIssuer, Role::kOhIssuer, Role::kTrainingIssuer};

Result<service::BulkIssueService*> Bulk(const ApiServices& s) {
  if (s.bulk == nullptr) {
    return MakeError(Code::kUnavailable, "job.unavailable",
                     "this server does not run background jobs");
  }
  return s.bulk;
}

json::Value JobJson(const store::JobRecord& job) {
  json::Value v = json::Object{};
  v.Set("id", job.id);
  v.Set("kind", job.kind);
  v.Set("state", job.state);
  v.Set("total", job.total);
  v.Set("done", job.done);  // rows finished, issued or not
  v.Set("issued", job.done - job.failed);
  v.Set("failed", job.failed);
  json::Array errors;
  for (const auto& e : service::JobErrors(job)) {
    errors.push_back(json::Value(
        json::Object{{"line", json::Value(e.line)}, {"code", e.code}, {"message", e.message}}));
  }
  v.Set("errors", json::Value(std::move(errors)));
  v.Set("created", FormatRfc3339(job.created));
  v.Set("updated", FormatRfc3339(job.updated));
  return v;
}

std::string JobPath(const store::JobRecord& job) {
  return "/orgs/" + job.org_ods + "/jobs/" + job.id;
}

}  // namespace

void Api::AddJobRoutes() {
  auto add = [this](std::string method, std::string pattern, std::string op, std::string summary,
                    RouteHandler handler, json::Value schema = json::Value(),
                    std::string media_type = "application/json") {
    AddRoute(std::move(method), std::move(pattern), std::move(op), std::move(summary), "jobs",
             Access::kRoles, kJobIssuers, std::move(handler), std::move(schema), false,
             std::move(media_type));
  };
  const ApiServices& s = s_;

  add(
      "POST", "/orgs/{ods}/jobs/bulk-issue", "startBulkIssue",
      "Issue one credential per row of a CSV file (text/csv), as a background job",
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(service::BulkIssueService * bulk, Bulk(s));
        LANYARD_ASSIGN_OR_RETURN(std::string_view csv, ctx.FileBody("text/csv"));
        LANYARD_ASSIGN_OR_RETURN(
            store::JobRecord job,
            bulk->Start(ctx.principal, ctx.params.Get("ods"), std::string(csv)));
        ServerResponse r;
        r.status = 202;
        r.body = json::Serialize(json::Value(
            json::Object{{"id", job.id}, {"state", job.state}, {"total", json::Value(job.total)}}));
        r.headers.push_back({"Location", JobPath(job)});
        return r;
      },
      json::Value(json::Object{
          {"type", "string"},
          {"description", "An ESR-style extract, one credential per row (docs/bulk-issue.md)"}}),
      "text/csv");
  add("GET", "/orgs/{ods}/jobs/{id}", "getJob",
      "A background job's progress and its per-row errors",
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(service::BulkIssueService * bulk, Bulk(s));
        LANYARD_ASSIGN_OR_RETURN(
            store::JobRecord job,
            bulk->Get(ctx.principal, ctx.params.Get("ods"), ctx.params.Get("id")));
        ServerResponse r;
        r.body = json::Serialize(JobJson(job));
        return r;
      });
  add("GET", "/orgs/{ods}/jobs/{id}/errors.csv", "getJobErrorsCsv",
      "A job's per-row errors as a CSV report (line,code,message)",
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(service::BulkIssueService * bulk, Bulk(s));
        LANYARD_ASSIGN_OR_RETURN(
            store::JobRecord job,
            bulk->Get(ctx.principal, ctx.params.Get("ods"), ctx.params.Get("id")));
        ServerResponse r;
        r.content_type = "text/csv; charset=utf-8";
        r.headers.push_back({"Content-Disposition",
                             "attachment; filename=\"bulk-issue-errors-" + job.id + ".csv\""});
        r.body = service::JobErrorsCsv(job);
        return r;
      });
}

}  // namespace lanyard::http
