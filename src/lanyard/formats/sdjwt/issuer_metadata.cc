#include "lanyard/formats/sdjwt/issuer_metadata.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/json/parser.h"
#include "lanyard/json/value.h"

namespace lanyard::formats::sdjwt {
namespace {

// Longest issuer identifier or jwks_uri accepted.
constexpr size_t kMaxUrlLength = 2048;
// Metadata and JWK Sets are shallow: {"jwks": {"keys": [{"x5c": [...]}]}} is depth 4.
constexpr int kMaxJsonDepth = 32;

constexpr std::string_view kWellKnown = "/.well-known/jwt-vc-issuer";

// At most this much of a text from elsewhere is repeated in a message.
std::string Quote(std::string_view text) {
  constexpr size_t kMax = 200;
  std::string out = "\"" + std::string(text.substr(0, kMax));
  if (text.size() > kMax) out += "...";
  return out + "\"";
}

Error InvalidIssuer(std::string_view iss, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "issuer_metadata.invalid_issuer",
                   "the issuer " + Quote(iss) + " has no JWT VC issuer metadata: " + why);
}

Error Malformed(const std::string& what) {
  return MakeError(Code::kInvalidArgument, "issuer_metadata.malformed",
                   "the issuer metadata is malformed: " + what);
}

Error KeyNotFound(const std::string& what) {
  return MakeError(Code::kNotFound, "issuer_metadata.key_not_found", what);
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// RFC 3986 pchar without the percent: unreserved / sub-delims / ":" / "@".
bool IsPathChar(char c) {
  return IsAlpha(c) || IsDigit(c) ||
         std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
}

// Whether `text` is pchars and %HH escapes only (plus any characters in `extra`).
bool IsEscapedText(std::string_view text, std::string_view extra) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !IsHex(text[i + 1]) || !IsHex(text[i + 2])) return false;
      i += 2;
    } else if (!IsPathChar(c) && extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// An absolute http(s) URL split for the uses here.
struct HttpUrl {
  std::string origin;  // "https://host[:port]" as written
  std::string path;    // "" or "/..."
  std::string query;   // "" or "?..."
};

// Parses an https URL (http only for loopback hosts) with no userinfo and no fragment, and with
// a query only when `allow_query`. On failure the error's message says what is wrong; its reason
// ("url.invalid") never leaves this file, as callers report their own.
Result<HttpUrl> ParseHttpUrl(std::string_view text, bool allow_query) {
  auto bad = [](std::string why) {
    return MakeError(Code::kInvalidArgument, "url.invalid", std::move(why));
  };
  if (text.size() > kMaxUrlLength) {
    return bad("it is longer than " + std::to_string(kMaxUrlLength) + " characters");
  }
  bool secure;
  std::string_view rest;
  if (text.rfind("https://", 0) == 0) {
    secure = true;
    rest = text.substr(8);
  } else if (text.rfind("http://", 0) == 0) {
    secure = false;
    rest = text.substr(7);
  } else {
    return bad("it is not an https URL");
  }
  if (text.find('#') != std::string_view::npos) return bad("it has a fragment");
  size_t authority_end = std::min(rest.find('/'), rest.find('?'));
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view after =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return bad("it has user information");

  // host [":" port], the host a name or a bracketed IPv6 literal.
  std::string_view host, port;
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return bad("its IPv6 host is malformed");
    host = authority.substr(0, close + 1);
    if (!std::all_of(host.begin() + 1, host.end() - 1,
                     [](char c) { return IsHex(c) || c == ':' || c == '.'; })) {
      return bad("its IPv6 host is malformed");
    }
    std::string_view tail = authority.substr(close + 1);
    if (!tail.empty()) {
      if (tail[0] != ':') return bad("its host is malformed");
      has_port = true;
      port = tail.substr(1);
    }
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port = authority.substr(colon + 1);
    }
    if (host.empty()) return bad("it has no host");
    if (!std::all_of(host.begin(), host.end(),
                     [](char c) { return IsAlpha(c) || IsDigit(c) || c == '.' || c == '-'; }) ||
        host.front() == '.' || host.back() == '.' || host.find("..") != std::string_view::npos) {
      return bad("its host is not a DNS name or IP address");
    }
  }
  if (has_port) {
    int number = 0;
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) {
      digits = digits && IsDigit(c);
      if (digits) number = number * 10 + (c - '0');
    }
    if (!digits || number == 0 || number > 65535) {
      return bad("its port is not a number from 1 to 65535");
    }
  }
  if (!secure) {
    std::string lower(host);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    if (lower != "localhost" && lower != "127.0.0.1" && lower != "[::1]") {
      return bad("http:// is allowed only for loopback hosts; use https://");
    }
  }

  HttpUrl url;
  url.origin = std::string(text.substr(0, text.size() - after.size()));
  size_t query_start = after.find('?');
  std::string_view path = after.substr(0, query_start);
  if (query_start != std::string_view::npos) {
    if (!allow_query) return bad("it has a query");
    std::string_view query = after.substr(query_start);
    if (!IsEscapedText(query.substr(1), "/?")) return bad("its query has characters URLs escape");
    url.query = std::string(query);
  }
  // Segments: escaped text, no "." or "..", no empty one except after a final "/".
  if (!path.empty()) {
    std::string_view segments = path.substr(1);
    while (true) {
      size_t slash = segments.find('/');
      std::string_view segment = segments.substr(0, slash);
      bool last = slash == std::string_view::npos;
      if (segment == "." || segment == "..") return bad("its path has a dot segment");
      if (segment.empty() && !last) return bad("its path has an empty segment");
      if (!IsEscapedText(segment, "")) return bad("its path has characters URLs escape");
      if (last) break;
      segments = segments.substr(slash + 1);
    }
  }
  url.path = std::string(path);
  return url;
}

// GETs `url` and parses the body as a JSON object. `what` names the document in messages.
Result<json::Value> FetchJsonObject(const HttpClient& http, const std::string& url,
                                    const std::string& what) {
  HttpRequest request;
  request.url = url;
  request.headers["accept"] = "application/json";
  request.max_body_bytes = kMaxIssuerMetadataBytes;
  auto response = http.Get(request);
  if (!response.ok()) {
    if (response.error().reason == "http.too_large") {
      return MakeError(Code::kResourceExhausted, "issuer_metadata.too_large",
                       "the " + what + " at " + url + " is longer than " +
                           std::to_string(kMaxIssuerMetadataBytes) + " bytes");
    }
    return MakeError(
        Code::kUnavailable, "issuer_metadata.unavailable",
        "could not fetch the " + what + " from " + url + ": " + response.error().message);
  }
  if (response->status != 200) {
    return MakeError(Code::kUnavailable, "issuer_metadata.unavailable",
                     "could not fetch the " + what + " from " + url + ": HTTP status " +
                         std::to_string(response->status));
  }
  if (response->body.size() > kMaxIssuerMetadataBytes) {
    return MakeError(Code::kResourceExhausted, "issuer_metadata.too_large",
                     "the " + what + " at " + url + " is longer than " +
                         std::to_string(kMaxIssuerMetadataBytes) + " bytes");
  }
  json::ParseOptions options;
  options.max_bytes = kMaxIssuerMetadataBytes;
  options.max_depth = kMaxJsonDepth;
  auto parsed = json::Parse(response->body, options);
  if (!parsed.ok()) {
    return Malformed("the " + what + " at " + url + " is not JSON (" + parsed.error().reason +
                     ": " + parsed.error().message + ")");
  }
  if (!parsed->is_object()) return Malformed("the " + what + " at " + url + " is not an object");
  return std::move(parsed).value();
}

// Whether a JWK's "use" and "key_ops", when present, allow verifying signatures.
bool ForSignatures(const json::Value& jwk) {
  if (const json::Value* use = jwk.Find("use")) {
    if (!use->is_string() || use->as_string() != "sig") return false;
  }
  if (const json::Value* ops = jwk.Find("key_ops")) {
    if (!ops->is_array()) return false;
    const json::Array& list = ops->as_array();
    if (std::none_of(list.begin(), list.end(), [](const json::Value& op) {
          return op.is_string() && op.as_string() == "verify";
        })) {
      return false;
    }
  }
  return true;
}

// Chooses the key named by `kid` from a JWK Set object and decodes it.
Result<crypto::PublicKey> SelectKey(const json::Value& jwks, std::optional<std::string_view> kid,
                                    const std::string& where) {
  const json::Value* keys = jwks.Find("keys");
  if (keys == nullptr || !keys->is_array()) {
    return Malformed("the JWK Set " + where + " has no \"keys\" array");
  }
  const json::Array& list = keys->as_array();
  if (list.size() > kMaxIssuerKeys) {
    return MakeError(Code::kResourceExhausted, "issuer_metadata.too_large",
                     "the JWK Set " + where + " holds " + std::to_string(list.size()) +
                         " keys, more than " + std::to_string(kMaxIssuerKeys));
  }
  std::vector<const json::Value*> chosen;
  for (const json::Value& jwk : list) {
    if (!jwk.is_object()) return Malformed("a key " + where + " is not a JSON object");
    const json::Value* key_id = jwk.Find("kid");
    if (key_id != nullptr && !key_id->is_string()) {
      return Malformed("a key " + where + " has a \"kid\" that is not a string");
    }
    if (!kid.has_value() || (key_id != nullptr && key_id->as_string() == *kid)) {
      chosen.push_back(&jwk);
    }
  }
  std::string named = kid.has_value() ? "the key with kid " + Quote(*kid) : "the issuer's key";
  if (kid.has_value()) {
    if (chosen.empty()) return KeyNotFound("no key " + where + " has the kid " + Quote(*kid));
    if (chosen.size() > 1) {
      return Malformed(std::to_string(chosen.size()) + " keys " + where + " have the kid " +
                       Quote(*kid));
    }
  } else if (chosen.size() != 1) {
    return KeyNotFound("the JWT names no kid, so the JWK Set " + where +
                       " must hold exactly one key; it holds " + std::to_string(chosen.size()));
  }
  const json::Value& jwk = *chosen.front();
  if (jwk.Find("d") != nullptr) {
    return Malformed(named + " " + where + " includes its private part (\"d\")");
  }
  if (!ForSignatures(jwk)) {
    return KeyNotFound(named + " " + where + " is not for signatures (see its use and key_ops)");
  }
  return crypto::PublicKeyFromJwk(jwk);
}

}  // namespace

Result<std::string> JwtVcIssuerMetadataUrl(std::string_view iss) {
  auto url = ParseHttpUrl(iss, /*allow_query=*/false);
  if (!url.ok()) return InvalidIssuer(iss, url.error().message);
  std::string path = url->path;
  if (!path.empty() && path.back() == '/') path.pop_back();
  return url->origin + std::string(kWellKnown) + path;
}

Result<std::string> IssuerUrlHost(std::string_view iss) {
  auto url = ParseHttpUrl(iss, /*allow_query=*/false);
  if (!url.ok()) {
    return MakeError(Code::kInvalidArgument, "issuer_metadata.invalid_issuer",
                     "the issuer \"" + std::string(iss.substr(0, 100)) +
                         "\" is not a usable https URL: " + url.error().message);
  }
  std::string_view authority = url->origin;
  authority.remove_prefix(authority.find("//") + 2);
  if (!authority.empty() && authority.front() == '[') {
    return std::string(authority.substr(0, authority.find(']') + 1));
  }
  return std::string(authority.substr(0, authority.find(':')));
}

Result<crypto::PublicKey> ResolveIssuerKeyFromMetadata(const HttpClient& http, std::string_view iss,
                                                       std::optional<std::string_view> kid) {
  LANYARD_ASSIGN_OR_RETURN(std::string metadata_url, JwtVcIssuerMetadataUrl(iss));
  LANYARD_ASSIGN_OR_RETURN(json::Value metadata,
                           FetchJsonObject(http, metadata_url, "issuer metadata"));
  const json::Value* issuer = metadata.Find("issuer");
  if (issuer == nullptr || !issuer->is_string()) {
    return Malformed("\"issuer\" is missing or not a string");
  }
  if (issuer->as_string() != iss) {
    return MakeError(Code::kPermissionDenied, "issuer_metadata.issuer_mismatch",
                     "the metadata at " + metadata_url + " is for the issuer " +
                         Quote(issuer->as_string()) + ", not " + Quote(iss));
  }
  const json::Value* jwks = metadata.Find("jwks");
  const json::Value* jwks_uri = metadata.Find("jwks_uri");
  if (jwks != nullptr && jwks_uri != nullptr) {
    return Malformed("it has both \"jwks\" and \"jwks_uri\"");
  }
  if (jwks != nullptr) {
    if (!jwks->is_object()) return Malformed("\"jwks\" is not a JWK Set object");
    return SelectKey(*jwks, kid, "in the metadata's jwks");
  }
  if (jwks_uri == nullptr) return Malformed("it has neither \"jwks\" nor \"jwks_uri\"");
  if (!jwks_uri->is_string()) return Malformed("\"jwks_uri\" is not a string");
  auto parsed_uri = ParseHttpUrl(jwks_uri->as_string(), /*allow_query=*/true);
  if (!parsed_uri.ok()) {
    return Malformed("\"jwks_uri\" " + Quote(jwks_uri->as_string()) +
                     " is not usable: " + parsed_uri.error().message);
  }
  LANYARD_ASSIGN_OR_RETURN(json::Value set,
                           FetchJsonObject(http, jwks_uri->as_string(), "JWK Set"));
  return SelectKey(set, kid, "at " + jwks_uri->as_string().substr(0, 200));
}

}  // namespace lanyard::formats::sdjwt
