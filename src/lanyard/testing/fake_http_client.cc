#include "lanyard/testing/fake_http_client.h"

#include <utility>

namespace lanyard::testing {

void FakeHttpClient::SetResponse(const std::string& url, HttpResponse response) {
  std::lock_guard<std::mutex> lock(mu_);
  answers_.insert_or_assign(url, Result<HttpResponse>(std::move(response)));
}

void FakeHttpClient::SetResponse(const std::string& url, int status, std::string body,
                                 std::map<std::string, std::string> headers) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  SetResponse(url, std::move(response));
}

void FakeHttpClient::SetError(const std::string& url, Error error) {
  std::lock_guard<std::mutex> lock(mu_);
  answers_.insert_or_assign(url, Result<HttpResponse>(std::move(error)));
}

Result<HttpResponse> FakeHttpClient::Get(const HttpRequest& request) const {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(request);
  auto it = answers_.find(request.url);
  if (it == answers_.end()) {
    return MakeError(Code::kUnavailable, "http.unavailable",
                     "no response registered for " + request.url);
  }
  if (it->second.ok() && it->second->body.size() > request.max_body_bytes) {
    return MakeError(Code::kResourceExhausted, "http.too_large",
                     "the response from " + request.url + " is longer than " +
                         std::to_string(request.max_body_bytes) + " bytes");
  }
  return it->second;
}

std::vector<std::string> FakeHttpClient::requested_urls() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> urls;
  urls.reserve(requests_.size());
  for (const auto& request : requests_) urls.push_back(request.url);
  return urls;
}

std::vector<HttpRequest> FakeHttpClient::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

}  // namespace lanyard::testing
