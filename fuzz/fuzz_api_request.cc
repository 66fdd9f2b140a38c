// Fuzzes what the API dispatcher reads from a request before any handler runs: the path matched
// against route patterns (placeholders percent-decoded), the session cookie and query
// parameters. Input: path, cookie header and query string separated by newlines.
#include <cstdlib>
#include <string>
#include <string_view>

#include "lanyard/core/utf8.h"
#include "lanyard/http/api.h"
#include "lanyard/http/router.h"

namespace {

const lanyard::http::Router& TestRouter() {
  static const lanyard::http::Router router = [] {
    lanyard::http::Router r;
    for (const char* pattern :
         {"/healthz", "/orgs/{ods}/credentials", "/orgs/{ods}/credentials/{id}",
          "/orgs/{ods}/credentials/{id}/revoke", "/status/{list}", "/wallet/shares/{id}/consent"}) {
      lanyard::http::Route route;
      route.method = "GET";
      route.pattern = pattern;
      route.operation_id = pattern;
      r.Add(std::move(route));
    }
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl1 = text.find('\n');
  std::string_view path = text.substr(0, nl1);
  std::string_view rest = nl1 == std::string_view::npos ? "" : text.substr(nl1 + 1);
  size_t nl2 = rest.find('\n');
  std::string_view cookie = rest.substr(0, nl2);
  std::string_view query = nl2 == std::string_view::npos ? "" : rest.substr(nl2 + 1);

  auto match = TestRouter().Find("GET", path);
  if (match.route != nullptr) {
    // A placeholder never smuggles a path separator, a control character or broken UTF-8 into
    // the ids handlers look up.
    for (const auto& [name, value] : match.params.values) {
      if (value.empty() || !lanyard::IsValidUtf8(value)) std::abort();
      for (char c : value) {
        if (c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) std::abort();
      }
    }
  }
  (void)lanyard::http::CookieValue(cookie, lanyard::http::kSessionCookie);
  lanyard::http::ServerRequest request;
  request.query = std::string(query);
  lanyard::http::RequestContext ctx{request, {}, {}, {}, {}};
  std::string limit = ctx.Query("limit");
  if (!lanyard::IsValidUtf8(limit)) std::abort();
  (void)ctx.Query("subject");
  return 0;
}
