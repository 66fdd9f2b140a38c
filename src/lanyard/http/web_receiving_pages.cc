// A receiving organisation's pages (medical staffing, recruitment): create a share request and
// send its link or QR code, read the readiness report (one row per check, printable), record an
// override, close the request, and follow a whole changeover cohort on one dashboard.
#include "lanyard/http/api.h"
#include "lanyard/http/web_util.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/profile.h"
#include "lanyard/passport/readiness.h"
#include "lanyard/service/role_profiles.h"

namespace lanyard::http {
namespace {

using service::Role;
using service::RoleSet;
using Kind = FieldView::Kind;

const RoleSet kVerifiers{Role::kVerifier};

// Reports the dashboard evaluates on one load when they have never been viewed: the rest say
// "not checked yet" until the next load, so the page stays quick for a whole cohort.
constexpr int kEvaluationsPerDashboard = 25;

std::string StateWords(std::string_view state) {
  if (state == "open") return "Waiting for the staff member";
  if (state == "consented") return "Shared";
  if (state == "received") return "Shared and viewed";
  if (state == "withdrawn") return "Consent withdrawn";
  if (state == "closed") return "Closed";
  if (state == "expired") return "Expired";
  return Humanise(state);
}

json::Value TextList(const json::Value* list) {
  json::Array out;
  if (list != nullptr && list->is_array()) {
    for (const auto& item : list->as_array()) {
      if (item.is_string()) out.emplace_back(item.as_string());
    }
  }
  return json::Value(std::move(out));
}

// One row of the report: a check's name, decision, reasons and evidence.
json::Value CheckRow(std::string id, std::string name, const json::Value& check) {
  json::Value row = json::Object{};
  row.Set("id", std::move(id));
  row.Set("name", std::move(name));
  const std::string* decision = check.FindString("decision");
  row.Set("decision", DecisionTag(decision ? *decision : ""));
  row.Set("reasons", TextList(check.Find("reasons")));
  row.Set("evidence", TextList(check.Find("evidence")));
  if (const std::string* due = check.FindString("due")) row.Set("due", FormatIsoDate(*due));
  return row;
}

// Every check of a readiness report as rows, and the names of those to repeat.
json::Value ReportRows(const json::Value& readiness, std::vector<std::string>* blocked) {
  json::Array rows;
  const json::Value* checks = readiness.Find("checks");
  if (checks == nullptr) return json::Value(std::move(rows));
  for (const auto& [id, name] : CheckNames()) {
    const json::Value* check = checks->Find(std::string(id));
    if (check == nullptr) continue;
    json::Value row = CheckRow(std::string(id), std::string(name), *check);
    const std::string* decision = check->FindString("decision");
    if (blocked != nullptr && decision != nullptr && *decision == "repeat") {
      blocked->push_back(std::string(name));
    }
    rows.push_back(std::move(row));
  }
  if (const json::Value* training = checks->Find("training");
      training != nullptr && training->is_object()) {
    for (const auto& [subject, check] : training->as_object()) {
      std::string name = "Training: " + Humanise(subject);
      const std::string* decision = check.FindString("decision");
      if (blocked != nullptr && decision != nullptr && *decision == "repeat") {
        blocked->push_back(name);
      }
      rows.push_back(CheckRow("training." + subject, std::move(name), check));
    }
  }
  return json::Value(std::move(rows));
}

}  // namespace

void Api::AddReceivingPages() {
  const ApiServices& s = s_;
  auto staff_name = [&s](const std::string& user_id) {
    if (user_id.empty()) return std::string();
    auto user = s.store->GetUser(user_id);
    return user.ok() ? user->display_name : std::string();
  };

  AddPage("GET", "/requests", "getChangeoverDashboard",
          "Every share request of the organisation: who is cleared, who is blocked and on what",
          kVerifiers, [this, &s, staff_name](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(
                auto requests, s.store->ListShareRequests(ctx.principal.org_ods, "", {500, 0}));
            int evaluations = 0;
            int cleared = 0, reverify = 0, blocked_count = 0, waiting = 0;
            json::Array rows;
            for (auto& r : requests) {
              const bool live = r.state == "consented" || r.state == "received";
              // The last evaluation is kept with the request (as "last"); one never evaluated is
              // evaluated now, a few per load.
              json::Value readiness;
              if (live) {
                if (auto state = json::Parse(r.report_json.empty() ? "{}" : r.report_json);
                    state.ok() && state->Find("last") != nullptr) {
                  readiness = *state->Find("last");
                } else if (evaluations < kEvaluationsPerDashboard) {
                  ++evaluations;
                  if (auto report = s.sharing->Report(ctx.principal, ctx.principal.org_ods, r.id);
                      report.ok() && report->Find("readiness") != nullptr) {
                    readiness = *report->Find("readiness");
                  }
                }
              }
              json::Value row = json::Object{};
              row.Set("id", r.id);
              std::string name = staff_name(r.staff_user_id);
              row.Set("staff", name.empty() ? std::string("Not opened yet") : name);
              row.Set("role", ProfileTitle(r.profile));
              row.Set("start", FormatIsoDate(r.start_date));
              std::string status = StateWords(r.state);
              std::string tag = "nhsuk-tag--grey";
              std::vector<std::string> blocked;
              const std::string* overall =
                  readiness.is_object() ? readiness.FindString("overall") : nullptr;
              if (overall != nullptr) {
                status = OverallWords(*overall);
                tag = OverallTag(*overall);
                ReportRows(readiness, &blocked);
                if (*overall == "cleared") ++cleared;
                if (*overall == "cleared_subject_to_reverification") ++reverify;
                if (*overall == "not_cleared") ++blocked_count;
              } else if (live) {
                status = "Not checked yet";
              } else if (r.state == "open") {
                ++waiting;
              }
              row.Set("status", json::Value(json::Object{{"text", json::Value(status)},
                                                         {"tag", json::Value(tag)}}));
              std::string blocked_text;
              for (const auto& b : blocked) blocked_text += (blocked_text.empty() ? "" : ", ") + b;
              row.Set("blocked", blocked_text);
              rows.push_back(std::move(row));
            }
            json::Value context = json::Object{};
            context.Set("has_rows", !rows.empty());
            context.Set("rows", json::Value(std::move(rows)));
            context.Set("cleared", static_cast<double>(cleared));
            context.Set("reverify", static_cast<double>(reverify));
            context.Set("blocked", static_cast<double>(blocked_count));
            context.Set("waiting", static_cast<double>(waiting));
            return Page(ctx, "dashboard", "Changeover dashboard", std::move(context));
          });

  auto new_form = [this](RequestContext& ctx, const FormErrors& errors,
                         int status) -> Result<ServerResponse> {
    FieldView profile = Input("profile", "Role");
    profile.kind = Kind::kSelect;
    profile.options.push_back({"", "Choose a role"});
    LANYARD_ASSIGN_OR_RETURN(
        auto available,
        service::RoleProfiles(*s_.store, *s_.clock).Available(ctx.principal.org_ods));
    for (const service::AvailableProfile& p : available) {
      profile.options.push_back({p.ref.id, ProfileTitle(service::FormatProfileRef(p.ref))});
    }
    profile.value = ctx.form.Get("profile");
    profile.error = errors.For("profile");
    FieldView movement = Input("movement", "Kind of move");
    movement.kind = Kind::kRadios;
    for (auto m : passport::AllMovements()) {
      std::string name(passport::MovementName(m));
      movement.options.push_back({name, Humanise(name)});
    }
    movement.value = ctx.form.Get("movement");
    movement.error = errors.For("movement");
    FieldView start = Input("start_date", "Start date", "date");
    start.value = ctx.form.Get("start_date");
    start.error = errors.For("start_date");
    FieldView from = Input("from_ods", "Their current organisation's ODS code (optional)");
    from.width = "5";
    from.value = ctx.form.Get("from_ods");
    from.error = errors.For("from_ods");
    json::Value context = json::Object{};
    context.Set("fields", json::Value(json::Array{profile.ToJson(), movement.ToJson(),
                                                  start.ToJson(), from.ToJson()}));
    context.Set("back_href", "/requests");
    return Page(ctx, "request_new", "New share request", WithErrors(std::move(context), errors),
                status);
  };
  AddPage("GET", "/requests/new", "getNewShareRequestPage",
          "Ask a staff member for their passport: role, kind of move and start date", kVerifiers,
          [new_form](RequestContext& ctx) -> Result<ServerResponse> {
            return new_form(ctx, FormErrors(), 200);
          });
  AddPage("POST", "/requests/new", "createShareRequestWithForm", "Create a share request",
          kVerifiers, [this, &s, new_form](RequestContext& ctx) -> Result<ServerResponse> {
            FormErrors errors;
            service::ShareRequestInput input;
            input.profile = ctx.form.Get("profile");
            input.movement = ctx.form.Get("movement");
            input.start_date = ctx.form.Get("start_date");
            input.from_ods = ctx.form.Get("from_ods");
            if (input.profile.empty()) errors.Add("profile", "Choose the role");
            if (input.movement.empty()) errors.Add("movement", "Choose the kind of move");
            if (!passport::IsCalendarDate(input.start_date)) {
              errors.Add("start_date", "Enter the start date, like 2027-08-04");
            }
            if (!errors.empty()) return new_form(ctx, errors, 400);
            auto created = s.sharing->Create(ctx.principal, ctx.principal.org_ods, input);
            if (!created.ok()) {
              if (created.error().code != Code::kInvalidArgument) return created.error();
              errors.Add("profile", created.error().message);
              return new_form(ctx, errors, 400);
            }
            // The link carries the secret in its query: the server's logs record paths only.
            std::string link = s.issuer->base_url() + "/share?code=" + created->link_secret;
            LANYARD_ASSIGN_OR_RETURN(json::Value qr, QrCode(link));
            json::Value context = json::Object{};
            context.Set("id", created->record.id);
            context.Set("link", link);
            context.Set("code", created->link_secret);
            context.Set("qr", std::move(qr));
            context.Set("expires", FormatDateTime(created->record.expires));
            context.Set("role", ProfileTitle(created->record.profile));
            context.Set("start", FormatIsoDate(created->record.start_date));
            return Page(ctx, "request_created", "Share request created", std::move(context), 201);
          });

  auto request_page = [this, &s, staff_name](RequestContext& ctx, const std::string& id,
                                             const FormErrors& errors,
                                             int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(auto r, s.sharing->Get(ctx.principal, ctx.principal.org_ods, id));
    json::Value context = json::Object{};
    context.Set("id", r.id);
    context.Set("staff", staff_name(r.staff_user_id));
    context.Set("role", ProfileTitle(r.profile));
    context.Set("movement", Humanise(r.movement));
    context.Set("start", FormatIsoDate(r.start_date));
    context.Set("state", StateWords(r.state));
    const bool live = r.state == "consented" || r.state == "received";
    context.Set("can_close", r.state != "closed" && r.state != "withdrawn");
    if (live) {
      LANYARD_ASSIGN_OR_RETURN(json::Value report,
                               s.sharing->Report(ctx.principal, ctx.principal.org_ods, id));
      const json::Value* readiness = report.Find("readiness");
      if (readiness != nullptr) {
        const std::string* overall = readiness->FindString("overall");
        context.Set("overall", json::Value(json::Object{
                                   {"text", json::Value(OverallWords(overall ? *overall : ""))},
                                   {"tag", json::Value(OverallTag(overall ? *overall : ""))}}));
        json::Value rows = ReportRows(*readiness, nullptr);
        // The override form lists the checks by the same names.
        FieldView check = Input("check", "Check");
        check.kind = Kind::kSelect;
        check.options.push_back({"", "Choose a check"});
        for (const auto& row : rows.as_array()) {
          check.options.push_back({*row.FindString("id"), *row.FindString("name")});
        }
        check.value = ctx.form.Get("check");
        check.error = errors.For("check");
        FieldView decision = Input("decision", "Decision");
        decision.kind = Kind::kRadios;
        decision.options = {{"repeat", "Repeat the check"},
                            {"reverify", "Re-verify it live"},
                            {"reuse", "Reuse it (only to relax a local policy rule)"}};
        decision.value = ctx.form.Get("decision");
        decision.error = errors.For("decision");
        FieldView reason = Input("reason", "Reason");
        reason.kind = Kind::kTextarea;
        reason.value = ctx.form.Get("reason");
        reason.error = errors.For("reason");
        context.Set("fields",
                    json::Value(json::Array{check.ToJson(), decision.ToJson(), reason.ToJson()}));
        context.Set("rows", std::move(rows));
        json::Array overrides;
        if (const json::Value* list = readiness->Find("overrides");
            list != nullptr && list->is_array()) {
          for (const auto& o : list->as_array()) {
            const std::string* c = o.FindString("check");
            const std::string* d = o.FindString("decision");
            const std::string* why = o.FindString("reason");
            const std::string* outcome = o.FindString("outcome");
            overrides.push_back(
                json::Value(json::Object{{"check", json::Value(c ? *c : "")},
                                         {"decision", json::Value(d ? Humanise(*d) : "")},
                                         {"reason", json::Value(why ? *why : "")},
                                         {"outcome", json::Value(outcome ? *outcome : "")}}));
          }
        }
        context.Set("has_overrides", !overrides.empty());
        context.Set("overrides", json::Value(std::move(overrides)));
        json::Array warnings;
        if (const json::Value* list = readiness->Find("warnings");
            list != nullptr && list->is_array()) {
          for (const auto& w : list->as_array()) {
            if (const std::string* m = w.FindString("message")) warnings.emplace_back(*m);
          }
        }
        context.Set("has_warnings", !warnings.empty());
        context.Set("warnings", json::Value(std::move(warnings)));
      }
      if (const std::string* evaluated = report.FindString("evaluated")) {
        if (auto t = ParseRfc3339(*evaluated); t.ok()) {
          context.Set("evaluated", FormatDateTime(*t));
        }
      }
      const json::Value* marks = report.Find("marks");
      context.Set("has_marks", marks != nullptr && marks->is_array() && !marks->as_array().empty());
    }
    context.Set("back_href", "/requests");
    std::string title = live ? "Readiness report" : "Share request";
    return Page(ctx, "request", title, WithErrors(std::move(context), errors), status);
  };
  AddPage("GET", "/requests/{id}", "getReadinessReportPage",
          "A share request, with its readiness report once the staff member has shared", kVerifiers,
          [request_page](RequestContext& ctx) -> Result<ServerResponse> {
            return request_page(ctx, ctx.params.Get("id"), FormErrors(), 200);
          });
  AddPage("POST", "/requests/{id}/override", "overrideWithForm",
          "Record an override of one decision, with a reason", kVerifiers,
          [&s, request_page](RequestContext& ctx) -> Result<ServerResponse> {
            const std::string& id = ctx.params.Get("id");
            FormErrors errors;
            passport::Override o;
            o.check = ctx.form.Get("check");
            o.reason = ctx.form.Get("reason");
            auto decision = passport::ParseDecision(ctx.form.Get("decision"));
            if (o.check.empty()) errors.Add("check", "Choose the check");
            if (!decision.ok()) errors.Add("decision", "Choose the decision");
            if (o.reason.empty()) errors.Add("reason", "Enter the reason");
            if (o.reason.size() > 1000)
              errors.Add("reason", "Reason must be 1000 characters or fewer");
            if (!errors.empty()) return request_page(ctx, id, errors, 400);
            o.decision = *decision;
            o.by = ctx.principal.id;
            auto done = s.sharing->Override(ctx.principal, ctx.principal.org_ods, id, o);
            if (!done.ok()) {
              if (done.error().code != Code::kInvalidArgument &&
                  done.error().code != Code::kFailedPrecondition) {
                return done.error();
              }
              errors.Add("check", done.error().message);
              return request_page(ctx, id, errors, 400);
            }
            return SeeOther("/requests/" + id);
          });
  AddPage("POST", "/requests/{id}/close", "closeShareRequestWithForm",
          "Close a share request: what was shared is deleted", kVerifiers,
          [&s](RequestContext& ctx) -> Result<ServerResponse> {
            const std::string& id = ctx.params.Get("id");
            LANYARD_TRY(s.sharing->Close(ctx.principal, ctx.principal.org_ods, id));
            return SeeOther("/requests/" + id);
          });
}

}  // namespace lanyard::http
