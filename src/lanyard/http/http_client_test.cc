#include "lanyard/http/http_client.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lanyard/http/http_client_internal.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using std::chrono::milliseconds;
using testing::ErrorIs;
using ::testing::HasSubstr;
using testing::IsOk;

// ---------------------------------------------------------------------------------------------
// A test server on 127.0.0.1 and an ephemeral port, on its own thread. For each connection it
// reads the request head, asks the handler what to do, and does it. It records every request
// head so tests can check what the client sent.

struct Reply {
  enum class Then { kClose, kHold, kRepeatUntilClientLeaves };
  Reply() = default;
  Reply(std::string bytes, Then then = Then::kClose, std::string repeat = {})
      : bytes(std::move(bytes)), then(then), repeat(std::move(repeat)) {}

  std::string bytes;  // written first (status line, headers, body: raw, so tests can misbehave)
  Then then = Then::kClose;
  std::string repeat;  // kRepeatUntilClientLeaves: written again and again
};

Reply Response(int status, std::string_view extra_headers, std::string_view body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " Whatever\r\n";
  out += extra_headers;
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return {out};
}

Reply Redirect(int status, std::string_view location) {
  return Response(status, "Location: " + std::string(location) + "\r\n", "");
}

class TestServer {
 public:
  using Handler = std::function<Reply(const std::string& request_head)>;

  // Plain TCP when `tls` is null; otherwise TLS with that server context.
  explicit TestServer(Handler handler, ssl::context* tls = nullptr)
      : handler_(std::move(handler)), tls_(tls) {
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  // Closes the listener and every connection, then waits for the server thread: the event loop
  // runs out of work and returns.
  ~TestServer() {
    asio::post(ioc_, [this] {
      error_code ignored;
      acceptor_.close(ignored);
      for (auto& weak : sessions_) {
        if (auto session = weak.lock()) session->Close();
      }
      held_.clear();
    });
    thread_.join();
  }

  uint16_t port() const { return port_; }
  std::string Url(std::string_view path, std::string_view host = "127.0.0.1") const {
    return std::string(tls_ ? "https://" : "http://") + std::string(host) + ":" +
           std::to_string(port_) + std::string(path);
  }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // Request targets ("/a?x") in order.
  std::vector<std::string> targets() const {
    std::vector<std::string> out;
    for (const std::string& head : requests()) {
      size_t start = head.find(' ') + 1;
      out.push_back(head.substr(start, head.find(' ', start) - start));
    }
    return out;
  }
  int connections() const { return connections_.load(); }

 private:
  struct SessionBase {
    virtual ~SessionBase() = default;
    virtual void Close() = 0;
  };

  template <typename Stream>
  struct Session : SessionBase, std::enable_shared_from_this<Session<Stream>> {
    template <typename... Args>
    Session(TestServer* server, Args&&... args)
        : server(server), stream(std::forward<Args>(args)...) {}

    tcp::socket& socket() {
      if constexpr (std::is_same_v<Stream, tcp::socket>) {
        return stream;
      } else {
        return stream.next_layer();
      }
    }
    void Close() override {
      error_code ignored;
      socket().close(ignored);
    }

    void Start() {
      auto self = this->shared_from_this();
      if constexpr (std::is_same_v<Stream, tcp::socket>) {
        ReadHead();
      } else {
        stream.async_handshake(ssl::stream_base::server, [self](const error_code& ec) {
          if (!ec) self->ReadHead();
        });
      }
    }

    void ReadHead() {
      auto self = this->shared_from_this();
      asio::async_read_until(stream, asio::dynamic_buffer(buffer), "\r\n\r\n",
                             [self](const error_code& ec, size_t n) {
                               if (ec) return;
                               self->Answer(self->buffer.substr(0, n));
                             });
    }

    void Answer(const std::string& head) {
      {
        std::lock_guard lock(server->mu_);
        server->requests_.push_back(head);
      }
      reply = server->handler_(head);
      auto self = this->shared_from_this();
      asio::async_write(stream, asio::buffer(reply.bytes), [self](const error_code& ec, size_t) {
        if (ec) return;
        switch (self->reply.then) {
          case Reply::Then::kClose:
            self->Close();
            break;
          case Reply::Then::kHold:
            self->server->held_.push_back(self);
            break;
          case Reply::Then::kRepeatUntilClientLeaves:
            self->Repeat();
            break;
        }
      });
    }

    void Repeat() {
      auto self = this->shared_from_this();
      asio::async_write(stream, asio::buffer(reply.repeat), [self](const error_code& ec, size_t) {
        if (!ec) self->Repeat();
      });
    }

    TestServer* server;
    Stream stream;
    std::string buffer;
    Reply reply;
  };

  void Accept() {
    acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
      if (ec) return;  // closed by the destructor
      ++connections_;
      std::shared_ptr<SessionBase> session;
      if (tls_) {
        auto s =
            std::make_shared<Session<ssl::stream<tcp::socket>>>(this, std::move(socket), *tls_);
        s->Start();
        session = s;
      } else {
        auto s = std::make_shared<Session<tcp::socket>>(this, std::move(socket));
        s->Start();
        session = s;
      }
      sessions_.push_back(session);
      Accept();
    });
  }

  Handler handler_;
  ssl::context* tls_;
  asio::io_context ioc_{1};
  tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::thread thread_;
  // Touched only on the server thread.
  std::vector<std::weak_ptr<SessionBase>> sessions_;
  std::vector<std::shared_ptr<SessionBase>> held_;

  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::atomic<int> connections_{0};
};

HttpRequest Request(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  request.timeout = milliseconds(5000);
  return request;
}

// A port on 127.0.0.1 that nothing listens on (it was bound a moment ago, then released).
uint16_t ClosedPort() {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

// ---------------------------------------------------------------------------------------------
// Plain HTTP on loopback

TEST(HttpClient, ReturnsStatusHeadersAndBodyAndSendsItsHeaders) {
  TestServer server([](const std::string&) {
    return Response(200, "Content-Type: application/json\r\nX-Thing: one\r\nx-thing: two\r\n",
                    R"({"ok":true})");
  });
  auto client = NewHttpClient();
  HttpRequest request = Request(server.Url("/path/doc.json?x=1"));
  request.headers["Accept"] = "application/json";
  auto response = client->Get(request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"ok":true})");
  EXPECT_EQ(response->headers.at("content-type"), "application/json");
  EXPECT_EQ(response->headers.at("content-length"), "11");
  EXPECT_EQ(response->headers.at("x-thing"), "one, two");  // repeated fields combined

  std::string host = "Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n";
  EXPECT_EQ(server.requests(),
            std::vector<std::string>{"GET /path/doc.json?x=1 HTTP/1.1\r\n" + host +
                                     "User-Agent: Lanyard/0.1\r\n"
                                     "Accept: application/json\r\n"
                                     "Connection: close\r\n\r\n"});
}

TEST(HttpClient, CallerCannotReplaceHostOrConnection) {
  TestServer server([](const std::string&) { return Response(200, "", "x"); });
  HttpClientOptions options;
  options.user_agent = "Lanyard-test/1";
  auto client = NewHttpClient(options);
  HttpRequest request = Request(server.Url("/"));
  request.headers["Host"] = "evil.example";
  request.headers["connection"] = "keep-alive";
  ASSERT_THAT(client->Get(request), IsOk());
  std::string host = "Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n";
  EXPECT_EQ(server.requests(), std::vector<std::string>{"GET / HTTP/1.1\r\n" + host +
                                                        "User-Agent: Lanyard-test/1\r\n"
                                                        "Connection: close\r\n\r\n"});
}

TEST(HttpClient, NotFoundIsAResponse) {
  TestServer server([](const std::string&) { return Response(404, "", "no such thing"); });
  auto response = NewHttpClient()->Get(Request(server.Url("/missing")));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "no such thing");
}

TEST(HttpClient, ServerErrorIsAResponse) {
  TestServer server([](const std::string&) { return Response(500, "", "oops"); });
  auto response = NewHttpClient()->Get(Request(server.Url("/")));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->status, 500);
}

TEST(HttpClient, ReadsChunkedBody) {
  TestServer server([](const std::string&) {
    return Reply{
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n"};
  });
  auto response = NewHttpClient()->Get(Request(server.Url("/")));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->body, "hello world");
}

TEST(HttpClient, ReadsBodyEndedByClose) {
  TestServer server([](const std::string&) { return Reply{"HTTP/1.1 200 OK\r\n\r\nuntil eof"}; });
  auto response = NewHttpClient()->Get(Request(server.Url("/")));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->body, "until eof");
}

TEST(HttpClient, SkipsInterimResponses) {
  TestServer server([](const std::string&) {
    return Reply{"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"};
  });
  auto response = NewHttpClient()->Get(Request(server.Url("/")));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");
}

// ---------------------------------------------------------------------------------------------
// Limits

TEST(HttpClient, RefusesContentLengthOverLimitBeforeReadingBody) {
  // The server announces 10 MB and then sends nothing: a client that waited for the body would
  // run into the 5 s timeout instead.
  TestServer server([](const std::string&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n", Reply::Then::kHold};
  });
  HttpRequest request = Request(server.Url("/big"));
  request.max_body_bytes = 1024 * 1024;
  auto start = std::chrono::steady_clock::now();
  auto response = NewHttpClient()->Get(request);
  EXPECT_THAT(response, ErrorIs("http.too_large"));
  EXPECT_EQ(response.error().code, Code::kResourceExhausted);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
}

TEST(HttpClient, CutsOffEndlessChunkedBodyAtLimit) {
  std::string chunk = "4000\r\n" + std::string(0x4000, 'a') + "\r\n";
  TestServer server([&](const std::string&) {
    return Reply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                 Reply::Then::kRepeatUntilClientLeaves, chunk};
  });
  HttpRequest request = Request(server.Url("/endless"));
  request.max_body_bytes = 1024 * 1024;
  EXPECT_THAT(NewHttpClient()->Get(request), ErrorIs("http.too_large"));
}

TEST(HttpClient, CutsOffBodyEndedByCloseAtLimit) {
  TestServer server(
      [](const std::string&) { return Reply{"HTTP/1.1 200 OK\r\n\r\n" + std::string(2000, 'a')}; });
  HttpRequest request = Request(server.Url("/"));
  request.max_body_bytes = 1000;
  EXPECT_THAT(NewHttpClient()->Get(request), ErrorIs("http.too_large"));
}

TEST(HttpClient, BodyExactlyAtLimitIsRead) {
  TestServer server([](const std::string&) { return Response(200, "", std::string(1000, 'a')); });
  HttpRequest request = Request(server.Url("/"));
  request.max_body_bytes = 1000;
  EXPECT_THAT(NewHttpClient()->Get(request), IsOk());
}

TEST(HttpClient, RefusesEndlessChunkHeader) {
  // A chunk size followed by an extension that never ends: no body byte, but unbounded input.
  TestServer server([](const std::string&) {
    return Reply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10;ext=",
                 Reply::Then::kRepeatUntilClientLeaves, std::string(0x4000, 'x')};
  });
  EXPECT_THAT(NewHttpClient()->Get(Request(server.Url("/"))), ErrorIs("http.too_large"));
}

TEST(HttpClient, RefusesHeaderBlockOverLimit) {
  TestServer server([](const std::string&) {
    return Response(200, "X-Padding: " + std::string(20 * 1024, 'p') + "\r\n", "");
  });
  EXPECT_THAT(NewHttpClient()->Get(Request(server.Url("/"))), ErrorIs("http.too_large"));
}

TEST(HttpClient, TimesOutOnServerThatNeverAnswers) {
  TestServer server([](const std::string&) { return Reply{"", Reply::Then::kHold}; });
  HttpRequest request = Request(server.Url("/"));
  request.timeout = milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  auto response = NewHttpClient()->Get(request);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_THAT(response, ErrorIs("http.timeout"));
  EXPECT_EQ(response.error().code, Code::kUnavailable);
  EXPECT_GE(elapsed, milliseconds(250));
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST(HttpClient, TimeoutCoversTheWholeBody) {
  // Headers arrive at once, then the body never completes: the one deadline still applies.
  TestServer server([](const std::string&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial", Reply::Then::kHold};
  });
  HttpRequest request = Request(server.Url("/"));
  request.timeout = milliseconds(300);
  EXPECT_THAT(NewHttpClient()->Get(request), ErrorIs("http.timeout"));
}

// ---------------------------------------------------------------------------------------------
// Transport failures and refusals before connecting

TEST(HttpClient, ConnectionRefusedIsUnavailable) {
  auto response =
      NewHttpClient()->Get(Request("http://127.0.0.1:" + std::to_string(ClosedPort()) + "/"));
  EXPECT_THAT(response, ErrorIs("http.unavailable"));
  EXPECT_EQ(response.error().code, Code::kUnavailable);
}

TEST(HttpClient, ConnectionClosedMidResponseIsUnavailable) {
  TestServer server([](const std::string&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"};
  });
  EXPECT_THAT(NewHttpClient()->Get(Request(server.Url("/"))), ErrorIs("http.unavailable"));
}

TEST(HttpClient, MalformedResponseIsUnavailable) {
  TestServer server([](const std::string&) { return Reply{"SMTP ready\r\n\r\n"}; });
  EXPECT_THAT(NewHttpClient()->Get(Request(server.Url("/"))), ErrorIs("http.unavailable"));
}

TEST(HttpClient, RefusesPlainHttpToNonLoopbackHost) {
  // .invalid never resolves (RFC 6761): reaching DNS would fail as http.unavailable instead.
  auto response = NewHttpClient()->Get(Request("http://example.invalid/"));
  EXPECT_THAT(response, ErrorIs("http.insecure_scheme"));
  EXPECT_EQ(response.error().code, Code::kPermissionDenied);
  EXPECT_THAT(NewHttpClient()->Get(Request("http://192.0.2.1/")), ErrorIs("http.insecure_scheme"));
}

TEST(HttpClient, RefusesMalformedUrlsAndOtherSchemes) {
  auto client = NewHttpClient();
  for (const char* url : {"ftp://example.com/", "file:///etc/passwd", "https://user@example.com/",
                          "https://exa mple.com/", "example.com/path", ""}) {
    auto response = client->Get(Request(url));
    EXPECT_THAT(response, ErrorIs("http.url_invalid")) << url;
    if (!response.ok()) {
      EXPECT_EQ(response.error().code, Code::kInvalidArgument);
    }
  }
}

TEST(HttpClient, RefusesHeaderInjection) {
  TestServer server([](const std::string&) { return Response(200, "", ""); });
  HttpRequest request = Request(server.Url("/"));
  request.headers["Accept"] = "text/plain\r\nX-Injected: 1";
  EXPECT_THAT(NewHttpClient()->Get(request), ErrorIs("http.header_invalid"));
  request.headers = {{"Bad Name", "x"}};
  EXPECT_THAT(NewHttpClient()->Get(request), ErrorIs("http.header_invalid"));
  EXPECT_EQ(server.connections(), 0);
}

TEST(HttpClient, RefusesLoopbackWhenPrivateAddressesRefused) {
  TestServer server([](const std::string&) { return Response(200, "", ""); });
  HttpClientOptions options;
  options.allow_private_addresses = false;
  auto client = NewHttpClient(options);
  auto response = client->Get(Request(server.Url("/")));
  EXPECT_THAT(response, ErrorIs("http.address_refused"));
  EXPECT_EQ(response.error().code, Code::kPermissionDenied);
  // By name as well: localhost resolves to loopback.
  EXPECT_THAT(client->Get(Request(server.Url("/", "localhost"))), ErrorIs("http.address_refused"));
  EXPECT_THAT(client->Get(Request("https://10.1.2.3/")), ErrorIs("http.address_refused"));
  EXPECT_THAT(client->Get(Request("https://[::ffff:169.254.169.254]/")),
              ErrorIs("http.address_refused"));
  EXPECT_EQ(server.connections(), 0);
}

// ---------------------------------------------------------------------------------------------
// Redirects

TEST(HttpClient, FollowsRedirectChainWithinLimit) {
  TestServer* self = nullptr;
  TestServer server([&self](const std::string& head) {
    if (head.starts_with("GET /one ")) return Redirect(301, "/dir/two");
    if (head.starts_with("GET /dir/two ")) return Redirect(307, "three?q=3");  // relative path
    if (head.starts_with("GET /dir/three?q=3 ")) return Redirect(308, self->Url("/final"));
    return Response(200, "", "arrived");
  });
  self = &server;
  HttpClientOptions options;
  options.max_redirects = 3;
  auto response = NewHttpClient(options)->Get(Request(server.Url("/one")));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->body, "arrived");
  EXPECT_EQ(server.targets(),
            (std::vector<std::string>{"/one", "/dir/two", "/dir/three?q=3", "/final"}));
}

TEST(HttpClient, RefusesRedirectChainLongerThanLimit) {
  TestServer server([](const std::string& head) {
    if (head.starts_with("GET /1 ")) return Redirect(302, "/2");
    if (head.starts_with("GET /2 ")) return Redirect(302, "/3");
    if (head.starts_with("GET /3 ")) return Redirect(303, "/4");
    return Response(200, "", "too far");
  });
  HttpClientOptions options;
  options.max_redirects = 2;
  auto response = NewHttpClient(options)->Get(Request(server.Url("/1")));
  EXPECT_THAT(response, ErrorIs("http.too_many_redirects"));
  EXPECT_EQ(response.error().code, Code::kUnavailable);
  EXPECT_EQ(server.targets(), (std::vector<std::string>{"/1", "/2", "/3"}));
}

TEST(HttpClient, RefusesRedirectLoop) {
  TestServer* self = nullptr;
  TestServer server([&self](const std::string& head) {
    if (head.starts_with("GET /a ")) return Redirect(302, "/b");
    return Redirect(302, self->Url("/a"));  // absolute, back to the start
  });
  self = &server;
  HttpClientOptions options;
  options.max_redirects = 10;
  EXPECT_THAT(NewHttpClient(options)->Get(Request(server.Url("/a"))),
              ErrorIs("http.too_many_redirects"));
  EXPECT_EQ(server.targets(), (std::vector<std::string>{"/a", "/b"}));
}

TEST(HttpClient, ZeroRedirectLimitRefusesAnyRedirect) {
  TestServer server([](const std::string&) { return Redirect(302, "/elsewhere"); });
  HttpClientOptions options;
  options.max_redirects = 0;
  EXPECT_THAT(NewHttpClient(options)->Get(Request(server.Url("/"))),
              ErrorIs("http.too_many_redirects"));
  EXPECT_EQ(server.targets(), std::vector<std::string>{"/"});
}

TEST(HttpClient, RedirectWithoutLocationIsAResponse) {
  TestServer server([](const std::string&) { return Response(302, "", "nowhere to go"); });
  auto response = NewHttpClient()->Get(Request(server.Url("/")));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->status, 302);
}

TEST(HttpClient, RefusesRedirectToMalformedLocation) {
  TestServer server([](const std::string&) { return Redirect(302, "http://user@127.0.0.1/"); });
  EXPECT_THAT(NewHttpClient()->Get(Request(server.Url("/"))), ErrorIs("http.url_invalid"));
}

TEST(HttpClient, RefusesRedirectToPlainHttpOnAnotherHost) {
  TestServer server([](const std::string&) { return Redirect(302, "http://example.invalid/"); });
  EXPECT_THAT(NewHttpClient()->Get(Request(server.Url("/"))), ErrorIs("http.insecure_scheme"));
}

TEST(HttpClient, RefusesRedirectIntoPrivateNetwork) {
  // The origin stands in for a public server: this client classifies 127.0.0.1 as public and
  // everything else as ClassifyAddress does. The redirect target, 127.0.0.2, is loopback; if it
  // were not checked, the client would try to connect and fail with http.unavailable instead.
  TestServer server([](const std::string&) { return Redirect(302, "http://127.0.0.2:9/"); });
  HttpClientOptions options;
  options.allow_private_addresses = false;
  auto client = internal::NewHttpClientWithClassifier(options, [](const IpAddress& address) {
    if (address == IpAddress::V4({127, 0, 0, 1})) return AddressClass::kPublic;
    return ClassifyAddress(address);
  });
  EXPECT_THAT(client->Get(Request(server.Url("/"))), ErrorIs("http.address_refused"));
  EXPECT_EQ(server.targets(), std::vector<std::string>{"/"});
}

TEST(HttpClient, DropsCredentialsWhenRedirectLeavesTheOrigin) {
  TestServer other([](const std::string&) { return Response(200, "", "other"); });
  TestServer* self = nullptr;
  TestServer server([&](const std::string& head) {
    if (head.starts_with("GET /same ")) return Redirect(302, self->Url("/leave"));
    return Redirect(302, other.Url("/landed"));  // another port: another origin
  });
  self = &server;
  HttpRequest request = Request(server.Url("/same"));
  request.headers = {{"Authorization", "Bearer secret"}, {"Accept", "text/plain"}};
  auto response = NewHttpClient()->Get(request);
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->body, "other");
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_THAT(server.requests()[1], HasSubstr("Authorization: Bearer secret\r\n"));
  ASSERT_EQ(other.requests().size(), 1u);
  EXPECT_EQ(other.requests()[0].find("Authorization"), std::string::npos);
  EXPECT_THAT(other.requests()[0], HasSubstr("Accept: text/plain\r\n"));
}

TEST(HttpClient, SafeToCallFromSeveralThreads) {
  TestServer server([](const std::string& head) {
    return Response(200, "", head.substr(4, head.find(' ', 4) - 4));
  });
  auto client = NewHttpClient();
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        std::string path = "/t" + std::to_string(t) + "/" + std::to_string(i);
        auto response = client->Get(Request(server.Url(path)));
        if (response.ok() && response->body == path) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 20);
}

// ---------------------------------------------------------------------------------------------
// TLS. Certificates are made fresh for each run with OpenSSL: a self-signed P-256 certificate
// valid for a day, with the given subjectAltName entries.

struct TestCertificate {
  std::string certificate_pem;
  std::string key_pem;
};

TestCertificate MakeSelfSigned(const std::string& common_name, const std::string& alt_names) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, alt_names.c_str());
  X509_add_ext(cert, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(cert, key, EVP_sha256());

  TestCertificate out;
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  out.certificate_pem.assign(data, static_cast<size_t>(size));
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  size = BIO_get_mem_data(bio, &data);
  out.key_pem.assign(data, static_cast<size_t>(size));
  BIO_free(bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

std::unique_ptr<ssl::context> ServerContext(const TestCertificate& certificate) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->use_certificate_chain(asio::buffer(certificate.certificate_pem));
  context->use_private_key(asio::buffer(certificate.key_pem), ssl::context::pem);
  return context;
}

// Writes the certificate where a test's ca_file can point; removed with the object.
class TempPem {
 public:
  TempPem(const std::string& name, const std::string& pem)
      : path_(::testing::TempDir() + "lanyard_http_" + name + ".pem") {
    std::ofstream(path_) << pem;
  }
  ~TempPem() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(HttpClient, TlsSucceedsWithCaFileTrustingTheServer) {
  TestCertificate certificate = MakeSelfSigned("localhost", "DNS:localhost,IP:127.0.0.1");
  auto context = ServerContext(certificate);
  TestServer server([](const std::string&) { return Response(200, "", "secret"); }, context.get());
  TempPem ca("trusted", certificate.certificate_pem);
  HttpClientOptions options;
  options.ca_file = ca.path();
  auto client = NewHttpClient(options);
  // By name (SNI and the DNS entry) and by address (the IP entry).
  for (const char* host : {"localhost", "127.0.0.1"}) {
    auto response = client->Get(Request(server.Url("/", host)));
    ASSERT_THAT(response, IsOk()) << host;
    EXPECT_EQ(response->body, "secret");
  }
}

TEST(HttpClient, TlsFailsWithoutTrustAnchor) {
  TestCertificate certificate = MakeSelfSigned("localhost", "DNS:localhost,IP:127.0.0.1");
  auto context = ServerContext(certificate);
  TestServer server([](const std::string&) { return Response(200, "", "secret"); }, context.get());
  auto response = NewHttpClient()->Get(Request(server.Url("/", "localhost")));
  EXPECT_THAT(response, ErrorIs("http.unavailable"));
  if (!response.ok()) {
    EXPECT_THAT(response.error().message, HasSubstr("TLS"));
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpClient, TlsFailsWhenCertificateIsForAnotherName) {
  TestCertificate certificate = MakeSelfSigned("other.example", "DNS:other.example");
  auto context = ServerContext(certificate);
  TestServer server([](const std::string&) { return Response(200, "", "secret"); }, context.get());
  TempPem ca("other", certificate.certificate_pem);
  HttpClientOptions options;
  options.ca_file = ca.path();
  auto response = NewHttpClient(options)->Get(Request(server.Url("/", "localhost")));
  EXPECT_THAT(response, ErrorIs("http.unavailable"));
  if (!response.ok()) {
    EXPECT_THAT(response.error().message, HasSubstr("TLS"));
    EXPECT_THAT(response.error().message, HasSubstr("not valid for localhost"));
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpClient, HttpsMayRedirectToHttpBetweenLoopbackHosts) {
  TestServer plain([](const std::string&) { return Response(200, "", "plain"); });
  TestCertificate certificate = MakeSelfSigned("localhost", "DNS:localhost,IP:127.0.0.1");
  auto context = ServerContext(certificate);
  TestServer secure([&](const std::string&) { return Redirect(302, plain.Url("/")); },
                    context.get());
  TempPem ca("redirect", certificate.certificate_pem);
  HttpClientOptions options;
  options.ca_file = ca.path();
  auto response = NewHttpClient(options)->Get(Request(secure.Url("/", "localhost")));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->body, "plain");
}

TEST(HttpClient, UnreadableCaFileRefusesHttps) {
  HttpClientOptions options;
  options.ca_file = ::testing::TempDir() + "lanyard_http_no_such_file.pem";
  auto response = NewHttpClient(options)->Get(Request("https://localhost:1/"));
  EXPECT_THAT(response, ErrorIs("http.ca_file_invalid"));
  EXPECT_EQ(response.error().code, Code::kFailedPrecondition);
}

}  // namespace
}  // namespace lanyard::http
