// FakeHttpClient: an in-memory HttpClient for tests. Tests register a response or an error per
// URL; every request is recorded, in order, so a test can check what was fetched and what was
// not.
//
// It behaves as the HttpClient contract asks of real clients where a test could notice: an
// unregistered URL fails with kUnavailable "http.unavailable", and a body longer than the
// request's max_body_bytes fails with kResourceExhausted "http.too_large". URLs are matched
// exactly, byte for byte.
//
// Thread-safety: Get and the accessors are safe to call from several threads; register responses
// before sharing the client (registration is locked too, but a test racing it is a flaky test).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "lanyard/core/http_client.h"
#include "lanyard/core/result.h"

namespace lanyard::testing {

class FakeHttpClient final : public HttpClient {
 public:
  // Answers GET `url` with `response` (replacing anything registered for it).
  void SetResponse(const std::string& url, HttpResponse response);
  // As above, from its parts; header names should be lower case, as HttpResponse says.
  void SetResponse(const std::string& url, int status, std::string body,
                   std::map<std::string, std::string> headers = {});
  // Answers GET `url` with `error` (a transport failure, say).
  void SetError(const std::string& url, Error error);

  // The registered answer for request.url; see the errors above.
  Result<HttpResponse> Get(const HttpRequest& request) const override;

  // Every URL requested so far, in order, including failed and unregistered ones.
  std::vector<std::string> requested_urls() const;
  // Every request so far, in order.
  std::vector<HttpRequest> requests() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Result<HttpResponse>> answers_;
  mutable std::vector<HttpRequest> requests_;
};

}  // namespace lanyard::testing
