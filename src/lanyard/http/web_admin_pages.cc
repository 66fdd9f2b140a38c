// An organisation administrator's pages: users and roles, API tokens, signing keys and their
// rotation, and role profiles (check a profile file, preview what it requires and how it would
// change the organisation's shared requests, then store it as the organisation's own). The research
// pages for analysts (the live service's figures, and the published movement report with its
// tables as CSV), and the organisations list for national administrators, are here too.
#include <map>
#include <sstream>

#include "lanyard/analytics/html_report.h"
#include "lanyard/core/encoding.h"
#include "lanyard/http/api.h"
#include "lanyard/http/web_util.h"
#include "lanyard/json/canonical.h"
#include "lanyard/passport/profile.h"
#include "lanyard/service/org_keys.h"
#include "lanyard/service/publications.h"
#include "lanyard/service/role_profiles.h"

namespace lanyard::http {
namespace {

using service::Role;
using service::RoleSet;
using Kind = FieldView::Kind;

const RoleSet kAdmins{Role::kOrgAdmin};
const RoleSet kResearchers{Role::kAnalyst, Role::kOrgAdmin};

// A profile's preview verifies the newest shared requests for its role once each and decides
// them under both profiles: about 0.9 ms a request on the demo data, so 20 keep the page within
// its 20 ms (docs/BENCHMARKS.md).
constexpr size_t kProfilePreviewRequests = 20;

// The report page shows the first rows of each table; the CSV files hold them all. Enough rows
// for the largest corridors and every month, and the page stays well under its weight budget.
constexpr size_t kReportPageRows = 25;
constexpr std::string_view kReportMarker = "lanyard-movement-report-goes-here";

Result<std::shared_ptr<const analytics::PublishedReport>> PublishedMovementReport(
    const analytics::ReportFolder* folder) {
  if (folder == nullptr) {
    return MakeError(Code::kNotFound, "research.no_report",
                     "No movement report has been published on this service yet");
  }
  return folder->Current();
}

// What the research pages say about the published report: its size, or why there is none.
json::Value ReportSummary(const Result<std::shared_ptr<const analytics::PublishedReport>>& report) {
  json::Value out = json::Object{};
  if (!report.ok()) {
    // A report that is there but cannot be read is the operators' to mend; analysts are told
    // plainly that there is nothing to see yet.
    out.Set("available", false);
    out.Set("problem", report.error().reason != "research.no_report");
    return out;
  }
  out.Set("available", true);
  out.Set("tables", static_cast<double>((*report)->tables.size()));
  out.Set("rows_read", FormatCount((*report)->rows_read));
  out.Set("files_read", FormatCount((*report)->files_read));
  out.Set("rows_rejected", FormatCount((*report)->rows_rejected));
  return out;
}

// The roles an organisation's administrator may give.
constexpr Role kOrgRoles[] = {Role::kOrgAdmin,       Role::kHrIssuer, Role::kOhIssuer,
                              Role::kTrainingIssuer, Role::kVerifier, Role::kAnalyst};

std::string RoleWords(std::string_view role) {
  if (role == "org_admin") return "Administrator";
  if (role == "hr_issuer") return "HR: issues employment checks";
  if (role == "oh_issuer") return "Occupational health: issues clearances";
  if (role == "training_issuer") return "Training: issues core skills and induction";
  if (role == "verifier") return "Medical staffing or recruitment: receives passports";
  if (role == "analyst") return "Analyst: aggregate figures only";
  return Humanise(role);
}

std::string RolesWords(std::string_view comma_list) {
  std::string out;
  while (!comma_list.empty()) {
    size_t comma = comma_list.find(',');
    std::string_view role = comma_list.substr(0, comma);
    std::string words = RoleWords(role);
    out += (out.empty() ? "" : "; ") + words.substr(0, words.find(':'));
    comma_list = comma == std::string_view::npos ? "" : comma_list.substr(comma + 1);
  }
  return out;
}

json::Value StepUpField(const FormErrors& errors) {
  FieldView f = Input("confirm", "The code from your authenticator app", "password");
  f.autocomplete = "one-time-code";
  f.error = errors.For("confirm");
  return f.ToJson();
}

// What a profile requires, check by check, in words.
json::Value ProfileRows(const passport::Profile& p) {
  json::Array rows;
  auto add = [&](std::string check, std::string need) {
    rows.push_back(json::Value(json::Object{{"check", json::Value(std::move(check))},
                                            {"need", json::Value(std::move(need))}}));
  };
  auto yes = [](bool b) { return b ? std::string("Required") : std::string("Not required"); };
  add("Identity", yes(p.identity.required));
  add("Right to work", yes(p.right_to_work.required));
  std::string registration = yes(p.registration.required);
  for (const auto& r : p.registration.regulators) registration += " " + r;
  if (p.registration.required && p.registration.conditions_allowed) {
    registration += ", conditions allowed";
  }
  add("Professional registration", registration);
  add("Employment history",
      yes(p.employment_history.required) +
          (p.employment_history.reference_required ? ", with a reference" : ""));
  static constexpr const char* kDbs[] = {"basic", "standard", "enhanced",
                                         "enhanced with barred lists"};
  add("DBS", p.dbs.required
                 ? std::string("Required: ") + kDbs[static_cast<int>(p.dbs.level)] +
                       (p.dbs.recheck_years ? ", re-checked every " +
                                                  std::to_string(*p.dbs.recheck_years) + " years"
                                            : std::string())
                 : std::string("Not required"));
  add("Work health",
      yes(p.work_health.required) + (p.work_health.epp ? ", cleared for exposure-prone procedures"
                                     : p.work_health.patient_contact ? ", with patient contact"
                                                                     : ""));
  add("Corporate induction",
      yes(p.induction.required) + (p.induction.required && p.induction.recognise_previous
                                       ? ", an earlier one recognised"
                                       : ""));
  for (const auto& [subject, level] : p.training) {
    add("Training: " + Humanise(subject), "Level " + std::to_string(level));
  }
  return json::Value(std::move(rows));
}

}  // namespace

void Api::AddAdminPages() {
  const ApiServices& s = s_;

  // --- users ---
  auto users_page = [this, &s](RequestContext& ctx, const FormErrors& errors, std::string notice,
                               int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(auto users, s.store->ListUsers(ctx.principal.org_ods, {500, 0}));
    json::Array rows;
    for (const auto& u : users) {
      rows.push_back(
          json::Value(json::Object{{"name", json::Value(u.display_name)},
                                   {"email", json::Value(u.email)},
                                   {"roles", json::Value(RolesWords(u.roles))},
                                   {"totp", json::Value(u.totp_enrolled ? "Set up" : "Not yet")}}));
    }
    json::Array roles;
    std::vector<std::string> chosen = ctx.form.GetAll("roles");
    for (Role r : kOrgRoles) {
      std::string name(service::RoleName(r));
      roles.push_back(json::Value(json::Object{
          {"value", json::Value(name)},
          {"option_id", json::Value("roles-" + name)},
          {"text", json::Value(RoleWords(name))},
          {"selected",
           json::Value(std::find(chosen.begin(), chosen.end(), name) != chosen.end())}}));
    }
    auto field = [&](std::string name, std::string label, std::string type, std::string hint) {
      FieldView f = Input(name, std::move(label), std::move(type));
      if (f.type != "password") f.value = ctx.form.Get(name);
      f.hint = std::move(hint);
      f.error = errors.For(name);
      f.autocomplete = "off";
      return f.ToJson();
    };
    json::Value context = json::Object{};
    context.Set("users", json::Value(std::move(rows)));
    context.Set("roles", json::Value(std::move(roles)));
    context.Set("roles_error", errors.For("roles"));
    context.Set("fields", json::Value(json::Array{
                              field("display_name", "Full name", "text", ""),
                              field("email", "Email address", "email", ""),
                              field("password", "Temporary password", "password",
                                    "At least 12 characters. Give it to them separately; they "
                                    "set up an authenticator app when they first sign in")}));
    if (!notice.empty()) context.Set("notice", notice);
    return Page(ctx, "users", "Users", WithErrors(std::move(context), errors), status);
  };
  AddPage("GET", "/organisation/users", "getUsersPage", "The organisation's users and roles",
          kAdmins, [users_page](RequestContext& ctx) -> Result<ServerResponse> {
            return users_page(ctx, FormErrors(), "", 200);
          });
  AddPage("POST", "/organisation/users", "addUserWithForm", "Add a user with roles", kAdmins,
          [&s, users_page](RequestContext& ctx) -> Result<ServerResponse> {
            FormErrors errors;
            service::NewUser user;
            user.display_name = ctx.form.Get("display_name");
            user.email = ctx.form.Get("email");
            user.password = ctx.form.Get("password");
            user.org_ods = ctx.principal.org_ods;
            for (const auto& name : ctx.form.GetAll("roles")) {
              auto role = service::ParseRole(name);
              if (!role.ok() || *role == Role::kStaff || *role == Role::kNationalAdmin) {
                errors.Add("roles", "Choose roles from the list");
                break;
              }
              user.roles.Add(*role);
            }
            if (user.display_name.empty()) errors.Add("display_name", "Enter their full name");
            if (user.email.empty()) errors.Add("email", "Enter their email address");
            if (user.roles.empty() && errors.For("roles").empty()) {
              errors.Add("roles", "Choose at least one role");
            }
            if (user.password.empty()) errors.Add("password", "Enter a temporary password");
            if (!errors.empty()) return users_page(ctx, errors, "", 400);
            auto created = s.accounts->CreateUser(ctx.principal, user);
            if (!created.ok()) {
              const Error& e = created.error();
              if (e.reason.starts_with("password.")) {
                errors.Add("password", e.message);
              } else if (e.reason == "account.exists" || e.reason == "account.invalid") {
                errors.Add("email", e.message);
              } else {
                return e;
              }
              return users_page(ctx, errors, "", 400);
            }
            return users_page(ctx, FormErrors(), "Added " + created->display_name + ".", 201);
          });

  // --- API tokens ---
  auto tokens_page = [this, &s](RequestContext& ctx, const FormErrors& errors, json::Value extra,
                                int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(auto tokens, s.store->ListApiTokens(ctx.principal.org_ods));
    json::Array rows;
    for (const auto& t : tokens) {
      json::Value row = json::Object{};
      row.Set("id", t.id);
      row.Set("label", t.label);
      row.Set("role", RolesWords(t.role));
      row.Set("created", FormatDate(t.created));
      row.Set("expires", t.expires ? FormatDate(*t.expires) : std::string("Never"));
      row.Set("revoked", t.revoked.has_value());
      rows.push_back(std::move(row));
    }
    FieldView label = Input("label", "What the token is for");
    label.hint = "For example, ESR nightly upload";
    label.value = ctx.form.Get("label");
    label.error = errors.For("label");
    FieldView role = Input("role", "Role it acts with");
    role.kind = Kind::kSelect;
    role.options.push_back({"", "Choose a role"});
    for (Role r : kOrgRoles) {
      if (r == Role::kOrgAdmin) continue;
      role.options.push_back({std::string(service::RoleName(r)), RoleWords(service::RoleName(r))});
    }
    role.value = ctx.form.Get("role");
    role.error = errors.For("role");
    FieldView days = Input("days", "Days until it expires (optional)", "number");
    days.width = "4";
    days.value = ctx.form.Get("days");
    days.error = errors.For("days");
    json::Value context = extra.is_object() ? std::move(extra) : json::Value(json::Object{});
    context.Set("tokens", json::Value(std::move(rows)));
    context.Set("fields", json::Value(json::Array{label.ToJson(), role.ToJson(), days.ToJson()}));
    return Page(ctx, "tokens", "API tokens", WithErrors(std::move(context), errors), status);
  };
  AddPage("GET", "/organisation/tokens", "getTokensPage", "The organisation's API tokens", kAdmins,
          [tokens_page](RequestContext& ctx) -> Result<ServerResponse> {
            return tokens_page(ctx, FormErrors(), json::Value(), 200);
          });
  AddPage("POST", "/organisation/tokens", "createTokenWithForm", "Create an API token", kAdmins,
          [&s, tokens_page](RequestContext& ctx) -> Result<ServerResponse> {
            FormErrors errors;
            std::string label = ctx.form.Get("label");
            auto role = service::ParseRole(ctx.form.Get("role"));
            std::string days = ctx.form.Get("days");
            std::optional<std::chrono::seconds> lifetime;
            if (label.empty()) errors.Add("label", "Enter what the token is for");
            if (!role.ok()) errors.Add("role", "Choose the role it acts with");
            if (!days.empty()) {
              if (days.size() > 4 || days.find_first_not_of("0123456789") != std::string::npos ||
                  std::stoi(days) < 1) {
                errors.Add("days", "Enter a whole number of days, 1 or more");
              } else {
                lifetime = std::chrono::hours(24 * std::stoi(days));
              }
            }
            if (!errors.empty()) return tokens_page(ctx, errors, json::Value(), 400);
            auto token = s.accounts->CreateApiToken(ctx.principal, ctx.principal.org_ods, *role,
                                                    label, lifetime);
            if (!token.ok()) {
              if (token.error().code != Code::kInvalidArgument) return token.error();
              errors.Add("label", token.error().message);
              return tokens_page(ctx, errors, json::Value(), 400);
            }
            json::Value extra = json::Object{};
            extra.Set("new_token", token->secret);
            return tokens_page(ctx, FormErrors(), std::move(extra), 201);
          });
  AddPage("POST", "/organisation/tokens/{id}/revoke", "revokeTokenWithForm", "Revoke an API token",
          kAdmins, [&s](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_TRY(s.accounts->RevokeApiToken(ctx.principal, ctx.principal.org_ods,
                                                   ctx.params.Get("id")));
            return SeeOther("/organisation/tokens");
          });

  // --- signing keys ---
  auto keys_page = [this, &s](RequestContext& ctx, const FormErrors& errors, std::string notice,
                              int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(auto org, s.store->GetOrganisation(ctx.principal.org_ods));
    LANYARD_ASSIGN_OR_RETURN(auto keys, service::OrganisationKeys(org));
    json::Array rows;
    for (const service::OrgKeyView& k : keys) {
      const std::string status = k.status == "active" ? "In use"
                                 : k.status == "retired"
                                     ? "Retired: its signatures still count"
                                     : "Compromised: its signatures no longer count";
      rows.push_back(
          json::Value(json::Object{{"id", json::Value(k.key_id)},
                                   {"status", json::Value(status)},
                                   {"since", json::Value(k.since ? FormatDate(*k.since) : "")},
                                   {"reason", json::Value(k.reason)}}));
    }
    FieldView reason = Input("reason", "Reason");
    reason.value = ctx.form.Get("reason");
    reason.error = errors.For("reason");
    FieldView kind = Input("compromised", "Why is the key changing?");
    kind.kind = Kind::kRadios;
    kind.options = {{"no", "A planned rotation: what the old key signed stays valid"},
                    {"yes", "The key is compromised: everything it signed stops verifying"}};
    kind.value = ctx.form.Has("compromised") ? ctx.form.Get("compromised") : "no";
    json::Value context = json::Object{};
    context.Set("did", org.did);
    context.Set("keys", json::Value(std::move(rows)));
    context.Set("fields",
                json::Value(json::Array{reason.ToJson(), kind.ToJson(), StepUpField(errors)}));
    if (!notice.empty()) context.Set("notice", notice);
    return Page(ctx, "keys", "Signing keys", WithErrors(std::move(context), errors), status);
  };
  AddPage("GET", "/organisation/keys", "getKeysPage", "The organisation's signing keys", kAdmins,
          [keys_page](RequestContext& ctx) -> Result<ServerResponse> {
            return keys_page(ctx, FormErrors(), "", 200);
          });
  AddPage("POST", "/organisation/keys/rotate", "rotateKeyWithForm",
          "Rotate the signing key, after confirming it is you", kAdmins,
          [&s, keys_page](RequestContext& ctx) -> Result<ServerResponse> {
            FormErrors errors;
            std::string reason = ctx.form.Get("reason");
            if (reason.empty()) errors.Add("reason", "Enter the reason");
            if (!errors.empty()) return keys_page(ctx, errors, "", 400);
            if (!s.accounts->StepUp(ctx.principal, ctx.form.Get("confirm")).ok()) {
              errors.Add("confirm", "Enter the code your authenticator app shows now");
              return keys_page(ctx, errors, "", 401);
            }
            bool compromised = ctx.form.Get("compromised") == "yes";
            auto rotated = s.accounts->RotateSigningKey(ctx.principal, ctx.principal.org_ods,
                                                        reason, compromised);
            if (!rotated.ok()) {
              if (rotated.error().code != Code::kInvalidArgument &&
                  rotated.error().code != Code::kFailedPrecondition) {
                return rotated.error();
              }
              errors.Add("reason", rotated.error().message);
              return keys_page(ctx, errors, "", 400);
            }
            return keys_page(ctx, FormErrors(), "The signing key was changed.", 200);
          });

  // --- role profiles ---
  auto profiles_page = [this, &s](RequestContext& ctx, const FormErrors& errors,
                                  json::Value preview, std::string notice,
                                  int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(
        auto available, service::RoleProfiles(*s.store, *s.clock).Available(ctx.principal.org_ods));
    json::Array in_use;
    for (const service::AvailableProfile& p : available) {
      const std::string source = p.own ? "Your organisation's, version " +
                                             std::to_string(p.ref.version) + ", stored " +
                                             FormatDate(p.uploaded)
                                       : std::string("Built in");
      in_use.push_back(json::Value(json::Object{
          {"id", json::Value(p.ref.id)},
          {"name", json::Value(Humanise(p.ref.id))},
          {"source", json::Value(source)},
          {"count", json::Value(static_cast<double>(passport::RequirementCount(p.profile)))},
          {"rows", ProfileRows(p.profile)}}));
    }
    FieldView file = Input("file", "Profile file", "file");
    file.hint = "A lanyard-profile/1 text file, such as one of the built-in profiles edited";
    file.error = errors.For("file");
    json::Value context = json::Object{};
    context.Set("in_use", json::Value(std::move(in_use)));
    context.Set("fields", json::Value(json::Array{file.ToJson()}));
    if (!preview.is_null()) context.Set("preview", std::move(preview));
    if (!notice.empty()) context.Set("notice", notice);
    return Page(ctx, "profiles", "Role profiles", WithErrors(std::move(context), errors), status);
  };
  AddPage("GET", "/organisation/profiles", "getProfilesPage",
          "Role requirement profiles: those in use, and checking a new one", kAdmins,
          [profiles_page](RequestContext& ctx) -> Result<ServerResponse> {
            std::string notice;
            if (auto stored = service::ParseProfileRef(ctx.Query("stored")); stored.ok()) {
              notice = ProfileTitle(service::FormatProfileRef(*stored)) +
                       " is stored. New share requests for this role use it; requests already "
                       "made keep the profile they were made under.";
            }
            return profiles_page(ctx, FormErrors(), json::Value(), std::move(notice), 200);
          });
  AddPage("POST", "/organisation/profiles/check", "checkProfileWithForm",
          "Check a role profile file and preview its effect on shared requests", kAdmins,
          [&s, profiles_page](RequestContext& ctx) -> Result<ServerResponse> {
            const FormField* file = ctx.form.File("file");
            FormErrors errors;
            if (file == nullptr || file->value.empty()) {
              errors.Add("file", "Select a profile file");
              return profiles_page(ctx, errors, json::Value(), "", 400);
            }
            service::RoleProfiles profiles(*s.store, *s.clock);
            const std::string& org = ctx.principal.org_ods;
            auto checked = profiles.Check(org, file->value, file->filename);
            if (!checked.ok()) {
              if (checked.error().code != Code::kInvalidArgument) return checked.error();
              errors.Add("file", "The profile cannot be used: " + checked.error().message);
              return profiles_page(ctx, errors, json::Value(), "", 400);
            }
            json::Value preview = json::Object{};
            preview.Set("id", checked->id);
            preview.Set("name", Humanise(checked->id));
            preview.Set("version", static_cast<double>(checked->version));
            preview.Set("count", static_cast<double>(passport::RequirementCount(*checked)));
            preview.Set("rows", ProfileRows(*checked));
            // What changes against the profile new requests use now.
            if (auto current = profiles.Current(org, checked->id); current.ok()) {
              preview.Set("replaces", ProfileTitle(service::FormatProfileRef(current->ref)));
              const json::Value current_rows = ProfileRows(current->profile);
              const json::Value new_rows = ProfileRows(*checked);
              std::map<std::string, std::string> was;
              for (const auto& row : current_rows.as_array()) {
                was[*row.FindString("check")] = *row.FindString("need");
              }
              json::Array differences;
              for (const auto& row : new_rows.as_array()) {
                const std::string& check = *row.FindString("check");
                auto it = was.find(check);
                const std::string before = it == was.end() ? "Not required" : it->second;
                if (before != *row.FindString("need")) {
                  differences.push_back(json::Value(json::Object{{"check", json::Value(check)},
                                                                 {"before", json::Value(before)},
                                                                 {"after", *row.Find("need")}}));
                }
                if (it != was.end()) was.erase(it);
              }
              for (const auto& [check, before] : was) {
                differences.push_back(
                    json::Value(json::Object{{"check", json::Value(check)},
                                             {"before", json::Value(before)},
                                             {"after", json::Value("Not required")}}));
              }
              preview.Set("has_differences", !differences.empty());
              preview.Set("differences", json::Value(std::move(differences)));
            } else if (current.error().code != Code::kNotFound) {
              return current.error();
            }
            // Its effect on the people already shared with the organisation for this role.
            LANYARD_ASSIGN_OR_RETURN(
                auto effect,
                s.sharing->PreviewProfile(ctx.principal, org, *checked, kProfilePreviewRequests));
            json::Array effect_rows;
            size_t changed = 0;
            for (const service::ProfilePreviewRow& row : effect) {
              json::Array changes;
              for (const auto& c : row.changes) {
                changes.emplace_back(CheckWords(c.item) + ": " +
                                     *DecisionTag(c.before).FindString("text") + " → " +
                                     *DecisionTag(c.after).FindString("text"));
              }
              if (!changes.empty() || row.before != row.after) ++changed;
              auto staff = s.store->GetUser(row.request.staff_user_id);
              effect_rows.push_back(json::Value(json::Object{
                  {"href", json::Value("/requests/" + row.request.id)},
                  {"person", json::Value(staff.ok() ? staff->display_name : "Staff member")},
                  {"start", json::Value(FormatIsoDate(row.request.start_date))},
                  {"before", json::Value(OverallWords(row.before))},
                  {"before_tag", json::Value(OverallTag(row.before))},
                  {"after", json::Value(OverallWords(row.after))},
                  {"after_tag", json::Value(OverallTag(row.after))},
                  {"has_changes", json::Value(!changes.empty())},
                  {"changes", json::Value(std::move(changes))}}));
            }
            preview.Set("requests", static_cast<double>(effect.size()));
            preview.Set("changed", static_cast<double>(changed));
            preview.Set("has_effect", !effect_rows.empty());
            preview.Set("effect", json::Value(std::move(effect_rows)));
            // The file goes back with the form that stores it, checked again then.
            preview.Set("file_data", Base64UrlEncode(AsBytes(file->value)));
            preview.Set("file_name", file->filename);
            return profiles_page(ctx, FormErrors(), std::move(preview), "", 200);
          });
  AddPage("POST", "/organisation/profiles", "storeProfileWithForm",
          "Store a checked role profile as the organisation's own", kAdmins,
          [&s, profiles_page](RequestContext& ctx) -> Result<ServerResponse> {
            FormErrors errors;
            auto text = Base64UrlDecode(ctx.form.Get("file_data"));
            if (!text.ok() || text->empty()) {
              errors.Add("file", "Select a profile file and check it first");
              return profiles_page(ctx, errors, json::Value(), "", 400);
            }
            const std::string file_text(text->begin(), text->end());
            const std::string name = ctx.form.Get("file_name");
            auto stored = service::RoleProfiles(*s.store, *s.clock)
                              .Save(ctx.principal, ctx.principal.org_ods, file_text,
                                    name.empty() ? "profile" : name);
            if (!stored.ok()) {
              if (stored.error().code != Code::kInvalidArgument) return stored.error();
              errors.Add("file", "The profile cannot be stored: " + stored.error().message);
              return profiles_page(ctx, errors, json::Value(), "", 400);
            }
            return SeeOther("/organisation/profiles?stored=" +
                            service::FormatProfileRef({stored->id, stored->version}));
          });

  // --- research and the deployment's organisations ---
  AddPage(
      "GET", "/research", "getResearchPage",
      "Disclosure-controlled figures on credentials and share requests", kResearchers,
      [this, &s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value summary,
                                 service::OrganisationSummary(*s.store, ctx.principal.org_ods));
        json::Array rows;
        std::function<void(const std::string&, const json::Value&)> flatten =
            [&](const std::string& prefix, const json::Value& v) {
              if (v.is_object()) {
                for (const auto& [k, child] : v.as_object()) {
                  flatten(prefix.empty() ? Humanise(k) : prefix + ": " + Humanise(k), child);
                }
              } else if (!v.is_array()) {
                rows.push_back(json::Value(json::Object{
                    {"name", json::Value(prefix)},
                    {"value", json::Value(v.is_string() ? v.as_string() : json::Serialize(v))}}));
              }
            };
        flatten("", summary);
        json::Value context = json::Object{};
        context.Set("rows", json::Value(std::move(rows)));
        context.Set("report", ReportSummary(PublishedMovementReport(s_.research_report)));
        return Page(ctx, "research", "Movement and savings figures", std::move(context));
      });
  AddPage("GET", "/research/report", "getMovementReportPage",
          "The published staff movement report: charts and tables", kResearchers,
          [this](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(auto report, PublishedMovementReport(s_.research_report));
            analytics::ReportBodyOptions options;
            options.csv_prefix = "/research/tables/";
            options.max_table_rows = kReportPageRows;
            json::Value context = ReportSummary(report);
            // Templates escape every value, so the report's markup (made by the report renderer,
            // which escapes every label it draws) goes in where the page leaves its marker.
            context.Set("report_marker", std::string(kReportMarker));
            context.Set("stylesheet", "/research/report.css");
            context.Set("back_href", "/research");
            LANYARD_ASSIGN_OR_RETURN(
                ServerResponse page,
                Page(ctx, "research_report", "Staff movement report", std::move(context)));
            const size_t at = page.body.find(kReportMarker);
            if (at == std::string::npos) {
              return MakeError(Code::kInternal, "template.invalid",
                               "the report page has no place for the report");
            }
            page.body.replace(at, kReportMarker.size(),
                              analytics::RenderReportBody(report->tables, options));
            return page;
          });
  AddPage("GET", "/research/report.css", "getMovementReportStyle",
          "The movement report's chart and table styles", std::nullopt,
          [](RequestContext&) -> Result<ServerResponse> {
            static const std::string kStyle = analytics::ReportStyle(".lanyard-report");
            ServerResponse r;
            r.content_type = "text/css; charset=utf-8";
            r.body = kStyle;
            r.headers.push_back({"Cache-Control", "public, max-age=86400"});
            return r;
          });
  AddPage("GET", "/research/tables/{file}", "getMovementReportTable",
          "One table of the published movement report, as CSV", kResearchers,
          [this](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(auto report, PublishedMovementReport(s_.research_report));
            const std::string file = ctx.params.Get("file");
            const std::string name = file.ends_with(".csv") ? file.substr(0, file.size() - 4) : "";
            const analytics::PublishedTable* table = report->FindTable(name);
            if (table == nullptr) {
              return MakeError(Code::kNotFound, "research.no_table",
                               "The report has no table of that name");
            }
            std::ostringstream csv;
            analytics::WriteTableCsv(*table, csv);
            ServerResponse r;
            r.content_type = "text/csv; charset=utf-8";
            r.body = std::move(csv).str();
            // The name is the table's own (IsTableName: a-z, 0-9 and _), safe in the header.
            r.headers.push_back(
                {"Content-Disposition", "attachment; filename=\"" + table->name + ".csv\""});
            r.headers.push_back({"Cache-Control", "no-store"});
            return r;
          });
  AddPage("GET", "/admin/organisations", "getOrganisationsPage", "The deployment's organisations",
          RoleSet{Role::kNationalAdmin}, [this, &s](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(auto orgs, s.store->ListOrganisations());
            json::Array rows;
            for (const auto& o : orgs) {
              rows.push_back(json::Value(json::Object{{"ods", json::Value(o.ods)},
                                                      {"name", json::Value(o.name)},
                                                      {"kinds", json::Value(o.kinds)}}));
            }
            json::Value context = json::Object{};
            context.Set("rows", json::Value(std::move(rows)));
            return Page(ctx, "organisations", "Organisations", std::move(context));
          });
}

}  // namespace lanyard::http
