#include "lanyard/http/api.h"

#include <algorithm>
#include <exception>

#include "lanyard/core/encoding.h"
#include "lanyard/core/text.h"
#include "lanyard/core/utf8.h"
#include "lanyard/crypto/hmac.h"
#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"
#include "lanyard/did/did_web.h"
#include "lanyard/http/form.h"
#include "lanyard/http/problem.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/service/local_documents.h"

namespace lanyard::http {
namespace {

using service::Principal;

json::Value PathParameters(const std::string& pattern) {
  json::Array params;
  size_t at = 0;
  while ((at = pattern.find('{', at)) != std::string::npos) {
    size_t end = pattern.find('}', at);
    json::Value p = json::Object{};
    p.Set("name", pattern.substr(at + 1, end - at - 1));
    p.Set("in", "path");
    p.Set("required", true);
    p.Set("schema", json::Value(json::Object{{"type", "string"}}));
    params.push_back(std::move(p));
    at = end;
  }
  return json::Value(std::move(params));
}

}  // namespace

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    header = semi == std::string_view::npos ? "" : header.substr(semi + 1);
  }
  return "";
}

Result<json::Value> RequestContext::JsonBody() const {
  auto type = request.Header("content-type");
  if (!type ||
      !(type->starts_with("application/json") || type->starts_with("application/ld+json") ||
        type->starts_with("application/vc+ld+json"))) {
    return MakeError(Code::kInvalidArgument, "http.unsupported_media_type",
                     "send the request body as application/json");
  }
  json::ParseOptions options;
  options.max_bytes = kMaxJsonBodyBytes;
  options.max_depth = 64;
  LANYARD_ASSIGN_OR_RETURN(json::Value body, json::Parse(request.body, options));
  if (!body.is_object()) {
    return MakeError(Code::kInvalidArgument, "http.bad_request", "the body is a JSON object");
  }
  return body;
}

Result<std::string_view> RequestContext::FileBody(std::string_view media_type) const {
  // Anything else (a JSON body, or none) is refused before any of it is read as the file.
  if (!AsciiLower(request.Header("content-type").value_or("")).starts_with(media_type)) {
    return MakeError(Code::kInvalidArgument, "http.unsupported_media_type",
                     "send the file as " + std::string(media_type) + " (UTF-8)");
  }
  return std::string_view(request.body);
}

std::string RequestContext::Query(std::string_view name) const {
  std::string_view q = request.query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      auto decoded = FormDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
      return decoded.ok() && IsValidUtf8(*decoded) ? *decoded : std::string();
    }
    q = amp == std::string_view::npos ? "" : q.substr(amp + 1);
  }
  return "";
}

ApiServices ApiServices::ForDeployment(service::Deployment& d, const Clock& clock) {
  ApiServices services;
  services.store = d.store.get();
  services.clock = &clock;
  services.accounts = d.accounts.get();
  services.issuer = d.issuer.get();
  services.wallet = d.wallet.get();
  services.sharing = d.sharing.get();
  services.keys = d.keys.get();
  services.bulk = d.bulk.get();
  return services;
}

Api::Api(ApiServices services) : s_(std::move(services)), pages_(Pages::Load()) {
  // Verification resolves an organisation's DID on every call; the resolver keeps each
  // document while the organisation's keys stay the same.
  resolver_ = service::NewServiceResolver(*s_.issuer, *s_.store);
  AddRoutes();
}

Api::~Api() = default;

Result<Principal> Api::Authenticate(const ServerRequest& request,
                                    bool allow_pending_second_factor) const {
  if (auto auth = request.Header("authorization")) {
    if (!auth->starts_with("Bearer ")) {
      return MakeError(Code::kUnauthenticated, "auth.no_session",
                       "use an API token: Authorization: Bearer lyt_...");
    }
    return s_.accounts->AuthenticateToken(auth->substr(7));
  }
  if (auto cookie = request.Header("cookie")) {
    std::string token = CookieValue(*cookie, kSessionCookie);
    if (!token.empty()) {
      return s_.accounts->AuthenticateSession(token, allow_pending_second_factor);
    }
  }
  return Principal{};
}

void Api::Handle(ServerRequest request, Respond respond) const { respond(Dispatch(request)); }

ServerResponse Api::Dispatch(const ServerRequest& request) const {
  Router::Match match = router_.Find(request.method, request.path);
  if (match.route == nullptr) {
    if (!match.allowed_methods.empty()) {
      std::string allow;
      for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      ServerResponse r = ProblemResponse(405, "http.method_not_allowed", "Method Not Allowed",
                                         request.method + " is not allowed here");
      r.headers.push_back({"Allow", allow});
      return r;
    }
    return ProblemResponse(404, "http.not_found", "Not Found", "there is nothing at this path");
  }
  const Route& route = *match.route;
  if (route.page) return DispatchPage(route, request, std::move(match.params));
  auto principal = Authenticate(request, route.pending_second_factor);
  if (!principal.ok()) return ProblemFromError(principal.error());
  RequestContext ctx{request, std::move(principal).value(), std::move(match.params), {}, {}};

  if (route.access != Access::kPublic) {
    if (!ctx.principal.authenticated()) {
      return ProblemResponse(401, "auth.required", "Unauthorized",
                             "sign in, or send an API token, to use this");
    }
    if (route.access == Access::kRoles && !ctx.principal.roles.HasAny(route.roles)) {
      return ProblemResponse(403, "permission.denied", "Forbidden",
                             "your role does not allow this");
    }
    // Another organisation's path looks exactly like one that does not exist.
    if (route.org_scoped() && ctx.params.Get("ods") != ctx.principal.org_ods) {
      return ProblemResponse(404, "org.not_found", "Not Found",
                             "no such organisation is available to you");
    }
    bool unsafe = request.method != "GET" && request.method != "HEAD";
    if (unsafe && !ctx.principal.session_hash.empty()) {
      auto header = request.Header("x-csrf-token");
      // Compared in constant time: the token is a secret, and timing must not leak it.
      if (!header || ctx.principal.csrf_token.empty() ||
          !crypto::ConstantTimeEquals(
              ByteView(reinterpret_cast<const uint8_t*>(header->data()), header->size()),
              ByteView(reinterpret_cast<const uint8_t*>(ctx.principal.csrf_token.data()),
                       ctx.principal.csrf_token.size()))) {
        return ProblemResponse(403, "auth.csrf", "Forbidden",
                               "the request lacks this session's CSRF token");
      }
    }
  }
  try {
    auto response = route.handler(ctx);
    if (!response.ok()) return ProblemFromError(response.error());
    return std::move(response).value();
  } catch (const std::exception&) {
    return ProblemResponse(500, "http.internal", "Internal Server Error",
                           "the request could not be completed");
  }
}

}  // namespace lanyard::http

namespace lanyard::http {

json::Value Api::OpenApiDocument() const {
  json::Value paths = json::Object{};
  for (const Route& route : router_.routes()) {
    json::Value op = json::Object{};
    op.Set("operationId", route.operation_id);
    op.Set("summary", route.summary);
    op.Set("tags", json::Value(json::Array{json::Value(route.tag)}));
    if (route.pattern.find('{') != std::string::npos) {
      op.Set("parameters", PathParameters(route.pattern));
    }
    if (!route.request_schema.is_null()) {
      json::Value media = json::Object{};
      media.Set("schema", route.request_schema);
      json::Value content = json::Object{};
      content.Set(route.request_media_type, std::move(media));
      json::Value body = json::Object{};
      body.Set("required", true);
      body.Set("content", std::move(content));
      op.Set("requestBody", std::move(body));
    }
    json::Value responses = json::Object{};
    responses.Set(route.method == "POST" ? "2XX" : "200",
                  json::Value(json::Object{{"description", "Success"}}));
    json::Value problem = json::Object{};
    problem.Set("description", "An RFC 9457 problem; `code` is Lanyard's stable reason");
    problem.Set(
        "content",
        json::Value(json::Object{
            {"application/problem+json",
             json::Value(json::Object{{"schema", json::Value(json::Object{{"$ref",
                                                                           "#/components/schemas/"
                                                                           "Problem"}})}})}}));
    responses.Set("default", std::move(problem));
    op.Set("responses", std::move(responses));
    if (route.access == Access::kPublic) {
      op.Set("security", json::Value(json::Array{}));
    } else {
      std::string roles = route.access == Access::kRoles ? route.roles.ToString() : "any";
      op.Set("x-lanyard-roles", roles);
    }
    json::Value* item = paths.Find(route.pattern) != nullptr
                            ? const_cast<json::Value*>(paths.Find(route.pattern))
                            : nullptr;
    if (item == nullptr) {
      paths.Set(route.pattern, json::Value(json::Object{}));
      item = const_cast<json::Value*>(paths.Find(route.pattern));
    }
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    item->Set(method, std::move(op));
  }
  json::Value doc = json::Object{};
  doc.Set("openapi", "3.1.0");
  doc.Set("info", json::Value(json::Object{
                      {"title", "Lanyard passport service"},
                      {"version", "1"},
                      {"description",
                       "Digital staff passport for health-service workers: issuing, the hosted "
                       "wallet, sharing and verification. Generated from the server's own "
                       "route table."}}));
  doc.Set("paths", std::move(paths));
  json::Value schemes = json::Object{};
  schemes.Set("session",
              json::Value(json::Object{
                  {"type", "apiKey"}, {"in", "cookie"}, {"name", std::string(kSessionCookie)}}));
  schemes.Set("bearer", json::Value(json::Object{{"type", "http"}, {"scheme", "bearer"}}));
  json::Value problem_props = json::Object{};
  for (const char* name : {"type", "title", "detail", "code", "instance"}) {
    problem_props.Set(name, json::Value(json::Object{{"type", "string"}}));
  }
  problem_props.Set("status", json::Value(json::Object{{"type", "integer"}}));
  json::Value problem_schema = json::Object{};
  problem_schema.Set("type", "object");
  problem_schema.Set("properties", std::move(problem_props));
  json::Value components = json::Object{};
  components.Set("securitySchemes", std::move(schemes));
  components.Set("schemas", json::Value(json::Object{{"Problem", std::move(problem_schema)}}));
  doc.Set("components", std::move(components));
  doc.Set("security", json::Value(json::Array{
                          json::Value(json::Object{{"session", json::Value(json::Array{})}}),
                          json::Value(json::Object{{"bearer", json::Value(json::Array{})}})}));
  return doc;
}

}  // namespace lanyard::http
