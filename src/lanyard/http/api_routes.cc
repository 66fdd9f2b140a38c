// The route table: every endpoint of the passport service, its access rule and its handler.
// Handlers translate HTTP to service calls and back; the rules live in service/.
#include <algorithm>

#include "lanyard/core/utf8.h"
#include "lanyard/http/api.h"
#include "lanyard/http/problem.h"
#include "lanyard/http/web_util.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/passport/profile.h"
#include "lanyard/service/local_documents.h"
#include "lanyard/service/org_keys.h"
#include "lanyard/service/publications.h"
#include "lanyard/service/role_profiles.h"
#include "lanyard/verify/status_check.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::http {
namespace {

using service::Principal;
using service::Role;
using service::RoleSet;

const RoleSet kIssuers{Role::kHrIssuer, Role::kOhIssuer, Role::kTrainingIssuer};
const RoleSet kStaffViewers{Role::kOrgAdmin, Role::kHrIssuer, Role::kOhIssuer,
                            Role::kTrainingIssuer};
const RoleSet kCheckers{Role::kVerifier, Role::kHrIssuer, Role::kOhIssuer, Role::kTrainingIssuer,
                        Role::kOrgAdmin};

ServerResponse Json(int status, const json::Value& body) {
  ServerResponse r;
  r.status = status;
  r.body = json::Serialize(body);
  return r;
}

ServerResponse Text(int status, std::string content_type, std::string body) {
  ServerResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Error BadRequest(std::string reason, std::string message) {
  return MakeError(Code::kInvalidArgument, std::move(reason), std::move(message));
}

Result<std::string> Field(const json::Value& body, std::string_view name, size_t max_bytes = 4096) {
  const std::string* v = body.FindString(std::string(name));
  if (v == nullptr) {
    return BadRequest("request.missing_field",
                      "the request needs \"" + std::string(name) + "\" as a string");
  }
  if (v->size() > max_bytes) {
    return BadRequest("request.field_too_long", "\"" + std::string(name) + "\" is too long");
  }
  return *v;
}

// An optional text member: "" when absent. Present but not text, or too long, is refused rather
// than ignored, so a mistyped option never silently becomes the default.
Result<std::string> OptionalField(const json::Value& body, std::string_view name,
                                  size_t max_bytes = 4096) {
  const json::Value* v = body.Find(std::string(name));
  if (v == nullptr) return std::string();
  if (!v->is_string()) {
    return BadRequest("request.invalid_field", "\"" + std::string(name) + "\" must be a string");
  }
  if (v->as_string().size() > max_bytes) {
    return BadRequest("request.field_too_long", "\"" + std::string(name) + "\" is too long");
  }
  return v->as_string();
}

Result<std::optional<TimePoint>> OptionalTime(const json::Value& body, std::string_view name) {
  const std::string* v = body.FindString(std::string(name));
  if (v == nullptr) return std::optional<TimePoint>();
  std::string text = passport::IsCalendarDate(*v) ? *v + "T23:59:59Z" : *v;
  auto t = ParseRfc3339(text);
  if (!t.ok()) {
    return BadRequest("request.invalid_time",
                      "\"" + std::string(name) + "\" is a date (YYYY-MM-DD) or an RFC 3339 time");
  }
  return std::optional<TimePoint>(*t);
}

json::Value UserJson(const store::UserRecord& u) {
  json::Value v = json::Object{};
  v.Set("id", u.id);
  v.Set("email", u.email);
  v.Set("displayName", u.display_name);
  v.Set("organisation", u.org_ods);
  v.Set("roles", u.roles);
  v.Set("totpEnrolled", u.totp_enrolled);
  v.Set("created", FormatRfc3339(u.created));
  return v;
}

json::Value OrgJson(const store::OrganisationRecord& o) {
  json::Value v = json::Object{};
  v.Set("ods", o.ods);
  v.Set("name", o.name);
  v.Set("did", o.did);
  v.Set("kinds", o.kinds);
  v.Set("region", o.region);
  v.Set("ics", o.ics);
  return v;
}

// The current key and the earlier ones, newest first, as DID URLs.
Result<json::Value> KeysJson(const store::OrganisationRecord& org) {
  LANYARD_ASSIGN_OR_RETURN(auto keys, service::OrganisationKeys(org));
  json::Array out;
  for (const service::OrgKeyView& k : keys) {
    json::Value v = json::Object{};
    v.Set("id", org.did + "#" + k.key_id);
    v.Set("status", k.status);
    if (k.since) {
      v.Set("since", FormatRfc3339(*k.since));
      v.Set("reason", k.reason);
    }
    out.push_back(std::move(v));
  }
  return json::Value(json::Object{{"keys", json::Value(std::move(out))}});
}

json::Value IssuedJson(const store::IssuedCredentialRecord& r) {
  json::Value v = json::Object{};
  v.Set("id", r.id);
  v.Set("issuer", r.issuer_ods);
  v.Set("subject", r.subject_user_id);
  v.Set("type", r.type);
  v.Set("format", r.format);
  v.Set("state", r.state);
  v.Set("issued", FormatRfc3339(r.issued));
  if (r.valid_until) v.Set("validUntil", FormatRfc3339(*r.valid_until));
  if (!r.replaces.empty()) v.Set("replaces", r.replaces);
  v.Set("issuedBy", r.issued_by);
  return v;
}

json::Value AuditJson(const store::AuditEntry& e) {
  json::Value v = json::Object{};
  v.Set("seq", static_cast<double>(e.seq));
  v.Set("at", FormatRfc3339(e.at));
  v.Set("actor", e.actor);
  v.Set("organisation", e.org_ods);
  v.Set("action", e.action);
  v.Set("subject", e.subject);
  return v;
}

// The credential as JSON when it is a Data Integrity document, as a string otherwise.
json::Value CredentialValue(const std::string& text) {
  if (!text.empty() && text.front() == '{') {
    auto parsed = json::Parse(text);
    if (parsed.ok()) return std::move(parsed).value();
  }
  return json::Value(text);
}

// A credential just issued: the signed document itself for Data Integrity (no second parse of
// the text it was serialised to), the SD-JWT text otherwise.
json::Value IssuedValue(const service::IssuedCredential& issued) {
  return issued.document.is_null() ? json::Value(issued.text) : issued.document;
}

store::Page PageFrom(const RequestContext& ctx) {
  auto read = [&](std::string_view name, size_t fallback, size_t max) {
    std::string text = ctx.Query(name);
    if (text.empty() || text.size() > 9) return fallback;
    size_t n = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return fallback;
      n = n * 10 + static_cast<size_t>(c - '0');
    }
    return std::min(n, max);
  };
  store::Page page;
  page.limit = read("limit", 100, 1000);
  page.offset = read("offset", 0, 1'000'000);
  return page;
}

std::string SessionToken(const RequestContext& ctx) {
  auto cookie = ctx.request.Header("cookie");
  return cookie ? CookieValue(*cookie, kSessionCookie) : std::string();
}

// The organisation a VC-API call acts for: the path's, or the token's for unprefixed routes.
Result<std::string> ActingOrg(const RequestContext& ctx) {
  const std::string& ods = ctx.params.Get("ods");
  if (!ods.empty()) return ods;
  if (ctx.principal.org_ods.empty()) {
    return MakeError(Code::kPermissionDenied, "permission.denied",
                     "this endpoint acts for an organisation; use an organisation's token");
  }
  return ctx.principal.org_ods;
}

json::Value ObjectSchema(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields,
    std::initializer_list<std::string_view> required) {
  json::Value props = json::Object{};
  for (const auto& [name, type] : fields) {
    json::Value p = json::Object{};
    p.Set("type", std::string(type));
    props.Set(std::string(name), std::move(p));
  }
  json::Value schema = json::Object{};
  schema.Set("type", "object");
  schema.Set("properties", std::move(props));
  json::Array req;
  for (auto r : required) req.emplace_back(std::string(r));
  if (!req.empty()) schema.Set("required", json::Value(std::move(req)));
  return schema;
}

}  // namespace

void Api::AddRoute(std::string method, std::string pattern, std::string operation_id,
                   std::string summary, std::string tag, Access access, RoleSet roles,
                   RouteHandler handler, json::Value request_schema, bool pending_second_factor,
                   std::string request_media_type) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.operation_id = std::move(operation_id);
  r.summary = std::move(summary);
  r.tag = std::move(tag);
  r.access = access;
  r.roles = roles;
  r.pending_second_factor = pending_second_factor;
  r.request_schema = std::move(request_schema);
  r.request_media_type = std::move(request_media_type);
  r.handler = std::move(handler);
  router_.Add(std::move(r));
}

void Api::AddRoutes() {
  const ApiServices& s = s_;

  // --- operations ---
  AddRoute("GET", "/healthz", "getHealth", "Liveness: the process answers", "operations",
           Access::kPublic, {}, [](RequestContext&) -> Result<ServerResponse> {
             return Json(200, json::Value(json::Object{{"status", "ok"}}));
           });
  AddRoute("GET", "/readyz", "getReadiness", "Readiness: the store answers", "operations",
           Access::kPublic, {}, [&s](RequestContext&) -> Result<ServerResponse> {
             auto users = s.store->CountUsers();
             if (!users.ok()) {
               return ProblemResponse(503, "store.unavailable", "Service Unavailable",
                                      "the store does not answer");
             }
             return Json(200, json::Value(json::Object{{"status", "ready"}}));
           });
  AddRoute("GET", "/metrics", "getMetrics", "Prometheus metrics", "operations", Access::kPublic, {},
           [&s](RequestContext&) -> Result<ServerResponse> {
             std::string out;
             if (s.server_metrics) s.server_metrics(&out);
             auto users = s.store->CountUsers();
             out +=
                 "# HELP lanyard_store_up Whether the store answered this scrape.\n"
                 "# TYPE lanyard_store_up gauge\nlanyard_store_up ";
             out += users.ok() ? "1\n" : "0\n";
             if (users.ok()) {
               out +=
                   "# HELP lanyard_users Accounts in the store.\n# TYPE lanyard_users gauge\n"
                   "lanyard_users " +
                   std::to_string(*users) + "\n";
             }
             store::StoreStats stats = s.store->Stats();
             out +=
                 "# HELP lanyard_store_transactions_total Durable commits (fsyncs) of the store.\n"
                 "# TYPE lanyard_store_transactions_total counter\n"
                 "lanyard_store_transactions_total " +
                 std::to_string(stats.transactions_committed) +
                 "\n# HELP lanyard_store_batches_total Write batches, by outcome; batches per "
                 "transaction shows group commit at work.\n"
                 "# TYPE lanyard_store_batches_total counter\n"
                 "lanyard_store_batches_total{outcome=\"applied\"} " +
                 std::to_string(stats.batches_applied) +
                 "\nlanyard_store_batches_total{outcome=\"failed\"} " +
                 std::to_string(stats.batches_failed) + "\n";
             return Text(200, "text/plain; version=0.0.4; charset=utf-8", std::move(out));
           });
  AddRoute("GET", "/openapi.json", "getOpenApi", "This API's OpenAPI 3.1 description", "operations",
           Access::kPublic, {}, [this](RequestContext&) -> Result<ServerResponse> {
             return Json(200, OpenApiDocument());
           });

  // --- public documents ---
  AddRoute("GET", "/orgs/{ods}/did.json", "getOrganisationDid",
           "An organisation's did:web document", "documents", Access::kPublic, {},
           [&s](RequestContext& ctx) -> Result<ServerResponse> {
             auto doc = s.issuer->DidDocumentFor(ctx.params.Get("ods"));
             if (!doc.ok()) {
               return ProblemResponse(404, "org.not_found", "Not Found", "no such organisation");
             }
             ServerResponse r = Json(200, *doc);
             r.content_type = "application/did+json";
             r.headers.push_back({"Cache-Control", "public, max-age=300"});
             return r;
           });
  AddRoute("GET", "/status/{list}", "getStatusList", "A signed status list", "documents",
           Access::kPublic, {}, [&s](RequestContext& ctx) -> Result<ServerResponse> {
             auto list = s.issuer->PublishList(ctx.params.Get("list"));
             if (!list.ok()) {
               if (list.error().code == Code::kNotFound) {
                 return ProblemResponse(404, "status_store.list_not_found", "Not Found",
                                        "no such status list");
               }
               return std::move(list).error();
             }
             ServerResponse r = Text(200, list->media_type, std::move(list->body));
             r.headers.push_back({"Cache-Control", "public, max-age=60"});
             return r;
           });
  AddRoute("GET", "/trust-bundle", "getTrustBundle",
           "The signed trust bundle of this deployment's organisations (for offline verifiers)",
           "documents", Access::kPublic, {}, [&s](RequestContext&) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(
                 json::Value bundle,
                 service::BuildDeploymentTrustBundle(*s.store, *s.issuer, *s.keys, *s.clock));
             ServerResponse r = Json(200, bundle);
             r.content_type = "application/vc+ld+json";
             r.headers.push_back({"Cache-Control", "public, max-age=300"});
             return r;
           });
  AddRoute("GET", "/orgs/{ods}/analytics/summary", "getOrganisationSummary",
           "Disclosure-controlled aggregates: credentials and share requests", "analytics",
           Access::kRoles, RoleSet{Role::kAnalyst, Role::kOrgAdmin},
           [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(json::Value summary, service::OrganisationSummary(
                                                               *s.store, ctx.params.Get("ods")));
             return Json(200, summary);
           });
  AddRoute("GET", "/schemas/{type}/{file}", "getSchema", "A credential type's JSON Schema",
           "documents", Access::kPublic, {}, [](RequestContext& ctx) -> Result<ServerResponse> {
             const auto* info = passport::FindCredentialType(ctx.params.Get("type"));
             if (info == nullptr || ctx.params.Get("file") != "v1.json") {
               return ProblemResponse(404, "schema.not_found", "Not Found", "no such schema");
             }
             ServerResponse r = Text(200, "application/schema+json",
                                     std::string(passport::SchemaText(info->type)));
             r.headers.push_back({"Cache-Control", "public, max-age=86400"});
             return r;
           });

  // --- sign-in ---
  AddRoute(
      "POST", "/auth/login", "login", "Sign in with email and password", "auth", Access::kPublic,
      {},
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string email, Field(body, "email", 254));
        LANYARD_ASSIGN_OR_RETURN(std::string password, Field(body, "password", 256));
        LANYARD_ASSIGN_OR_RETURN(service::LoginResult login,
                                 s.accounts->Login(email, password, ctx.request.remote_address));
        json::Value out = json::Object{};
        out.Set("secondFactorRequired", login.second_factor_required);
        out.Set("totpEnrolmentRequired", login.totp_enrolment_required);
        out.Set("csrfToken", login.session.csrf_token);
        ServerResponse r = Json(200, out);
        r.headers.push_back({"Set-Cookie", SessionCookie(login.session_token,
                                                         s.accounts->options().session_lifetime)});
        return r;
      },
      ObjectSchema({{"email", "string"}, {"password", "string"}}, {"email", "password"}));
  AddRoute(
      "POST", "/auth/signup", "signUp", "A staff member signs up with an invitation code", "auth",
      Access::kPublic, {},
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string code, Field(body, "invitation", 128));
        LANYARD_ASSIGN_OR_RETURN(std::string email, Field(body, "email", 254));
        LANYARD_ASSIGN_OR_RETURN(std::string name, Field(body, "displayName", 200));
        LANYARD_ASSIGN_OR_RETURN(std::string password, Field(body, "password", 256));
        LANYARD_ASSIGN_OR_RETURN(store::UserRecord user,
                                 s.accounts->SignUp(code, email, name, password));
        return Json(201, UserJson(user));
      },
      ObjectSchema({{"invitation", "string"},
                    {"email", "string"},
                    {"displayName", "string"},
                    {"password", "string"}},
                   {"invitation", "email", "displayName", "password"}));
  AddRoute(
      "POST", "/auth/totp", "completeSecondFactor", "Finish signing in with a TOTP code", "auth",
      Access::kSignedIn, {},
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string code, Field(body, "code", 32));
        LANYARD_TRY(s.accounts->CompleteSecondFactor(SessionToken(ctx), code));
        return Json(200, json::Value(json::Object{{"signedIn", true}}));
      },
      ObjectSchema({{"code", "string"}}, {"code"}), true);
  AddRoute(
      "POST", "/auth/logout", "logout", "Sign out", "auth", Access::kSignedIn, {},
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_TRY(s.accounts->Logout(SessionToken(ctx)));
        ServerResponse r = Json(200, json::Value(json::Object{{"signedIn", false}}));
        r.headers.push_back({"Set-Cookie", SessionCookie("", std::chrono::seconds(0))});
        return r;
      },
      json::Value(), true);
  AddRoute("GET", "/me", "getMe", "Who is signed in, with their organisations", "auth",
           Access::kSignedIn, {}, [&s](RequestContext& ctx) -> Result<ServerResponse> {
             json::Value out = json::Object{};
             if (ctx.principal.kind == Principal::Kind::kToken) {
               out.Set("token", ctx.principal.id);
               out.Set("organisation", ctx.principal.org_ods);
               out.Set("roles", ctx.principal.roles.ToString());
               return Json(200, out);
             }
             LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, s.store->GetUser(ctx.principal.id));
             out = UserJson(user);
             LANYARD_ASSIGN_OR_RETURN(auto memberships, s.store->MembershipsOfUser(user.id));
             json::Array orgs;
             for (const auto& m : memberships) {
               json::Value v = json::Object{};
               v.Set("organisation", m.org_ods);
               v.Set("since", FormatRfc3339(m.since));
               if (m.until) v.Set("until", FormatRfc3339(*m.until));
               orgs.push_back(std::move(v));
             }
             out.Set("memberships", json::Value(std::move(orgs)));
             if (auto wallet = s.store->GetWallet(user.id); wallet.ok()) {
               out.Set("holder", wallet->holder_did);
             }
             out.Set("csrfToken", ctx.principal.csrf_token);
             return Json(200, out);
           });
  AddRoute(
      "POST", "/me/totp/enrol", "beginTotpEnrolment", "Start enrolling an authenticator app",
      "auth", Access::kSignedIn, {},
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        if (ctx.principal.kind != Principal::Kind::kUser) {
          return MakeError(Code::kPermissionDenied, "permission.denied", "for people only");
        }
        LANYARD_ASSIGN_OR_RETURN(std::string uri, s.accounts->BeginTotpEnrolment(ctx.principal));
        return Json(200, json::Value(json::Object{{"otpauthUri", uri}}));
      },
      json::Value(), true);
  AddRoute(
      "POST", "/me/totp/confirm", "confirmTotpEnrolment",
      "Confirm the authenticator app with its first code", "auth", Access::kSignedIn, {},
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        if (ctx.principal.kind != Principal::Kind::kUser) {
          return MakeError(Code::kPermissionDenied, "permission.denied", "for people only");
        }
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string code, Field(body, "code", 32));
        LANYARD_TRY(s.accounts->ConfirmTotpEnrolment(ctx.principal, code));
        return Json(200, json::Value(json::Object{{"totpEnrolled", true}}));
      },
      ObjectSchema({{"code", "string"}}, {"code"}), true);
  AddRoute(
      "POST", "/me/step-up", "stepUp",
      "Confirm it is you (TOTP code, or password without TOTP) before a sensitive act", "auth",
      Access::kSignedIn, {},
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string secret, Field(body, "secret", 256));
        LANYARD_TRY(s.accounts->StepUp(ctx.principal, secret));
        return Json(200, json::Value(json::Object{{"steppedUp", true}}));
      },
      ObjectSchema({{"secret", "string"}}, {"secret"}));

  // --- the hosted wallet ---
  const RoleSet staff{Role::kStaff};
  AddRoute(
      "GET", "/wallet/credentials", "listWalletCredentials",
      "My passport: every credential with its standing", "wallet", Access::kRoles, staff,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(auto credentials, s.wallet->List(ctx.principal));
        json::Array items;
        for (const auto& c : credentials) {
          json::Value v = json::Object{};
          v.Set("id", c.record.id);
          v.Set("type", c.record.type);
          v.Set("format", c.record.format);
          v.Set("issuer", c.record.issuer_ods);
          v.Set("standing", c.standing);
          if (c.days_left) v.Set("daysLeft", static_cast<double>(*c.days_left));
          v.Set("received", FormatRfc3339(c.record.received));
          items.push_back(std::move(v));
        }
        return Json(200, json::Value(json::Object{{"credentials", json::Value(std::move(items))}}));
      });
  AddRoute("GET", "/wallet/credentials/{id}", "getWalletCredential",
           "One credential in my passport", "wallet", Access::kRoles, staff,
           [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(auto c, s.wallet->Get(ctx.principal, ctx.params.Get("id")));
             json::Value v = json::Object{};
             v.Set("id", c.record.id);
             v.Set("type", c.record.type);
             v.Set("standing", c.standing);
             v.Set("verifiableCredential", CredentialValue(c.text));
             return Json(200, v);
           });
  AddRoute("POST", "/wallet/export", "exportWallet",
           "Every credential as one file (needs a fresh step-up)", "wallet", Access::kRoles, staff,
           [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(json::Value out, s.wallet->Export(ctx.principal));
             ServerResponse r = Json(200, out);
             r.headers.push_back(
                 {"Content-Disposition", "attachment; filename=\"lanyard-passport.json\""});
             return r;
           });
  AddRoute(
      "GET", "/wallet/history", "getWalletHistory", "Who did what with my passport, newest first",
      "wallet", Access::kRoles, staff, [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(auto entries, s.wallet->History(ctx.principal, PageFrom(ctx)));
        json::Array items;
        for (const auto& e : entries) items.push_back(AuditJson(e));
        return Json(200, json::Value(json::Object{{"entries", json::Value(std::move(items))}}));
      });
  AddRoute(
      "POST", "/wallet/invitations", "acceptInvitation",
      "Link my passport to another organisation that invited me", "wallet", Access::kRoles, staff,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string code, Field(body, "invitation", 128));
        LANYARD_TRY(s.accounts->AcceptInvitation(ctx.principal, code));
        return Json(200, json::Value(json::Object{{"accepted", true}}));
      },
      ObjectSchema({{"invitation", "string"}}, {"invitation"}));

  // --- national administration ---
  const RoleSet national{Role::kNationalAdmin};
  AddRoute("GET", "/admin/orgs", "listOrganisations", "Every organisation in this service", "admin",
           Access::kRoles, national, [&s](RequestContext&) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(auto orgs, s.store->ListOrganisations());
             json::Array items;
             for (const auto& o : orgs) items.push_back(OrgJson(o));
             return Json(
                 200, json::Value(json::Object{{"organisations", json::Value(std::move(items))}}));
           });
  AddRoute(
      "POST", "/admin/orgs", "addOrganisation", "Add an organisation (with its signing key)",
      "admin", Access::kRoles, national,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        store::OrganisationRecord org;
        LANYARD_ASSIGN_OR_RETURN(org.ods, Field(body, "ods", 10));
        LANYARD_ASSIGN_OR_RETURN(org.name, Field(body, "name", 200));
        LANYARD_ASSIGN_OR_RETURN(org.kinds, OptionalField(body, "kinds", 200));
        LANYARD_ASSIGN_OR_RETURN(org.region, OptionalField(body, "region", 200));
        LANYARD_ASSIGN_OR_RETURN(org.ics, OptionalField(body, "ics", 200));
        LANYARD_ASSIGN_OR_RETURN(std::string base, service::DidWebBaseFor(s.issuer->base_url()));
        LANYARD_ASSIGN_OR_RETURN(auto added, s.accounts->AddOrganisation(ctx.principal, org, base));
        return Json(201, OrgJson(added));
      },
      ObjectSchema({{"ods", "string"},
                    {"name", "string"},
                    {"kinds", "string"},
                    {"region", "string"},
                    {"ics", "string"}},
                   {"ods", "name"}));
  AddRoute(
      "POST", "/admin/users", "addOrganisationAdmin", "Add an organisation's administrator",
      "admin", Access::kRoles, national,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        service::NewUser user;
        LANYARD_ASSIGN_OR_RETURN(user.email, Field(body, "email", 254));
        LANYARD_ASSIGN_OR_RETURN(user.display_name, Field(body, "displayName", 200));
        LANYARD_ASSIGN_OR_RETURN(user.org_ods, Field(body, "organisation", 10));
        LANYARD_ASSIGN_OR_RETURN(user.password, Field(body, "password", 256));
        user.roles = RoleSet{Role::kOrgAdmin};
        LANYARD_ASSIGN_OR_RETURN(auto created, s.accounts->CreateUser(ctx.principal, user));
        return Json(201, UserJson(created));
      },
      ObjectSchema({{"email", "string"},
                    {"displayName", "string"},
                    {"organisation", "string"},
                    {"password", "string"}},
                   {"email", "displayName", "organisation", "password"}));

  // --- an organisation's people and tokens ---
  const RoleSet admins{Role::kOrgAdmin};
  AddRoute("GET", "/orgs/{ods}/users", "listUsers", "The organisation's users", "organisation",
           Access::kRoles, admins, [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(auto users,
                                      s.store->ListUsers(ctx.params.Get("ods"), PageFrom(ctx)));
             json::Array items;
             for (const auto& u : users) items.push_back(UserJson(u));
             return Json(200, json::Value(json::Object{{"users", json::Value(std::move(items))}}));
           });
  AddRoute(
      "POST", "/orgs/{ods}/users", "addUser", "Add a user with roles", "organisation",
      Access::kRoles, admins,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        service::NewUser user;
        LANYARD_ASSIGN_OR_RETURN(user.email, Field(body, "email", 254));
        LANYARD_ASSIGN_OR_RETURN(user.display_name, Field(body, "displayName", 200));
        LANYARD_ASSIGN_OR_RETURN(user.password, Field(body, "password", 256));
        LANYARD_ASSIGN_OR_RETURN(std::string roles, Field(body, "roles", 200));
        LANYARD_ASSIGN_OR_RETURN(user.roles, RoleSet::Parse(roles));
        user.org_ods = ctx.params.Get("ods");
        LANYARD_ASSIGN_OR_RETURN(auto created, s.accounts->CreateUser(ctx.principal, user));
        return Json(201, UserJson(created));
      },
      ObjectSchema({{"email", "string"},
                    {"displayName", "string"},
                    {"password", "string"},
                    {"roles", "string"}},
                   {"email", "displayName", "password", "roles"}));
  AddRoute("GET", "/orgs/{ods}/tokens", "listTokens",
           "The organisation's API tokens (never the secret)", "organisation", Access::kRoles,
           admins, [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(auto tokens, s.store->ListApiTokens(ctx.params.Get("ods")));
             json::Array items;
             for (const auto& t : tokens) {
               json::Value v = json::Object{};
               v.Set("id", t.id);
               v.Set("role", t.role);
               v.Set("label", t.label);
               v.Set("created", FormatRfc3339(t.created));
               if (t.expires) v.Set("expires", FormatRfc3339(*t.expires));
               if (t.revoked) v.Set("revoked", FormatRfc3339(*t.revoked));
               items.push_back(std::move(v));
             }
             return Json(200, json::Value(json::Object{{"tokens", json::Value(std::move(items))}}));
           });
  AddRoute(
      "POST", "/orgs/{ods}/tokens", "createToken", "Create an API token (shown once)",
      "organisation", Access::kRoles, admins,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string role_name, Field(body, "role", 64));
        LANYARD_ASSIGN_OR_RETURN(Role role, service::ParseRole(role_name));
        LANYARD_ASSIGN_OR_RETURN(std::string label, Field(body, "label", 200));
        std::optional<std::chrono::seconds> lifetime;
        if (const json::Value* days = body.Find("expiresInDays"); days && days->is_number()) {
          double d = days->as_number();
          if (!(d >= 1 && d <= 3660)) {
            return BadRequest("request.invalid_field", "expiresInDays is 1 to 3660");
          }
          lifetime = std::chrono::seconds(static_cast<int64_t>(d) * 86400);
        }
        LANYARD_ASSIGN_OR_RETURN(
            auto token, s.accounts->CreateApiToken(ctx.principal, ctx.params.Get("ods"), role,
                                                   label, lifetime));
        json::Value out = json::Object{};
        out.Set("id", token.id);
        out.Set("token", token.secret);
        return Json(201, out);
      },
      ObjectSchema({{"role", "string"}, {"label", "string"}, {"expiresInDays", "number"}},
                   {"role", "label"}));
  AddRoute("POST", "/orgs/{ods}/tokens/{id}/revoke", "revokeToken", "Revoke an API token",
           "organisation", Access::kRoles, admins,
           [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_TRY(s.accounts->RevokeApiToken(ctx.principal, ctx.params.Get("ods"),
                                                    ctx.params.Get("id")));
             return Json(200, json::Value(json::Object{{"revoked", true}}));
           });
  AddRoute("GET", "/orgs/{ods}/profiles", "listRoleProfiles",
           "The role profiles the organisation's share requests are made under: its own (latest "
           "versions) and the built-in ones it has not replaced",
           "organisation", Access::kRoles, RoleSet{Role::kOrgAdmin, Role::kVerifier},
           [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(
                 auto available,
                 service::RoleProfiles(*s.store, *s.clock).Available(ctx.params.Get("ods")));
             json::Array out;
             for (const service::AvailableProfile& p : available) {
               json::Value v = json::Object{};
               v.Set("id", p.ref.id);
               v.Set("reference", service::FormatProfileRef(p.ref));
               v.Set("source", p.own ? "organisation" : "built_in");
               v.Set("version", static_cast<double>(p.profile.version));
               v.Set("role", p.profile.role);
               v.Set("staffGroup", p.profile.staff_group);
               v.Set("employmentType", p.profile.employment_type);
               v.Set("requirements", static_cast<double>(passport::RequirementCount(p.profile)));
               if (p.own) v.Set("stored", FormatRfc3339(p.uploaded));
               out.push_back(std::move(v));
             }
             return Json(200, json::Value(json::Object{{"profiles", json::Value(std::move(out))}}));
           });
  AddRoute(
      "POST", "/orgs/{ods}/profiles", "storeRoleProfile",
      "Store a role profile file (text/plain, lanyard-profile/1) as the organisation's own; new "
      "share requests for its id are made under it",
      "organisation", Access::kRoles, admins,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(std::string_view file, ctx.FileBody("text/plain"));
        LANYARD_ASSIGN_OR_RETURN(store::RoleProfileRecord stored,
                                 service::RoleProfiles(*s.store, *s.clock)
                                     .Save(ctx.principal, ctx.params.Get("ods"), file, "profile"));
        return Json(201,
                    json::Value(json::Object{
                        {"id", json::Value(stored.id)},
                        {"version", json::Value(static_cast<double>(stored.version))},
                        {"reference",
                         json::Value(service::FormatProfileRef({stored.id, stored.version}))}}));
      },
      json::Value(
          json::Object{{"type", "string"},
                       {"description",
                        "A role profile file in the lanyard-profile/1 format (docs/profiles.md)"}}),
      false, "text/plain");
  AddRoute("GET", "/orgs/{ods}/keys", "listSigningKeys",
           "The organisation's signing key and the keys it rotated away from", "organisation",
           Access::kRoles, admins, [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(auto org, s.store->GetOrganisation(ctx.params.Get("ods")));
             LANYARD_ASSIGN_OR_RETURN(json::Value keys, KeysJson(org));
             return Json(200, keys);
           });
  AddRoute(
      "POST", "/orgs/{ods}/keys/rotate", "rotateSigningKey",
      "Give the organisation a new signing key (after a step-up); the old one is retired, or "
      "disowned when compromised",
      "organisation", Access::kRoles, admins,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string reason,
                                 Field(body, "reason", service::kMaxRotationReason));
        bool compromised = false;
        if (const json::Value* c = body.Find("compromised"); c != nullptr) {
          if (!c->is_bool()) {
            return BadRequest("request.invalid_field", "compromised is true or false");
          }
          compromised = c->as_bool();
        }
        LANYARD_ASSIGN_OR_RETURN(
            auto org, s.accounts->RotateSigningKey(ctx.principal, ctx.params.Get("ods"), reason,
                                                   compromised));
        LANYARD_ASSIGN_OR_RETURN(json::Value keys, KeysJson(org));
        return Json(200, keys);
      },
      ObjectSchema({{"reason", "string"}, {"compromised", "boolean"}}, {"reason"}));
  AddRoute(
      "POST", "/orgs/{ods}/invitations", "inviteStaff",
      "Invite a staff member (returns the invitation code)", "organisation", Access::kRoles,
      RoleSet{Role::kOrgAdmin, Role::kHrIssuer},
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string email, Field(body, "email", 254));
        LANYARD_ASSIGN_OR_RETURN(std::string name, Field(body, "displayName", 200));
        LANYARD_ASSIGN_OR_RETURN(std::string number, OptionalField(body, "staffNumber", 64));
        LANYARD_ASSIGN_OR_RETURN(auto code, s.accounts->Invite(ctx.principal, ctx.params.Get("ods"),
                                                               email, name, number));
        return Json(201, json::Value(json::Object{{"invitation", code.secret}}));
      },
      ObjectSchema({{"email", "string"}, {"displayName", "string"}, {"staffNumber", "string"}},
                   {"email", "displayName"}));
  AddRoute("GET", "/orgs/{ods}/staff", "listStaff", "Staff members who work for the organisation",
           "organisation", Access::kRoles, kStaffViewers,
           [&s](RequestContext& ctx) -> Result<ServerResponse> {
             LANYARD_ASSIGN_OR_RETURN(
                 auto members, s.store->MembershipsOfOrg(ctx.params.Get("ods"), PageFrom(ctx)));
             json::Array items;
             for (const auto& m : members) {
               auto user = s.store->GetUser(m.user_id);
               if (!user.ok()) continue;
               json::Value v = json::Object{};
               v.Set("id", m.user_id);
               v.Set("displayName", user->display_name);
               v.Set("email", user->email);
               v.Set("staffNumber", m.staff_number);
               v.Set("since", FormatRfc3339(m.since));
               if (m.until) v.Set("until", FormatRfc3339(*m.until));
               items.push_back(std::move(v));
             }
             return Json(200, json::Value(json::Object{{"staff", json::Value(std::move(items))}}));
           });

  // --- issuing ---
  auto issue = [&s](RequestContext& ctx) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
    service::IssueRequest request;
    LANYARD_ASSIGN_OR_RETURN(request.subject_user_id, Field(body, "subject", 64));
    LANYARD_ASSIGN_OR_RETURN(request.type, Field(body, "type", 64));
    LANYARD_ASSIGN_OR_RETURN(request.format, OptionalField(body, "format", 16));
    const json::Value* claims = body.Find("claims");
    if (claims == nullptr || !claims->is_object()) {
      return BadRequest("request.missing_field", "the request needs \"claims\" as an object");
    }
    request.claims = *claims;
    LANYARD_ASSIGN_OR_RETURN(request.valid_until, OptionalTime(body, "validUntil"));
    LANYARD_ASSIGN_OR_RETURN(
        auto issued, s.issuer->Issue(ctx.principal, ctx.params.Get("ods"), std::move(request)));
    json::Value out = json::Object{};
    out.Set("credential", IssuedJson(issued.record));
    out.Set("verifiableCredential", IssuedValue(issued));
    return Json(201, out);
  };
  AddRoute("POST", "/orgs/{ods}/credentials", "issueCredential",
           "Issue a typed passport credential to a staff member", "issuing", Access::kRoles,
           kIssuers, issue,
           ObjectSchema({{"subject", "string"},
                         {"type", "string"},
                         {"format", "string"},
                         {"claims", "object"},
                         {"validUntil", "string"}},
                        {"subject", "type", "claims"}));
  AddRoute(
      "GET", "/orgs/{ods}/credentials", "listIssuedCredentials",
      "Credentials the organisation issued, newest first", "issuing", Access::kRoles, kIssuers,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(
            auto records, s.store->ListIssuedCredentials(ctx.params.Get("ods"),
                                                         ctx.Query("subject"), PageFrom(ctx)));
        json::Array items;
        for (const auto& r : records) items.push_back(IssuedJson(r));
        return Json(200, json::Value(json::Object{{"credentials", json::Value(std::move(items))}}));
      });
  AddRoute(
      "GET", "/orgs/{ods}/credentials/{id}", "getIssuedCredential", "One issued credential",
      "issuing", Access::kRoles, kIssuers, [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(
            auto record, s.issuer->Get(ctx.principal, ctx.params.Get("ods"), ctx.params.Get("id")));
        return Json(200, IssuedJson(record));
      });
  auto change = [&s](service::StatusAction action) {
    return [&s, action](RequestContext& ctx) -> Result<ServerResponse> {
      LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
      LANYARD_ASSIGN_OR_RETURN(std::string reason, Field(body, "reason", 1000));
      LANYARD_ASSIGN_OR_RETURN(auto record,
                               s.issuer->ChangeStatus(ctx.principal, ctx.params.Get("ods"),
                                                      ctx.params.Get("id"), action, reason));
      return Json(200, IssuedJson(record));
    };
  };
  json::Value reason_schema = ObjectSchema({{"reason", "string"}}, {"reason"});
  AddRoute("POST", "/orgs/{ods}/credentials/{id}/revoke", "revokeCredential",
           "Revoke a credential (final), with a reason", "issuing", Access::kRoles, kIssuers,
           change(service::StatusAction::kRevoke), reason_schema);
  AddRoute("POST", "/orgs/{ods}/credentials/{id}/suspend", "suspendCredential",
           "Suspend a credential, with a reason", "issuing", Access::kRoles, kIssuers,
           change(service::StatusAction::kSuspend), reason_schema);
  AddRoute("POST", "/orgs/{ods}/credentials/{id}/reinstate", "reinstateCredential",
           "Lift a suspension, with a reason", "issuing", Access::kRoles, kIssuers,
           change(service::StatusAction::kReinstate), reason_schema);
  AddRoute(
      "POST", "/orgs/{ods}/credentials/{id}/reissue", "reissueCredential",
      "Issue a replacement and revoke the old credential", "issuing", Access::kRoles, kIssuers,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string reason, Field(body, "reason", 1000));
        std::optional<json::Value> claims;
        if (const json::Value* c = body.Find("claims")) claims = *c;
        LANYARD_ASSIGN_OR_RETURN(auto valid_until, OptionalTime(body, "validUntil"));
        LANYARD_ASSIGN_OR_RETURN(
            auto issued,
            s.issuer->Reissue(ctx.principal, ctx.params.Get("ods"), ctx.params.Get("id"),
                              std::move(claims), valid_until, reason));
        json::Value out = json::Object{};
        out.Set("credential", IssuedJson(issued.record));
        out.Set("verifiableCredential", IssuedValue(issued));
        return Json(201, out);
      },
      ObjectSchema({{"reason", "string"}, {"claims", "object"}, {"validUntil", "string"}},
                   {"reason"}));

  // --- W3C VC-API, under /orgs/{ods}/ and unprefixed (the token's organisation) ---
  auto vc_issue = [&s](RequestContext& ctx) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(std::string ods, ActingOrg(ctx));
    LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
    const json::Value* credential = body.Find("credential");
    if (credential == nullptr || !credential->is_object()) {
      return BadRequest("request.missing_field", "the request needs \"credential\"");
    }
    const json::Value* options = body.Find("options");
    service::IssueRequest request;
    // Lanyard issues into a staff member's wallet: options.subject names them (their user id).
    if (options != nullptr && options->is_object()) {
      LANYARD_ASSIGN_OR_RETURN(request.subject_user_id, OptionalField(*options, "subject", 64));
      LANYARD_ASSIGN_OR_RETURN(request.format, OptionalField(*options, "format", 16));
    }
    if (request.subject_user_id.empty()) {
      return BadRequest("request.missing_field",
                        "options.subject must name the staff member (their Lanyard user id)");
    }
    const json::Value* types = credential->Find("type");
    if (types != nullptr && types->is_array()) {
      for (const auto& t : types->as_array()) {
        if (!t.is_string()) continue;
        for (const auto& info : passport::AllCredentialTypes()) {
          if (info.di_type == t.as_string()) request.type = std::string(info.name);
        }
      }
    }
    if (request.type.empty()) {
      return BadRequest("issue.unknown_type", "credential.type names no Lanyard passport type");
    }
    const json::Value* subject = credential->Find("credentialSubject");
    if (subject == nullptr || !subject->is_object()) {
      return BadRequest("request.missing_field", "the credential needs a credentialSubject");
    }
    json::Object claims;
    for (const auto& member : subject->as_object()) {
      if (member.first != "id") claims.push_back(member);
    }
    request.claims = json::Value(std::move(claims));
    LANYARD_ASSIGN_OR_RETURN(request.valid_until, OptionalTime(*credential, "validUntil"));
    LANYARD_ASSIGN_OR_RETURN(auto issued, s.issuer->Issue(ctx.principal, ods, std::move(request)));
    return Json(201, json::Value(json::Object{{"verifiableCredential", IssuedValue(issued)}}));
  };
  // The deployment's own status lists, read entry by entry from the store: as current as
  // publishing the list afresh for every verification, without its signing and re-verifying.
  std::shared_ptr<const verify::LocalStatusLists> local_lists =
      service::NewLocalStatusLists(*s.store, s.issuer->base_url());
  auto vc_verify = [&s, this, local_lists](bool presentation) {
    return [&s, this, presentation, local_lists](RequestContext& ctx) -> Result<ServerResponse> {
      LANYARD_TRY(ActingOrg(ctx));
      LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
      const json::Value* item =
          body.Find(presentation ? "verifiablePresentation" : "verifiableCredential");
      if (item == nullptr || !(item->is_object() || item->is_string())) {
        return BadRequest("request.missing_field",
                          presentation ? "the request needs \"verifiablePresentation\""
                                       : "the request needs \"verifiableCredential\"");
      }
      verify::VerifyOptions options;
      options.now = s.clock->Now();
      if (const json::Value* o = body.Find("options"); o != nullptr && o->is_object()) {
        LANYARD_ASSIGN_OR_RETURN(std::string challenge, OptionalField(*o, "challenge", 512));
        LANYARD_ASSIGN_OR_RETURN(std::string domain, OptionalField(*o, "domain", 512));
        if (!challenge.empty()) options.challenge = challenge;
        if (!domain.empty()) options.domain = domain;
      }
      // Status is read in-process and fresh for every call, so a revocation shows at once; a
      // list of this deployment that the store does not know is answered 404, as it would be
      // over HTTP, and nothing else is fetched.
      service::LocalStatusHttpClient status_http(*s.issuer);
      verify::StatusCheckOptions status_options;
      status_options.local = local_lists.get();
      status_options.http = &status_http;
      verify::StatusChecker checker(*resolver_, *s.clock, status_options);
      options.status = &checker;
      verify::VerificationReport report;
      if (item->is_string()) {
        report = presentation
                     ? verify::VerifyPresentationText(item->as_string(), *resolver_, options)
                     : verify::VerifyCredentialText(item->as_string(), *resolver_, options);
      } else {
        report = presentation ? verify::VerifyPresentation(*item, *resolver_, options)
                              : verify::VerifyCredential(*item, *resolver_, options);
      }
      if (report.unusable()) {
        auto failures = report.Failures();
        std::string code = failures.empty() ? "input.unusable" : failures.front().code;
        std::string message = failures.empty() ? "unreadable" : failures.front().message;
        return BadRequest(code, message);
      }
      return Json(200, report.ToJson());
    };
  };
  auto vc_status = [&s](RequestContext& ctx) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(std::string ods, ActingOrg(ctx));
    LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
    LANYARD_ASSIGN_OR_RETURN(std::string id, Field(body, "credentialId", 200));
    const json::Value* updates = body.Find("credentialStatus");
    if (updates == nullptr || !updates->is_array() || updates->as_array().empty() ||
        updates->as_array().size() > 2) {
      return BadRequest("request.missing_field",
                        "credentialStatus is an array of {type, status} updates");
    }
    LANYARD_ASSIGN_OR_RETURN(std::string reason, OptionalField(body, "reason", 1000));
    if (reason.empty()) reason = "status update through the VC API";
    store::IssuedCredentialRecord record;
    for (const auto& u : updates->as_array()) {
      const std::string* type = u.FindString("type");
      const json::Value* status = u.Find("status");
      bool on = status != nullptr && ((status->is_bool() && status->as_bool()) ||
                                      (status->is_string() && status->as_string() == "true"));
      service::StatusAction action;
      if (type != nullptr && *type == "revocation" && on) {
        action = service::StatusAction::kRevoke;
      } else if (type != nullptr && *type == "suspension") {
        action = on ? service::StatusAction::kSuspend : service::StatusAction::kReinstate;
      } else {
        return BadRequest("request.invalid_field",
                          "each update is {\"type\":\"revocation\",\"status\":true} or "
                          "{\"type\":\"suspension\",\"status\":true|false}");
      }
      LANYARD_ASSIGN_OR_RETURN(record,
                               s.issuer->ChangeStatus(ctx.principal, ods, id, action, reason));
    }
    return Json(200, IssuedJson(record));
  };
  json::Value vc_issue_schema =
      ObjectSchema({{"credential", "object"}, {"options", "object"}}, {"credential"});
  json::Value vc_verify_schema = ObjectSchema(
      {{"verifiableCredential", "object"}, {"options", "object"}}, {"verifiableCredential"});
  json::Value vp_verify_schema = ObjectSchema(
      {{"verifiablePresentation", "object"}, {"options", "object"}}, {"verifiablePresentation"});
  json::Value vc_status_schema = ObjectSchema(
      {{"credentialId", "string"}, {"credentialStatus", "array"}, {"reason", "string"}},
      {"credentialId", "credentialStatus"});
  for (std::string prefix : {"/orgs/{ods}", ""}) {
    std::string suffix = prefix.empty() ? "" : "ForOrganisation";
    AddRoute("POST", prefix + "/credentials/issue", "vcApiIssue" + suffix,
             "VC-API: issue a credential", "vc-api", Access::kRoles, kIssuers, vc_issue,
             vc_issue_schema);
    AddRoute("POST", prefix + "/credentials/verify", "vcApiVerifyCredential" + suffix,
             "VC-API: verify a credential", "vc-api", Access::kRoles, kCheckers, vc_verify(false),
             vc_verify_schema);
    AddRoute("POST", prefix + "/presentations/verify", "vcApiVerifyPresentation" + suffix,
             "VC-API: verify a presentation", "vc-api", Access::kRoles, kCheckers, vc_verify(true),
             vp_verify_schema);
    AddRoute("POST", prefix + "/credentials/status", "vcApiUpdateStatus" + suffix,
             "VC-API: revoke, suspend or reinstate a credential", "vc-api", Access::kRoles,
             kIssuers, vc_status, vc_status_schema);
  }
  AddShareRoutes();
  AddJobRoutes();
  AddPageRoutes();
}

// Sharing: a receiving organisation asks, the staff member sees and consents, the
// organisation reads the readiness report (service/sharing_service.h).
void Api::AddShareRoutes() {
  const ApiServices& s = s_;
  auto add = [this](std::string method, std::string pattern, std::string op, std::string summary,
                    Access access, RoleSet roles, RouteHandler handler,
                    json::Value schema = json::Value()) {
    AddRoute(std::move(method), std::move(pattern), std::move(op), std::move(summary), "sharing",
             access, roles, std::move(handler), std::move(schema));
  };
  auto share_json = [](const store::ShareRequestRecord& r) {
    json::Value v = json::Object{};
    v.Set("id", r.id);
    v.Set("requestedBy", r.requesting_org);
    v.Set("profile", r.profile);
    v.Set("movement", r.movement);
    v.Set("startDate", r.start_date);
    v.Set("state", r.state);
    v.Set("created", FormatRfc3339(r.created));
    v.Set("expires", FormatRfc3339(r.expires));
    if (r.consented_at) v.Set("consented", FormatRfc3339(*r.consented_at));
    if (r.closed_at) v.Set("closed", FormatRfc3339(*r.closed_at));
    return v;
  };
  const RoleSet receivers{Role::kVerifier, Role::kHrIssuer};
  const RoleSet staff{Role::kStaff};

  add(
      "POST", "/orgs/{ods}/shares", "createShareRequest",
      "Ask a staff member to share their passport for a role, movement and start date",
      Access::kRoles, receivers,
      [&s, share_json](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        service::ShareRequestInput input;
        LANYARD_ASSIGN_OR_RETURN(input.profile, Field(body, "profile", 64));
        LANYARD_ASSIGN_OR_RETURN(input.movement, Field(body, "movement", 64));
        LANYARD_ASSIGN_OR_RETURN(input.start_date, Field(body, "startDate", 10));
        LANYARD_ASSIGN_OR_RETURN(input.from_ods, OptionalField(body, "from", 10));
        LANYARD_ASSIGN_OR_RETURN(auto created,
                                 s.sharing->Create(ctx.principal, ctx.params.Get("ods"), input));
        json::Value out = share_json(created.record);
        // The link's secret travels in the body the staff member posts, never in a URL.
        out.Set("link", created.link_secret);
        return Json(201, out);
      },
      ObjectSchema({{"profile", "string"},
                    {"movement", "string"},
                    {"startDate", "string"},
                    {"from", "string"}},
                   {"profile", "movement", "startDate"}));
  add("GET", "/orgs/{ods}/shares/{id}", "getShareRequest", "A share request and its state",
      Access::kRoles, receivers, [&s, share_json](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(
            auto r, s.sharing->Get(ctx.principal, ctx.params.Get("ods"), ctx.params.Get("id")));
        return Json(200, share_json(r));
      });
  add("GET", "/orgs/{ods}/shares/{id}/report", "getReadinessReport",
      "The readiness report: one decision per check, evaluated now", Access::kRoles, receivers,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(
            auto report,
            s.sharing->Report(ctx.principal, ctx.params.Get("ods"), ctx.params.Get("id")));
        return Json(200, report);
      });
  add(
      "POST", "/orgs/{ods}/shares/{id}/overrides", "overrideReadinessDecision",
      "Record an override of one check's decision, with a reason", Access::kRoles, receivers,
      [&s](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        passport::Override o;
        LANYARD_ASSIGN_OR_RETURN(o.check, Field(body, "check", 64));
        LANYARD_ASSIGN_OR_RETURN(std::string decision, Field(body, "decision", 32));
        LANYARD_ASSIGN_OR_RETURN(o.decision, passport::ParseDecision(decision));
        LANYARD_ASSIGN_OR_RETURN(o.reason, Field(body, "reason", 1000));
        o.by = ctx.principal.Actor();
        LANYARD_ASSIGN_OR_RETURN(
            auto report,
            s.sharing->Override(ctx.principal, ctx.params.Get("ods"), ctx.params.Get("id"), o));
        return Json(200, report);
      },
      ObjectSchema({{"check", "string"}, {"decision", "string"}, {"reason", "string"}},
                   {"check", "decision", "reason"}));
  add("POST", "/orgs/{ods}/shares/{id}/close", "closeShareRequest",
      "The purpose is done: the presentation is deleted and access ends", Access::kRoles, receivers,
      [&s, share_json](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(
            auto r, s.sharing->Close(ctx.principal, ctx.params.Get("ods"), ctx.params.Get("id")));
        return Json(200, share_json(r));
      });
  add("GET", "/wallet/shares", "listMyShares", "Share requests I have opened, newest first",
      Access::kRoles, staff, [&s, share_json](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(auto shares, s.sharing->ForStaff(ctx.principal, PageFrom(ctx)));
        json::Array items;
        for (const auto& r : shares) items.push_back(share_json(r));
        return Json(200, json::Value(json::Object{{"shares", json::Value(std::move(items))}}));
      });
  add(
      "POST", "/wallet/shares/open", "openShareRequest",
      "Open a share link: see exactly what would be disclosed", Access::kRoles, staff,
      [&s, share_json](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(json::Value body, ctx.JsonBody());
        LANYARD_ASSIGN_OR_RETURN(std::string link, Field(body, "link", 128));
        LANYARD_ASSIGN_OR_RETURN(auto opened, s.sharing->Open(ctx.principal, link));
        json::Value out = share_json(opened.request);
        out.Set("disclosure", opened.plan);
        return Json(200, out);
      },
      ObjectSchema({{"link", "string"}}, {"link"}));
  add("POST", "/wallet/shares/{id}/consent", "consentToShare",
      "Share what was shown (needs a fresh step-up)", Access::kRoles, staff,
      [&s, share_json](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(auto r, s.sharing->Consent(ctx.principal, ctx.params.Get("id")));
        return Json(200, share_json(r));
      });
  add("POST", "/wallet/shares/{id}/withdraw", "withdrawShare", "Withdraw consent", Access::kRoles,
      staff, [&s, share_json](RequestContext& ctx) -> Result<ServerResponse> {
        LANYARD_ASSIGN_OR_RETURN(auto r, s.sharing->Withdraw(ctx.principal, ctx.params.Get("id")));
        return Json(200, share_json(r));
      });
}

}  // namespace lanyard::http
