#include "lanyard/http/url.h"

#include <optional>

#include "lanyard/http/address.h"

namespace lanyard::http {
namespace {

// Far beyond any URL Lanyard fetches (did:web paths, metadata, status lists), and small enough
// that a hostile redirect cannot make the client build large strings.
constexpr size_t kMaxUrlBytes = 8192;
constexpr size_t kMaxHostBytes = 253;
constexpr size_t kMaxLabelBytes = 63;

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// Quotes the text in messages only when it is short and printable: a message is for a person
// and must not carry a hostile URL's control characters into logs.
Error Invalid(std::string_view text, std::string_view why) {
  bool printable = text.size() <= 200;
  for (char c : text) {
    if (c <= 0x20 || c >= 0x7f) printable = false;
  }
  std::string message = printable ? "URL \"" + std::string(text) + "\" is not valid: "
                                  : std::string("URL is not valid: ");
  message += why;
  return MakeError(Code::kInvalidArgument, "http.url_invalid", message);
}

// Characters RFC 3986 allows in a path, query or fragment besides letters, digits and percent
// escapes: unreserved "-._~", sub-delims "!$&'()*+,;=", and ":@/?".
constexpr std::string_view kTargetPunctuation = "-._~!$&'()*+,;=:@/?";

bool IsTargetChar(char c) {
  return IsAlpha(c) || IsDigit(c) || kTargetPunctuation.find(c) != std::string_view::npos;
}

// Checks the characters of a path and query, or of a fragment; returns the problem or nullopt.
std::optional<std::string_view> CheckTargetChars(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) {
        return "a '%' not followed by two hex digits";
      }
      i += 2;
    } else if (!IsTargetChar(c)) {
      return "a character not allowed in a URL path or query";
    }
  }
  return std::nullopt;
}

// Checks a DNS name (already lower case); returns the problem or nullopt.
std::optional<std::string_view> CheckHostName(std::string_view host) {
  if (host.empty()) return "no host";
  if (host.size() > kMaxHostBytes) return "a host name longer than 253 characters";
  std::string_view last;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    std::string_view label =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return "an empty label in the host name";
    if (label.size() > kMaxLabelBytes) return "a host name label longer than 63 characters";
    for (char c : label) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_') {
        return "a character not allowed in a host name";
      }
    }
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  // A name whose last label is a number would be read as an IPv4 address in another form
  // ("127.1", "0x7f000001") by getaddrinfo or by browsers; only the dotted quad is accepted.
  bool all_digits = true;
  for (char c : last) all_digits = all_digits && IsDigit(c);
  bool hex = last.size() > 2 && last[0] == '0' && last[1] == 'x';
  for (size_t i = 2; hex && i < last.size(); ++i) hex = IsHex(last[i]);
  if (all_digits || hex) return "a numeric host that is not a dotted-quad IPv4 address";
  return std::nullopt;
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  auto pop_segment = [&out] {
    size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      pop_segment();
    } else if (in == "/..") {
      in = "/";
      pop_segment();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t end = in.find('/', 1);
      if (end == std::string_view::npos) end = in.size();
      out.append(in.substr(0, end));
      in.remove_prefix(end);
    }
  }
  return out;
}

std::string Authority(const Url& url) {
  std::string host = url.host_is_ipv6 ? "[" + url.host + "]" : url.host;
  return host + ":" + std::to_string(url.port);
}

}  // namespace

std::string Url::HostHeader() const {
  std::string out = host_is_ipv6 ? "[" + host + "]" : host;
  uint16_t default_port = scheme == "https" ? 443 : 80;
  if (port != default_port) out += ":" + std::to_string(port);
  return out;
}

std::string Url::ToString() const { return scheme + "://" + HostHeader() + target; }

bool Url::HostIsLoopback() const {
  if (!host_is_ip) return host == "localhost";
  std::optional<IpAddress> address = ParseIpAddress(host);
  return address.has_value() && ClassifyAddress(*address) == AddressClass::kLoopback;
}

Result<Url> ParseUrl(std::string_view text) {
  if (text.size() > kMaxUrlBytes) return Invalid({}, "longer than 8192 bytes");
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return Invalid(text, "a space, control or non-ASCII character");
    }
    if (c == '\\') return Invalid(text, "a backslash");
  }

  size_t colon = text.find("://");
  if (colon == std::string_view::npos) return Invalid(text, "not an absolute http(s) URL");
  Url url;
  url.scheme = LowerCase(text.substr(0, colon));
  if (url.scheme != "http" && url.scheme != "https") {
    return Invalid(text, "the scheme is not http or https");
  }
  std::string_view rest = text.substr(colon + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view after =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

  if (authority.find('@') != std::string_view::npos) {
    return Invalid(text, "user information before the host");
  }
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(text, "an unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    std::string_view tail = authority.substr(close + 1);
    if (!tail.empty()) {
      if (tail[0] != ':') return Invalid(text, "text after the IPv6 address");
      port = tail.substr(1);
      has_port = true;
    }
    std::optional<IpAddress> address = ParseIpAddress(host);
    if (!address.has_value() || !address->is_v6) {
      return Invalid(text, "a bracketed host that is not an IPv6 address");
    }
    url.host_is_ip = true;
    url.host_is_ipv6 = true;
    // Canonical text, so "[::0001]" and "[::1]" are one URL for loop detection.
    url.host = address->ToString();
  } else {
    size_t port_colon = authority.find(':');
    if (port_colon != std::string_view::npos) {
      host = authority.substr(0, port_colon);
      port = authority.substr(port_colon + 1);
      has_port = true;
    }
    url.host = LowerCase(host);
    std::optional<IpAddress> address = ParseIpAddress(url.host);
    if (address.has_value()) {
      if (address->is_v6) return Invalid(text, "an IPv6 address without brackets");
      url.host_is_ip = true;
    } else if (auto problem = CheckHostName(url.host)) {
      return Invalid(text, *problem);
    }
  }

  url.port = url.scheme == "https" ? 443 : 80;
  if (has_port) {
    if (port.empty() || port.size() > 5) return Invalid(text, "a port that is not 1 to 65535");
    uint32_t value = 0;
    for (char c : port) {
      if (!IsDigit(c)) return Invalid(text, "a port that is not a decimal number");
      value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    if (value == 0 || value > 65535) return Invalid(text, "a port that is not 1 to 65535");
    url.port = static_cast<uint16_t>(value);
  }

  size_t hash = after.find('#');
  std::string_view target = after.substr(0, hash);
  if (auto problem = CheckTargetChars(target)) return Invalid(text, *problem);
  if (hash != std::string_view::npos) {
    if (auto problem = CheckTargetChars(after.substr(hash + 1))) return Invalid(text, *problem);
  }
  url.target = target.starts_with('/') ? std::string(target) : "/" + std::string(target);
  // The printed form can be a little longer than the input ("/" added, IPv6 text expanded); bound
  // it too, so every URL this returns prints as text that parses again.
  if (url.ToString().size() > kMaxUrlBytes) return Invalid({}, "longer than 8192 bytes");
  return url;
}

Result<Url> ResolveReference(const Url& base, std::string_view reference) {
  if (reference.empty()) return base;
  if (reference.size() > kMaxUrlBytes) return Invalid({}, "longer than 8192 bytes");
  // A scheme is ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by ':' before any '/', '?'
  // or '#'; such a reference is absolute.
  size_t i = 0;
  if (IsAlpha(reference[0])) {
    while (i < reference.size() &&
           (IsAlpha(reference[i]) || IsDigit(reference[i]) || reference[i] == '+' ||
            reference[i] == '-' || reference[i] == '.')) {
      ++i;
    }
    if (i < reference.size() && reference[i] == ':') return ParseUrl(reference);
  }
  if (reference.starts_with("//")) return ParseUrl(base.scheme + ":" + std::string(reference));

  std::string_view ref = reference.substr(0, reference.find('#'));
  size_t question = ref.find('?');
  std::string_view ref_path = ref.substr(0, question);
  std::string_view ref_query =
      question == std::string_view::npos ? std::string_view() : ref.substr(question);

  std::string_view base_target = base.target;
  size_t base_question = base_target.find('?');
  std::string_view base_path = base_target.substr(0, base_question);
  std::string_view base_query = base_question == std::string_view::npos
                                    ? std::string_view()
                                    : base_target.substr(base_question);

  std::string path;
  std::string_view query = ref_query;
  if (ref_path.empty()) {
    path = std::string(base_path);
    if (question == std::string_view::npos) query = base_query;
  } else if (ref_path.starts_with('/')) {
    path = RemoveDotSegments(ref_path);
  } else {
    std::string merged(base_path.substr(0, base_path.rfind('/') + 1));
    merged += ref_path;
    path = RemoveDotSegments(merged);
  }
  if (!path.starts_with('/')) path.insert(0, "/");
  return ParseUrl(base.scheme + "://" + Authority(base) + path + std::string(query));
}

Status CheckSchemeAllowed(const Url& url) {
  if (url.scheme == "http" && !url.HostIsLoopback()) {
    return MakeError(Code::kPermissionDenied, "http.insecure_scheme",
                     "plain http:// is allowed only to loopback hosts; " + url.host +
                         " must be fetched over https://");
  }
  return OkStatus();
}

Status CheckRedirectAllowed(const Url& from, const Url& to) {
  if (from.scheme == "https" && to.scheme == "http" &&
      !(from.HostIsLoopback() && to.HostIsLoopback())) {
    return MakeError(
        Code::kPermissionDenied, "http.insecure_scheme",
        "refusing a redirect from https:// to plain http:// (" + to.HostHeader() + ")");
  }
  return OkStatus();
}

}  // namespace lanyard::http
