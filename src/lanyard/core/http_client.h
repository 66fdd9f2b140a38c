// The HttpClient interface: how the library reaches other services (issuer metadata, DID
// documents, status lists). main() injects a real client; tests inject fakes that record what
// they were asked.
//
// Implementations must bound what they read (max_body_bytes) and time (timeout, on the real
// clock), follow no redirects unless asked, and report transport failures as kUnavailable
// "http.unavailable" rather than as a response.
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
  // Errors: kUnavailable "http.unavailable" (no connection, timeout, TLS failure),
  // kResourceExhausted "http.too_large" (body beyond max_body_bytes). A 404 is a response.
  virtual Result<HttpResponse> Get(const HttpRequest& request) const = 0;
};

}  // namespace lanyard
