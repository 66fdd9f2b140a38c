#include "lanyard/did/did_web.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "lanyard/did/did_document.h"

namespace lanyard::did {
namespace {

Error InvalidWeb(std::string_view did, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "did.invalid",
                   "\"" + std::string(did.substr(0, 120)) + "\" is not a usable did:web: " + why);
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

bool IsSegmentChar(char c) { return IsHostChar(c) || c == '_' || c == '~'; }

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host.substr(0, 4) == "127." || host == "[::1]";
}

class DidWebResolver final : public Resolver {
 public:
  DidWebResolver(const HttpClient& http, DidWebOptions options)
      : http_(http), options_(options) {}

  Result<DidDocument> Resolve(std::string_view did) const override {
    LANYARD_ASSIGN_OR_RETURN(std::string url, DidWebUrl(did));
    HttpRequest request;
    request.url = url;
    request.headers["accept"] = "application/did+json, application/json";
    request.max_body_bytes = options_.max_bytes;
    request.timeout = options_.timeout;
    auto response = http_.Get(request);
    if (!response.ok()) {
      if (response.error().reason == "http.too_large") {
        return MakeError(Code::kResourceExhausted, "did.document_too_large",
                         "the DID document at " + url + " is larger than " +
                             std::to_string(options_.max_bytes) + " bytes");
      }
      return MakeError(Code::kUnavailable, "did.unavailable",
                       "the DID document of " + std::string(did) + " could not be fetched from " +
                           url + " (" + response.error().reason + ": " + response.error().message +
                           ")");
    }
    if (response->status == 404 || response->status == 410) {
      return MakeError(Code::kNotFound, "did.not_found",
                       "there is no DID document at " + url + " (HTTP " +
                           std::to_string(response->status) + ")");
    }
    if (response->status != 200) {
      return MakeError(Code::kUnavailable, "did.unavailable",
                       "fetching " + url + " answered HTTP " + std::to_string(response->status));
    }
    return ParseDidDocumentText(response->body, did, options_.max_bytes);
  }

 private:
  const HttpClient& http_;
  DidWebOptions options_;
};

class CachingResolver final : public Resolver {
 public:
  CachingResolver(std::unique_ptr<Resolver> inner, const Clock& clock, std::chrono::seconds ttl,
                  size_t max_entries)
      : inner_(std::move(inner)), clock_(clock), ttl_(ttl), max_entries_(max_entries) {}

  Result<DidDocument> Resolve(std::string_view did) const override {
    TimePoint now = clock_.Now();
    {
      std::lock_guard lock(mu_);
      auto it = cache_.find(std::string(did));
      if (it != cache_.end() && now < it->second.expires) return it->second.document;
    }
    auto doc = inner_->Resolve(did);
    if (doc.ok()) {
      std::lock_guard lock(mu_);
      if (cache_.size() >= max_entries_) {
        // Drop what has expired; if everything is fresh, start over (bounded memory wins).
        std::erase_if(cache_, [&](const auto& e) { return !(now < e.second.expires); });
        if (cache_.size() >= max_entries_) cache_.clear();
      }
      cache_[std::string(did)] = Entry{*doc, now + ttl_};
    }
    return doc;
  }

 private:
  struct Entry {
    DidDocument document;
    TimePoint expires;
  };
  std::unique_ptr<Resolver> inner_;
  const Clock& clock_;
  std::chrono::seconds ttl_;
  size_t max_entries_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Entry> cache_;
};

class StaticResolver final : public Resolver {
 public:
  StaticResolver(std::map<std::string, DidDocument> documents, const Resolver* fallback)
      : documents_(std::move(documents)), fallback_(fallback) {}

  Result<DidDocument> Resolve(std::string_view did) const override {
    auto it = documents_.find(std::string(did));
    if (it != documents_.end()) return it->second;
    if (fallback_ == nullptr) {
      return MakeError(Code::kNotFound, "did.not_found",
                       "no DID document is known offline for " + std::string(did.substr(0, 120)));
    }
    return fallback_->Resolve(did);
  }

 private:
  std::map<std::string, DidDocument> documents_;
  const Resolver* fallback_;
};

// did:key and did:jwk offline; did:web through its own (cached) resolver.
class StandardResolver final : public Resolver {
 public:
  StandardResolver(std::unique_ptr<Resolver> web)
      : offline_(NewOfflineResolver()), web_(std::move(web)) {}

  Result<DidDocument> Resolve(std::string_view did) const override {
    LANYARD_ASSIGN_OR_RETURN(std::string_view method, DidMethod(did));
    if (method == "web") {
      if (web_ == nullptr) {
        return MakeError(Code::kNotFound, "did.unsupported_method",
                         "did:web needs the network, and this verifier is offline");
      }
      return web_->Resolve(did);
    }
    return offline_->Resolve(did);
  }

 private:
  std::unique_ptr<Resolver> offline_;
  std::unique_ptr<Resolver> web_;
};

}  // namespace

Result<std::string> DidWebUrl(std::string_view did) {
  LANYARD_ASSIGN_OR_RETURN(std::string_view method, DidMethod(did));
  if (method != "web") return InvalidWeb(did, "not a did:web");
  std::string_view rest = did.substr(8);
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t colon = rest.find(':', start);
    parts.push_back(rest.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  // The host may carry a percent-encoded port: "example.org%3A8443".
  std::string_view host = parts[0];
  std::string port;
  if (size_t pct = host.find('%'); pct != std::string_view::npos) {
    std::string_view enc = host.substr(pct);
    if (enc.size() < 4 || (enc.substr(0, 3) != "%3A" && enc.substr(0, 3) != "%3a")) {
      return InvalidWeb(did, "only a port may be percent-encoded in the host");
    }
    port = std::string(enc.substr(3));
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
        std::stoul(port) == 0 || std::stoul(port) > 65535) {
      return InvalidWeb(did, "the port is not a number from 1 to 65535");
    }
    host = host.substr(0, pct);
  }
  if (host.empty() || host.size() > 253 || !std::all_of(host.begin(), host.end(), IsHostChar) ||
      host.front() == '.' || host.front() == '-' || host.back() == '.' ||
      host.find("..") != std::string_view::npos) {
    return InvalidWeb(did, "the host is not a domain name");
  }
  std::string path;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i] == "." || parts[i] == ".." ||
        !std::all_of(parts[i].begin(), parts[i].end(), IsSegmentChar)) {
      return InvalidWeb(did, "a path segment is empty or contains characters URLs would change");
    }
    path += "/";
    path += parts[i];
  }
  if (path.empty()) path = "/.well-known";
  std::string lower(host);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string scheme = IsLoopbackHost(lower) ? "http://" : "https://";
  return scheme + lower + (port.empty() ? "" : ":" + port) + path + "/did.json";
}

std::unique_ptr<Resolver> NewDidWebResolver(const HttpClient& http, DidWebOptions options) {
  return std::make_unique<DidWebResolver>(http, options);
}

std::unique_ptr<Resolver> NewCachingResolver(std::unique_ptr<Resolver> inner, const Clock& clock,
                                             std::chrono::seconds ttl, size_t max_entries) {
  return std::make_unique<CachingResolver>(std::move(inner), clock, ttl, max_entries);
}

std::unique_ptr<Resolver> NewStaticResolver(std::map<std::string, DidDocument> documents,
                                            const Resolver* fallback) {
  return std::make_unique<StaticResolver>(std::move(documents), fallback);
}

std::unique_ptr<Resolver> NewStandardResolver(const HttpClient* http, const Clock& clock,
                                              std::chrono::seconds ttl) {
  std::unique_ptr<Resolver> web;
  if (http != nullptr) web = NewCachingResolver(NewDidWebResolver(*http), clock, ttl);
  return std::make_unique<StandardResolver>(std::move(web));
}

}  // namespace lanyard::did
