// SD-JWT (RFC 9901): selective disclosure for JWTs, with key binding.
//
// An SD-JWT is "<issuer-signed JWT>~<disclosure>~...~[<KB-JWT>]". Each disclosure is
// base64url(JSON array): [salt, name, value] for an object property, [salt, value] for an array
// element. The issuer JWT carries only digests (base64url(SHA-256(disclosure text))): in an
// "_sd" array for properties, as {"...": digest} for array elements. A holder reveals a claim by
// sending its disclosure; a KB-JWT (typ "kb+jwt"), signed with the key in "cnf.jwk", binds a
// presentation to one verifier (aud), one request (nonce), one moment (iat) and exactly these
// disclosures (sd_hash = base64url(SHA-256(presentation up to and including the last '~')).
//
// Claim paths name claims for issue and presentation: "dbs.level", "roles[0]", "a.b[2].c".
//
// Verification refuses, each with its own code (see docs/verification-codes.md):
//   sdjwt.malformed, sdjwt.too_many_disclosures, sdjwt.disclosure_malformed,
//   sdjwt.unsupported_hash (an _sd_alg other than sha-256), sdjwt.digest_duplicate (a digest
//   referenced twice), sdjwt.disclosure_unreferenced, sdjwt.disclosure_repeated (the same
//   disclosure sent twice), sdjwt.disclosure_reserved_name ("_sd" or "..." as a claim name),
//   sdjwt.disclosure_wrong_kind (a property disclosure for an array element or the reverse),
//   sdjwt.claim_name_clash (a disclosed name that is also a plain claim),
//   sdjwt.kb_missing, sdjwt.kb_wrong_typ, sdjwt.kb_no_holder_key, sdjwt.kb_nonce_mismatch,
//   sdjwt.kb_audience_mismatch, sdjwt.kb_sd_hash_mismatch, sdjwt.kb_too_old,
//   sdjwt.kb_from_future, sdjwt.kb_malformed, sdjwt.kb_signature_invalid, sdjwt.too_deep
//   (disclosures nested inside one another beyond 256 levels), and the jws.* and jwt.* codes of
//   the JWTs (EdDSA and ES256 only). sdjwt.key_bound passes only when a key-binding JWT matched
//   this verifier's nonce and audience; otherwise a credential with cnf gets the warning
//   sdjwt.kb_not_checked.
//
// Thread-safety: pure functions (callbacks must be thread-safe if shared).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/formats/jose/jws.h"
#include "lanyard/json/value.h"
#include "lanyard/verify/report.h"

namespace lanyard::formats::sdjwt {

// ----- Claim paths

struct PathStep {
  std::string name;             // an object member, or
  std::optional<size_t> index;  // an array element
};
using ClaimPath = std::vector<PathStep>;

// Errors: kInvalidArgument "sdjwt.invalid_path".
Result<ClaimPath> ParseClaimPath(std::string_view text);
std::string FormatClaimPath(const ClaimPath& path);

// ----- Disclosures

struct Disclosure {
  std::string encoded;  // base64url, as sent
  std::string digest;   // base64url(SHA-256(encoded))
  std::string salt;
  std::optional<std::string> name;  // absent for array elements
  json::Value value;
};

// Errors: kInvalidArgument "sdjwt.disclosure_malformed" (not base64url, not a JSON array of
// two or three elements with string salt and name).
Result<Disclosure> ParseDisclosure(std::string_view encoded);
Disclosure MakeDisclosure(std::string salt, std::optional<std::string> name, json::Value value);
std::string DisclosureDigest(std::string_view encoded);

// ----- Issue

struct IssueOptions {
  std::string typ = "dc+sd-jwt";
  std::optional<std::string> kid;
  // Borrowed for the duration of the call: the caller keeps the paths alive.
  std::span<const ClaimPath> disclosable;
  // Claims that may never be made disclosable (SD-JWT VC: iss, nbf, exp, cnf, vct, status).
  std::span<const std::string_view> never_disclosable;
  int decoys_per_object = 0;                    // random digests added to every _sd array
  std::optional<crypto::PublicKey> holder_key;  // becomes cnf.jwk
  // Salt source; defaults to 128 random bits from the CSPRNG. Tests inject fixed salts.
  std::function<std::string()> salt;
};

// Errors: kInvalidArgument "sdjwt.payload_not_object", "sdjwt.reserved_claim" (the payload
// already uses _sd, _sd_alg or "..." anywhere), "sdjwt.path_not_found",
// "sdjwt.claim_not_disclosable", "sdjwt.invalid_path" (the same claim named twice); the signer's
// and JWS errors.
Result<std::string> IssueSdJwt(json::Value payload, const IssueOptions& options,
                               const crypto::Signer& signer);

// ----- Present

struct KeyBindingRequest {
  const crypto::Signer* holder = nullptr;  // REQUIRES: non-null
  std::string nonce;
  std::string audience;
  TimePoint issued_at;
};

// Keeps only the disclosures needed to reveal `reveal` (each claim's parents and everything
// inside it) and, with `kb`, appends a key-binding JWT. Nothing else is revealed.
// Errors: sdjwt.malformed, sdjwt.disclosure_malformed, sdjwt.path_not_found.
Result<std::string> PresentSdJwt(std::string_view sd_jwt, const std::vector<ClaimPath>& reveal,
                                 const KeyBindingRequest* kb);

// ----- Verify

struct Parts {
  std::string_view issuer_jwt;
  std::vector<std::string_view> disclosures;
  std::string_view kb_jwt;          // empty when absent
  std::string_view presented_part;  // everything up to and including the last '~'
};

struct VerifyOptions {
  TimePoint now;
  std::chrono::seconds skew{60};
  // When either is set, a valid key-binding JWT with these values is required.
  std::optional<std::string> nonce;
  std::optional<std::string> audience;
  std::chrono::seconds kb_max_age{600};
  std::chrono::seconds kb_max_future{60};
  size_t max_bytes = 1024 * 1024;
  size_t max_disclosures = 1000;
  bool require_exp = false;
};

// Errors: kResourceExhausted "input.too_large", "sdjwt.too_many_disclosures";
// kInvalidArgument "sdjwt.malformed".
Result<Parts> SplitSdJwt(std::string_view text, const VerifyOptions& options);

// Finds the issuer's key for a parsed issuer JWT (header and payload), or says why not; the
// error's reason becomes the report code.
using IssuerKeyLookup =
    std::function<Result<crypto::PublicKey>(const json::Value& header, const json::Value& payload)>;

struct VerifiedSdJwt {
  json::Value header;
  json::Value claims;  // the processed payload: disclosed claims in place, no _sd/_sd_alg
  std::vector<std::string> disclosed;  // claim paths of the disclosures received
  bool key_bound = false;              // a valid KB-JWT was presented
};

// Verifies everything RFC 9901 asks, recording each check in `report` (subjects "sd-jwt",
// "disclosure[i]", "kb-jwt"). Returns the processed claims when the SD-JWT itself is sound
// (report.verified() tells whether every check passed).
std::optional<VerifiedSdJwt> VerifySdJwt(std::string_view text, const IssuerKeyLookup& issuer_key,
                                         const VerifyOptions& options,
                                         verify::VerificationReport* report);

}  // namespace lanyard::formats::sdjwt
