// The HTTP API's route table and its matcher. The table is the single source of truth: the
// request dispatcher, the OpenAPI document (/openapi.json) and the authorisation test all read
// it, so a route cannot exist without being documented and tested for cross-organisation access.
//
// Patterns are literal segments and {name} placeholders, each matching one non-empty segment
// ("/orgs/{ods}/credentials/{id}"). A placeholder named `ods` makes the route organisation-scoped:
// only principals of that organisation get past the dispatcher.
//
// Thread-safety: immutable once built; Match is safe from many threads.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/http/server.h"
#include "lanyard/json/value.h"
#include "lanyard/service/roles.h"

namespace lanyard::http {

enum class Access {
  kPublic,    // no authentication (health, metrics, DID documents, status lists, sign-in)
  kSignedIn,  // any authenticated principal; the handler narrows it
  kRoles,     // a principal holding one of `roles`
};

struct PathParams {
  std::vector<std::pair<std::string, std::string>> values;
  // REQUIRES: the route's pattern names `name`.
  const std::string& Get(std::string_view name) const;
};

struct RequestContext;
using RouteHandler = std::function<Result<ServerResponse>(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string operation_id;  // OpenAPI operationId, unique
  std::string summary;
  std::string tag;
  Access access = Access::kRoles;
  service::RoleSet roles;
  // Sessions still awaiting their second factor may call it (TOTP enrolment and check).
  bool pending_second_factor = false;
  // The request body's schema for OpenAPI, or null for none, and its media type.
  json::Value request_schema;
  std::string request_media_type = "application/json";
  // A web page (or a page's form): errors render as HTML pages, a visitor who is not signed in
  // is sent to sign in, and a form's CSRF token comes in its `csrf_token` field.
  bool page = false;
  RouteHandler handler;

  bool org_scoped() const { return pattern.find("{ods}") != std::string::npos; }
};

class Router {
 public:
  // REQUIRES: no two routes with the same method and pattern, unique operation ids.
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;  // nullptr: no route
    PathParams params;
    std::vector<std::string> allowed_methods;  // when the path matched but not the method
  };
  // `path` is the raw path; placeholders are percent-decoded and must be valid UTF-8 without
  // '/' or control characters (else no match).
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace lanyard::http
