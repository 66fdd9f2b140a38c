// The only translation unit of the library that includes Boost.Beast (slow to compile): keep
// it that way. Boost and OpenSSL errors become Lanyard Errors here and nowhere else.
#include "lanyard/http/http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "lanyard/http/address.h"
#include "lanyard/http/http_client_internal.h"
#include "lanyard/http/url.h"

namespace lanyard::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using Headers = std::map<std::string, std::string>;

// Interim 1xx responses skipped before the real one; more is a misbehaving server.
constexpr int kMaxInterimResponses = 4;
// What Beast reads from the socket at a time (its own default); the read buffer holds the header
// limit plus this much.
constexpr size_t kReadSize = 65536;
// Deadlines further out than this are treated as this, so the sum with now() cannot overflow.
constexpr std::chrono::hours kMaxTimeout(24);

std::string LowerCase(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

Error Unavailable(std::string message) {
  return MakeError(Code::kUnavailable, "http.unavailable", std::move(message));
}

Error TimedOut(const Url& url, std::string_view step, std::chrono::milliseconds timeout) {
  return MakeError(Code::kUnavailable, "http.timeout",
                   "no response from " + url.HostHeader() + " within the " +
                       std::to_string(timeout.count()) + " ms timeout (while " + std::string(step) +
                       ")");
}

Error TooLarge(std::string message) {
  return MakeError(Code::kResourceExhausted, "http.too_large", std::move(message));
}

Error TooManyRedirects(std::string message) {
  return MakeError(Code::kUnavailable, "http.too_many_redirects", std::move(message));
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Header names and values go into the request verbatim, so CR or LF in either would let a
// caller's input write its own headers or a second request.
Status CheckRequestHeaders(const Headers& headers) {
  for (const auto& [name, value] : headers) {
    bool name_ok = !name.empty() && name.size() <= 256;
    for (char c : name) name_ok = name_ok && IsTokenChar(c);
    if (!name_ok) {
      return MakeError(Code::kInvalidArgument, "http.header_invalid",
                       "a request header name is empty, too long or not an HTTP token");
    }
    for (char c : value) {
      auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) {
        return MakeError(Code::kInvalidArgument, "http.header_invalid",
                         "the value of request header " + name + " contains a control character");
      }
    }
  }
  return OkStatus();
}

// Headers the client writes itself: a caller's copy would contradict the framing or the target.
bool IsClientOwnedHeader(const std::string& lower_name) {
  static const std::set<std::string, std::less<>> kOwned = {
      "host",    "connection", "content-length",   "transfer-encoding", "te",
      "upgrade", "keep-alive", "proxy-connection", "trailer",
  };
  return kOwned.contains(lower_name);
}

// Credentials meant for one origin must not follow a redirect to another.
bool IsCredentialHeader(const std::string& lower_name) {
  return lower_name == "authorization" || lower_name == "cookie" ||
         lower_name == "proxy-authorization";
}

bool SameOrigin(const Url& a, const Url& b) {
  return a.scheme == b.scheme && a.host == b.host && a.port == b.port;
}

bool IsFollowedRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

IpAddress ToIpAddress(const asio::ip::address& address) {
  if (address.is_v4()) return IpAddress::V4(address.to_v4().to_bytes());
  return IpAddress::V6(address.to_v6().to_bytes());
}

struct Settings {
  HttpClientOptions options;
  internal::AddressClassifier classify;
};

// One Get: its event loop, its deadline, and the hops it makes. Not shared between threads.
class Exchange {
 public:
  Exchange(const Settings& settings, ssl::context* tls, const HttpRequest& request)
      : settings_(settings),
        tls_(tls),
        request_(request),
        deadline_(SteadyClock::now() + std::clamp(request.timeout, std::chrono::milliseconds(0),
                                                  std::chrono::milliseconds(kMaxTimeout))) {}

  // One request and its response, no redirects.
  Result<HttpResponse> Fetch(const Url& url, const Headers& headers);

 private:
  // Runs the event loop until `done` or the deadline. On the deadline calls `cancel` (which
  // closes the socket or cancels the resolver), lets the aborted operation finish, and returns
  // false. Every asynchronous step of a Fetch goes through here, so the one deadline bounds all.
  template <typename Cancel>
  bool RunUntilDone(const bool& done, Cancel cancel) {
    ioc_.restart();
    ioc_.run_until(deadline_);
    if (done) return true;
    cancel();
    ioc_.restart();
    ioc_.run();
    return false;
  }

  Result<std::vector<tcp::endpoint>> Resolve(const Url& url);
  Status CheckEndpoints(const Url& url, const std::vector<tcp::endpoint>& endpoints) const;
  template <typename Stream>
  Result<HttpResponse> Converse(Stream& stream, tcp::socket& socket, const Url& url,
                                const std::vector<tcp::endpoint>& endpoints,
                                const Headers& headers);

  const Settings& settings_;
  ssl::context* tls_;
  const HttpRequest& request_;
  const SteadyClock::time_point deadline_;
  asio::io_context ioc_{1};
};

Result<std::vector<tcp::endpoint>> Exchange::Resolve(const Url& url) {
  std::vector<tcp::endpoint> endpoints;
  if (url.host_is_ip) {
    endpoints.emplace_back(asio::ip::make_address(url.host), url.port);
    return endpoints;
  }
  tcp::resolver resolver(ioc_);
  bool done = false;
  error_code ec;
  tcp::resolver::results_type results;
  // numeric_service only: AI_ADDRCONFIG would make "localhost" unresolvable on a host whose only
  // interface is loopback.
  resolver.async_resolve(url.host, std::to_string(url.port), tcp::resolver::numeric_service,
                         [&](const error_code& e, tcp::resolver::results_type r) {
                           done = true;
                           ec = e;
                           results = std::move(r);
                         });
  if (!RunUntilDone(done, [&] { resolver.cancel(); })) {
    return TimedOut(url, "resolving the host name", request_.timeout);
  }
  if (ec) return Unavailable("could not resolve " + url.host + ": " + ec.message());
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  if (endpoints.empty()) return Unavailable("no addresses found for " + url.host);
  return endpoints;
}

Status Exchange::CheckEndpoints(const Url& url, const std::vector<tcp::endpoint>& endpoints) const {
  for (const tcp::endpoint& endpoint : endpoints) {
    IpAddress address = ToIpAddress(endpoint.address());
    if (url.scheme == "http" && ClassifyAddress(address) != AddressClass::kLoopback) {
      return MakeError(Code::kPermissionDenied, "http.insecure_scheme",
                       "plain http:// is allowed only to loopback, and " + url.host +
                           " resolves to " + address.ToString());
    }
    if (!settings_.options.allow_private_addresses) {
      AddressClass c = settings_.classify(address);
      if (c != AddressClass::kPublic) {
        std::string what = url.host_is_ip ? url.host + " is"
                                          : url.host + " resolves to " + address.ToString() + ",";
        return MakeError(Code::kPermissionDenied, "http.address_refused",
                         "refusing to connect: " + what + " a " + std::string(AddressClassName(c)) +
                             " address, and only public addresses may be reached");
      }
    }
  }
  return OkStatus();
}

Result<HttpResponse> Exchange::Fetch(const Url& url, const Headers& headers) {
  LANYARD_ASSIGN_OR_RETURN(std::vector<tcp::endpoint> endpoints, Resolve(url));
  LANYARD_TRY(CheckEndpoints(url, endpoints));
  if (url.scheme == "https") {
    ssl::stream<tcp::socket> stream(ioc_, *tls_);
    return Converse(stream, stream.next_layer(), url, endpoints, headers);
  }
  tcp::socket socket(ioc_);
  return Converse(socket, socket, url, endpoints, headers);
}

template <typename Stream>
Result<HttpResponse> Exchange::Converse(Stream& stream, tcp::socket& socket, const Url& url,
                                        const std::vector<tcp::endpoint>& endpoints,
                                        const Headers& headers) {
  constexpr bool kTls = std::is_same_v<Stream, ssl::stream<tcp::socket>>;
  auto close = [&socket] {
    error_code ignored;
    socket.close(ignored);
  };
  const std::string where = url.HostHeader();
  bool done = false;
  error_code ec;
  auto finish = [&](const error_code& e, auto&&...) {
    done = true;
    ec = e;
  };

  // Connect only to the endpoints CheckEndpoints saw: resolving again here would let a DNS
  // answer that changed in between (rebinding) choose the address.
  asio::async_connect(socket, endpoints, finish);
  if (!RunUntilDone(done, close)) return TimedOut(url, "connecting", request_.timeout);
  if (ec) return Unavailable("could not connect to " + where + ": " + ec.message());

  if constexpr (kTls) {
    // SNI carries names only (RFC 6066); an IP literal is checked against the certificate's
    // iPAddress entries by host_name_verification.
    if (!url.host_is_ip &&
        SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()) != 1) {
      return Unavailable("TLS: could not set the server name for " + where);
    }
    bool name_mismatch = false;
    stream.set_verify_mode(ssl::verify_peer);
    stream.set_verify_callback([&name_mismatch, check = ssl::host_name_verification(url.host)](
                                   bool preverified, ssl::verify_context& context) {
      bool ok = check(preverified, context);
      // host_name_verification fails a pre-verified certificate only for its name.
      if (preverified && !ok) name_mismatch = true;
      return ok;
    });
    done = false;
    stream.async_handshake(ssl::stream_base::client, finish);
    if (!RunUntilDone(done, close)) return TimedOut(url, "in the TLS handshake", request_.timeout);
    if (ec) {
      std::string why = ec.message();
      long verify = SSL_get_verify_result(stream.native_handle());
      if (name_mismatch) {
        why = "the certificate is not valid for " + url.host;
      } else if (verify != X509_V_OK) {
        why = std::string("certificate not trusted: ") + X509_verify_cert_error_string(verify);
      }
      return Unavailable("TLS handshake with " + where + " failed: " + why);
    }
  }

  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, url.target, 11};
  req.set(bhttp::field::host, where);
  req.set(bhttp::field::user_agent, settings_.options.user_agent);
  for (const auto& [name, value] : headers) {
    if (!IsClientOwnedHeader(LowerCase(name))) req.set(name, value);
  }
  req.set(bhttp::field::connection, "close");
  done = false;
  bhttp::async_write(stream, req, finish);
  if (!RunUntilDone(done, close)) return TimedOut(url, "sending the request", request_.timeout);
  if (ec) return Unavailable("could not send the request to " + where + ": " + ec.message());

  // Bounded, because the parser's limits do not cover everything it buffers: a chunk header
  // with endless extensions would otherwise grow the buffer until the deadline. Body bytes pass
  // through it in pieces, so the header limit plus one read's worth is enough.
  boost::beast::flat_buffer buffer(settings_.options.max_header_bytes + kReadSize);
  std::optional<bhttp::response_parser<bhttp::string_body>> parser;
  for (int interim = 0;; ++interim) {
    parser.emplace();
    uint64_t header_limit = std::min<uint64_t>(settings_.options.max_header_bytes,
                                               std::numeric_limits<uint32_t>::max());
    parser->header_limit(static_cast<std::uint32_t>(header_limit));
    parser->body_limit(static_cast<std::uint64_t>(request_.max_body_bytes));
    done = false;
    bhttp::async_read(stream, buffer, *parser, finish);
    if (!RunUntilDone(done, close)) {
      return TimedOut(url, "waiting for the response", request_.timeout);
    }
    if (ec == bhttp::error::body_limit) {
      return TooLarge("the response body from " + where + " is larger than " +
                      std::to_string(request_.max_body_bytes) + " bytes");
    }
    if (ec == bhttp::error::header_limit) {
      return TooLarge("the response headers from " + where + " are larger than " +
                      std::to_string(settings_.options.max_header_bytes) + " bytes");
    }
    if (ec == bhttp::error::buffer_overflow) {
      return TooLarge("the response from " + where + " has a header or chunk line longer than " +
                      std::to_string(buffer.max_size()) + " bytes");
    }
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec == asio::error::eof) {
      return Unavailable(where + " closed the connection before the response was complete");
    }
    if (ec == ssl::error::stream_truncated) {
      return Unavailable("TLS: " + where +
                         " closed the connection without close_notify; the response may be "
                         "truncated");
    }
    if (ec) return Unavailable("no valid response from " + where + ": " + ec.message());
    int status = parser->get().result_int();
    if (status >= 200 || status == 101) break;
    if (interim == kMaxInterimResponses) {
      return Unavailable(where + " sent too many interim (1xx) responses");
    }
  }

  bhttp::response<bhttp::string_body>& message = parser->get();
  HttpResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    std::string name = LowerCase(std::string(field.name_string()));
    auto [it, inserted] = response.headers.emplace(name, std::string(field.value()));
    // Repeated fields combine into one comma-separated value (RFC 9110 section 5.3).
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  response.body = std::move(message.body());
  return response;
}

class BeastHttpClient final : public HttpClient {
 public:
  explicit BeastHttpClient(Settings settings) : settings_(std::move(settings)) {
    try {
      tls_.emplace(ssl::context::tls_client);
      SSL_CTX_set_min_proto_version(tls_->native_handle(), TLS1_2_VERSION);
      tls_->set_verify_mode(ssl::verify_peer);
      error_code ec;
      tls_->set_default_verify_paths(ec);
      if (ec) {
        tls_error_ = Unavailable("TLS: could not load the system trust store: " + ec.message());
      } else if (!settings_.options.ca_file.empty()) {
        tls_->load_verify_file(settings_.options.ca_file, ec);
        if (ec) {
          tls_error_ = MakeError(Code::kFailedPrecondition, "http.ca_file_invalid",
                                 "TLS: could not load trust anchors from the ca_file \"" +
                                     settings_.options.ca_file + "\": " + ec.message());
        }
      }
    } catch (const std::exception& e) {
      tls_error_ = Unavailable(std::string("TLS: could not set up a TLS context: ") + e.what());
    }
  }

  Result<HttpResponse> Get(const HttpRequest& request) const override {
    // Boost reports some failures (socket creation, allocation) by exception; none leaves here.
    try {
      return GetOrThrow(request);
    } catch (const std::exception& e) {
      return Unavailable(std::string("HTTP client failure: ") + e.what());
    }
  }

 private:
  Result<HttpResponse> GetOrThrow(const HttpRequest& request) const {
    LANYARD_ASSIGN_OR_RETURN(Url url, ParseUrl(request.url));
    LANYARD_TRY(CheckRequestHeaders(request.headers));
    Headers headers = request.headers;
    Exchange exchange(settings_, tls_ ? &*tls_ : nullptr, request);
    std::set<std::string> seen = {url.ToString()};
    for (int hop = 0;; ++hop) {
      LANYARD_TRY(CheckSchemeAllowed(url));
      if (url.scheme == "https" && tls_error_.has_value()) return *tls_error_;
      LANYARD_ASSIGN_OR_RETURN(HttpResponse response, exchange.Fetch(url, headers));
      auto location = response.headers.find("location");
      if (!IsFollowedRedirect(response.status) || location == response.headers.end()) {
        return response;
      }
      if (hop >= settings_.options.max_redirects) {
        return TooManyRedirects("more than " + std::to_string(settings_.options.max_redirects) +
                                " redirects starting at " + request.url);
      }
      LANYARD_ASSIGN_OR_RETURN(Url next, ResolveReference(url, location->second));
      LANYARD_TRY(CheckRedirectAllowed(url, next));
      if (!seen.insert(next.ToString()).second) {
        return TooManyRedirects("redirect loop: " + next.ToString() + " was already visited");
      }
      if (!SameOrigin(url, next)) {
        std::erase_if(headers,
                      [](const auto& h) { return IsCredentialHeader(LowerCase(h.first)); });
      }
      url = std::move(next);
    }
  }

  Settings settings_;
  // Configured once, then only read: OpenSSL allows SSL objects to be made from one SSL_CTX in
  // several threads at once.
  mutable std::optional<ssl::context> tls_;
  std::optional<Error> tls_error_;
};

}  // namespace

std::unique_ptr<HttpClient> NewHttpClient(HttpClientOptions options) {
  return internal::NewHttpClientWithClassifier(std::move(options), ClassifyAddress);
}

namespace internal {

std::unique_ptr<HttpClient> NewHttpClientWithClassifier(HttpClientOptions options,
                                                        AddressClassifier classify) {
  return std::make_unique<BeastHttpClient>(Settings{std::move(options), std::move(classify)});
}

}  // namespace internal
}  // namespace lanyard::http
