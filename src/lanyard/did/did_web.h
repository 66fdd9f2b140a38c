// did:web resolution over HTTPS, resolver caching, and the resolver a verifier is given.
//
// did:web:host%3Aport:path:to  ->  https://host:port/path/to/did.json
// did:web:host                 ->  https://host/.well-known/did.json
// Plain http:// is used only for loopback hosts (localhost, 127.x, [::1]), which is how tests
// and a developer's own machine serve documents; the HttpClient enforces the same rule.
//
// Errors (beyond did/resolver.h and did/did_document.h):
//   did.invalid          a did:web that does not map to a URL (bad host, empty segment, '/')
//   did.not_found        (kNotFound) the server answered 404 or 410
//   did.unavailable      (kUnavailable) no usable answer: transport failure, timeout, another
//                        HTTP status; the HttpClient's own refusal (http.address_refused,
//                        http.too_many_redirects ...) is kept in the message
//   did.document_too_large (kResourceExhausted)
//
// Thread-safety: every resolver here is safe to call from several threads.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "lanyard/core/clock.h"
#include "lanyard/core/http_client.h"
#include "lanyard/core/result.h"
#include "lanyard/did/resolver.h"

namespace lanyard::did {

// The URL a did:web document is fetched from.
Result<std::string> DidWebUrl(std::string_view did);

struct DidWebOptions {
  std::chrono::milliseconds timeout{5000};
  size_t max_bytes = 256 * 1024;
};

// Resolves did:web only, through `http` (which must outlive the resolver).
std::unique_ptr<Resolver> NewDidWebResolver(const HttpClient& http, DidWebOptions options = {});

// Remembers successful resolutions for `ttl` (on `clock`), at most `max_entries` of them.
// Failures are not cached: a DID that was briefly unreachable resolves as soon as it is back.
std::unique_ptr<Resolver> NewCachingResolver(std::unique_ptr<Resolver> inner, const Clock& clock,
                                             std::chrono::seconds ttl, size_t max_entries = 4096);

// Answers from fixed documents first (a trust bundle's), then from `fallback` (may be null;
// not owned, must outlive the resolver).
std::unique_ptr<Resolver> NewStaticResolver(std::map<std::string, DidDocument> documents,
                                            const Resolver* fallback);

// did:key and did:jwk offline; did:web through `http` when it is not null, with a cache of
// `ttl`. Without `http`, did:web fails with did.unsupported_method ("no network").
std::unique_ptr<Resolver> NewStandardResolver(const HttpClient* http, const Clock& clock,
                                              std::chrono::seconds ttl = std::chrono::minutes(5));

}  // namespace lanyard::did
