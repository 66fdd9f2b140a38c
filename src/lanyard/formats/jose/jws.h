// JOSE: JWS compact serialisation (RFC 7515) with the algorithms Lanyard accepts.
//
//   EdDSA  Ed25519 (RFC 8037)          issue and verify
//   ES256  ECDSA P-256, SHA-256        issue and verify (signature: raw r||s, 64 bytes)
//   ES256K ECDSA secp256k1, SHA-256    verify only, and only for VC-JWT 1.1 from older issuers
//                                      (callers ask for it with AlgorithmSet::kWithEs256k)
// Everything else is refused by name, each with its own reason, because each is a different
// attack: "none" (unsigned), HS* (a verifier's public key used as an HMAC secret), anything
// else (unsupported). A "crit" header is refused: Lanyard understands no JWS extensions, and
// RFC 7515 §4.1.11 requires refusing what is not understood.
//
// Errors (kInvalidArgument unless stated):
//   jws.too_large         the token is longer than the limit              (kResourceExhausted)
//   jws.malformed         not three base64url parts, header not a JSON object, no "alg"
//   jws.alg_none          "alg":"none"
//   jws.alg_symmetric     HS256/HS384/HS512
//   jws.alg_unsupported   any other algorithm
//   jws.crit_unsupported  a "crit" header
//   jws.key_alg_mismatch  the key's type does not fit the header's alg
//   signature.invalid     the signature does not verify
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/json/value.h"

namespace lanyard::formats::jose {

enum class Algorithm { kEdDSA, kES256, kES256K };

std::string_view AlgorithmName(Algorithm alg);
crypto::KeyType AlgorithmKeyType(Algorithm alg);
// The algorithm Lanyard signs with for a key type: EdDSA for Ed25519, ES256 for P-256.
// Errors: jws.alg_unsupported for secp256k1 (verify only).
Result<Algorithm> SigningAlgorithm(crypto::KeyType type);

inline constexpr size_t kDefaultMaxJwsBytes = 256 * 1024;

struct CompactJws {
  std::string signing_input;  // "<header>.<payload>" exactly as received
  json::Value header;
  std::string payload;  // the decoded payload bytes
  Bytes signature;
  Algorithm alg = Algorithm::kEdDSA;
};

// Which algorithms a caller accepts: ES256K only where VC-JWT 1.1 needs it.
enum class AlgorithmSet { kEdDsaEs256, kWithEs256k };

// Parses a compact JWS. The payload is not interpreted (see ParseJsonPayload). An algorithm
// outside `accepted` is jws.alg_unsupported.
Result<CompactJws> ParseCompactJws(std::string_view token, size_t max_bytes = kDefaultMaxJwsBytes,
                                   AlgorithmSet accepted = AlgorithmSet::kEdDsaEs256);

// The payload as a JSON object (Lanyard's strict parser; its input.* reasons pass through;
// "jws.malformed" when it is JSON but not an object).
Result<json::Value> ParseJsonPayload(const CompactJws& jws);

// Checks the signature with `key`. Errors: jws.key_alg_mismatch, signature.invalid.
Status VerifyJwsSignature(const CompactJws& jws, const crypto::PublicKey& key);

// Signs `payload` with a protected header made of `header` plus "alg" for the signer's key
// (written first). Errors: jws.alg_unsupported (a secp256k1 signer), the signer's errors.
// REQUIRES: header.is_object().
Result<std::string> SignCompactJws(const json::Value& header, std::string_view payload,
                                   const crypto::Signer& signer);

}  // namespace lanyard::formats::jose
