// Lanyard's HTTP/1.1 server core: connections, limits, timeouts, a handler pool, logs, metrics.
//
// Server::Start binds a listening socket and serves every request by calling one
// RequestHandler; routing, authentication and the API itself sit above it. What it guarantees
// to the code above:
//   - I/O is asynchronous on `io_threads` (no thread per connection), so idle keep-alive
//     connections and slow clients cost memory, not threads. Handlers run on a separate pool of
//     `handler_threads`, so a slow handler never stalls other connections.
//   - Limits and timeouts are enforced before a handler sees anything, each answered with an
//     RFC 9457 problem (problem.h) and the connection closed:
//       http.bad_request        400  malformed HTTP
//       http.request_timeout    408  the whole request (head and body) did not arrive within
//                                    read_timeout, however steadily it trickled in
//       http.body_too_large     413  a Content-Length above max_body_bytes (answered before any
//                                    of the body is read) or a chunked body growing past it
//       http.header_too_large   431  a request head above max_header_bytes
//     and, keeping the connection:
//       http.overloaded         503  more than max_queued_requests waiting for a handler thread
//                                    (with Retry-After: 1)
//       http.internal           500  the handler threw, answered an invalid response, or let its
//                                    last copy of Respond go without calling it
//   - Every response carries X-Request-Id (the request's request_id) and, unless the handler set
//     its own, Cache-Control: no-store. No Server header: versions are not advertised. The
//     server owns framing: a handler's Content-Length, Transfer-Encoding, Connection, Keep-Alive,
//     Upgrade, Trailer and X-Request-Id headers are ignored, and Content-Type comes from
//     ServerResponse::content_type alone.
//   - Idle keep-alive connections close after idle_timeout; a response that cannot be written
//     within write_timeout closes its connection; a TLS handshake gets read_timeout.
//   - Beyond max_connections open connections, new ones are accepted and closed at once (counted
//     in connections_refused); open ones are unaffected.
//   - One JSON line per request and per server event goes to `log` (see ServerOptions::log).
//     Request lines carry the path only, never the query string (it may hold tokens).
//
// Thread-safety: all Server methods may be called from any thread, including a handler thread,
// except the destructor (not from one of the server's own threads). Respond may be called from
// any thread. The handler and the log sink are called from several threads at once.
//
// No Boost header is included here: Beast stays inside server.cc.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"

namespace lanyard::http {

struct HeaderField {
  std::string name;
  std::string value;
};

struct ServerRequest {
  std::string method;                // "GET", "POST", ... as sent
  std::string target;                // raw request-target
  std::string path;                  // target up to '?', not decoded
  std::string query;                 // after '?', not decoded ("" if none)
  std::vector<HeaderField> headers;  // in the order sent; names as sent
  std::string body;
  std::string remote_address;  // peer IP text
  std::string request_id;      // random per request, 16 lowercase hex digits; sent as X-Request-Id
  bool tls = false;

  // The value of the first header named `name` (compared case-insensitively), or nullopt. The
  // view points into `headers`.
  std::optional<std::string_view> Header(std::string_view name) const;
};

struct ServerResponse {
  int status = 200;  // 200..599; anything else is answered as a 500 problem
  std::string content_type = "application/json";  // empty: no Content-Type header
  // Extra headers, in order; a name may repeat (Set-Cookie). Names must be HTTP tokens and
  // values free of control characters other than tab, or the response becomes a 500 problem.
  std::vector<HeaderField> headers;
  std::string body;  // dropped for HEAD requests and for 204 and 304 (Content-Length kept for HEAD)
};

// Answers the request. Call exactly once, from any thread; later calls are ignored. If every
// copy is destroyed without a call, the client gets a 500 http.internal problem.
using Respond = std::function<void(ServerResponse)>;
// Runs on a handler thread. May call Respond before returning or keep it and call it later.
// An exception escaping it is logged and answered with a 500 http.internal problem.
using RequestHandler = std::function<void(ServerRequest, Respond)>;

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP address or a name that resolves locally
  uint16_t port = 0;               // 0 = a free port (see Server::port())
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout{10'000};  // the whole request (head and body) must
                                                   // arrive within this of its first byte
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{10'000};
  size_t max_connections = 10'000;
  int io_threads = 1;
  int handler_threads = 8;  // handlers run on this pool, so a slow handler never blocks I/O
  size_t max_queued_requests = 4096;  // waiting for a handler thread; beyond: 503 + Retry-After
  std::optional<std::string> tls_cert_file, tls_key_file;  // PEM; both or neither
  // Receives one JSON line (no newline) per request and per server event. Called from I/O and
  // handler threads, possibly at the same time: it must be thread-safe and quick. May be empty.
  //   request: {"ts","level","event":"request","request_id","method","path","status",
  //             "duration_ms","bytes_in","bytes_out","remote"}; level is "info" below 400,
  //             "warn" for 4xx, "error" for 5xx.
  //   events:  "listening" (address, port, tls), "shutdown_started" (grace_ms),
  //            "shutdown_finished" (forced: whether grace ran out), "connection_refused"
  //            (remote, open), "timeout" (phase: "handshake" | "read" | "write", remote),
  //            "handler_exception" (request_id, what), "invalid_response" (request_id, what),
  //            "accept_failed" (what), "signal" (signal).
  //   "ts" is RFC 3339 UTC with milliseconds, e.g. "2026-08-05T09:00:00.250Z".
  std::function<void(std::string_view json_line)> log;
  const Clock* clock = nullptr;   // for log timestamps; nullptr = the system clock. Must outlive
                                  // the server.
  std::vector<int> stop_signals;  // e.g. {SIGTERM, SIGINT}: the server then shuts down
                                  // gracefully on them (with shutdown_grace); Wait() returns
                                  // once it has stopped
  std::chrono::milliseconds shutdown_grace{30'000};  // the grace a stop signal gives
};

// A snapshot of the server's counters (each read atomically; the set is not one instant).
struct ServerStats {
  // Upper bounds (seconds) of the request duration histogram's buckets; +Inf follows them.
  static constexpr std::array<double, 10> kDurationBounds = {0.001, 0.005, 0.01, 0.025, 0.05,
                                                             0.1,   0.25,  0.5,  1,     2.5};

  uint64_t connections_open = 0;
  uint64_t connections_accepted = 0;  // not counting refused ones
  uint64_t connections_refused = 0;   // closed at once: max_connections reached
  uint64_t requests_total = 0;        // responses attempted, server's own problems included
  uint64_t responses_2xx = 0;         // by status class, once written
  uint64_t responses_3xx = 0;
  uint64_t responses_4xx = 0;
  uint64_t responses_5xx = 0;
  uint64_t requests_in_flight = 0;  // handed to the handler pool, response not yet written
  // Cumulative, as Prometheus wants: duration_buckets[i] counts requests that took at most
  // kDurationBounds[i]; the last entry (+Inf) equals duration_count. Duration runs from the
  // request's first byte to its response being written.
  std::array<uint64_t, kDurationBounds.size() + 1> duration_buckets{};
  double duration_seconds_sum = 0;
  uint64_t duration_count = 0;
  uint64_t bytes_received = 0;  // request bytes parsed (after TLS decryption)
  uint64_t bytes_sent = 0;      // response bytes written (before TLS encryption)
  uint64_t timeouts = 0;        // handshake, read and write timeouts (idle closes not counted)
  uint64_t body_too_large = 0;  // 413s
};

// Appends `stats` in the Prometheus text exposition format 0.0.4 (metric names lanyard_http_*,
// each with # HELP and # TYPE lines; the histogram as lanyard_http_request_duration_seconds).
void AppendPrometheus(const ServerStats& stats, std::string* out);

class Server {
 public:
  class Impl;

  // Binds, listens, raises the soft RLIMIT_NOFILE to the hard limit (so thousands of idle
  // connections fit), starts the I/O and handler threads, and returns once accepting.
  // Errors:
  //   server.invalid_options (kInvalidArgument) a zero thread count, timeout, connection or queue
  //                          limit, a header limit above 4 GiB, only one of the TLS files, or a
  //                          host that is neither an address nor resolvable
  //   server.tls_failed      (kInvalidArgument) a certificate or key file that cannot be read
  //                          or parsed, or a key that does not match the certificate
  //   server.bind_failed     (kUnavailable) the address cannot be bound or listened on (the
  //                          message carries the system's words, e.g. "Address already in use")
  // REQUIRES: handler is callable.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, RequestHandler handler);

  // Shuts down as Shutdown() would, if still running, and waits until stopped.
  // REQUIRES: not called from one of this server's own threads (a handler).
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;  // the bound port (the chosen one when options.port was 0)
  ServerStats Stats() const;

  // Graceful shutdown: stops accepting, closes idle keep-alive connections, lets requests
  // already being read or handled finish and their responses be written (each with
  // Connection: close), for up to `grace`; then closes whatever is left, waits for the handler
  // threads to return, and stops all threads. Idempotent (the first call's grace counts) and
  // thread-safe. From outside the server's threads it returns once stopped; called from a
  // handler (or the I/O threads) it only starts the shutdown and returns at once.
  // A handler that never returns keeps its thread, and so the shutdown, waiting.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(30));

  // Blocks until the server has stopped (after Shutdown, or a stop signal).
  // REQUIRES: not called from one of this server's own threads.
  void Wait();

 private:
  explicit Server(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace lanyard::http
