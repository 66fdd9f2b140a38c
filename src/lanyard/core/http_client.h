// The HttpClient interface: how the library reaches other services (issuer metadata, DID
// documents, status lists). main() injects a real client; tests inject fakes that record what
// they were asked.
//
// Implementations must bound what they read (max_body_bytes) and time (timeout, on the real
// clock), follow no redirects unless asked, and report transport failures as kUnavailable
// "http.unavailable" rather than as a response. The real client is lanyard/http/http_client.h
// (NewHttpClient); testing/fake_http_client.h records requests for tests.
//
// Thread-safety: implementations are safe to call from several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "lanyard/core/result.h"

namespace lanyard {

struct HttpRequest {
  std::string url;  // absolute https:// URL (http:// only for loopback)
  std::map<std::string, std::string> headers;
  size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds timeout{5000};
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Errors (every implementation):
  //   kUnavailable "http.unavailable"         no connection, DNS failure, TLS failure, malformed
  //                                           response
  //   kResourceExhausted "http.too_large"     body beyond max_body_bytes (or, in the real client,
  //                                           a header block beyond its limit)
  // Errors the real client adds (lanyard/http/http_client.h says when):
  //   kUnavailable "http.timeout"             request.timeout passed
  //   kUnavailable "http.too_many_redirects"  redirect chain too long, or a loop
  //   kInvalidArgument "http.url_invalid"     not a strict http(s) URL (also a redirect target)
  //   kInvalidArgument "http.header_invalid"  a request header with CR, LF or a bad name
  //   kPermissionDenied "http.insecure_scheme"  http:// to a host that is not loopback, or a
  //                                           redirect from https:// to http://
  //   kPermissionDenied "http.address_refused"  a private, loopback or other non-public address
  //                                           when the client was told to refuse them
  //   kFailedPrecondition "http.ca_file_invalid"  https:// with trust anchors that did not load
  // A 404 or a 500 is a response, not an error.
  virtual Result<HttpResponse> Get(const HttpRequest& request) const = 0;
};

}  // namespace lanyard
