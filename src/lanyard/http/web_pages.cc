// How page routes are dispatched and rendered: who is signed in, where they are sent when they
// are not, the CSRF token every form carries, what the navigation shows for their roles, and
// errors as pages rather than problem documents.
#include <exception>

#include "lanyard/crypto/hmac.h"
#include "lanyard/http/api.h"
#include "lanyard/http/problem.h"
#include "lanyard/http/web_util.h"

namespace lanyard::http {
namespace {

using service::Principal;
using service::Role;
using service::RoleSet;

// The sign-in and sign-up forms come before any session, so their CSRF token is a random value
// in a cookie of its own that the form must repeat (the double-submit pattern); SameSite=Strict
// keeps another site from sending either.
constexpr std::string_view kFormCookie = "__Host-lanyard_form";

bool SameSecret(std::string_view a, std::string_view b) {
  return !a.empty() && !b.empty() &&
         crypto::ConstantTimeEquals(ByteView(reinterpret_cast<const uint8_t*>(a.data()), a.size()),
                                    ByteView(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
}

struct NavItem {
  const char* href;
  const char* label;
  RoleSet roles;
};

const NavItem kNav[] = {
    {"/passport", "My passport", RoleSet{Role::kStaff}},
    {"/passport/shares", "Share requests", RoleSet{Role::kStaff}},
    {"/passport/history", "History", RoleSet{Role::kStaff}},
    {"/issue", "Issue", RoleSet{Role::kHrIssuer, Role::kOhIssuer, Role::kTrainingIssuer}},
    {"/issued", "Issued credentials",
     RoleSet{Role::kHrIssuer, Role::kOhIssuer, Role::kTrainingIssuer}},
    {"/staff/invite", "Invite staff", RoleSet{Role::kHrIssuer, Role::kOrgAdmin}},
    {"/requests", "Share requests", RoleSet{Role::kVerifier}},
    {"/organisation/users", "Users", RoleSet{Role::kOrgAdmin}},
    {"/organisation/tokens", "API tokens", RoleSet{Role::kOrgAdmin}},
    {"/organisation/keys", "Signing keys", RoleSet{Role::kOrgAdmin}},
    {"/organisation/profiles", "Role profiles", RoleSet{Role::kOrgAdmin}},
    {"/research", "Movement report", RoleSet{Role::kAnalyst, Role::kOrgAdmin}},
    {"/admin/organisations", "Organisations", RoleSet{Role::kNationalAdmin}},
};

// The longest navigation link that is a prefix of `path` is the current one.
json::Value NavFor(const Principal& principal, std::string_view path) {
  const NavItem* current = nullptr;
  for (const NavItem& item : kNav) {
    std::string_view href = item.href;
    if (principal.roles.HasAny(item.roles) && path.starts_with(href) &&
        (path.size() == href.size() || path[href.size()] == '/') &&
        (current == nullptr || href.size() > std::string_view(current->href).size())) {
      current = &item;
    }
  }
  json::Array nav;
  for (const NavItem& item : kNav) {
    if (!principal.roles.HasAny(item.roles)) continue;
    nav.push_back(json::Value(json::Object{{"href", json::Value(item.href)},
                                           {"label", json::Value(item.label)},
                                           {"current", json::Value(&item == current)}}));
  }
  nav.push_back(json::Value(json::Object{{"href", json::Value("/account")},
                                         {"label", json::Value("Your account")},
                                         {"current", json::Value(path == "/account")}}));
  return json::Value(std::move(nav));
}

std::string FormCookie(const std::string& value) {
  return std::string(kFormCookie) + "=" + value +
         "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=86400";
}

}  // namespace

std::string HomeFor(const Principal& principal) {
  for (const NavItem& item : kNav) {
    if (principal.roles.HasAny(item.roles)) return item.href;
  }
  return "/account";
}

void Api::AddPage(std::string method, std::string pattern, std::string operation_id,
                  std::string summary, std::optional<RoleSet> roles, RouteHandler handler,
                  bool pending_second_factor) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.operation_id = std::move(operation_id);
  r.summary = std::move(summary);
  r.tag = "pages";
  r.access = !roles ? Access::kPublic : roles->empty() ? Access::kSignedIn : Access::kRoles;
  r.roles = roles.value_or(RoleSet{});
  r.pending_second_factor = pending_second_factor;
  r.page = true;
  if (r.method == "POST") {
    r.request_media_type = "application/x-www-form-urlencoded";
    r.request_schema = json::Value(json::Object{{"type", json::Value("object")}});
  }
  r.handler = std::move(handler);
  router_.Add(std::move(r));
}

Result<ServerResponse> Api::Page(const RequestContext& ctx, std::string_view name,
                                 std::string_view title, json::Value context, int status) const {
  if (!pages_.ok()) return pages_.error();
  if (!context.is_object()) context = json::Object{};
  context.Set("title", std::string(title));
  context.Set("csrf_token", ctx.csrf_token);
  const Principal& p = ctx.principal;
  if (p.authenticated() && p.kind == Principal::Kind::kUser && !p.session_hash.empty()) {
    context.Set("signed_in", true);
    if (auto user = s_.store->GetUser(p.id); user.ok())
      context.Set("user_name", user->display_name);
    if (!p.org_ods.empty()) {
      if (auto org = s_.store->GetOrganisation(p.org_ods); org.ok()) {
        context.Set("org_name", org->name);
      }
    }
    // Until sign-in is finished (the authenticator pages), there is nowhere else to go.
    if (!ctx.request.path.starts_with("/sign-in")) context.Set("nav", NavFor(p, ctx.request.path));
  }
  LANYARD_ASSIGN_OR_RETURN(ServerResponse r, pages_->Render(name, context, /*cacheable=*/false));
  r.status = status;
  return r;
}

ServerResponse Api::ErrorPage(const RequestContext* ctx, const Error& error) const {
  int status = HttpStatusFor(error.code);
  std::string title(StatusTitle(status));
  std::string message = error.message;
  if (error.code == Code::kNotFound) {
    title = "Page not found";
    message =
        "There is nothing here, or it is not available to you. Check the address, or go "
        "back to the page you came from.";
  } else if (status == 403) {
    title = "You cannot do this";
  } else if (status >= 500) {
    title = "Sorry, there is a problem with the service";
    message = "Try again later. Nothing you entered has been saved unless a page said so.";
  }
  json::Value context = json::Object{};
  context.Set("heading", title);
  context.Set("message", message);
  context.Set("code", error.reason);
  if (ctx != nullptr) {
    auto page = Page(*ctx, "error", title, std::move(context), status);
    if (page.ok()) return std::move(page).value();
  }
  ServerResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = title + "\n\n" + message + "\n";
  return r;
}

ServerResponse Api::DispatchPage(const Route& route, const ServerRequest& request,
                                 PathParams params) const {
  auto principal = Authenticate(request, route.pending_second_factor);
  if (!principal.ok()) {
    const std::string& reason = principal.error().reason;
    if (reason == "auth.second_factor_required") return SeeOther("/sign-in/code");
    if (route.access == Access::kPublic) {
      principal = Principal{};  // an expired session still sees the public pages
    } else {
      ServerResponse r = SeeOther("/sign-in");
      r.headers.push_back({"Set-Cookie", SessionCookie("", std::chrono::seconds(0))});
      return r;
    }
  }
  RequestContext ctx{request, std::move(principal).value(), std::move(params), {}, {}};
  const bool unsafe = request.method != "GET" && request.method != "HEAD";
  if (unsafe) {
    auto form = FormData::Parse(request.Header("content-type").value_or(""), request.body);
    if (!form.ok()) return ErrorPage(&ctx, form.error());
    ctx.form = std::move(form).value();
  }

  if (route.access != Access::kPublic) {
    if (!ctx.principal.authenticated()) {
      std::string next = request.method == "GET" ? request.target : std::string("/home");
      return SeeOther("/sign-in?next=" + FormEncode(next));
    }
    if (route.access == Access::kRoles && !ctx.principal.roles.HasAny(route.roles)) {
      return ErrorPage(&ctx, MakeError(Code::kPermissionDenied, "permission.denied",
                                       "Your role does not allow this. If you need it, ask your "
                                       "organisation's administrator."));
    }
  }

  // The token this page's forms carry, and the check of the one a form sent.
  std::string new_form_cookie;
  if (!ctx.principal.session_hash.empty()) {
    ctx.csrf_token = ctx.principal.csrf_token;
  } else if (ctx.principal.kind != Principal::Kind::kToken) {
    auto cookie = request.Header("cookie");
    ctx.csrf_token = cookie ? CookieValue(*cookie, kFormCookie) : std::string();
    if (ctx.csrf_token.empty() && !unsafe) {
      ctx.csrf_token = new_form_cookie = service::NewSecret("lyf_");
    }
  }
  if (unsafe && ctx.principal.kind != Principal::Kind::kToken &&
      !SameSecret(ctx.form.Get("csrf_token"), ctx.csrf_token)) {
    return ErrorPage(&ctx, MakeError(Code::kPermissionDenied, "auth.csrf",
                                     "This form has expired or did not come from this service. "
                                     "Go back, reload the page and try again."));
  }

  ServerResponse response;
  try {
    auto handled = route.handler(ctx);
    response = handled.ok() ? std::move(handled).value() : ErrorPage(&ctx, handled.error());
  } catch (const std::exception&) {
    response = ErrorPage(&ctx, MakeError(Code::kInternal, "http.internal", "internal"));
  }
  if (!new_form_cookie.empty()) {
    response.headers.push_back({"Set-Cookie", FormCookie(new_form_cookie)});
  }
  return response;
}

}  // namespace lanyard::http
