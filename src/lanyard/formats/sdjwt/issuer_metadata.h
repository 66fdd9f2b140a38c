// SD-JWT VC issuer keys from JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc): for an issuer
// identifier `iss` = https://host[:port][/path], the metadata lives at
// https://host[:port]/.well-known/jwt-vc-issuer[/path] and is a JSON object
//   {"issuer": <iss, exactly>, "jwks": {"keys": [JWK, ...]}}     or
//   {"issuer": <iss, exactly>, "jwks_uri": <https URL of {"keys": [JWK, ...]}>}
// never both. The key is the one whose "kid" equals the JWT header's kid; a JWT without a kid
// names a key only when the set holds exactly one. A key whose "use" is not "sig", or whose
// "key_ops" lacks "verify", is not a signing key; a published key carrying a private part ("d")
// makes the metadata malformed. Keys other than the chosen one are not decoded, so a set may
// hold keys of types Lanyard does not use.
//
// Fetches go through the injected HttpClient (no redirects are followed), at most
// kMaxIssuerMetadataBytes each, parsed by Lanyard's strict JSON parser; a set may hold at most
// kMaxIssuerKeys keys. Issuer identifiers are https URLs without query, fragment or userinfo;
// http:// is accepted only for the loopback hosts localhost, 127.0.0.1 and [::1].
//
// Errors (reason, Code):
//   issuer_metadata.invalid_issuer   iss is not an issuer URL as above        (kInvalidArgument)
//   issuer_metadata.unavailable      the HttpClient failed, or the answer was not 200 OK
//                                                                             (kUnavailable)
//   issuer_metadata.too_large        a body beyond kMaxIssuerMetadataBytes, or more than
//                                    kMaxIssuerKeys keys                      (kResourceExhausted)
//   issuer_metadata.malformed        not JSON, the wrong shapes, both or neither of jwks and
//                                    jwks_uri, a jwks_uri that is not an https URL, two keys
//                                    with the chosen kid, a published private key
//                                                                             (kInvalidArgument)
//   issuer_metadata.issuer_mismatch  "issuer" is not iss exactly              (kPermissionDenied)
//   issuer_metadata.key_not_found    no key has the kid; no kid and not exactly one key; the
//                                    key is not for signatures                (kNotFound)
//   key.invalid_jwk / key.invalid    the chosen JWK is not a usable P-256 or Ed25519 key
//
// Thread-safety: pure functions (the HttpClient must be thread-safe, as its interface says).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "lanyard/core/http_client.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/keys.h"

namespace lanyard::formats::sdjwt {

// Largest metadata or JWK Set document read, and the most keys a set may hold.
inline constexpr size_t kMaxIssuerMetadataBytes = 256 * 1024;
inline constexpr size_t kMaxIssuerKeys = 100;

// The metadata URL for `iss`: ".well-known/jwt-vc-issuer" inserted between the authority and the
// path, with a path's terminating "/" removed ("https://trust.example/tenants/rhq/" and
// "https://trust.example/tenants/rhq" both give
// "https://trust.example/.well-known/jwt-vc-issuer/tenants/rhq").
// Errors: issuer_metadata.invalid_issuer.
Result<std::string> JwtVcIssuerMetadataUrl(std::string_view iss);

// The host of an issuer URL, read exactly as the metadata lookup reads it (https, no user
// information, no fragment, a DNS name or IP literal), for binding an x5c certificate to it.
// Errors: kInvalidArgument "issuer_metadata.invalid_issuer".
Result<std::string> IssuerUrlHost(std::string_view iss);

// Fetches the metadata of `iss`, and from it (or from its jwks_uri) the JWK named by `kid` (the
// JWT header's kid; nullopt when the header has none), and returns it as a key.
// Errors: every reason listed above.
Result<crypto::PublicKey> ResolveIssuerKeyFromMetadata(const HttpClient& http, std::string_view iss,
                                                       std::optional<std::string_view> kid);

}  // namespace lanyard::formats::sdjwt
