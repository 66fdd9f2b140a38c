// The real HttpClient: HTTP/1.1 GET over TCP and TLS, for issuer metadata, DID documents and
// status lists. main() constructs it; the library only sees the HttpClient interface.
//
// What a Get does, in order, for the URL and again for every redirect hop:
//   1. Parses the URL strictly (lanyard/http/url.h). Only https:// goes anywhere; plain http://
//      only to a host that names loopback ("localhost", 127.0.0.0/8, [::1]).
//   2. Resolves the host once and checks every address: for http:// all must be loopback; with
//      allow_private_addresses false none may be anything but public (lanyard/http/address.h).
//      It then connects only to those checked addresses, so a second DNS answer (rebinding)
//      never reaches the connection.
//   3. For https://, a TLS handshake with SNI, the peer's chain verified against the system's
//      trust store plus ca_file, and the host name (or IP address) checked against the
//      certificate (RFC 6125).
//   4. Sends GET with Host, User-Agent, Connection: close and the caller's headers (Accept, ...;
//      a caller's Host, Connection, Content-Length, Transfer-Encoding, TE, Trailer, Upgrade,
//      Keep-Alive or Proxy-Connection is ignored: the client writes the framing), then reads the
//      response within max_header_bytes and request.max_body_bytes: a Content-Length over the limit
//      is refused before any of the body is read, and a chunked or unframed body is cut off at the
//      limit.
//   5. Follows 301, 302, 303, 307 and 308 with a Location, resolved against the current URL, up
//      to max_redirects hops; a URL seen before in the chain (a loop) is refused at once. An
//      https:// page may redirect to http:// only when both hosts are loopback. Authorization,
//      Cookie and Proxy-Authorization headers are dropped when a redirect leaves the origin
//      (scheme, host and port). A redirect without Location is returned as a response.
// request.timeout is one deadline for all of it: name resolution, connecting, TLS, writing and
// reading, across every hop.
//
// Errors from Get:
//   kInvalidArgument   "http.url_invalid"           the URL, or a redirect's Location, is not a
//                                                   strict http(s) URL; also any other scheme
//   kInvalidArgument   "http.header_invalid"        a request header name or value is malformed
//                                                   (CR, LF, NUL; a name that is not a token)
//   kPermissionDenied  "http.insecure_scheme"       http:// to a host that is not loopback (by
//                                                   name or by resolved address), or a redirect
//                                                   from https:// to http://
//   kPermissionDenied  "http.address_refused"       allow_private_addresses is false and the host
//                                                   is or resolves to a non-public address
//   kUnavailable       "http.unavailable"           DNS failure, connection refused or reset, TLS
//                                                   failure (untrusted certificate, wrong name;
//                                                   the message says TLS), malformed response
//   kUnavailable       "http.timeout"               the deadline passed
//   kUnavailable       "http.too_many_redirects"    more than max_redirects hops, or a loop
//   kResourceExhausted "http.too_large"             body over request.max_body_bytes, header
//                                                   block over max_header_bytes, or a chunk line
//                                                   longer than max_header_bytes + 64 KiB
//   kFailedPrecondition "http.ca_file_invalid"      an https:// request when ca_file could not be
//                                                   loaded (the client is still constructed)
// A response of any status (404, 500) that is not a followed redirect is a response, not an error.
//
// Limits: name resolution is getaddrinfo, which cannot be interrupted; a hung system resolver can
// keep Get past its deadline by the resolver's own timeout, and Get then reports http.timeout.
// HTTP/1.1 only; no proxies; no response decompression (Accept-Encoding is never sent by the
// client itself).
//
// Thread-safety: Get is safe to call from several threads at once; each call uses its own
// event loop and connections. Nothing is pooled between calls.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "lanyard/core/http_client.h"

namespace lanyard::http {

struct HttpClientOptions {
  // When false, refuse to connect to loopback, private (RFC 1918), link-local, CGNAT 100.64/10,
  // unspecified, IPv6 ULA fc00::/7, link-local fe80::/10, IPv4-mapped forms of those, etc.
  // The server turns this off for fetches made on behalf of remote users.
  bool allow_private_addresses = true;
  int max_redirects = 3;  // 0 = follow none; a loop or a longer chain is refused
  std::string ca_file;    // extra trust anchors (PEM), added to the system default store
  size_t max_header_bytes = 16 * 1024;
  std::string user_agent = "Lanyard/0.1";
};

// REQUIRES: max_redirects >= 0. With max_redirects 0 any redirect is refused
// (http.too_many_redirects) rather than returned: callers never mistake a 3xx for content.
std::unique_ptr<HttpClient> NewHttpClient(HttpClientOptions options = {});

}  // namespace lanyard::http
