#include "lanyard/http/router.h"

#include <stdexcept>

#include "lanyard/core/utf8.h"

namespace lanyard::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A placeholder's value: percent-decoded, non-empty, UTF-8, no controls or '/'.
bool DecodeSegment(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexDigit(in[i + 1]);
      int lo = HexDigit(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '/') return false;
    out->push_back(c);
  }
  return !out->empty() && out->size() <= 512 && IsValidUtf8(*out);
}

}  // namespace

const std::string& PathParams::Get(std::string_view name) const {
  for (const auto& [k, v] : values) {
    if (k == name) return v;
  }
  static const std::string kEmpty;
  return kEmpty;
}

void Router::Add(Route route) {
  for (const auto& r : routes_) {
    if ((r.method == route.method && r.pattern == route.pattern) ||
        r.operation_id == route.operation_id) {
      throw std::logic_error("duplicate route " + route.method + " " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  auto segments = Segments(path);
  if (segments.empty()) return match;
  for (const auto& route : routes_) {
    auto pattern = Segments(route.pattern);
    if (pattern.size() != segments.size()) continue;
    PathParams params;
    bool ok = true;
    for (size_t i = 0; i < pattern.size() && ok; ++i) {
      std::string_view p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        std::string value;
        ok = DecodeSegment(segments[i], &value);
        if (ok) params.values.emplace_back(std::string(p.substr(1, p.size() - 2)), value);
      } else {
        ok = p == segments[i];
      }
    }
    if (!ok) continue;
    if (route.method != method) {
      match.allowed_methods.push_back(route.method);
      continue;
    }
    match.route = &route;
    match.params = std::move(params);
    match.allowed_methods.clear();
    return match;
  }
  return match;
}

}  // namespace lanyard::http
