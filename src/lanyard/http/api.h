// The passport service's HTTP API: the route table (router.h) with a handler per route, and the
// dispatcher that authenticates each request, enforces the route's access rule, checks CSRF for
// cookie sessions, and turns every error into an RFC 9457 problem with Lanyard's stable code.
//
// Authentication: a session cookie (`__Host-lanyard_session`, from POST /auth/login) or an API
// token (`Authorization: Bearer lyt_...`). A cookie-authenticated request that changes state
// (any method but GET and HEAD) must carry the session's CSRF token in `X-CSRF-Token` (or a
// `csrf_token` form field), so another site cannot ride a signed-in browser. Bearer requests
// carry no ambient authority and need no CSRF token.
//
// Organisation scope: every route with {ods} in its path is refused with 404 `org.not_found`
// unless the principal acts for that organisation, so one organisation cannot even learn what
// another holds. Unprefixed VC-API routes act for the token's organisation.
//
// Thread-safety: Handle may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lanyard/analytics/published_report.h"
#include "lanyard/core/clock.h"
#include "lanyard/did/resolver.h"
#include "lanyard/http/form.h"
#include "lanyard/http/pages.h"
#include "lanyard/http/router.h"
#include "lanyard/http/server.h"
#include "lanyard/json/value.h"
#include "lanyard/service/accounts.h"
#include "lanyard/service/bulk_issue.h"
#include "lanyard/service/deployment.h"
#include "lanyard/service/issuer_service.h"
#include "lanyard/service/sharing_service.h"
#include "lanyard/service/wallet_service.h"
#include "lanyard/store/store.h"

namespace lanyard::http {

inline constexpr std::string_view kSessionCookie = "__Host-lanyard_session";
inline constexpr size_t kMaxJsonBodyBytes = 1024 * 1024;

struct RequestContext {
  const ServerRequest& request;
  service::Principal principal;
  PathParams params;
  FormData form;           // a page's form fields (page routes other than GET and HEAD)
  std::string csrf_token;  // what a page's forms carry: the session's, or the sign-in form's

  // The body as a JSON object. Errors: http.unsupported_media_type (not application/json),
  // the parser's input.* errors, http.bad_request (not an object).
  Result<json::Value> JsonBody() const;
  // The body as the file it is, when its Content-Type is `media_type` (case-insensitive, any
  // parameters allowed). Errors: http.unsupported_media_type, which names `media_type`.
  Result<std::string_view> FileBody(std::string_view media_type) const;
  // A query parameter, percent-decoded ("" when absent).
  std::string Query(std::string_view name) const;
};

struct ApiServices {
  store::Store* store = nullptr;
  const Clock* clock = nullptr;
  service::AccountService* accounts = nullptr;
  service::IssuerService* issuer = nullptr;
  service::WalletService* wallet = nullptr;
  service::SharingService* sharing = nullptr;
  crypto::KeyStore* keys = nullptr;           // the trust bundle's signer
  service::BulkIssueService* bulk = nullptr;  // null: the job routes answer 503
  // Every service of a deployment (server_metrics left empty).
  static ApiServices ForDeployment(service::Deployment& d, const Clock& clock);

  // Appends the HTTP server's own metrics (Prometheus text) to /metrics; may be empty.
  std::function<void(std::string*)> server_metrics;
  // Where the web pages' built assets are (GET /assets/{file}); empty: none are served, and
  // the pages are plain HTML.
  std::string web_root;
  // The movement report analysts see at /research/report (`lanyard analytics report`'s output
  // folder); null: none is published, and the research page says so.
  const analytics::ReportFolder* research_report = nullptr;
};

class Api {
 public:
  explicit Api(ApiServices services);
  ~Api();

  // The server's RequestHandler.
  void Handle(ServerRequest request, Respond respond) const;
  ServerResponse Dispatch(const ServerRequest& request) const;

  const Router& router() const { return router_; }
  // The OpenAPI 3.1 document describing exactly the routes in the table.
  json::Value OpenApiDocument() const;

 private:
  // Adds one route to the table; every group of routes goes through here.
  void AddRoute(std::string method, std::string pattern, std::string operation_id,
                std::string summary, std::string tag, Access access, service::RoleSet roles,
                RouteHandler handler, json::Value request_schema = json::Value(),
                bool pending_second_factor = false,
                std::string request_media_type = "application/json");
  void AddRoutes();
  void AddShareRoutes();
  void AddJobRoutes();   // api_job_routes.cc
  void AddPageRoutes();  // api_page_routes.cc: public pages, assets, sign-in and sign-up
  void AddAuthPages();   // api_page_routes.cc
  void AddStaffPages();  // web_staff_pages.cc
  void AddIssuerPages();     // web_issuer_pages.cc
  void AddReceivingPages();  // web_receiving_pages.cc
  void AddAdminPages();      // web_admin_pages.cc

  // A page route (Route::page): public, or for signed-in principals holding one of `roles`
  // (any signed-in principal when `roles` is empty).
  void AddPage(std::string method, std::string pattern, std::string operation_id,
               std::string summary, std::optional<service::RoleSet> roles, RouteHandler handler,
               bool pending_second_factor = false);
  // `name` rendered with `context` plus what every page shows: the title, who is signed in, the
  // navigation their roles give, and the CSRF token for the page's forms. Never cached.
  Result<ServerResponse> Page(const RequestContext& ctx, std::string_view name,
                              std::string_view title, json::Value context, int status = 200) const;
  // An error as a page: its title and message, with the status the API would give.
  ServerResponse ErrorPage(const RequestContext* ctx, const Error& error) const;
  ServerResponse DispatchPage(const Route& route, const ServerRequest& request,
                              PathParams params) const;
  Result<service::Principal> Authenticate(const ServerRequest& request,
                                          bool allow_pending_second_factor) const;

  ApiServices s_;
  Router router_;
  std::unique_ptr<did::Resolver> resolver_;  // this deployment's organisations, then did:key
  Result<Pages> pages_;                      // an error only if a compiled-in template is broken
};

// A cookie's value from a Cookie header ("" when absent).
std::string CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace lanyard::http
