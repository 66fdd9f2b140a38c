#include "lanyard/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lanyard/http/problem.h"
#include "lanyard/json/parser.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ErrorIs;
using ::testing::HasSubstr;
using testing::IsOk;

// Timeouts in these tests are small (300 ms) so the tests stay quick; every wait for the server
// to do something is generous, because the tests also run under ASan on a busy 2-core machine.
constexpr milliseconds kPatience(15'000);

// Polls `condition` until it holds or `timeout` passes; returns whether it held.
bool WaitUntil(const std::function<bool()>& condition, milliseconds timeout = kPatience) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 response as a client sees it.

struct RawResponse {
  std::string version;
  int status = 0;
  std::vector<HeaderField> headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const {
    for (const HeaderField& h : headers) {
      if (strcasecmp(h.name.c_str(), std::string(name).c_str()) == 0) return h.value;
    }
    return std::nullopt;
  }
  int HeaderCount(std::string_view name) const {
    int n = 0;
    for (const HeaderField& h : headers) {
      if (strcasecmp(h.name.c_str(), std::string(name).c_str()) == 0) ++n;
    }
    return n;
  }
  // The "code" member of a problem body, or "" when the body is not one.
  std::string ProblemCode() const {
    auto parsed = json::Parse(body);
    if (!parsed.ok() || parsed->FindString("code") == nullptr) return "";
    return *parsed->FindString("code");
  }
};

// Takes one complete response off the front of *buffer, or returns nullopt (leaving the buffer)
// when it is not all there yet. `head_request`: the response has no body whatever its length.
std::optional<RawResponse> TakeResponse(std::string* buffer, bool head_request = false) {
  size_t end = buffer->find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  RawResponse response;
  std::istringstream head(buffer->substr(0, end + 2));
  std::string line;
  std::getline(head, line);
  response.version = line.substr(0, line.find(' '));
  response.status = std::stoi(line.substr(line.find(' ') + 1, 3));
  size_t length = 0;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    size_t colon = line.find(':');
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    response.headers.push_back({line.substr(0, colon), value});
  }
  if (auto cl = response.Header("Content-Length"); cl.has_value() && !head_request) {
    length = std::stoul(*cl);
  }
  if (buffer->size() < end + 4 + length) return std::nullopt;
  response.body = buffer->substr(end + 4, length);
  buffer->erase(0, end + 4 + length);
  return response;
}

// A blocking loopback client on a POSIX socket. Every receive has a timeout, so a server that
// never answers fails the test instead of hanging it.
class Client {
 public:
  explicit Client(uint16_t port, milliseconds receive_timeout = kPatience) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{};
    tv.tv_sec = receive_timeout.count() / 1000;
    tv.tv_usec = (receive_timeout.count() % 1000) * 1000;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // The next response, or nullopt if the connection ended or the timeout passed first.
  std::optional<RawResponse> Read(bool head_request = false) {
    for (;;) {
      if (auto response = TakeResponse(&buffer_, head_request)) return response;
      if (Fill() <= 0) return std::nullopt;
    }
  }

  // Waits for the server to close the connection (end of stream or reset). Returns the bytes
  // that arrived before that, or nullopt when the connection stayed open until the timeout.
  std::optional<std::string> WaitClosed() {
    for (;;) {
      ssize_t n = Fill();
      if (n == 0) return std::exchange(buffer_, {});
      if (n < 0) {
        if (last_errno_ == EAGAIN || last_errno_ == EWOULDBLOCK) return std::nullopt;
        return std::exchange(buffer_, {});  // reset: closed as well
      }
    }
  }

  // Whether response bytes are waiting, without blocking.
  bool Readable() {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
  }

 private:
  ssize_t Fill() {
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
    if (n < 0) last_errno_ = errno;
    return n;
  }

  int fd_ = -1;
  bool connected_ = false;
  int last_errno_ = 0;
  std::string buffer_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) +
         "\r\n";
}

// Collects log lines from any thread.
class LogLines {
 public:
  std::function<void(std::string_view)> Sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mu_);
      lines_.emplace_back(line);
    };
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mu_);
    return lines_;
  }
  // The parsed lines whose "event" is `event`.
  std::vector<json::Value> Events(std::string_view event) const {
    std::vector<json::Value> out;
    for (const std::string& line : lines()) {
      auto parsed = json::Parse(line);
      if (parsed.ok() && parsed->FindString("event") != nullptr &&
          *parsed->FindString("event") == event) {
        out.push_back(*parsed);
      }
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

// A handler that answers 200 with the request's path as the body.
void EchoPath(ServerRequest request, Respond respond) {
  ServerResponse response;
  response.content_type = "text/plain";
  response.body = request.path;
  respond(std::move(response));
}

std::unique_ptr<Server> StartOrDie(ServerOptions options, RequestHandler handler) {
  auto server = Server::Start(std::move(options), std::move(handler));
  EXPECT_THAT(server, IsOk());
  if (!server.ok()) return nullptr;
  return std::move(server).value();
}

// A gate a handler waits at until the test opens it (or a timeout, so a failing test ends).
class Gate {
 public:
  void Enter() {
    std::unique_lock lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait_for(lock, kPatience, [this] { return open_; });
  }
  bool WaitEntered(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] { return entered_ >= n; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool open_ = false;
};

// ---------------------------------------------------------------------------------------------
// Connections and framing

TEST(Server, ServesSeveralRequestsOnOneKeepAliveConnection) {
  auto server = StartOrDie({}, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.connected());
  for (const char* path : {"/one", "/two", "/three"}) {
    ASSERT_TRUE(client.Send(Get(path)));
    auto response = client.Read();
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, path);
    EXPECT_FALSE(response->Header("Connection").has_value());
  }
  EXPECT_TRUE(WaitUntil([&] { return server->Stats().requests_total == 3; }));
  EXPECT_EQ(server->Stats().connections_accepted, 1u);
}

TEST(Server, AnswersPipelinedRequestsInOrder) {
  auto server = StartOrDie({}, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/first") + Get("/second") + Get("/third")));
  for (const char* path : {"/first", "/second", "/third"}) {
    auto response = client.Read();
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_EQ(response->body, path);
  }
}

TEST(Server, ClosesTheConnectionWhenTheClientAsksForClose) {
  auto server = StartOrDie({}, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/bye", "Connection: close\r\n")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "/bye");
  EXPECT_EQ(response->Header("Connection"), "close");
  EXPECT_EQ(client.WaitClosed(), "");
}

TEST(Server, ClosesAnHttp10ConnectionWithoutKeepAlive) {
  auto server = StartOrDie({}, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->version, "HTTP/1.0");
  EXPECT_EQ(response->body, "/old");
  EXPECT_EQ(client.WaitClosed(), "");
}

TEST(Server, PassesMethodTargetPathQueryHeadersAndBodyToTheHandler) {
  std::mutex mu;
  std::optional<ServerRequest> seen;
  auto server = StartOrDie({}, [&](ServerRequest request, Respond respond) {
    {
      std::lock_guard lock(mu);
      seen = request;
    }
    respond(ServerResponse{});
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(
      client.Send("POST /passports/7?view=full&x=%20 HTTP/1.1\r\nHost: test\r\nX-Trace: abc\r\n"
                  "x-trace: second\r\nContent-Length: 5\r\n\r\nhello"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  std::lock_guard lock(mu);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->method, "POST");
  EXPECT_EQ(seen->target, "/passports/7?view=full&x=%20");
  EXPECT_EQ(seen->path, "/passports/7");
  EXPECT_EQ(seen->query, "view=full&x=%20");
  EXPECT_EQ(seen->Header("x-TRACE"), "abc");
  EXPECT_EQ(seen->Header("Missing"), std::nullopt);
  EXPECT_EQ(seen->body, "hello");
  EXPECT_EQ(seen->remote_address, "127.0.0.1");
  EXPECT_FALSE(seen->tls);
  EXPECT_EQ(seen->request_id.size(), 16u);
  EXPECT_EQ(seen->request_id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(response->Header("X-Request-Id"), seen->request_id);
}

TEST(Server, EveryResponseCarriesRequestIdAndNoStoreUnlessTheHandlerSetsCacheControl) {
  auto server = StartOrDie({}, [](ServerRequest request, Respond respond) {
    ServerResponse response;
    if (request.path == "/cached") response.headers.push_back({"Cache-Control", "max-age=60"});
    response.headers.push_back({"Set-Cookie", "a=1"});
    response.headers.push_back({"Set-Cookie", "b=2"});
    response.headers.push_back({"Content-Length", "999"});  // the server owns framing
    respond(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/plain") + Get("/cached") + Get("/plain")));
  auto plain = client.Read();
  auto cached = client.Read();
  auto again = client.Read();
  ASSERT_TRUE(plain.has_value() && cached.has_value() && again.has_value());
  EXPECT_EQ(plain->Header("Cache-Control"), "no-store");
  EXPECT_EQ(cached->Header("Cache-Control"), "max-age=60");
  EXPECT_EQ(cached->HeaderCount("Cache-Control"), 1);
  EXPECT_EQ(plain->HeaderCount("Set-Cookie"), 2);
  EXPECT_EQ(plain->Header("Content-Length"), "0");
  EXPECT_FALSE(plain->Header("Server").has_value());
  ASSERT_TRUE(plain->Header("X-Request-Id").has_value());
  ASSERT_TRUE(again->Header("X-Request-Id").has_value());
  EXPECT_NE(*plain->Header("X-Request-Id"), *again->Header("X-Request-Id"));
}

TEST(Server, HeadResponseKeepsContentLengthWithoutABody) {
  auto server = StartOrDie({}, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send("HEAD /12345 HTTP/1.1\r\nHost: test\r\n\r\n"));
  auto head = client.Read(/*head_request=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->Header("Content-Length"), "6");
  // Had a body been sent, it would be read as the start of the next response.
  ASSERT_TRUE(client.Send(Get("/next")));
  auto next = client.Read();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "/next");
}

TEST(Server, AcknowledgesExpect100ContinueBeforeReadingTheBody) {
  auto server = StartOrDie({}, [](ServerRequest request, Respond respond) {
    ServerResponse response;
    response.body = request.body;
    respond(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(
      "PUT /x HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  auto interim = client.Read();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("data"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "data");
}

// ---------------------------------------------------------------------------------------------
// Limits

TEST(Server, RefusesOversizedContentLengthBeforeReadingBody) {
  std::atomic<bool> called{false};
  auto server = StartOrDie({}, [&](ServerRequest, Respond respond) {
    called = true;
    respond(ServerResponse{});
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  // 100 MB announced, not one byte of it sent: the answer must come anyway.
  ASSERT_TRUE(client.Send(
      "POST /upload?token=x HTTP/1.1\r\nHost: test\r\nContent-Length: 104857600\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->ProblemCode(), "http.body_too_large");
  EXPECT_EQ(response->Header("Connection"), "close");
  EXPECT_TRUE(client.WaitClosed().has_value());
  EXPECT_FALSE(called.load());
  EXPECT_TRUE(WaitUntil([&] { return server->Stats().body_too_large == 1; }));
}

TEST(Server, RefusesChunkedBodyGrowingPastTheLimit) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  std::atomic<bool> called{false};
  auto server = StartOrDie(options, [&](ServerRequest, Respond respond) {
    called = true;
    respond(ServerResponse{});
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  std::string chunk(512, 'a');
  ASSERT_TRUE(client.Send(
      "POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n" + chunk +
      "\r\n200\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->ProblemCode(), "http.body_too_large");
  EXPECT_TRUE(client.WaitClosed().has_value());
  EXPECT_FALSE(called.load());
}

TEST(Server, AcceptsChunkedBodyWithinTheLimit) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  auto server = StartOrDie(options, [](ServerRequest request, Respond respond) {
    ServerResponse response;
    response.body = std::to_string(request.body.size());
    respond(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(
      client.Send("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "7");
}

TEST(Server, AnswersOversizedHeadWith431AndCloses) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  auto server = StartOrDie(options, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/", "X-Big: " + std::string(4000, 'a') + "\r\n")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->ProblemCode(), "http.header_too_large");
  EXPECT_TRUE(client.WaitClosed().has_value());
}

TEST(Server, AnswersMalformedRequestWith400AndCloses) {
  auto server = StartOrDie({}, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send("THIS IS NOT HTTP\r\n\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->ProblemCode(), "http.bad_request");
  EXPECT_TRUE(response->Header("X-Request-Id").has_value());
  EXPECT_TRUE(client.WaitClosed().has_value());
}

// ---------------------------------------------------------------------------------------------
// Timeouts

TEST(Server, CutsOffASlowClientAtTheReadTimeout) {
  ServerOptions options;
  options.read_timeout = milliseconds(300);
  auto server = StartOrDie(options, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: test\r\nX-Slow: "));
  // One byte every 20 ms keeps every single read short of any per-read timeout: only a
  // deadline on the whole request stops this client.
  auto give_up = std::chrono::steady_clock::now() + kPatience;
  while (!client.Readable() && std::chrono::steady_clock::now() < give_up) {
    if (!client.Send("a")) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 408);
  EXPECT_EQ(response->ProblemCode(), "http.request_timeout");
  EXPECT_TRUE(client.WaitClosed().has_value());
  EXPECT_GE(server->Stats().timeouts, 1u);
}

TEST(Server, ClosesAnIdleKeepAliveConnectionAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = milliseconds(300);
  auto server = StartOrDie(options, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/")));
  ASSERT_TRUE(client.Read().has_value());
  // Closed without a word: an idle connection has no request to answer.
  EXPECT_EQ(client.WaitClosed(), "");
  EXPECT_TRUE(WaitUntil([&] { return server->Stats().connections_open == 0; }));
}

TEST(Server, ClosesAConnectionWhoseResponseCannotBeWrittenInTime) {
  ServerOptions options;
  options.write_timeout = milliseconds(300);
  auto server = StartOrDie(options, [](ServerRequest, Respond respond) {
    ServerResponse response;
    response.body.assign(64 * 1024 * 1024, 'x');  // far more than the socket buffers hold
    respond(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/big")));
  // The client never reads.
  EXPECT_TRUE(WaitUntil([&] { return server->Stats().timeouts >= 1; }));
  EXPECT_TRUE(WaitUntil([&] { return server->Stats().connections_open == 0; }));
}

// ---------------------------------------------------------------------------------------------
// Connection limits

TEST(Server, RefusesTheConnectionBeyondTheCapWhileOthersStillWork) {
  ServerOptions options;
  options.max_connections = 3;
  auto server = StartOrDie(options, EchoPath);
  ASSERT_NE(server, nullptr);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<Client>(server->port()));
    ASSERT_TRUE(clients.back()->Send(Get("/open")));
    ASSERT_TRUE(clients.back()->Read().has_value());
  }
  Client extra(server->port());
  EXPECT_EQ(extra.WaitClosed(), "");
  EXPECT_TRUE(WaitUntil([&] { return server->Stats().connections_refused == 1; }));
  for (auto& client : clients) {
    ASSERT_TRUE(client->Send(Get("/still")));
    auto response = client->Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->body, "/still");
  }
  // A place freed is a place available.
  clients.pop_back();
  ASSERT_TRUE(WaitUntil([&] { return server->Stats().connections_open == 2; }));
  Client next(server->port());
  ASSERT_TRUE(next.Send(Get("/next")));
  auto response = next.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "/next");
}

TEST(Server, AnswersARequestWhileAThousandIdleConnectionsAreOpen) {
  auto server = StartOrDie({}, EchoPath);
  ASSERT_NE(server, nullptr);
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 1000; ++i) {
    idle.push_back(std::make_unique<Client>(server->port()));
    ASSERT_TRUE(idle.back()->connected()) << i;
  }
  ASSERT_TRUE(WaitUntil([&] { return server->Stats().connections_open == 1000; }))
      << server->Stats().connections_open;
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/busy")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "/busy");
}

// ---------------------------------------------------------------------------------------------
// Handlers

TEST(Server, ASlowHandlerDoesNotBlockAnotherConnection) {
  Gate gate;
  ServerOptions options;
  options.handler_threads = 2;
  auto server = StartOrDie(options, [&](ServerRequest request, Respond respond) {
    if (request.path == "/slow") gate.Enter();
    EchoPath(std::move(request), std::move(respond));
  });
  ASSERT_NE(server, nullptr);
  Client slow(server->port());
  ASSERT_TRUE(slow.Send(Get("/slow")));
  ASSERT_TRUE(gate.WaitEntered(1));
  Client fast(server->port());
  ASSERT_TRUE(fast.Send(Get("/fast")));
  auto response = fast.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "/fast");
  EXPECT_FALSE(slow.Readable());
  gate.Open();
  auto late = slow.Read();
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->body, "/slow");
}

TEST(Server, AcceptsRespondCalledLaterFromAnotherThread) {
  std::mutex mu;
  std::vector<std::thread> threads;
  auto server = StartOrDie({}, [&](ServerRequest request, Respond respond) {
    std::lock_guard lock(mu);
    threads.emplace_back([request = std::move(request), respond = std::move(respond)]() mutable {
      std::this_thread::sleep_for(milliseconds(20));
      EchoPath(std::move(request), std::move(respond));
    });
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/later") + Get("/again")));
  auto first = client.Read();
  auto second = client.Read();
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->body, "/later");
  EXPECT_EQ(second->body, "/again");
  std::lock_guard lock(mu);
  for (std::thread& thread : threads) thread.join();
}

TEST(Server, AnswersWith503AndRetryAfterWhenTheHandlerQueueIsFull) {
  Gate gate;
  ServerOptions options;
  options.handler_threads = 1;
  options.max_queued_requests = 1;
  auto server = StartOrDie(options, [&](ServerRequest request, Respond respond) {
    gate.Enter();
    EchoPath(std::move(request), std::move(respond));
  });
  ASSERT_NE(server, nullptr);
  Client running(server->port());
  ASSERT_TRUE(running.Send(Get("/running")));
  ASSERT_TRUE(gate.WaitEntered(1));
  Client queued(server->port());
  ASSERT_TRUE(queued.Send(Get("/queued")));
  ASSERT_TRUE(WaitUntil([&] { return server->Stats().requests_in_flight == 2; }));
  Client refused(server->port());
  ASSERT_TRUE(refused.Send(Get("/refused")));
  auto response = refused.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->ProblemCode(), "http.overloaded");
  EXPECT_EQ(response->Header("Retry-After"), "1");
  gate.Open();
  auto first = running.Read();
  auto second = queued.Read();
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 200);
  // The refused client's connection stays usable.
  ASSERT_TRUE(refused.Send(Get("/retry")));
  auto retried = refused.Read();
  ASSERT_TRUE(retried.has_value());
  EXPECT_EQ(retried->status, 200);
}

TEST(Server, AnswersAHandlerExceptionWith500ProblemAndLogsIt) {
  LogLines log;
  ServerOptions options;
  options.log = log.Sink();
  auto server = StartOrDie(options, [](ServerRequest, Respond) -> void {
    throw std::runtime_error("database password is hunter2");
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/boom")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->ProblemCode(), "http.internal");
  EXPECT_EQ(response->body.find("hunter2"), std::string::npos);  // not told to the client
  ASSERT_TRUE(WaitUntil([&] { return !log.Events("handler_exception").empty(); }));
  EXPECT_EQ(*log.Events("handler_exception")[0].FindString("request_id"),
            *response->Header("X-Request-Id"));
  // The connection survives.
  ASSERT_TRUE(client.Send(Get("/again")));
  EXPECT_TRUE(client.Read().has_value());
}

TEST(Server, AnswersWith500WhenTheHandlerDropsRespondUncalled) {
  auto server = StartOrDie({}, [](ServerRequest, Respond) {});
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/forgotten")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->ProblemCode(), "http.internal");
}

TEST(Server, AnswersAnInvalidHandlerResponseWith500) {
  auto server = StartOrDie({}, [](ServerRequest request, Respond respond) {
    ServerResponse response;
    if (request.path == "/split") {
      response.headers.push_back({"X-Echo", "a\r\nSet-Cookie: injected=1"});
    } else {
      response.status = 42;
    }
    respond(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/split") + Get("/status")));
  auto split = client.Read();
  auto status = client.Read();
  ASSERT_TRUE(split.has_value() && status.has_value());
  EXPECT_EQ(split->status, 500);
  EXPECT_FALSE(split->Header("Set-Cookie").has_value());
  EXPECT_EQ(status->status, 500);
}

TEST(Server, IgnoresASecondCallToRespond) {
  auto server = StartOrDie({}, [](ServerRequest request, Respond respond) {
    Respond copy = respond;
    EchoPath(request, respond);
    ServerResponse late;
    late.status = 404;
    copy(std::move(late));
  });
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/once") + Get("/twice")));
  auto first = client.Read();
  auto second = client.Read();
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->body, "/twice");
}

// ---------------------------------------------------------------------------------------------
// Shutdown

TEST(Server, GracefulShutdownFinishesTheInFlightRequestAndRefusesNewConnections) {
  Gate gate;
  LogLines log;
  ServerOptions options;
  options.log = log.Sink();
  auto server = StartOrDie(options, [&](ServerRequest request, Respond respond) {
    if (request.path == "/slow") gate.Enter();
    EchoPath(std::move(request), std::move(respond));
  });
  ASSERT_NE(server, nullptr);
  uint16_t port = server->port();
  Client idle(port);
  ASSERT_TRUE(idle.Send(Get("/warm")));
  ASSERT_TRUE(idle.Read().has_value());
  Client slow(port);
  ASSERT_TRUE(slow.Send(Get("/slow")));
  ASSERT_TRUE(gate.WaitEntered(1));

  std::thread stopper([&] { server->Shutdown(seconds(10)); });
  // The idle keep-alive connection is closed, and nobody new gets in.
  EXPECT_EQ(idle.WaitClosed(), "");
  EXPECT_TRUE(WaitUntil([&] { return !Client(port).connected(); }));
  gate.Open();
  auto response = slow.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "/slow");
  EXPECT_EQ(response->Header("Connection"), "close");
  stopper.join();
  server->Wait();      // already stopped: returns at once
  server->Shutdown();  // idempotent
  auto finished = log.Events("shutdown_finished");
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].Find("forced")->as_bool(), false);
}

TEST(Server, ShutdownCalledFromAHandlerDoesNotDeadlock) {
  std::atomic<Server*> self{nullptr};
  auto server = StartOrDie({}, [&](ServerRequest request, Respond respond) {
    self.load()->Shutdown(seconds(10));  // returns at once on a handler thread
    EchoPath(std::move(request), std::move(respond));
  });
  ASSERT_NE(server, nullptr);
  self = server.get();
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/stop")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("Connection"), "close");
  server->Wait();
}

TEST(Server, StopSignalShutsTheServerDownGracefully) {
  LogLines log;
  ServerOptions options;
  options.log = log.Sink();
  options.stop_signals = {SIGUSR2};
  auto server = StartOrDie(options, EchoPath);
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(::kill(::getpid(), SIGUSR2), 0);
  server->Wait();
  EXPECT_EQ(log.Events("signal").size(), 1u);
  EXPECT_EQ(log.Events("shutdown_finished").size(), 1u);
  EXPECT_FALSE(Client(server->port()).connected());
}

// ---------------------------------------------------------------------------------------------
// Start errors

TEST(Server, StartFailsWithBindFailedWhenThePortIsTaken) {
  auto first = StartOrDie({}, EchoPath);
  ASSERT_NE(first, nullptr);
  ServerOptions options;
  options.port = first->port();
  auto second = Server::Start(options, EchoPath);
  EXPECT_THAT(second, ErrorIs("server.bind_failed"));
  if (!second.ok()) {
    EXPECT_THAT(second.error().message, HasSubstr("in use"));
  }
}

TEST(Server, StartRefusesInvalidOptions) {
  ServerOptions no_threads;
  no_threads.io_threads = 0;
  EXPECT_THAT(Server::Start(no_threads, EchoPath), ErrorIs("server.invalid_options"));
  ServerOptions half_tls;
  half_tls.tls_cert_file = "/nonexistent/cert.pem";
  EXPECT_THAT(Server::Start(half_tls, EchoPath), ErrorIs("server.invalid_options"));
  ServerOptions bad_host;
  bad_host.host = "no such host.invalid";
  EXPECT_THAT(Server::Start(bad_host, EchoPath), ErrorIs("server.invalid_options"));
}

// ---------------------------------------------------------------------------------------------
// TLS. A self-signed P-256 certificate for 127.0.0.1, made fresh for each run.

struct Pem {
  std::string certificate;
  std::string key;
};

Pem MakeSelfSignedP256() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert), -600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("lanyard test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "IP:127.0.0.1");
  X509_add_ext(cert, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(cert, key, EVP_sha256());

  auto to_text = [](BIO* bio) {
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    std::string text(data, static_cast<size_t>(size));
    BIO_free(bio);
    return text;
  };
  Pem pem;
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  pem.certificate = to_text(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  pem.key = to_text(bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return pem;
}

// A PEM file in the test's temporary folder, removed with the object.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : path_(::testing::TempDir() + "lanyard_server_" + std::to_string(::getpid()) + "_" + name) {
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(Server, ServesRequestsOverTlsWithASelfSignedP256Certificate) {
  Pem pem = MakeSelfSignedP256();
  TempFile cert("cert.pem", pem.certificate);
  TempFile key("key.pem", pem.key);
  ServerOptions options;
  options.tls_cert_file = cert.path();
  options.tls_key_file = key.path();
  auto server = StartOrDie(options, [](ServerRequest request, Respond respond) {
    ServerResponse response;
    response.body = request.path + (request.tls ? " over tls" : " in clear");
    respond(std::move(response));
  });
  ASSERT_NE(server, nullptr);

  asio::io_context ioc;
  ssl::context context(ssl::context::tls_client);
  context.add_certificate_authority(asio::buffer(pem.certificate));
  context.set_verify_mode(ssl::verify_peer);
  ssl::stream<tcp::socket> stream(ioc, context);
  stream.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()));
  stream.handshake(ssl::stream_base::client);
  std::string buffer;
  for (const char* path : {"/secure", "/again"}) {
    asio::write(stream, asio::buffer(Get(path)));
    std::optional<RawResponse> response;
    while (!(response = TakeResponse(&buffer)).has_value()) {
      char chunk[4096];
      size_t n = stream.read_some(asio::buffer(chunk));
      buffer.append(chunk, n);
    }
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, std::string(path) + " over tls");
  }
  EXPECT_EQ(server->Stats().connections_accepted, 1u);
}

TEST(Server, StartFailsWithTlsFailedWhenTheKeyDoesNotMatchTheCertificate) {
  Pem one = MakeSelfSignedP256();
  Pem other = MakeSelfSignedP256();
  TempFile cert("mismatch_cert.pem", one.certificate);
  TempFile key("mismatch_key.pem", other.key);
  ServerOptions options;
  options.tls_cert_file = cert.path();
  options.tls_key_file = key.path();
  EXPECT_THAT(Server::Start(options, EchoPath), ErrorIs("server.tls_failed"));

  options.tls_key_file = ::testing::TempDir() + "lanyard_server_no_such_key.pem";
  EXPECT_THAT(Server::Start(options, EchoPath), ErrorIs("server.tls_failed"));
}

// ---------------------------------------------------------------------------------------------
// Logs and metrics

TEST(Server, LogsOneJsonLinePerRequestWithThePathButNeverTheQuery) {
  LogLines log;
  SimulatedClock clock(TimePoint(std::chrono::milliseconds(1'785'920'400'250)));
  ServerOptions options;
  options.log = log.Sink();
  options.clock = &clock;
  auto server = StartOrDie(options, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/passports/7?token=SECRET-TOKEN")));
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  ASSERT_TRUE(WaitUntil([&] { return !log.Events("request").empty(); }));

  for (const std::string& line : log.lines()) {
    EXPECT_THAT(json::Parse(line), IsOk()) << line;
    EXPECT_EQ(line.find("SECRET-TOKEN"), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
  }
  ASSERT_EQ(log.Events("listening").size(), 1u);
  json::Value request = log.Events("request")[0];
  EXPECT_EQ(*request.FindString("ts"), "2026-08-05T09:00:00.250Z");
  EXPECT_EQ(*request.FindString("level"), "info");
  EXPECT_EQ(*request.FindString("request_id"), *response->Header("X-Request-Id"));
  EXPECT_EQ(*request.FindString("method"), "GET");
  EXPECT_EQ(*request.FindString("path"), "/passports/7");
  EXPECT_EQ(request.Find("status")->as_number(), 200);
  EXPECT_GE(request.Find("duration_ms")->as_number(), 0);
  EXPECT_EQ(request.Find("bytes_in")->as_number(),
            static_cast<double>(Get("/passports/7?token=SECRET-TOKEN").size()));
  EXPECT_GT(request.Find("bytes_out")->as_number(), 0);
  EXPECT_EQ(*request.FindString("remote"), "127.0.0.1");
}

TEST(Server, LogsRefusalsAndTimeoutsAsWarnings) {
  LogLines log;
  ServerOptions options;
  options.log = log.Sink();
  options.read_timeout = milliseconds(300);
  options.max_connections = 1;
  auto server = StartOrDie(options, EchoPath);
  ASSERT_NE(server, nullptr);
  Client first(server->port());
  ASSERT_TRUE(WaitUntil([&] { return server->Stats().connections_open == 1; }));
  Client second(server->port());
  EXPECT_TRUE(second.WaitClosed().has_value());
  ASSERT_TRUE(first.Send("GET / HTTP/1.1\r\n"));  // and never finishes
  auto response = first.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 408);
  ASSERT_TRUE(WaitUntil([&] { return !log.Events("request").empty(); }));
  ASSERT_EQ(log.Events("connection_refused").size(), 1u);
  EXPECT_EQ(*log.Events("connection_refused")[0].FindString("level"), "warn");
  ASSERT_EQ(log.Events("timeout").size(), 1u);
  EXPECT_EQ(*log.Events("timeout")[0].FindString("phase"), "read");
  EXPECT_EQ(*log.Events("request")[0].FindString("level"), "warn");
}

bool IsMetricNameChar(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':') return true;
  return !first && c >= '0' && c <= '9';
}

// Takes a metric (or label) name off the front of *text; "" when there is none.
std::string TakeName(std::string_view* text, bool allow_colon = true) {
  size_t n = 0;
  while (n < text->size() && IsMetricNameChar((*text)[n], n == 0) &&
         (allow_colon || (*text)[n] != ':')) {
    ++n;
  }
  std::string name(text->substr(0, n));
  text->remove_prefix(n);
  return name;
}

bool IsNumber(std::string_view text) {
  if (text == "+Inf" || text == "-Inf" || text == "NaN") return true;
  try {
    size_t used = 0;
    (void)std::stod(std::string(text), &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

// Checks the Prometheus text format line by line: HELP and TYPE lines name a metric, TYPE
// comes before the metric's samples, samples are `name{label="value",...} number`. Returns the
// problems found, one a line.
std::string PrometheusProblems(const std::string& text) {
  std::string problems;
  std::set<std::string> typed;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::string_view rest(line);
    if (rest.starts_with("# HELP ")) {
      rest.remove_prefix(7);
      if (TakeName(&rest).empty() || !rest.starts_with(' ') || rest.size() < 2) {
        problems += "bad HELP: " + line + "\n";
      }
      continue;
    }
    if (rest.starts_with("# TYPE ")) {
      rest.remove_prefix(7);
      std::string name = TakeName(&rest);
      if (name.empty() || (rest != " counter" && rest != " gauge" && rest != " histogram")) {
        problems += "bad TYPE: " + line + "\n";
      }
      typed.insert(name);
      continue;
    }
    std::string name = TakeName(&rest);
    bool ok = !name.empty();
    if (ok && rest.starts_with('{')) {
      rest.remove_prefix(1);
      for (;;) {
        if (TakeName(&rest, /*allow_colon=*/false).empty() || !rest.starts_with("=\"")) {
          ok = false;
          break;
        }
        rest.remove_prefix(2);
        size_t close = rest.find('"');
        if (close == std::string_view::npos) {
          ok = false;
          break;
        }
        rest.remove_prefix(close + 1);
        if (rest.starts_with(',')) {
          rest.remove_prefix(1);
          continue;
        }
        ok = rest.starts_with('}');
        if (ok) rest.remove_prefix(1);
        break;
      }
    }
    if (!ok || !rest.starts_with(' ') || !IsNumber(rest.substr(1))) {
      problems += "unparsable sample: " + line + "\n";
      continue;
    }
    std::string base = name;
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (base.ends_with(suffix) && typed.contains(base.substr(0, base.size() - suffix.size()))) {
        base = base.substr(0, base.size() - suffix.size());
      }
    }
    if (!typed.contains(base)) problems += "sample before its TYPE: " + line + "\n";
  }
  return problems;
}

TEST(Server, PrometheusTextParsesLineByLineAndCountsRequests) {
  auto server = StartOrDie({}, EchoPath);
  ASSERT_NE(server, nullptr);
  Client client(server->port());
  ASSERT_TRUE(client.Send(Get("/a") + Get("/b") + "BROKEN\r\n\r\n"));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Read().has_value());
  ASSERT_TRUE(WaitUntil([&] { return server->Stats().requests_total == 3; }));
  std::string text;
  AppendPrometheus(server->Stats(), &text);
  EXPECT_EQ(PrometheusProblems(text), "");
  EXPECT_THAT(text, HasSubstr("# TYPE lanyard_http_requests_total counter\n"
                              "lanyard_http_requests_total 3\n"));
  EXPECT_THAT(text, HasSubstr("lanyard_http_responses_total{class=\"2xx\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("lanyard_http_responses_total{class=\"4xx\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("lanyard_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("lanyard_http_request_duration_seconds_count 3\n"));
  EXPECT_THAT(text, HasSubstr("lanyard_http_request_duration_seconds_bucket{le=\"0.001\"} "));
  EXPECT_THAT(text, HasSubstr("lanyard_http_connections_accepted_total 1\n"));
}

TEST(Server, PrometheusHistogramBucketsAreCumulative) {
  ServerStats stats;
  stats.duration_buckets = {1, 2, 2, 3, 3, 3, 3, 3, 3, 4, 5};
  stats.duration_count = 5;
  stats.duration_seconds_sum = 3.5;
  std::string text;
  AppendPrometheus(stats, &text);
  EXPECT_EQ(PrometheusProblems(text), "");
  // The checker itself notices what it should.
  EXPECT_NE(PrometheusProblems("untyped_metric 1\n"), "");
  EXPECT_NE(PrometheusProblems("# TYPE m counter\nm{a=\"1\" 2\n"), "");
  EXPECT_THAT(text, HasSubstr("lanyard_http_request_duration_seconds_bucket{le=\"0.005\"} 2\n"
                              "lanyard_http_request_duration_seconds_bucket{le=\"0.01\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("lanyard_http_request_duration_seconds_bucket{le=\"2.5\"} 4\n"
                              "lanyard_http_request_duration_seconds_bucket{le=\"+Inf\"} 5\n"
                              "lanyard_http_request_duration_seconds_sum 3.5\n"));
}

}  // namespace
}  // namespace lanyard::http
