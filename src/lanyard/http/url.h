// Strict parsing of the http:// and https:// URLs the HTTP client fetches, resolution of
// redirect Locations against them, and the scheme rules every hop must pass.
//
// Strict means: only the http and https schemes; a host that is a DNS name of letters, digits,
// '-' and '_' labels, a dotted-quad IPv4 address or a bracketed IPv6 address (no zone); an
// optional decimal port 1..65535; a path and query of RFC 3986 characters with well-formed
// percent escapes. No userinfo ("user@host"), no spaces, no control or non-ASCII bytes, no
// backslashes. A fragment is allowed and dropped (it is never sent). Scheme and host are
// lower-cased; nothing else is normalised.
//
// Thread-safety: pure functions on values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lanyard/core/result.h"

namespace lanyard::http {

struct Url {
  std::string scheme;       // "http" or "https"
  std::string host;         // lower case; an IPv6 address without its brackets
  bool host_is_ip = false;  // host is an IPv4 or IPv6 literal, not a DNS name
  bool host_is_ipv6 = false;
  uint16_t port = 0;   // the explicit port, else 80 or 443
  std::string target;  // path and query as sent in the request line; starts with '/'

  // scheme://host[:port]/target, with the port only when it is not the scheme's default: the
  // form redirect loops are detected on.
  std::string ToString() const;
  // The Host header value: host, bracketed if IPv6, with ":port" when not the default.
  std::string HostHeader() const;
  // True if the host names loopback: "localhost", an IPv4 literal in 127.0.0.0/8, ::1, or an
  // IPv4-mapped loopback literal. Says nothing about what a name resolves to.
  bool HostIsLoopback() const;
};

// Parses an absolute URL.
// Errors: kInvalidArgument "http.url_invalid" (anything outside the strict form above, including
// a scheme other than http and https).
Result<Url> ParseUrl(std::string_view text);

// Resolves a redirect's Location against the URL that answered with it (RFC 3986 section 5.2:
// absolute, "//host/path", "/path", "path", "../path", "?query"), then parses the result as
// ParseUrl does. Dot segments are removed from the merged path.
// Errors: kInvalidArgument "http.url_invalid".
Result<Url> ResolveReference(const Url& base, std::string_view reference);

// Plain http:// only to a host that names loopback (see Url::HostIsLoopback); the client also
// checks that every address the name resolves to is loopback.
// Errors: kPermissionDenied "http.insecure_scheme".
Status CheckSchemeAllowed(const Url& url);

// A redirect may not go from https:// to http:// unless both hosts name loopback. Does not apply
// CheckSchemeAllowed to `to`: the client checks every hop with it anyway.
// Errors: kPermissionDenied "http.insecure_scheme".
Status CheckRedirectAllowed(const Url& from, const Url& to);

}  // namespace lanyard::http
