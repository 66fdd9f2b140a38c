// The parts of server.h that need no Boost: request header lookup and the Prometheus text. Kept
// out of server.cc so editing them does not recompile Beast.
#include <string>
#include <string_view>

#include "lanyard/http/server.h"
#include "lanyard/json/canonical.h"

namespace lanyard::http {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void AppendHeader(std::string_view name, std::string_view type, std::string_view help,
                  std::string* out) {
  out->append("# HELP ").append(name).append(" ").append(help).append("\n");
  out->append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void AppendSample(std::string_view name, std::string_view labels, std::string_view value,
                  std::string* out) {
  out->append(name);
  if (!labels.empty()) out->append("{").append(labels).append("}");
  out->append(" ").append(value).append("\n");
}

// Prometheus reads values with Go's ParseFloat, which accepts ECMAScript's shortest form
// ("0.001", "2.5", "1e-7"); finite values only ever reach here.
std::string FormatDouble(double d) {
  Result<std::string> text = json::FormatNumber(d);
  return text.ok() ? *text : "NaN";
}

void AppendSingle(std::string_view name, std::string_view type, std::string_view help,
                  uint64_t value, std::string* out) {
  AppendHeader(name, type, help, out);
  AppendSample(name, "", std::to_string(value), out);
}

}  // namespace

std::optional<std::string_view> ServerRequest::Header(std::string_view name) const {
  for (const HeaderField& field : headers) {
    if (EqualsIgnoringCase(field.name, name)) return std::string_view(field.value);
  }
  return std::nullopt;
}

void AppendPrometheus(const ServerStats& stats, std::string* out) {
  AppendSingle("lanyard_http_connections_open", "gauge", "Connections open now.",
               stats.connections_open, out);
  AppendSingle("lanyard_http_connections_accepted_total", "counter",
               "Connections accepted and served.", stats.connections_accepted, out);
  AppendSingle("lanyard_http_connections_refused_total", "counter",
               "Connections closed at once because max_connections were open.",
               stats.connections_refused, out);
  AppendSingle("lanyard_http_requests_total", "counter",
               "Requests answered (or whose answer failed to be written).", stats.requests_total,
               out);
  AppendHeader("lanyard_http_responses_total", "counter", "Responses written, by status class.",
               out);
  AppendSample("lanyard_http_responses_total", "class=\"2xx\"", std::to_string(stats.responses_2xx),
               out);
  AppendSample("lanyard_http_responses_total", "class=\"3xx\"", std::to_string(stats.responses_3xx),
               out);
  AppendSample("lanyard_http_responses_total", "class=\"4xx\"", std::to_string(stats.responses_4xx),
               out);
  AppendSample("lanyard_http_responses_total", "class=\"5xx\"", std::to_string(stats.responses_5xx),
               out);
  AppendSingle("lanyard_http_requests_in_flight", "gauge",
               "Requests handed to a handler whose response is not yet written.",
               stats.requests_in_flight, out);

  constexpr std::string_view kHistogram = "lanyard_http_request_duration_seconds";
  AppendHeader(kHistogram, "histogram",
               "Time from a request's first byte to its response being written.", out);
  const std::string bucket = std::string(kHistogram) + "_bucket";
  for (size_t i = 0; i < ServerStats::kDurationBounds.size(); ++i) {
    AppendSample(bucket, "le=\"" + FormatDouble(ServerStats::kDurationBounds[i]) + "\"",
                 std::to_string(stats.duration_buckets[i]), out);
  }
  AppendSample(bucket, "le=\"+Inf\"", std::to_string(stats.duration_buckets.back()), out);
  AppendSample(std::string(kHistogram) + "_sum", "", FormatDouble(stats.duration_seconds_sum), out);
  AppendSample(std::string(kHistogram) + "_count", "", std::to_string(stats.duration_count), out);

  AppendSingle("lanyard_http_received_bytes_total", "counter",
               "Request bytes parsed (after TLS decryption).", stats.bytes_received, out);
  AppendSingle("lanyard_http_sent_bytes_total", "counter",
               "Response bytes written (before TLS encryption).", stats.bytes_sent, out);
  AppendSingle("lanyard_http_timeouts_total", "counter", "Handshake, read and write timeouts.",
               stats.timeouts, out);
  AppendSingle("lanyard_http_body_too_large_total", "counter",
               "Requests refused with 413 for their body size.", stats.body_too_large, out);
}

}  // namespace lanyard::http
