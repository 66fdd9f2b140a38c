// The HTTP server on Beast. With http_client.cc, one of the two translation units that include
// Beast (slow to compile): keep it that way. Asio, Beast and OpenSSL errors become Lanyard
// Errors, problem responses or log lines here, and no exception leaves this file.
//
// Shape: an acceptor on the I/O threads; one Session per connection, on its own strand, moving
// through phases (handshake, idle, reading, handler, writing, closing) with one timer whose
// deadline the phase sets; a HandlerPool of plain threads for the handlers. A handler answers
// through a ResponseSlot, which posts the response back to the session's strand. Sessions hold
// a raw pointer to the server's Impl: the Impl outlives them, because they live only in the
// event loop's handlers (and in their own self_hold_ while a handler works), and the event loop
// is destroyed by the shutdown before the Impl is.
#include "lanyard/http/server.h"

#include <openssl/ssl.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/http/problem.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/value.h"

namespace lanyard::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// What one idle read asks for; the read buffer holds the header limit plus this much, so the
// parser's limits, not the buffer, decide what is too large.
constexpr size_t kReadSize = 16 * 1024;
// After a response that closes the connection, unread request bytes are drained for at most
// this long (and this many bytes) before closing: closing a socket with unread data sends a
// reset, which can destroy the response (say, a 413) before the client has read it.
constexpr milliseconds kLingerTime(1000);
constexpr size_t kLingerBytes = 1024 * 1024;
// After an accept fails for lack of descriptors or memory, wait this long before the next, so
// the loop does not spin while the condition lasts.
constexpr milliseconds kAcceptBackoff(50);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The server each of its own threads belongs to, so Shutdown() called from a handler (or from
// the signal handler on an I/O thread) knows not to wait for itself.
thread_local const void* t_current_server = nullptr;

void Add(std::atomic<uint64_t>& counter, uint64_t n = 1) {
  counter.fetch_add(n, std::memory_order_relaxed);
}
void Subtract(std::atomic<uint64_t>& counter, uint64_t n = 1) {
  counter.fetch_sub(n, std::memory_order_relaxed);
}
uint64_t Load(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

struct Counters {
  std::atomic<uint64_t> connections_open{0};
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> connections_refused{0};
  std::atomic<uint64_t> requests_total{0};
  std::atomic<uint64_t> responses_2xx{0};
  std::atomic<uint64_t> responses_3xx{0};
  std::atomic<uint64_t> responses_4xx{0};
  std::atomic<uint64_t> responses_5xx{0};
  std::atomic<uint64_t> requests_in_flight{0};
  // Per bucket, not cumulative (one increment per observation); Snapshot() accumulates.
  std::array<std::atomic<uint64_t>, ServerStats::kDurationBounds.size() + 1> duration_buckets{};
  std::atomic<uint64_t> duration_sum_ns{0};
  std::atomic<uint64_t> duration_count{0};
  std::atomic<uint64_t> bytes_received{0};
  std::atomic<uint64_t> bytes_sent{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint64_t> body_too_large{0};

  void ObserveResponse(int status, bool written, SteadyClock::duration took) {
    Add(requests_total);
    if (written) {
      if (status >= 200 && status < 300) Add(responses_2xx);
      if (status >= 300 && status < 400) Add(responses_3xx);
      if (status >= 400 && status < 500) Add(responses_4xx);
      if (status >= 500) Add(responses_5xx);
    }
    double seconds = std::chrono::duration<double>(took).count();
    size_t i = 0;
    while (i < ServerStats::kDurationBounds.size() && seconds > ServerStats::kDurationBounds[i]) {
      ++i;
    }
    Add(duration_buckets[i]);
    Add(duration_sum_ns,
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()));
    Add(duration_count);
  }

  ServerStats Snapshot() const {
    ServerStats s;
    s.connections_open = Load(connections_open);
    s.connections_accepted = Load(connections_accepted);
    s.connections_refused = Load(connections_refused);
    s.requests_total = Load(requests_total);
    s.responses_2xx = Load(responses_2xx);
    s.responses_3xx = Load(responses_3xx);
    s.responses_4xx = Load(responses_4xx);
    s.responses_5xx = Load(responses_5xx);
    s.requests_in_flight = Load(requests_in_flight);
    uint64_t running = 0;
    for (size_t i = 0; i < duration_buckets.size(); ++i) {
      running += Load(duration_buckets[i]);
      s.duration_buckets[i] = running;
    }
    s.duration_seconds_sum = static_cast<double>(Load(duration_sum_ns)) / 1e9;
    // The +Inf bucket and the count must agree for the exposition to be consistent, even when a
    // request finishes between the loads above.
    s.duration_count = running;
    s.bytes_received = Load(bytes_received);
    s.bytes_sent = Load(bytes_sent);
    s.timeouts = Load(timeouts);
    s.body_too_large = Load(body_too_large);
    return s;
  }
};

// RFC 3339 in UTC with exactly three fractional digits, so log lines sort as text.
std::string FormatLogTime(TimePoint t) {
  auto ms = std::chrono::floor<milliseconds>(t);
  auto day = std::chrono::floor<std::chrono::days>(ms);
  std::chrono::year_month_day ymd(day);
  std::chrono::hh_mm_ss<milliseconds> hms(ms - day);
  char text[64];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return text;
}

class Logger {
 public:
  Logger(std::function<void(std::string_view)> sink, const Clock* clock)
      : sink_(std::move(sink)), clock_(clock) {}

  bool enabled() const { return static_cast<bool>(sink_); }

  // `fields` follow ts, level and event, in order. Strings in them must be UTF-8: callers pass
  // anything from a client through ValidUtf8Text.
  void Write(std::string_view level, std::string_view event, json::Object fields) const {
    if (!sink_) return;
    json::Object line = {{"ts", FormatLogTime(clock_->Now())}, {"level", level}, {"event", event}};
    line.insert(line.end(), std::make_move_iterator(fields.begin()),
                std::make_move_iterator(fields.end()));
    std::string text = json::Serialize(json::Value(std::move(line)));
    try {
      sink_(text);
    } catch (...) {
      // A failing log sink must not take a connection (or an I/O thread) down with it.
    }
  }

 private:
  std::function<void(std::string_view)> sink_;
  const Clock* clock_;
};

// Handler threads with a bounded queue of waiting requests.
class HandlerPool {
 public:
  explicit HandlerPool(size_t max_queued) : max_queued_(max_queued) {}
  ~HandlerPool() { Stop(); }

  void Start(int threads, const void* server) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this, server] {
        t_current_server = server;
        Loop();
      });
    }
  }

  // Queues `task` (moving from it). False when max_queued tasks already wait or the pool has
  // stopped; `task` is then left with the caller.
  bool TryPost(std::function<void()>& task) {
    {
      std::lock_guard lock(mu_);
      if (stopped_ || queue_.size() >= max_queued_) return false;
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
  }

  // Drops waiting tasks and joins the threads, which finish the tasks they are running.
  void Stop() {
    std::deque<std::function<void()>> dropped;
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
      dropped.swap(queue_);
    }
    cv_.notify_all();
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    threads_.clear();
    // Destroyed outside the lock: a dropped task's ResponseSlot answers from its destructor.
    dropped.clear();
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
        if (stopped_) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Why a handler's response cannot go on the wire as it is, or "" when it can. Header text goes
// out verbatim, so CR or LF in it would let a handler's (or a client's echoed) input write
// headers of its own or split the response.
std::string InvalidResponseReason(const ServerResponse& response) {
  if (response.status < 200 || response.status > 599) {
    return "status " + std::to_string(response.status) + " is outside 200..599";
  }
  auto bad_value = [](std::string_view value) {
    return std::any_of(value.begin(), value.end(), [](char c) {
      auto u = static_cast<unsigned char>(c);
      return (u < 0x20 && c != '\t') || u == 0x7f;
    });
  };
  if (bad_value(response.content_type)) return "the content type contains a control character";
  for (const HeaderField& field : response.headers) {
    if (field.name.empty() || !std::all_of(field.name.begin(), field.name.end(), IsTokenChar)) {
      return "a header name is empty or not an HTTP token";
    }
    if (bad_value(field.value)) return "the value of header " + field.name + " is invalid";
  }
  return "";
}

// Headers the server writes itself: a handler's copy would contradict the framing or the id.
bool IsServerOwnedHeader(std::string_view lower_name) {
  return lower_name == "content-length" || lower_name == "transfer-encoding" ||
         lower_name == "connection" || lower_name == "keep-alive" || lower_name == "x-request-id" ||
         lower_name == "content-type" || lower_name == "upgrade" || lower_name == "trailer";
}

std::string NewRequestId() {
  // Not a secret, only unique enough to find one request in the logs: the per-thread salt
  // stream costs no system call.
  uint8_t bytes[8];
  crypto::SaltRandom(bytes);
  return HexEncode(bytes);
}

std::string_view LevelForStatus(int status) {
  if (status >= 500) return "error";
  if (status >= 400) return "warn";
  return "info";
}

Error InvalidOptions(std::string message) {
  return MakeError(Code::kInvalidArgument, "server.invalid_options", std::move(message));
}
Error TlsFailed(std::string message) {
  return MakeError(Code::kInvalidArgument, "server.tls_failed", std::move(message));
}
Error BindFailed(std::string message) {
  return MakeError(Code::kUnavailable, "server.bind_failed", std::move(message));
}

class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  // Each posts to the session's strand; callable from any thread.
  virtual void Drain() = 0;                           // the server is shutting down: close if idle
  virtual void Abort() = 0;                           // the grace is over: close now
  virtual void Deliver(ServerResponse response) = 0;  // the handler's answer
};

}  // namespace

class Server::Impl : public std::enable_shared_from_this<Server::Impl> {
 public:
  Impl(ServerOptions options, RequestHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        own_clock_(options_.clock == nullptr ? NewSystemClock() : nullptr),
        logger_(options_.log, options_.clock != nullptr ? options_.clock : own_clock_.get()),
        pool_(options_.max_queued_requests) {}

  ~Impl() {
    // Normally Server's destructor has stopped everything; this covers a Start that failed
    // after threads began, and keeps the order of destruction safe either way.
    JoinStopper();
  }

  Status Init();
  void StartThreads();
  uint16_t port() const { return port_; }
  ServerStats Stats() const { return counters_.Snapshot(); }
  void Shutdown(milliseconds grace);
  void Wait();
  void JoinStopper() {
    std::thread stopper;
    {
      std::lock_guard lock(stop_mu_);
      stopper.swap(stopper_);
    }
    if (stopper.joinable()) stopper.join();
  }

  // For sessions and response slots.
  const ServerOptions& options() const { return options_; }
  Counters& counters() { return counters_; }
  const Logger& logger() const { return logger_; }
  bool draining() const { return draining_.load(std::memory_order_acquire); }
  void Register(const std::shared_ptr<SessionBase>& session);
  void Unregister(SessionBase* session);
  // Hands a request to the handler pool. False when the queue is full.
  bool Dispatch(const std::shared_ptr<Impl>& self, std::weak_ptr<SessionBase> session,
                ServerRequest request);
  // Passes a handler's response to its session, unless the event loop is gone for good.
  void Deliver(const std::weak_ptr<SessionBase>& session, ServerResponse response);
  // Logs unless the server has stopped: for code that may run after the shutdown, when the
  // sink may no longer be safe to call.
  void LogIfRunning(std::string_view level, std::string_view event, json::Object fields);

  // Whether StartThreads began (so a failure after it must stop what it started).
  bool started() const { return started_; }

 private:
  Status CheckOptions() const;
  Status SetUpTls();
  Status Bind();
  void RaiseOpenFileLimit();
  void Accept();
  void OnAccept(const error_code& ec, tcp::socket socket);
  void WaitForSignal();
  void RunStop(milliseconds grace);
  // Calls `fn` on every live session, outside the registry's lock.
  template <typename Fn>
  void ForEachSession(Fn fn);
  // Waits until no session is left or `deadline` passes; returns whether none is left.
  bool WaitForSessions(SteadyClock::time_point deadline);
  void RunIo();

  const ServerOptions options_;
  const RequestHandler handler_;
  const std::unique_ptr<Clock> own_clock_;
  const Logger logger_;
  bool started_ = false;
  Counters counters_;
  HandlerPool pool_;
  uint16_t port_ = 0;
  rlim_t open_file_limit_ = 0;

  std::mutex sessions_mu_;
  std::condition_variable sessions_cv_;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions_;

  std::atomic<bool> draining_{false};
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_started_ = false;
  bool stopped_ = false;
  std::thread stopper_;

  // Guards the event loop's lifetime against Respond calls from outside threads: shared while
  // posting, exclusive when the loop is torn down.
  std::shared_mutex gate_mu_;
  bool io_alive_ = true;

  // Sessions' TLS streams use the context: it must outlive the event loop that owns them.
  std::optional<ssl::context> tls_;
  // Declared after everything sessions touch in their destructors, so that destroying the event
  // loop (and with it any session its queued handlers still hold) happens while those exist.
  std::optional<asio::io_context> ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::optional<tcp::acceptor> acceptor_;
  std::optional<asio::steady_timer> accept_timer_;
  std::optional<asio::signal_set> signals_;
  std::vector<std::thread> io_threads_;
};

namespace {

// The one answer to one request, however many copies of its Respond exist. The last copy to go
// answers 500 if nobody answered.
class ResponseSlot {
 public:
  ResponseSlot(std::shared_ptr<Server::Impl> server, std::weak_ptr<SessionBase> session,
               std::string request_id)
      : server_(std::move(server)),
        session_(std::move(session)),
        request_id_(std::move(request_id)) {}
  ResponseSlot(const ResponseSlot&) = delete;
  ResponseSlot& operator=(const ResponseSlot&) = delete;

  ~ResponseSlot() {
    if (answered_.exchange(true)) return;
    json::Object fields = {{"request_id", request_id_},
                           {"what", "the handler dropped Respond without calling it"}};
    server_->LogIfRunning("error", "respond_dropped", std::move(fields));
    server_->Deliver(session_, ProblemResponse(500, "http.internal", "",
                                               "The server could not complete the request."));
  }

  void Answer(ServerResponse response) {
    if (answered_.exchange(true)) return;
    server_->Deliver(session_, std::move(response));
  }

  // The request never reached a handler (queue full): nothing to answer from here.
  void Cancel() { answered_.store(true); }

  const std::string& request_id() const { return request_id_; }

 private:
  std::shared_ptr<Server::Impl> server_;
  std::weak_ptr<SessionBase> session_;
  std::string request_id_;
  std::atomic<bool> answered_{false};
};

// One connection. Stream is tcp::socket or ssl::stream<tcp::socket>; everything else is shared.
// All member functions run on the connection's strand (the socket's executor).
template <typename Stream>
class Session final : public SessionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  template <typename... StreamArgs>
  Session(Server::Impl* server, std::string remote, StreamArgs&&... stream_args)
      : server_(server),
        options_(server->options()),
        stream_(std::forward<StreamArgs>(stream_args)...),
        timer_(stream_.get_executor()),
        buffer_(options_.max_header_bytes + kReadSize),
        remote_(std::move(remote)) {}

  ~Session() override {
    if (in_flight_) Subtract(server_->counters().requests_in_flight);
    server_->Unregister(this);
  }

  // Called on the acceptor's strand: moves to the session's own before touching anything, since
  // a shutdown may already be posting Drain() to it.
  void Start() {
    asio::post(stream_.get_executor(), [self = Self()] { self->Begin(); });
  }

  void Drain() override {
    asio::post(stream_.get_executor(), [self = Self()] {
      if (self->phase_ == Phase::kIdle) self->Close();
    });
  }

  void Abort() override {
    asio::post(stream_.get_executor(), [self = Self()] { self->Close(); });
  }

  void Deliver(ServerResponse response) override {
    asio::post(stream_.get_executor(), [self = Self(), response = std::move(response)]() mutable {
      if (self->phase_ == Phase::kHandler) self->WriteResponse(std::move(response), false);
    });
  }

 private:
  enum class Phase { kHandshake, kIdle, kReading, kHandler, kWriting, kClosing, kClosed };

  // What the log line and the response need to know about the request being served.
  struct Current {
    std::string id;
    std::string method;
    std::string path;
    unsigned version = 11;
    bool keep_alive = false;
    bool head = false;
    SteadyClock::time_point start;
    uint64_t bytes_in = 0;
  };

  std::shared_ptr<Session> Self() { return std::static_pointer_cast<Session>(shared_from_this()); }
  auto& socket() { return beast::get_lowest_layer(stream_); }

  void Begin() {
    if (phase_ == Phase::kClosed) return;  // a shutdown got here first
    if constexpr (kTls) {
      phase_ = Phase::kHandshake;
      Arm(options_.read_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = Self()](const error_code& ec) { self->OnHandshake(ec); });
    } else {
      ReadNext();
    }
  }

  // One timer serves every phase; the generation tells a stale expiry from the current one.
  void Arm(milliseconds timeout) {
    uint64_t generation = ++deadline_generation_;
    timer_.expires_after(timeout);
    timer_.async_wait([self = Self(), generation](const error_code& ec) {
      if (!ec && generation == self->deadline_generation_) self->OnDeadline();
    });
  }
  void Disarm() {
    ++deadline_generation_;
    timer_.cancel();
  }

  void OnDeadline() {
    switch (phase_) {
      case Phase::kHandshake:
        LogTimeout("handshake");
        Close();
        break;
      case Phase::kIdle:
      case Phase::kClosing:
        Close();
        break;
      case Phase::kReading: {
        // Cancelling the read makes it complete with an error, and OnReadError answers 408:
        // the deadline counts from the request's first byte, so a client trickling bytes in
        // (slowloris) is cut off however steadily it sends.
        timed_out_ = true;
        error_code ignored;
        socket().cancel(ignored);
        break;
      }
      case Phase::kWriting:
        LogTimeout("write");
        Close();
        break;
      case Phase::kHandler:
      case Phase::kClosed:
        break;
    }
  }

  void LogTimeout(std::string_view phase) {
    Add(server_->counters().timeouts);
    json::Object fields = {{"phase", phase}, {"remote", remote_}};
    server_->logger().Write("warn", "timeout", std::move(fields));
  }

  void OnHandshake(const error_code& ec) {
    if (phase_ == Phase::kClosed) return;
    if (ec) return Close();
    ReadNext();
  }

  // Between requests: wait (idle_timeout) for the first byte of the next one.
  void ReadNext() {
    if (phase_ == Phase::kClosed) return;
    if (server_->draining()) return Close();
    if (buffer_.size() > 0) return ReadHeader();  // pipelined: already here
    phase_ = Phase::kIdle;
    Arm(options_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadSize),
                            [self = Self()](const error_code& ec, size_t n) {
                              if (self->phase_ == Phase::kClosed) return;
                              if (ec) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    phase_ = Phase::kReading;
    timed_out_ = false;
    current_ = Current{};
    current_.id = NewRequestId();
    current_.start = SteadyClock::now();
    Arm(options_.read_timeout);
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser_->body_limit(static_cast<std::uint64_t>(options_.max_body_bytes));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = Self()](const error_code& ec, size_t n) { self->OnHeader(ec, n); });
  }

  void CountIn(size_t n) {
    current_.bytes_in += n;
    Add(server_->counters().bytes_received, n);
  }

  void OnHeader(error_code ec, size_t n) {
    if (phase_ == Phase::kClosed) return;
    CountIn(n);
    if (timed_out_) ec = asio::error::timed_out;
    if (ec) return OnReadError(ec);
    const auto& request = parser_->get();
    current_.method = std::string(request.method_string());
    std::string_view target(request.target().data(), request.target().size());
    current_.path = std::string(target.substr(0, target.find('?')));
    current_.version = request.version() == 10 ? 10 : 11;
    current_.keep_alive = request.keep_alive();
    current_.head = request.method() == bhttp::verb::head;
    // The parser refuses a Content-Length above body_limit while reading the head (so the 413
    // goes out before any of the body is read); this is the same rule, stated where it is
    // relied on.
    auto length = parser_->content_length();
    if (length.has_value() && *length > options_.max_body_bytes) {
      return OnReadError(bhttp::error::body_limit);
    }
    if (parser_->is_done()) return DispatchRequest();
    auto expect = request[bhttp::field::expect];
    if (request.version() == 11 && beast::iequals(expect, "100-continue")) {
      // Acknowledged only now that the head has passed every check, so a client that waits
      // for it never sends a body that would be refused.
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = Self()](const error_code& ec, size_t) {
                          if (self->phase_ == Phase::kClosed) return;
                          if (ec || self->timed_out_) {
                            return self->OnReadError(ec ? ec : asio::error::timed_out);
                          }
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = Self()](const error_code& ec, size_t n) { self->OnBody(ec, n); });
  }

  void OnBody(error_code ec, size_t n) {
    if (phase_ == Phase::kClosed) return;
    CountIn(n);
    if (timed_out_) ec = asio::error::timed_out;
    if (ec) return OnReadError(ec);
    DispatchRequest();
  }

  void OnReadError(const error_code& ec) {
    if (current_.method.empty() && parser_.has_value()) {
      // A head refused for its Content-Length was parsed whole: name it in the log line.
      const auto& partial = parser_->get();
      current_.method = std::string(partial.method_string());
      std::string_view target(partial.target().data(), partial.target().size());
      current_.path = std::string(target.substr(0, target.find('?')));
    }
    if (timed_out_) {
      LogTimeout("read");
      return SendProblem(408, "http.request_timeout",
                         "The request did not arrive within " +
                             std::to_string(options_.read_timeout.count()) + " ms.");
    }
    if (ec == bhttp::error::body_limit) {
      Add(server_->counters().body_too_large);
      return SendProblem(413, "http.body_too_large",
                         "The request body is larger than the limit of " +
                             std::to_string(options_.max_body_bytes) + " bytes.");
    }
    if (ec == bhttp::error::header_limit ||
        (ec == bhttp::error::buffer_overflow && !parser_->is_header_done())) {
      return SendProblem(431, "http.header_too_large",
                         "The request head is larger than the limit of " +
                             std::to_string(options_.max_header_bytes) + " bytes.");
    }
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
      return Close();  // the client left
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return SendProblem(400, "http.bad_request",
                         "The request is not valid HTTP/1.1 (" + ec.message() + ").");
    }
    Close();  // reset, closed by a shutdown, TLS failure: nobody to answer
  }

  void SendProblem(int status, std::string_view code, std::string detail) {
    ServerResponse response = ProblemResponse(status, code, "", detail);
    if (status == 503) response.headers.push_back({"Retry-After", "1"});
    WriteResponse(std::move(response), status != 503);
  }

  void DispatchRequest() {
    Disarm();
    auto message = parser_->release();
    parser_.reset();
    ServerRequest request;
    request.method = current_.method;
    request.target = std::string(message.target());
    size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    for (const auto& field : message) {
      request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    request.body = std::move(message.body());
    request.remote_address = remote_;
    request.request_id = current_.id;
    request.tls = kTls;

    phase_ = Phase::kHandler;
    self_hold_ = Self();  // nothing else holds the session while a handler works
    in_flight_ = true;
    Add(server_->counters().requests_in_flight);
    if (!server_->Dispatch(server_->shared_from_this(), weak_from_this(), std::move(request))) {
      EndInFlight();
      SendProblem(503, "http.overloaded", "The server is busy; retry in a second.");
    }
  }

  void EndInFlight() {
    if (!in_flight_) return;
    in_flight_ = false;
    Subtract(server_->counters().requests_in_flight);
  }

  void WriteResponse(ServerResponse response, bool must_close) {
    std::string invalid = InvalidResponseReason(response);
    if (!invalid.empty()) {
      json::Object fields = {{"request_id", current_.id}, {"what", ValidUtf8Text(invalid)}};
      server_->logger().Write("error", "invalid_response", std::move(fields));
      response =
          ProblemResponse(500, "http.internal", "", "The server could not complete the request.");
    }
    close_after_ = must_close || !current_.keep_alive || server_->draining();
    status_ = response.status;

    auto& out = message_.emplace();
    out.version(current_.version);
    out.result(static_cast<unsigned>(response.status));
    if (!response.content_type.empty()) {
      out.set(bhttp::field::content_type, response.content_type);
    }
    bool has_cache_control = false;
    for (const HeaderField& field : response.headers) {
      std::string lower = LowerCase(field.name);
      if (IsServerOwnedHeader(lower)) continue;
      if (lower == "cache-control") has_cache_control = true;
      out.insert(field.name, field.value);
    }
    if (!has_cache_control) out.set(bhttp::field::cache_control, "no-store");
    out.set("X-Request-Id", current_.id);
    out.keep_alive(!close_after_);
    if (response.status == 204 || response.status == 304) {
      // No body and no Content-Length (RFC 9110 sections 8.6 and 15.3.5).
    } else {
      out.content_length(response.body.size());
      if (!current_.head) out.body() = std::move(response.body);
    }

    phase_ = Phase::kWriting;
    Arm(options_.write_timeout);
    bhttp::async_write(stream_, out,
                       [self = Self()](const error_code& ec, size_t n) { self->OnWrite(ec, n); });
  }

  void OnWrite(const error_code& ec, size_t n) {
    Counters& counters = server_->counters();
    Add(counters.bytes_sent, n);
    SteadyClock::duration took = SteadyClock::now() - current_.start;
    counters.ObserveResponse(status_, !ec, took);
    EndInFlight();
    self_hold_.reset();
    message_.reset();
    if (server_->logger().enabled()) {
      double ms = std::chrono::duration<double, std::milli>(took).count();
      json::Object fields = {{"request_id", current_.id},
                             {"method", ValidUtf8Text(current_.method)},
                             {"path", ValidUtf8Text(current_.path)},
                             {"status", status_},
                             {"duration_ms", std::round(ms * 1000) / 1000},
                             {"bytes_in", static_cast<int64_t>(current_.bytes_in)},
                             {"bytes_out", static_cast<int64_t>(n)},
                             {"remote", remote_}};
      if (ec) fields.emplace_back("write_error", ec.message());
      server_->logger().Write(LevelForStatus(status_), "request", std::move(fields));
    }
    if (phase_ == Phase::kClosed) return;
    if (ec) return Close();
    if (close_after_) return CloseGracefully();
    ReadNext();
  }

  // Closes after a response that ends the connection, without a reset that could destroy it.
  void CloseGracefully() {
    phase_ = Phase::kClosing;
    Arm(std::min(options_.read_timeout, kLingerTime));
    if constexpr (kTls) {
      // close_notify, so the client can tell the end from a truncation; the peer's reply (or
      // the deadline) ends it.
      stream_.async_shutdown([self = Self()](const error_code&) { self->Close(); });
    } else {
      error_code ignored;
      socket().shutdown(tcp::socket::shutdown_send, ignored);
      DiscardInput();
    }
  }

  void DiscardInput() {
    socket().async_read_some(asio::buffer(discard_),
                             [self = Self()](const error_code& ec, size_t n) {
                               self->discarded_ += n;
                               if (ec || self->discarded_ > kLingerBytes) return self->Close();
                               self->DiscardInput();
                             });
  }

  void Close() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    ++deadline_generation_;
    timer_.cancel();
    error_code ignored;
    socket().close(ignored);
    EndInFlight();
    // Last: may drop the last reference, but every caller runs inside a handler holding one.
    self_hold_.reset();
  }

  Server::Impl* const server_;
  const ServerOptions& options_;
  Stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  const std::string remote_;
  Phase phase_ = Phase::kIdle;
  uint64_t deadline_generation_ = 0;
  bool timed_out_ = false;
  bool in_flight_ = false;
  bool close_after_ = false;
  int status_ = 0;
  Current current_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> message_;
  std::shared_ptr<Session> self_hold_;
  std::array<char, 4096> discard_;
  size_t discarded_ = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Server::Impl

Status Server::Impl::CheckOptions() const {
  const ServerOptions& o = options_;
  if (o.io_threads < 1 || o.handler_threads < 1) {
    return InvalidOptions("io_threads and handler_threads must be at least 1");
  }
  if (o.read_timeout.count() <= 0 || o.idle_timeout.count() <= 0 || o.write_timeout.count() <= 0 ||
      o.shutdown_grace.count() < 0) {
    return InvalidOptions("read, idle and write timeouts must be positive");
  }
  if (o.max_connections < 1 || o.max_queued_requests < 1) {
    return InvalidOptions("max_connections and max_queued_requests must be at least 1");
  }
  if (o.max_header_bytes < 1 || o.max_header_bytes > std::numeric_limits<uint32_t>::max()) {
    return InvalidOptions("max_header_bytes must be between 1 and 4294967295");
  }
  if (o.tls_cert_file.has_value() != o.tls_key_file.has_value()) {
    return InvalidOptions("TLS needs both tls_cert_file and tls_key_file, or neither");
  }
  return OkStatus();
}

Status Server::Impl::SetUpTls() {
  if (!options_.tls_cert_file.has_value()) return OkStatus();
  tls_.emplace(ssl::context::tls_server);
  SSL_CTX* native = tls_->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  tls_->set_options(ssl::context::default_workarounds | ssl::context::single_dh_use);
  error_code ec;
  tls_->use_certificate_chain_file(*options_.tls_cert_file, ec);
  if (ec) {
    return TlsFailed("could not load the TLS certificate chain from \"" + *options_.tls_cert_file +
                     "\": " + ec.message());
  }
  tls_->use_private_key_file(*options_.tls_key_file, ssl::context::pem, ec);
  if (ec) {
    return TlsFailed("could not load the TLS private key from \"" + *options_.tls_key_file +
                     "\" (or it does not match the certificate): " + ec.message());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return TlsFailed("the TLS private key in \"" + *options_.tls_key_file +
                     "\" does not match the certificate in \"" + *options_.tls_cert_file + "\"");
  }
  return OkStatus();
}

void Server::Impl::RaiseOpenFileLimit() {
  // Each connection is a descriptor; the usual soft limit (1024) would refuse connections long
  // before max_connections. Raising the soft limit to the hard one needs no privilege.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  open_file_limit_ = limit.rlim_cur;
}

Status Server::Impl::Bind() {
  error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    // Not an address: a local name such as "localhost".
    tcp::resolver resolver(*ioc_);
    auto results = resolver.resolve(options_.host, std::to_string(options_.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      return InvalidOptions("host \"" + options_.host +
                            "\" is neither an IP address nor a name that resolves" +
                            (ec ? ": " + ec.message() : std::string()));
    }
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, options_.port);
  std::string where = (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) +
                      ":" + std::to_string(options_.port);
  // On a strand of its own: the accept loop, the backoff timer, the signals and the shutdown's
  // close all touch the acceptor, from whichever I/O thread runs them.
  acceptor_.emplace(asio::make_strand(*ioc_));
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return BindFailed("could not listen on " + where + ": " + ec.message());
  port_ = acceptor_->local_endpoint(ec).port();
  if (ec) return BindFailed("could not read the bound port: " + ec.message());
  return OkStatus();
}

Status Server::Impl::Init() {
  LANYARD_TRY(CheckOptions());
  LANYARD_TRY(SetUpTls());
  ioc_.emplace(options_.io_threads);
  work_.emplace(ioc_->get_executor());
  LANYARD_TRY(Bind());
  accept_timer_.emplace(acceptor_->get_executor());
  if (!options_.stop_signals.empty()) {
    signals_.emplace(acceptor_->get_executor());
    for (int signal : options_.stop_signals) {
      error_code ec;
      signals_->add(signal, ec);
      if (ec) {
        return InvalidOptions("cannot handle signal " + std::to_string(signal) + ": " +
                              ec.message());
      }
    }
  }
  RaiseOpenFileLimit();
  return OkStatus();
}

void Server::Impl::RunIo() {
  t_current_server = this;
  // Handlers in this file catch what they expect; anything else (allocation failure) is logged
  // and the loop carries on, since one connection's trouble must not stop the server.
  for (;;) {
    try {
      ioc_->run();
      return;
    } catch (const std::exception& e) {
      json::Object fields = {{"what", ValidUtf8Text(e.what())}};
      logger_.Write("error", "io_exception", std::move(fields));
    }
  }
}

void Server::Impl::StartThreads() {
  started_ = true;
  pool_.Start(options_.handler_threads, this);
  asio::post(acceptor_->get_executor(), [this] { Accept(); });
  if (signals_.has_value()) WaitForSignal();
  for (int i = 0; i < options_.io_threads; ++i) io_threads_.emplace_back([this] { RunIo(); });
  json::Object fields = {{"address", options_.host},
                         {"port", static_cast<int>(port_)},
                         {"tls", tls_.has_value()},
                         {"max_open_files", static_cast<int64_t>(open_file_limit_)}};
  logger_.Write("info", "listening", std::move(fields));
}

void Server::Impl::WaitForSignal() {
  signals_->async_wait([this](const error_code& ec, int signal) {
    if (ec) return;  // cancelled by the shutdown
    json::Object fields = {{"signal", signal}};
    logger_.Write("info", "signal", std::move(fields));
    Shutdown(options_.shutdown_grace);
  });
}

void Server::Impl::Accept() {
  acceptor_->async_accept(
      asio::make_strand(*ioc_),
      [this](const error_code& ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void Server::Impl::OnAccept(const error_code& ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
  if (ec) {
    json::Object fields = {{"what", ec.message()}};
    logger_.Write("error", "accept_failed", std::move(fields));
    accept_timer_->expires_after(kAcceptBackoff);
    accept_timer_->async_wait([this](const error_code& wait_ec) {
      if (!wait_ec && acceptor_->is_open()) Accept();
    });
    return;
  }
  error_code ignored;
  std::string remote = socket.remote_endpoint(ignored).address().to_string();
  if (draining()) {
    socket.close(ignored);
    return;
  }
  if (Load(counters_.connections_open) >= options_.max_connections) {
    // Accepted and closed at once: left in the backlog, the connection would hang the client
    // until it timed out, and the backlog would fill for everyone.
    Add(counters_.connections_refused);
    socket.close(ignored);
    json::Object fields = {{"remote", remote},
                           {"open", static_cast<int64_t>(Load(counters_.connections_open))}};
    logger_.Write("warn", "connection_refused", std::move(fields));
    return Accept();
  }
  socket.set_option(tcp::no_delay(true), ignored);
  std::shared_ptr<SessionBase> session;
  try {
    if (tls_.has_value()) {
      auto s = std::make_shared<Session<ssl::stream<tcp::socket>>>(this, remote, std::move(socket),
                                                                   *tls_);
      Register(s);
      s->Start();
    } else {
      auto s = std::make_shared<Session<tcp::socket>>(this, remote, std::move(socket));
      Register(s);
      s->Start();
    }
  } catch (const std::exception& e) {
    json::Object fields = {{"what", ValidUtf8Text(e.what())}};
    logger_.Write("error", "accept_failed", std::move(fields));
  }
  Accept();
}

void Server::Impl::Register(const std::shared_ptr<SessionBase>& session) {
  Add(counters_.connections_open);
  Add(counters_.connections_accepted);
  std::lock_guard lock(sessions_mu_);
  sessions_.emplace(session.get(), session);
}

void Server::Impl::Unregister(SessionBase* session) {
  {
    std::lock_guard lock(sessions_mu_);
    sessions_.erase(session);
  }
  Subtract(counters_.connections_open);
  sessions_cv_.notify_all();
}

template <typename Fn>
void Server::Impl::ForEachSession(Fn fn) {
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(sessions_mu_);
    live.reserve(sessions_.size());
    for (auto& [raw, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) fn(*session);
}

bool Server::Impl::WaitForSessions(SteadyClock::time_point deadline) {
  std::unique_lock lock(sessions_mu_);
  return sessions_cv_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

bool Server::Impl::Dispatch(const std::shared_ptr<Impl>& self, std::weak_ptr<SessionBase> session,
                            ServerRequest request) {
  auto slot = std::make_shared<ResponseSlot>(self, std::move(session), request.request_id);
  std::function<void()> task = [this, slot, request = std::move(request)]() mutable {
    Respond respond = [slot](ServerResponse response) { slot->Answer(std::move(response)); };
    std::string what;
    try {
      handler_(std::move(request), std::move(respond));
      return;
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
      what = "an exception that is not a std::exception";
    }
    json::Object fields = {{"request_id", slot->request_id()}, {"what", ValidUtf8Text(what)}};
    logger_.Write("error", "handler_exception", std::move(fields));
    slot->Answer(
        ProblemResponse(500, "http.internal", "", "The server could not complete the request."));
  };
  if (pool_.TryPost(task)) return true;
  slot->Cancel();  // our copy keeps it alive past the task's destruction, so no 500 from it
  return false;
}

void Server::Impl::Deliver(const std::weak_ptr<SessionBase>& session, ServerResponse response) {
  std::shared_lock lock(gate_mu_);
  if (!io_alive_) return;
  if (auto live = session.lock()) live->Deliver(std::move(response));
}

void Server::Impl::LogIfRunning(std::string_view level, std::string_view event,
                                json::Object fields) {
  std::shared_lock lock(gate_mu_);
  if (io_alive_) logger_.Write(level, event, std::move(fields));
}

void Server::Impl::Shutdown(milliseconds grace) {
  {
    std::lock_guard lock(stop_mu_);
    if (!stop_started_) {
      stop_started_ = true;
      // Set before returning, so a response written after Shutdown() returns (a handler's own,
      // say) already carries Connection: close.
      draining_.store(true, std::memory_order_release);
      // A thread of its own, so that a handler (or the signal handler) can start the shutdown
      // without joining itself.
      stopper_ = std::thread([this, grace] { RunStop(grace); });
    }
  }
  if (t_current_server == this) return;
  Wait();
}

void Server::Impl::Wait() {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait(lock, [this] { return stopped_; });
}

void Server::Impl::RunStop(milliseconds grace) {
  const auto deadline = SteadyClock::now() + grace;
  {
    json::Object fields = {{"grace_ms", static_cast<int64_t>(grace.count())}};
    logger_.Write("info", "shutdown_started", std::move(fields));
  }
  asio::post(acceptor_->get_executor(), [this] {
    error_code ignored;
    acceptor_->close(ignored);
    accept_timer_->cancel();
    if (signals_.has_value()) signals_->cancel(ignored);
  });
  // Sessions that go idle from now on close themselves (ReadNext checks draining()); these are
  // the ones already idle.
  ForEachSession([](SessionBase& session) { session.Drain(); });
  bool forced = !WaitForSessions(deadline);
  if (forced) {
    ForEachSession([](SessionBase& session) { session.Abort(); });
    // Aborted sessions close on their strands at once; a short bound covers a wedged loop.
    (void)WaitForSessions(SteadyClock::now() + std::chrono::seconds(5));
  }
  pool_.Stop();
  work_.reset();
  ioc_->stop();
  for (std::thread& thread : io_threads_) {
    if (thread.joinable()) thread.join();
  }
  {
    std::unique_lock lock(gate_mu_);
    io_alive_ = false;
  }
  // Whatever the loop still queued (only after a forced stop) is destroyed with it, and the
  // sessions it held with them, while everything they use still exists.
  signals_.reset();
  accept_timer_.reset();
  acceptor_.reset();
  ioc_.reset();
  {
    json::Object fields = {{"forced", forced}};
    logger_.Write("info", "shutdown_finished", std::move(fields));
  }
  {
    std::lock_guard lock(stop_mu_);
    stopped_ = true;
  }
  stop_cv_.notify_all();
}

// ---------------------------------------------------------------------------------------------
// Server

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, RequestHandler handler) {
  std::shared_ptr<Impl> impl;
  try {
    impl = std::make_shared<Impl>(std::move(options), std::move(handler));
    LANYARD_TRY(impl->Init());
    impl->StartThreads();
    return std::unique_ptr<Server>(new Server(std::move(impl)));
  } catch (const std::exception& e) {
    // Thread creation or allocation failed: stop whatever had started before reporting it.
    if (impl != nullptr && impl->started()) {
      impl->Shutdown(milliseconds(0));
      impl->JoinStopper();
    }
    return MakeError(Code::kUnavailable, "server.start_failed",
                     std::string("could not start the server: ") + e.what());
  }
}

Server::Server(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  impl_->Shutdown(std::chrono::seconds(30));
  impl_->Wait();
  impl_->JoinStopper();
}

uint16_t Server::port() const { return impl_->port(); }
ServerStats Server::Stats() const { return impl_->Stats(); }
void Server::Shutdown(milliseconds grace) { impl_->Shutdown(grace); }
void Server::Wait() { impl_->Wait(); }

}  // namespace lanyard::http
