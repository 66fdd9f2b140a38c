// A staff member's pages: their passport, each credential, the history of who did what with
// it, exporting it, and answering a receiving organisation's share request.
#include "lanyard/formats/sdjwt/sd_jwt.h"
#include "lanyard/http/api.h"
#include "lanyard/http/web_util.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

namespace lanyard::http {
namespace {

using service::Role;
using service::RoleSet;

const RoleSet kStaff{Role::kStaff};

std::string ValueText(const json::Value& v) {
  if (v.is_string()) return FormatIsoDate(v.as_string());
  if (v.is_bool()) return v.as_bool() ? "Yes" : "No";
  if (v.is_null()) return "";
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v.as_array()) {
      out +=
          (out.empty() ? "" : "; ") + (item.is_string() ? item.as_string() : json::Serialize(item));
    }
    return out;
  }
  return json::Serialize(v);
}

// The claims of a credential as rows of {name, value}: a Data Integrity credential's subject, or
// an SD-JWT VC's disclosures (the holder's copy holds every one).
json::Value ClaimRows(const std::string& text, const std::string& format) {
  json::Array rows;
  auto add = [&](const std::string& name, const json::Value& value) {
    if (name == "id" || name == "recordType") return;
    rows.push_back(json::Value(json::Object{{"name", json::Value(Humanise(name))},
                                            {"value", json::Value(ValueText(value))}}));
  };
  if (format == "sd-jwt") {
    std::string_view rest = text;
    size_t tilde = rest.find('~');
    while (tilde != std::string_view::npos) {
      rest.remove_prefix(tilde + 1);
      tilde = rest.find('~');
      auto d = formats::sdjwt::ParseDisclosure(rest.substr(0, tilde));
      if (d.ok() && d->name) add(*d->name, d->value);
    }
  } else if (auto doc = json::Parse(text); doc.ok()) {
    if (const json::Value* subject = doc->Find("credentialSubject");
        subject != nullptr && subject->is_object()) {
      for (const auto& [name, value] : subject->as_object()) add(name, value);
    }
  }
  return json::Value(std::move(rows));
}

// What each audit action means to the person whose passport it is.
std::string ActionWords(std::string_view action) {
  static const std::pair<std::string_view, std::string_view> kWords[] = {
      {"credential.issue", "A credential was added to your passport"},
      {"credential.revoke", "A credential was revoked by its issuer"},
      {"credential.suspend", "A credential was suspended by its issuer"},
      {"credential.reinstate", "A credential was reinstated by its issuer"},
      {"credential.replace", "A credential was replaced by a newer one"},
      {"share.open", "You opened a share request"},
      {"share.consent", "You shared your passport"},
      {"share.withdraw", "You withdrew your consent"},
      {"share.view", "The receiving organisation viewed your readiness report"},
      {"share.override", "The receiving organisation recorded a decision by hand"},
      {"share.close", "The receiving organisation closed the request"},
      {"share.marked", "A shared credential changed after you shared it"},
      {"wallet.export", "You exported your passport"},
      {"staff.sign_up", "You created your account"},
      {"staff.join", "You joined another organisation"},
      {"staff.invite", "You were invited"},
      {"login.success", "You signed in"},
      {"login.failure", "Someone failed to sign in to your account"},
      {"login.step_up", "You confirmed it was you"},
      {"logout", "You signed out"},
      {"totp.enrolled", "You set up an authenticator app"},
  };
  for (const auto& [a, words] : kWords) {
    if (a == action) return std::string(words);
  }
  return Humanise(action);
}

json::Value StepUpField(const std::string& error) {
  FieldView f =
      Input("confirm", "Your password, or the code from your authenticator app", "password");
  f.autocomplete = "current-password";
  f.error = error;
  return f.ToJson();
}

std::string StateWords(std::string_view state) {
  if (state == "open") return "Waiting for you";
  if (state == "consented") return "Shared";
  if (state == "received") return "Shared and viewed";
  if (state == "withdrawn") return "You withdrew consent";
  if (state == "closed") return "Closed by the organisation";
  if (state == "expired") return "Expired";
  return Humanise(state);
}

}  // namespace

void Api::AddStaffPages() {
  const ApiServices& s = s_;
  auto org_name = [&s](const std::string& ods) {
    auto org = s.store->GetOrganisation(ods);
    return org.ok() ? org->name : ods;
  };

  AddPage("GET", "/passport", "getPassportPage", "My passport: each credential and its standing",
          kStaff, [this, &s, org_name](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(auto credentials, s.wallet->List(ctx.principal));
            json::Array rows;
            for (const auto& c : credentials) {
              json::Value row = json::Object{};
              row.Set("id", c.record.id);
              row.Set("title", CredentialTitle(c.record.type));
              row.Set("issuer", org_name(c.record.issuer_ods));
              row.Set("issued", FormatDate(c.record.received));
              row.Set("standing", StandingTag(c.standing, c.days_left));
              rows.push_back(std::move(row));
            }
            json::Value context = json::Object{};
            context.Set("has_credentials", !rows.empty());
            context.Set("credentials", json::Value(std::move(rows)));
            return Page(ctx, "passport", "My passport", std::move(context));
          });

  AddPage("GET", "/passport/credentials/{id}", "getPassportCredentialPage",
          "One credential in my passport", kStaff,
          [this, &s, org_name](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(auto c, s.wallet->Get(ctx.principal, ctx.params.Get("id")));
            json::Value context = json::Object{};
            std::string title = CredentialTitle(c.record.type);
            context.Set("heading", title);
            context.Set("issuer", org_name(c.record.issuer_ods));
            context.Set("issued", FormatDate(c.record.received));
            context.Set("format",
                        c.record.format == "sd-jwt"
                            ? "SD-JWT verifiable credential (you choose which facts to show)"
                            : "W3C verifiable credential (Data Integrity)");
            context.Set("standing", StandingTag(c.standing, c.days_left));
            context.Set("claims", ClaimRows(c.text, c.record.format));
            context.Set("back_href", "/passport");
            return Page(ctx, "credential", title, std::move(context));
          });

  AddPage("GET", "/passport/history", "getPassportHistoryPage",
          "Who did what with my passport, newest first", kStaff,
          [this, &s, org_name](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(auto entries,
                                     s.wallet->History(ctx.principal, store::Page{200, 0}));
            json::Array rows;
            for (const auto& e : entries) {
              json::Value row = json::Object{};
              row.Set("when", FormatDateTime(e.at));
              row.Set("what", ActionWords(e.action));
              row.Set("who", e.actor == ctx.principal.id ? std::string("You")
                             : !e.org_ods.empty()        ? org_name(e.org_ods)
                                                         : std::string("Lanyard"));
              rows.push_back(std::move(row));
            }
            json::Value context = json::Object{};
            context.Set("has_entries", !rows.empty());
            context.Set("entries", json::Value(std::move(rows)));
            return Page(ctx, "history", "Passport history", std::move(context));
          });

  auto export_page = [this](RequestContext& ctx, const FormErrors& errors, int status) {
    json::Value context = json::Object{};
    context.Set("fields", json::Value(json::Array{StepUpField(errors.For("confirm"))}));
    context.Set("back_href", "/passport");
    return Page(ctx, "export", "Export your passport", WithErrors(std::move(context), errors),
                status);
  };
  AddPage("GET", "/passport/export", "getPassportExportPage", "Export my credentials as a file",
          kStaff, [export_page](RequestContext& ctx) -> Result<ServerResponse> {
            return export_page(ctx, FormErrors(), 200);
          });
  AddPage("POST", "/passport/export", "exportPassportWithForm",
          "Download my credentials as one JSON file, after confirming it is me", kStaff,
          [&s, export_page](RequestContext& ctx) -> Result<ServerResponse> {
            auto confirmed = s.accounts->StepUp(ctx.principal, ctx.form.Get("confirm"));
            if (!confirmed.ok()) {
              FormErrors errors;
              errors.Add("confirm",
                         "Enter your password, or the code your authenticator app shows now");
              return export_page(ctx, errors, 401);
            }
            LANYARD_ASSIGN_OR_RETURN(json::Value exported, s.wallet->Export(ctx.principal));
            ServerResponse r;
            r.status = 200;
            r.content_type = "application/json";
            r.body = json::Serialize(exported);
            r.headers.push_back(
                {"Content-Disposition", "attachment; filename=\"lanyard-passport.json\""});
            r.headers.push_back({"Cache-Control", "no-store"});
            r.headers.push_back({"X-Content-Type-Options", "nosniff"});
            return r;
          });

  // A share link: /share?code=lyl_... The code opens nothing on GET (a link preview must not
  // claim it); the staff member continues with a form that posts it. The page logs record
  // paths only, never the query, so the code stays out of them.
  AddPage("GET", "/share", "getShareLinkPage", "Open a share request from its link", kStaff,
          [this](RequestContext& ctx) -> Result<ServerResponse> {
            FieldView code = Input("code", "Share code");
            code.value = ctx.Query("code");
            code.hint = "It starts with lyl_ and is in the link the organisation sent you";
            code.autocomplete = "off";
            json::Value context = json::Object{};
            context.Set("fields", json::Value(json::Array{code.ToJson()}));
            return Page(ctx, "share_open", "Open a share request", std::move(context));
          });
  AddPage("POST", "/share", "openShareLinkWithForm", "Open a share request", kStaff,
          [this, &s](RequestContext& ctx) -> Result<ServerResponse> {
            auto plan = s.sharing->Open(ctx.principal, ctx.form.Get("code"));
            if (!plan.ok()) {
              if (plan.error().code != Code::kNotFound) return plan.error();
              FormErrors errors;
              errors.Add("code",
                         "This share code does not work: it may be mistyped, already "
                         "used by someone else, or expired. Ask the organisation for a "
                         "new link");
              FieldView code = Input("code", "Share code");
              code.value = ctx.form.Get("code");
              code.error = errors.For("code");
              json::Value context = json::Object{};
              context.Set("fields", json::Value(json::Array{code.ToJson()}));
              return Page(ctx, "share_open", "Open a share request",
                          WithErrors(std::move(context), errors), 404);
            }
            return SeeOther("/passport/shares/" + plan->request.id);
          });

  AddPage("GET", "/passport/shares", "getPassportSharesPage", "The share requests I have opened",
          kStaff, [this, &s, org_name](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(auto requests,
                                     s.sharing->ForStaff(ctx.principal, store::Page{200, 0}));
            json::Array rows;
            for (const auto& r : requests) {
              rows.push_back(json::Value(
                  json::Object{{"id", json::Value(r.id)},
                               {"organisation", json::Value(org_name(r.requesting_org))},
                               {"role", json::Value(ProfileTitle(r.profile))},
                               {"start", json::Value(FormatIsoDate(r.start_date))},
                               {"state", json::Value(StateWords(r.state))}}));
            }
            json::Value context = json::Object{};
            context.Set("has_requests", !rows.empty());
            context.Set("requests", json::Value(std::move(rows)));
            return Page(ctx, "shares", "Share requests", std::move(context));
          });

  auto share_page = [this, &s, org_name](RequestContext& ctx, const std::string& id,
                                         const FormErrors& errors,
                                         int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(store::ShareRequestRecord r,
                             s.sharing->GetForStaff(ctx.principal, id));
    json::Value context = json::Object{};
    std::string org = org_name(r.requesting_org);
    context.Set("id", r.id);
    context.Set("organisation", org);
    context.Set("role", ProfileTitle(r.profile));
    context.Set("movement", Humanise(r.movement));
    context.Set("start", FormatIsoDate(r.start_date));
    context.Set("state", StateWords(r.state));
    context.Set("expires", FormatDateTime(r.expires));
    context.Set("can_consent", r.state == "open");
    context.Set("can_withdraw", r.state == "consented" || r.state == "received");
    json::Array credentials;
    if (auto plan = json::Parse(r.disclosure_json); plan.ok()) {
      if (const json::Value* list = plan->Find("credentials");
          list != nullptr && list->is_array()) {
        for (const auto& item : list->as_array()) {
          json::Value c = json::Object{};
          const std::string* type = item.FindString("type");
          const std::string* issuer = item.FindString("issuer");
          c.Set("title", CredentialTitle(type ? *type : ""));
          c.Set("issuer", org_name(issuer ? *issuer : ""));
          json::Array shown, withheld;
          for (const char* key : {"disclosed", "withheld"}) {
            if (const json::Value* names = item.Find(key); names != nullptr && names->is_array()) {
              for (const auto& n : names->as_array()) {
                if (!n.is_string() || n.as_string() == "id" || n.as_string() == "recordType") {
                  continue;
                }
                (std::string_view(key) == "disclosed" ? shown : withheld)
                    .emplace_back(Humanise(n.as_string()));
              }
            }
          }
          c.Set("disclosed", json::Value(std::move(shown)));
          c.Set("has_withheld", !withheld.empty());
          c.Set("withheld", json::Value(std::move(withheld)));
          credentials.push_back(std::move(c));
        }
      }
    }
    context.Set("has_credentials", !credentials.empty());
    context.Set("credentials", json::Value(std::move(credentials)));
    if (r.state == "consented" || r.state == "received") {
      // What the staff member can show the receiving organisation's officer: the address of
      // the report, which opens only for that organisation's signed-in staff.
      std::string link = s.issuer->base_url() + "/requests/" + r.id;
      LANYARD_ASSIGN_OR_RETURN(json::Value qr, QrCode(link));
      context.Set("report_link", link);
      context.Set("qr", std::move(qr));
    }
    context.Set("fields", json::Value(json::Array{StepUpField(errors.For("confirm"))}));
    context.Set("back_href", "/passport/shares");
    return Page(ctx, "share", "Share request from " + org, WithErrors(std::move(context), errors),
                status);
  };
  AddPage("GET", "/passport/shares/{id}", "getPassportSharePage",
          "A share request: exactly what would be disclosed, and consent", kStaff,
          [share_page](RequestContext& ctx) -> Result<ServerResponse> {
            return share_page(ctx, ctx.params.Get("id"), FormErrors(), 200);
          });
  AddPage("POST", "/passport/shares/{id}/consent", "consentToShareWithForm",
          "Consent to share what the request showed, after confirming it is me", kStaff,
          [&s, share_page](RequestContext& ctx) -> Result<ServerResponse> {
            const std::string& id = ctx.params.Get("id");
            auto confirmed = s.accounts->StepUp(ctx.principal, ctx.form.Get("confirm"));
            if (!confirmed.ok()) {
              FormErrors errors;
              errors.Add("confirm",
                         "Enter your password, or the code your authenticator app shows now");
              return share_page(ctx, id, errors, 401);
            }
            LANYARD_TRY(s.sharing->Consent(ctx.principal, id));
            return SeeOther("/passport/shares/" + id);
          });
  AddPage("POST", "/passport/shares/{id}/withdraw", "withdrawShareWithForm",
          "Withdraw consent to a share", kStaff,
          [&s](RequestContext& ctx) -> Result<ServerResponse> {
            const std::string& id = ctx.params.Get("id");
            LANYARD_TRY(s.sharing->Withdraw(ctx.principal, id));
            return SeeOther("/passport/shares/" + id);
          });
}

}  // namespace lanyard::http
