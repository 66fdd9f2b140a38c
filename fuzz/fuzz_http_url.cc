// Fuzzes the HTTP client's URL parser, redirect resolution and IP address parsing: a clean error,
// or a URL that prints and parses back to itself.
#include <cstdlib>
#include <string>
#include <string_view>

#include "lanyard/http/address.h"
#include "lanyard/http/url.h"

namespace {

// A parsed URL's text must parse again to the same URL, or loop detection (which compares
// printed URLs) and the scheme and address checks could disagree about what was fetched.
void CheckRoundTrip(const lanyard::http::Url& url) {
  std::string text = url.ToString();
  auto again = lanyard::http::ParseUrl(text);
  if (!again.ok() || again->ToString() != text || again->host != url.host ||
      again->port != url.port || again->target != url.target ||
      again->host_is_ip != url.host_is_ip || again->host_is_ipv6 != url.host_is_ipv6) {
    std::abort();
  }
  // The target goes into the request line as is: it must never carry a space, CR or LF.
  for (char c : url.target) {
    if (c == ' ' || c == '\r' || c == '\n') std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto url = lanyard::http::ParseUrl(text); url.ok()) {
    CheckRoundTrip(*url);
    (void)lanyard::http::CheckSchemeAllowed(*url);
  }
  static const lanyard::http::Url kBase =
      lanyard::http::ParseUrl("https://issuer.example:8443/a/b/c?q=1").value();
  if (auto url = lanyard::http::ResolveReference(kBase, text); url.ok()) {
    CheckRoundTrip(*url);
    (void)lanyard::http::CheckRedirectAllowed(kBase, *url);
  }
  if (auto address = lanyard::http::ParseIpAddress(text)) {
    auto again = lanyard::http::ParseIpAddress(address->ToString());
    if (!again.has_value() || !(*again == *address)) std::abort();
    (void)lanyard::http::ClassifyAddress(*address);
  }
  return 0;
}
