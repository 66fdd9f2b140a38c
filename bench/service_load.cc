// The passport service under load: a real `lanyard serve` process on loopback, driven by a
// bounded number of keep-alive connections from this one process, on the same machine.
//
//   lanyard_service_load --lanyard PATH [--connections 64] [--seconds 10] [--warmup 2]
//                        [--handler-threads N (default: = connections)] [--dir DIR] [--keep]
//                        [--serve-arg ARG]... [--issue-rate R] [--verify-rate R]
//
// What it does, all in one run (the machines are shared and noisy, so every figure is printed
// beside references measured in the same run):
//   1. sets up a fresh deployment in a temporary directory the way an operator would: the
//      administration commands (two organisations, an hr_issuer token for RGT and a verifier
//      token for R1H), then, over HTTP, invitations and sign-ups of staff members;
//   2. starts `lanyard serve` as a child process on a free loopback port;
//   3. issuance: POST /orgs/RGT/credentials (DBS claims, schema-checked, Data Integrity with
//      revocation and suspension entries, durable before the 201), first saturated (every
//      connection sends its next request as soon as the last is answered), then paced at the
//      goal rate (open loop: latency counts from when a request was due, so a stall is not
//      hidden by the driver waiting for it);
//   4. verification: POST /credentials/verify (VC-API) of the credentials just issued, round
//      robin, by the other organisation's verifier, saturated and then paced; any answer but
//      200 with "verified":true is an error;
//   5. references: raw libsodium Ed25519 sign and verify (one core), write + fdatasync of 4 KiB
//      on the database's file system, and IssuerService::Issue in-process on the same
//      deployment (with the server stopped) from as many threads as the server has handlers.
// Server memory is the child's VmRSS from /proc, sampled every 100 ms; store batches per
// transaction come from /metrics.
//
// Exits 1 on any error (a non-2xx answer, a failed verification, a broken connection), never
// because a goal was missed: a benchmark reports, it does not judge.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sodium.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/service/deployment.h"

namespace {

using namespace lanyard;
using Steady = std::chrono::steady_clock;

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

// The DBS claims every issuance sends (tests/http/dbs-claims.json).
constexpr const char* kDbsClaims =
    R"({"recordType":"DBSCheckOutcome","applicantFirstName":"Amara","applicantMiddleNames":"Grace",)"
    R"("applicantSurname":"Okafor","applicantDateOfBirth":"1988-04-12",)"
    R"("typeOfDbsCheck":"Enhanced with barred list(s) check","adultsBarredListChecked":true,)"
    R"("childrensBarredListChecked":false,"certificateNumber":"001234567890",)"
    R"("disclosureIssueDate":"2026-02-27","informationDisclosed":false,"workforceType":"Adult",)"
    R"("registeredBodyNumber":"20012345678",)"
    R"("registeredBodyName":"Leeds Teaching Hospitals NHS Trust","updateServiceSubscribed":true,)"
    R"("originalCertificateSeen":true,"lastStatusCheckDate":"2026-03-02",)"
    R"("lastStatusCheckResult":"BLANK_NO_NEW_INFO"})";

// ---------------------------------------------------------------------------------------------
// Processes.

struct Captured {
  int exit_code = -1;
  std::string out, err;
};

// Runs argv to completion with `input` on its standard input.
Captured Run(const std::vector<std::string>& argv, const std::string& input = "") {
  Captured c;
  int in[2], out[2], err[2];
  if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) return c;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!input.empty()) (void)!write(in[1], input.data(), input.size());
  close(in[1]);
  // Small outputs: read stdout then stderr (the commands here print a line or two).
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) c.out.append(buf, n);
  for (ssize_t n; (n = read(err[0], buf, sizeof buf)) > 0;) c.err.append(buf, n);
  close(out[0]);
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return c;
}

uint16_t FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// VmRSS of a process in bytes (0 when unreadable).
uint64_t RssBytes(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
  }
  return 0;
}

// User + system CPU seconds a process has used.
double CpuSeconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream rest(stat.substr(paren + 2));
  std::string field;
  // After the command: state is field 3; utime and stime are fields 14 and 15.
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::strtod(field.c_str(), nullptr);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double OwnCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// HTTP.

int Connect(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

std::string RequestText(const std::string& method, const std::string& path,
                        const std::string& body, const std::string& token) {
  std::string r = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty() || method == "POST") {
    r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n";
  }
  r += "\r\n" + body;
  return r;
}

// Where a complete response ends in `buf`, with its status and body; nullopt while incomplete.
// Returns status -1 for a response this driver cannot frame (no Content-Length).
struct Parsed {
  int status = 0;
  size_t end = 0;
  size_t body_at = 0;
};
std::optional<Parsed> ParseResponse(const std::string& buf) {
  size_t head_end = buf.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::nullopt;
  Parsed p;
  p.status = buf.size() > 12 ? std::atoi(buf.c_str() + 9) : -1;
  p.body_at = head_end + 4;
  size_t length = std::string::npos;
  for (size_t at = buf.find("\r\n"); at < head_end; at = buf.find("\r\n", at + 2)) {
    if (strncasecmp(buf.c_str() + at + 2, "content-length:", 15) == 0) {
      length = std::strtoull(buf.c_str() + at + 17, nullptr, 10);
    }
  }
  if (length == std::string::npos) {
    p.status = -1;
    p.end = p.body_at;
    return p;
  }
  if (buf.size() < p.body_at + length) return std::nullopt;
  p.end = p.body_at + length;
  return p;
}

struct Reply {
  int status = 0;
  std::string body;
};

// One blocking request on a fresh connection (set-up and scrapes, not the load).
Reply Call(uint16_t port, const std::string& method, const std::string& path,
           const std::string& body = "", const std::string& token = "") {
  Reply r;
  int fd = Connect(port);
  if (fd < 0) return r;
  std::string req = RequestText(method, path, body, token);
  if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    close(fd);
    return r;
  }
  std::string buf;
  char chunk[65536];
  for (;;) {
    if (auto p = ParseResponse(buf)) {
      r.status = p->status;
      r.body = buf.substr(p->body_at, p->end - p->body_at);
      break;
    }
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buf.append(chunk, n);
  }
  close(fd);
  return r;
}

// A Prometheus sample's value from /metrics text ("name" or "name{labels}" exactly).
double Metric(const std::string& text, const std::string& name) {
  size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return 0;
  return std::strtod(text.c_str() + at + name.size() + 2, nullptr);
}

// ---------------------------------------------------------------------------------------------
// The load driver: one thread, epoll, `connections` keep-alive connections, at most one request
// outstanding on each. Kept to one thread so that it takes as little CPU from the server (which
// shares the machine) as it can; its own CPU use is printed.

struct PhaseResult {
  std::string name;
  double seconds = 0;
  uint64_t completed = 0;  // 2xx (and verified, for verification) within the measured window
  uint64_t errors = 0;
  std::map<std::string, uint64_t> error_kinds;
  std::string first_error;
  std::vector<uint32_t> latency_us;
  uint64_t max_rss = 0;
  double server_cpu = 0;  // cores used by the server during the window
  double driver_cpu = 0;  // cores used by this driver
  double batches = 0, transactions = 0;
  double target_rate = 0;  // 0: saturated

  double rate() const { return completed / seconds; }
  double Percentile(double p) const {
    if (latency_us.empty()) return 0;
    size_t i = std::min(latency_us.size() - 1,
                        static_cast<size_t>(std::ceil(p * latency_us.size())) - 1);
    return latency_us[i] / 1000.0;
  }
};

// epoll_wait with a timeout finer than its milliseconds (epoll_pwait2, Linux 5.11); on an older
// kernel the wait rounds up to whole milliseconds rather than spinning.
int WaitForEvents(int ep, std::vector<epoll_event>& events, Steady::duration timeout) {
  static bool fine = true;
  const int max = static_cast<int>(events.size());
  if (fine) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    int n = epoll_pwait2(ep, events.data(), max, &ts, nullptr);
    if (n >= 0 || errno != ENOSYS) return n;
    fine = false;
  }
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
  return epoll_wait(ep, events.data(), max, static_cast<int>(ms));
}

struct LoadSpec {
  std::string name;
  uint16_t port = 0;
  pid_t server = 0;
  int connections = 64;
  double warmup = 2, seconds = 10;
  double rate = 0;  // requests per second; 0: saturated (closed loop)
  // The request for the i-th send (complete HTTP text).
  std::function<const std::string&(uint64_t)> request;
  // Whether a 2xx body counts as success (verification must say verified); may be null.
  std::function<bool(std::string_view)> accept;
  // Called with measured successful bodies (to collect issued credentials); may be null.
  std::function<void(std::string_view)> keep;
};

PhaseResult Drive(const LoadSpec& spec) {
  PhaseResult out;
  out.name = spec.name;
  out.target_rate = spec.rate;
  struct Conn {
    int fd = -1;
    std::string in;
    const std::string* req = nullptr;
    size_t sent = 0;
    bool busy = false;
    Steady::time_point due;  // when this request was due (paced) or sent (saturated)
  };
  int ep = epoll_create1(0);
  std::vector<Conn> conns(spec.connections);
  // Every error counts, in the warm-up too: none is expected at any time.
  auto error = [&](Conn*, const std::string& kind, std::string_view detail, bool) {
    ++out.errors;
    ++out.error_kinds[kind];
    if (out.first_error.empty()) out.first_error = kind + ": " + std::string(detail.substr(0, 400));
  };
  for (int i = 0; i < spec.connections; ++i) {
    conns[i].fd = Connect(spec.port);
    if (conns[i].fd < 0) {
      error(nullptr, "connect", std::strerror(errno), true);
      continue;
    }
    fcntl(conns[i].fd, F_SETFL, O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = i;
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
  }
  const Steady::time_point start = Steady::now();
  const Steady::time_point measure_from =
      start + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(spec.warmup));
  const Steady::time_point end =
      measure_from +
      std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(spec.seconds));
  const Steady::duration interval =
      spec.rate > 0 ? std::chrono::duration_cast<Steady::duration>(
                          std::chrono::duration<double>(1.0 / spec.rate))
                    : Steady::duration::zero();
  Steady::time_point next_due = start;
  std::deque<Steady::time_point> waiting;  // paced: due, not yet sent (all connections busy)
  std::vector<int> idle;
  for (int i = spec.connections - 1; i >= 0; --i) {
    if (conns[i].fd >= 0) idle.push_back(i);
  }
  uint64_t seq = 0;
  double cpu0 = 0, own0 = 0;
  double tx0 = 0, batches0 = 0;
  bool measuring = false;
  Steady::time_point next_sample = start;
  out.latency_us.reserve(static_cast<size_t>(std::max(1.0, spec.seconds * 20000)));

  auto send_more = [&](Conn& c) -> bool {
    while (c.sent < c.req->size()) {
      ssize_t n = send(c.fd, c.req->data() + c.sent, c.req->size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN) return true;
        return false;
      }
      c.sent += n;
    }
    return true;
  };
  auto start_request = [&](int i, Steady::time_point due) {
    Conn& c = conns[i];
    c.req = &spec.request(seq++);
    c.sent = 0;
    c.busy = true;
    c.due = due;
    c.in.clear();
    if (!send_more(c)) error(&c, "send", std::strerror(errno), due >= measure_from);
    if (c.sent < c.req->size()) {
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLOUT;
      ev.data.u32 = i;
      epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
    }
  };

  std::vector<epoll_event> events(spec.connections + 1);
  for (;;) {
    Steady::time_point now = Steady::now();
    if (!measuring && now >= measure_from) {
      measuring = true;
      cpu0 = CpuSeconds(spec.server);
      own0 = OwnCpuSeconds();
      Reply m = Call(spec.port, "GET", "/metrics");
      tx0 = Metric(m.body, "lanyard_store_transactions_total");
      batches0 = Metric(m.body, "lanyard_store_batches_total{outcome=\"applied\"}");
    }
    if (now >= end) break;
    if (now >= next_sample) {
      if (measuring) out.max_rss = std::max(out.max_rss, RssBytes(spec.server));
      next_sample = now + std::chrono::milliseconds(100);
    }
    // Hand out work.
    if (spec.rate > 0) {
      while (next_due <= now) {
        waiting.push_back(next_due);
        next_due += interval;
      }
      while (!waiting.empty() && !idle.empty()) {
        int i = idle.back();
        idle.pop_back();
        start_request(i, waiting.front());
        waiting.pop_front();
      }
    } else {
      while (!idle.empty()) {
        int i = idle.back();
        idle.pop_back();
        start_request(i, now);
      }
    }
    // Paced: sleep until the next request is due (to the microsecond: at thousands a second the
    // gap is under a millisecond, and a driver spinning through it takes a core from the server
    // it shares the machine with).
    Steady::duration timeout = std::chrono::milliseconds(100);
    if (spec.rate > 0 && waiting.empty()) {  // with requests waiting only a completion can help
      timeout = std::clamp<Steady::duration>(next_due - now, Steady::duration::zero(), timeout);
    }
    int n = WaitForEvents(ep, events, timeout);
    now = Steady::now();
    for (int k = 0; k < n; ++k) {
      int i = static_cast<int>(events[k].data.u32);
      Conn& c = conns[i];
      if (events[k].events & EPOLLOUT) {
        if (!send_more(c)) error(&c, "send", std::strerror(errno), c.due >= measure_from);
        if (c.sent == c.req->size()) {
          epoll_event ev{};
          ev.events = EPOLLIN;
          ev.data.u32 = i;
          epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
        }
      }
      if (!(events[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
      char buf[65536];
      bool closed = false;
      for (;;) {
        ssize_t got = recv(c.fd, buf, sizeof buf, 0);
        if (got > 0) {
          c.in.append(buf, got);
          continue;
        }
        if (got == 0 || errno != EAGAIN) closed = true;
        break;
      }
      auto parsed = ParseResponse(c.in);
      // Counted when it completes inside the window, whenever it was due: an overloaded
      // server's backlog from the warm-up then shows as latency, not as missing throughput.
      bool counted = now >= measure_from && now < end;
      if (parsed) {
        std::string_view body(c.in.data() + parsed->body_at, parsed->end - parsed->body_at);
        if (parsed->status < 200 || parsed->status > 299) {
          error(&c, "HTTP " + std::to_string(parsed->status), body, counted);
        } else if (spec.accept && !spec.accept(body)) {
          error(&c, "not accepted", body, counted);
        } else if (counted) {
          ++out.completed;
          out.latency_us.push_back(static_cast<uint32_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(now - c.due).count()));
          if (spec.keep) spec.keep(body);
        }
        c.busy = false;
        c.in.erase(0, parsed->end);
        idle.push_back(i);
      }
      if (closed) {
        error(&c, "connection closed", "", counted || c.busy);
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        // Reconnect, so one broken connection does not shrink the load for the rest of the run.
        c = Conn{};
        c.fd = Connect(spec.port);
        if (c.fd >= 0) {
          fcntl(c.fd, F_SETFL, O_NONBLOCK);
          epoll_event ev{};
          ev.events = EPOLLIN;
          ev.data.u32 = i;
          epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
          if (std::find(idle.begin(), idle.end(), i) == idle.end()) idle.push_back(i);
        }
      }
    }
  }
  out.seconds = spec.seconds;
  out.server_cpu = (CpuSeconds(spec.server) - cpu0) / spec.seconds;
  out.driver_cpu = (OwnCpuSeconds() - own0) / spec.seconds;
  Reply m = Call(spec.port, "GET", "/metrics");
  out.transactions = Metric(m.body, "lanyard_store_transactions_total") - tx0;
  out.batches = Metric(m.body, "lanyard_store_batches_total{outcome=\"applied\"}") - batches0;
  for (auto& c : conns) {
    if (c.fd >= 0) close(c.fd);
  }
  close(ep);
  std::sort(out.latency_us.begin(), out.latency_us.end());
  return out;
}

// ---------------------------------------------------------------------------------------------
// References.

struct RawRates {
  double sign = 0, verify = 0;
};

// libsodium Ed25519 on one core, prepared as `openssl speed` prepares it: a generated key and a
// 64-byte message.
RawRates RawEd25519(double seconds) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  unsigned char msg[64] = {1, 2, 3};
  unsigned char sig[crypto_sign_BYTES];
  RawRates r;
  auto t0 = Steady::now();
  uint64_t n = 0;
  while (Seconds(Steady::now() - t0) < seconds) {
    for (int i = 0; i < 256; ++i, ++n) {
      msg[0] = static_cast<unsigned char>(n);
      crypto_sign_detached(sig, nullptr, msg, sizeof msg, sk);
    }
  }
  r.sign = n / Seconds(Steady::now() - t0);
  t0 = Steady::now();
  n = 0;
  int bad = 0;
  while (Seconds(Steady::now() - t0) < seconds) {
    for (int i = 0; i < 256; ++i, ++n) bad += crypto_sign_verify_detached(sig, msg, sizeof msg, pk);
  }
  r.verify = n / Seconds(Steady::now() - t0);
  if (bad != 0) r.verify = 0;
  return r;
}

struct FsyncResult {
  double p50_ms = 0, p99_ms = 0, mean_ms = 0;
  uint64_t count = 0;
};

// write + fdatasync of 4 KiB, appended, in `dir` (the database's file system): what one durable
// commit costs at least.
FsyncResult FsyncLatency(const std::string& dir, double seconds) {
  FsyncResult r;
  std::string path = dir + "/fsync-probe";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return r;
  std::vector<char> block(4096, 'x');
  std::vector<double> ms;
  auto t0 = Steady::now();
  while (Seconds(Steady::now() - t0) < seconds && ms.size() < 100000) {
    auto a = Steady::now();
    if (write(fd, block.data(), block.size()) != 4096 || fdatasync(fd) != 0) break;
    ms.push_back(Seconds(Steady::now() - a) * 1000);
  }
  close(fd);
  unlink(path.c_str());
  if (ms.empty()) return r;
  r.count = ms.size();
  for (double m : ms) r.mean_ms += m;
  r.mean_ms /= ms.size();
  std::sort(ms.begin(), ms.end());
  r.p50_ms = ms[ms.size() / 2];
  r.p99_ms = ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.99))];
  return r;
}

struct InProcess {
  double rate = 0;
  double p99_ms = 0;
  uint64_t errors = 0;
  std::string first_error;
  double batches_per_tx = 0;
};

// IssuerService::Issue in this process on the deployment the server used (stopped by now),
// from `threads` threads, as the server's handler threads call it: the same work without HTTP.
InProcess IssueInProcess(const std::string& db, const std::string& base_url,
                         const std::string& hr_token, const std::vector<std::string>& subjects,
                         int threads, double seconds) {
  InProcess r;
  auto clock = NewSystemClock();
  service::DeploymentOptions options;
  options.db_path = db;
  options.base_url = base_url;
  auto d = service::OpenDeployment(options, *clock);
  if (!d.ok()) {
    r.errors = 1;
    r.first_error = d.error().message;
    return r;
  }
  auto actor = (*d)->accounts->AuthenticateToken(hr_token);
  if (!actor.ok()) {
    r.errors = 1;
    r.first_error = actor.error().message;
    return r;
  }
  json::Value claims = json::Parse(kDbsClaims).value();
  auto stats0 = (*d)->store->Stats();
  std::atomic<uint64_t> done{0}, errors{0};
  std::vector<std::vector<uint32_t>> lat(threads);
  std::mutex mu;
  auto t0 = Steady::now();
  auto stop = t0 + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (uint64_t i = t;; i += threads) {
        auto a = Steady::now();
        if (a >= stop) break;
        service::IssueRequest req;
        req.subject_user_id = subjects[i % subjects.size()];
        req.type = "dbs";
        req.claims = claims;
        auto issued = (*d)->issuer->Issue(*actor, "RGT", std::move(req));
        if (!issued.ok()) {
          errors.fetch_add(1);
          std::lock_guard lock(mu);
          if (r.first_error.empty()) r.first_error = issued.error().message;
          continue;
        }
        done.fetch_add(1);
        lat[t].push_back(static_cast<uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - a).count()));
      }
    });
  }
  for (auto& th : pool) th.join();
  double elapsed = Seconds(Steady::now() - t0);
  auto stats1 = (*d)->store->Stats();
  std::vector<uint32_t> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  r.rate = done.load() / elapsed;
  r.errors = errors.load();
  if (!all.empty()) r.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)] / 1000.0;
  double tx = static_cast<double>(stats1.transactions_committed - stats0.transactions_committed);
  if (tx > 0) r.batches_per_tx = (stats1.batches_applied - stats0.batches_applied) / tx;
  return r;
}

std::string CpuModel() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

std::string Quote(std::string_view s) { return json::Serialize(json::Value(s)); }

[[noreturn]] void Die(const std::string& what, const Captured* c = nullptr) {
  std::fprintf(stderr, "lanyard_service_load: %s\n", what.c_str());
  if (c != nullptr) std::fprintf(stderr, "%s%s\n", c->out.c_str(), c->err.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string lanyard;
  std::string dir_parent = std::filesystem::temp_directory_path().string();
  int connections = 64;
  double seconds = 10, warmup = 2;
  int handler_threads = 0;  // 0: as many as connections
  double issue_goal = 5000, verify_goal = 10000;
  bool keep = false;
  std::vector<std::string> serve_args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--lanyard") lanyard = next();
    else if (a == "--connections") connections = std::stoi(next());
    else if (a == "--seconds") seconds = std::stod(next());
    else if (a == "--warmup") warmup = std::stod(next());
    else if (a == "--handler-threads") handler_threads = std::stoi(next());
    else if (a == "--dir") dir_parent = next();
    else if (a == "--keep") keep = true;
    else if (a == "--serve-arg") serve_args.push_back(next());
    else if (a == "--issue-rate") issue_goal = std::stod(next());
    else if (a == "--verify-rate") verify_goal = std::stod(next());
    else Die("unknown argument " + a + " (see the comment at the top of bench/service_load.cc)");
  }
  if (lanyard.empty()) Die("usage: lanyard_service_load --lanyard PATH/TO/lanyard [options]");
  // An issuance handler spends most of its time waiting for the group commit's fsync, and a
  // group holds at most one batch per waiting handler: with fewer handlers than connections the
  // handler pool, not the disk or the CPU, would set the issuance rate.
  if (handler_threads <= 0) handler_threads = connections;
  lanyard = std::filesystem::absolute(lanyard).string();
  if (sodium_init() < 0) Die("libsodium did not initialise");
  signal(SIGPIPE, SIG_IGN);

  utsname u{};
  uname(&u);
  std::printf("Lanyard passport service load benchmark\n");
  std::printf("  build: %s%s; CPU: %s, %u logical CPUs; kernel %s\n", LANYARD_BENCH_BUILD_TYPE,
              std::string_view(LANYARD_BENCH_BUILD_TYPE) == "Release"
                  ? ""
                  : " (WARNING: not a Release build; figures mean little)",
              CpuModel().c_str(), std::thread::hardware_concurrency(), u.release);
  std::printf("  driver: 1 thread, %d keep-alive connections, %.0f s warm-up + %.0f s per phase; "
              "server: %d handler threads\n",
              connections, warmup, seconds, handler_threads);

  std::string dir_template = dir_parent + "/lanyard-load-XXXXXX";
  if (mkdtemp(dir_template.data()) == nullptr) Die("cannot create a directory in " + dir_parent);
  const std::string dir = dir_template;
  const std::string db = dir + "/lanyard.db";
  const uint16_t port = FreePort();
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  std::printf("  deployment: %s (server at %s)\n\n", dir.c_str(), base.c_str());
  std::fflush(stdout);

  // References that need nothing running, measured first while the machine is quiet-ish.
  RawRates raw = RawEd25519(1.5);
  FsyncResult fsync = FsyncLatency(dir, 2.0);

  // --- the deployment, as an operator sets it up ---
  auto admin = [&](std::vector<std::string> args) {
    std::vector<std::string> argv_ = {lanyard};
    argv_.insert(argv_.end(), args.begin(), args.end());
    argv_.insert(argv_.end(), {"--db", db, "--base-url", base});
    Captured c = Run(argv_);
    if (c.exit_code != 0) Die("admin command failed", &c);
    return c.out;
  };
  admin({"admin", "org", "add", "--ods", "RGT", "--name", "RGT NHS Trust", "--kinds", "trust"});
  admin({"admin", "org", "add", "--ods", "R1H", "--name", "R1H NHS Trust", "--kinds", "trust"});
  auto token = [&](const std::string& org, const std::string& role) {
    std::string t = admin({"admin", "token", "create", "--org", org, "--role", role});
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    return t;
  };
  const std::string hr = token("RGT", "hr_issuer");
  const std::string verifier = token("R1H", "verifier");

  std::vector<std::string> serve = {lanyard, "serve", "--db", db, "--base-url", base, "--listen",
                                    "127.0.0.1:" + std::to_string(port), "--handler-threads",
                                    std::to_string(handler_threads)};
  serve.insert(serve.end(), serve_args.begin(), serve_args.end());
  std::string log_path = dir + "/server.log";
  pid_t server = fork();
  if (server == 0) {
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    // Request logs are one JSON line each; /dev/null would be cheaper, but a file is what an
    // operator runs with.
    dup2(log, 1);
    dup2(log, 2);
    std::vector<char*> args;
    for (const auto& a : serve) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  auto stop_server = [&] {
    if (server > 0) {
      kill(server, SIGTERM);
      int status = 0;
      waitpid(server, &status, 0);
      server = 0;
    }
  };
  bool up = false;
  for (int i = 0; i < 600 && !up; ++i) {
    up = Call(port, "GET", "/healthz").status == 200;
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!up) {
    stop_server();
    Die("the server did not start; see " + log_path);
  }
  uint64_t idle_rss = RssBytes(server);

  // Staff members join through invitations and sign up (Argon2id: a few, not thousands).
  std::vector<std::string> subjects;
  for (int i = 0; i < 8; ++i) {
    std::string email = "staff" + std::to_string(i) + "@example.org";
    Reply inv = Call(port, "POST", "/orgs/RGT/invitations",
                     R"({"email":)" + Quote(email) + R"(,"displayName":"Staff Member"})", hr);
    auto code = json::Parse(inv.body);
    if (inv.status != 201 || !code.ok() || code->FindString("invitation") == nullptr) {
      stop_server();
      Die("invitation failed: " + std::to_string(inv.status) + " " + inv.body);
    }
    Reply user = Call(port, "POST", "/auth/signup",
                      R"({"invitation":)" + Quote(*code->FindString("invitation")) +
                          R"(,"email":)" + Quote(email) +
                          R"(,"displayName":"Staff Member","password":"correct horse battery staple"})");
    auto parsed = json::Parse(user.body);
    if (user.status != 201 || !parsed.ok() || parsed->FindString("id") == nullptr) {
      stop_server();
      Die("sign-up failed: " + std::to_string(user.status) + " " + user.body);
    }
    subjects.push_back(*parsed->FindString("id"));
  }

  // --- issuance ---
  std::vector<std::string> issue_requests;
  for (const auto& s : subjects) {
    issue_requests.push_back(RequestText(
        "POST", "/orgs/RGT/credentials",
        R"({"subject":)" + Quote(s) + R"(,"type":"dbs","claims":)" + kDbsClaims + "}", hr));
  }
  std::vector<std::string> issued;  // verifiableCredential JSON texts, for verification
  LoadSpec spec;
  spec.port = port;
  spec.server = server;
  spec.connections = connections;
  spec.warmup = warmup;
  spec.seconds = seconds;
  spec.request = [&](uint64_t i) -> const std::string& {
    return issue_requests[i % issue_requests.size()];
  };
  spec.keep = [&](std::string_view body) {
    if (issued.size() >= 4096) return;
    auto v = json::Parse(body);
    if (v.ok() && v->Find("verifiableCredential") != nullptr) {
      issued.push_back(json::Serialize(*v->Find("verifiableCredential")));
    }
  };
  std::vector<PhaseResult> results;
  spec.name = "issue, saturated";
  results.push_back(Drive(spec));
  spec.name = "issue, paced at the goal rate";
  spec.rate = issue_goal;
  results.push_back(Drive(spec));
  spec.keep = nullptr;

  // --- verification ---
  std::vector<std::string> verify_requests;
  for (const auto& vc : issued) {
    verify_requests.push_back(RequestText("POST", "/credentials/verify",
                                          R"({"verifiableCredential":)" + vc + "}", verifier));
  }
  if (verify_requests.empty()) {
    stop_server();
    Die("no credential was issued, so there is nothing to verify");
  }
  spec.request = [&](uint64_t i) -> const std::string& {
    return verify_requests[i % verify_requests.size()];
  };
  spec.accept = [](std::string_view body) {
    return body.find(R"("verified":true)") != std::string_view::npos;
  };
  spec.rate = 0;
  spec.name = "verify, saturated";
  results.push_back(Drive(spec));
  spec.name = "verify, paced at the goal rate";
  spec.rate = verify_goal;
  results.push_back(Drive(spec));
  uint64_t end_rss = RssBytes(server);
  stop_server();

  // --- in-process reference, on the same deployment ---
  InProcess in = IssueInProcess(db, base, hr, subjects, handler_threads, std::min(seconds, 5.0));

  // --- report ---
  std::printf("References (same run):\n");
  std::printf("  raw libsodium Ed25519, one core: %.0f sign/s, %.0f verify/s\n", raw.sign,
              raw.verify);
  std::printf("  fsync (write 4 KiB + fdatasync, %s file system): p50 %.3f ms, p99 %.3f ms, "
              "mean %.3f ms (%llu samples) = %.0f durable commits/s in series\n",
              dir_parent.c_str(), fsync.p50_ms, fsync.p99_ms, fsync.mean_ms,
              static_cast<unsigned long long>(fsync.count),
              fsync.mean_ms > 0 ? 1000 / fsync.mean_ms : 0.0);
  std::printf("  IssuerService::Issue in-process, %d threads: %.0f/s, p99 %.2f ms, %.1f batches "
              "per transaction%s%s\n",
              handler_threads, in.rate, in.p99_ms, in.batches_per_tx,
              in.errors ? ", ERRORS: " : "", in.first_error.c_str());
  std::printf("  server RSS idle (after set-up): %.1f MB\n\n", idle_rss / 1e6);

  std::printf("%-32s %9s %8s %8s %8s %8s %7s %9s %7s %7s %7s\n", "phase", "req/s", "p50 ms",
              "p90 ms", "p99 ms", "max ms", "errors", "RSS MB", "srv CPU", "drv CPU",
              "b/tx");
  bool any_error = in.errors > 0;
  for (const auto& r : results) {
    std::printf("%-32s %9.0f %8.2f %8.2f %8.2f %8.2f %7llu %9.1f %7.2f %7.2f %7.1f\n",
                r.name.c_str(), r.rate(), r.Percentile(0.5), r.Percentile(0.9),
                r.Percentile(0.99), r.Percentile(1.0),
                static_cast<unsigned long long>(r.errors), r.max_rss / 1e6, r.server_cpu,
                r.driver_cpu, r.transactions > 0 ? r.batches / r.transactions : 0.0);
    if (r.errors > 0) {
      any_error = true;
      for (const auto& [kind, n] : r.error_kinds) {
        std::printf("    %llu x %s\n", static_cast<unsigned long long>(n), kind.c_str());
      }
      std::printf("    first: %s\n", r.first_error.c_str());
    }
  }
  uint64_t max_rss = end_rss;
  for (const auto& r : results) max_rss = std::max(max_rss, r.max_rss);

  const PhaseResult& is = results[0];
  const PhaseResult& ip = results[1];
  const PhaseResult& vs = results[2];
  const PhaseResult& vp = results[3];
  auto met = [](bool b) { return b ? "met" : "NOT met"; };
  std::printf("\nRatios (to references measured in this run):\n");
  std::printf("  issuance saturated: %.0f/s = %.3f x raw Ed25519 sign (one core), %.2f x "
              "in-process Issue, %.2f x fsyncs in series\n",
              is.rate(), is.rate() / raw.sign, in.rate > 0 ? is.rate() / in.rate : 0.0,
              fsync.mean_ms > 0 ? is.rate() * fsync.mean_ms / 1000 : 0.0);
  std::printf("  verification saturated: %.0f/s = %.3f x raw Ed25519 verify (one core)\n",
              vs.rate(), vs.rate() / raw.verify);
  std::printf("\nGoals:\n");
  bool issue_ok = ip.rate() >= 0.99 * issue_goal && ip.Percentile(0.99) <= 25 && ip.errors == 0;
  bool verify_ok = vp.rate() >= 0.99 * verify_goal && vp.Percentile(0.99) <= 10 && vp.errors == 0;
  std::printf("  durable issuance >= %.0f/s with p99 <= 25 ms: paced %.0f/s, p99 %.2f ms "
              "(saturated %.0f/s, p99 %.2f ms): %s\n",
              issue_goal, ip.rate(), ip.Percentile(0.99), is.rate(), is.Percentile(0.99),
              met(issue_ok));
  std::printf("  verification >= %.0f/s with p99 <= 10 ms: paced %.0f/s, p99 %.2f ms "
              "(saturated %.0f/s, p99 %.2f ms): %s\n",
              verify_goal, vp.rate(), vp.Percentile(0.99), vs.rate(), vs.Percentile(0.99),
              met(verify_ok));
  std::printf("  server memory <= 200 MB under load: max RSS %.1f MB: %s\n", max_rss / 1e6,
              met(max_rss <= 200'000'000));
  std::printf("  (fsync p50 %.3f ms / p99 %.3f ms on this disk in the same run)\n", fsync.p50_ms,
              fsync.p99_ms);

  if (!keep) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  } else {
    std::printf("\nkept %s\n", dir.c_str());
  }
  if (any_error) {
    std::printf("\nERRORS: some requests failed (see above)\n");
    return 1;
  }
  return 0;
}
