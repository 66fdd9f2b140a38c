// VC-JWT 1.1 (`jwt_vc_json`): W3C Verifiable Credentials Data Model 1.1 secured as a JWT, as
// Microsoft Entra Verified ID issues them (the format of the retired NHS staff passport).
// Verification only: Lanyard issues VC 2.0 with Data Integrity or SD-JWT VC.
//
// Checks: the JWS (EdDSA, ES256, and ES256K which older Entra authorities use), the header kid
// as a DID URL of the iss DID authorised for assertionMethod, exp/nbf/iat, the "vc" claim
// (VC 1.1 @context, VerifiableCredential type, credentialSubject), and that vc.issuer and
// credentialSubject.id, when present, agree with iss and sub. A credentialStatus is left to the
// verification pipeline (verify/status_check.h), which checks it like any other credential's.
//
// Codes: those of jws.*, jwt.*, proof.method_unresolvable, proof.method_not_authorised,
// vcjwt.malformed, vcjwt.kid_not_of_issuer, vcjwt.claim_mismatch, context.invalid,
// type.invalid, subject.missing, issuer.is_signer.
//
// Thread-safety: pure function (the Resolver must be thread-safe).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "lanyard/core/time.h"
#include "lanyard/did/resolver.h"
#include "lanyard/json/value.h"
#include "lanyard/verify/report.h"

namespace lanyard::formats::vcjwt {

inline constexpr std::string_view kCredentialsV1Context = "https://www.w3.org/2018/credentials/v1";

struct VerifyOptions {
  TimePoint now;
  std::chrono::seconds skew{60};
};

struct VerifiedVcJwt {
  json::Value claims;       // the JWT payload
  std::string key_id;       // the absolute DID URL of the key that signed (kid resolved)
};

// Returns the token's claims when its signature verified (report.verified() tells the rest).
std::optional<VerifiedVcJwt> VerifyVcJwt(std::string_view token, const did::Resolver& resolver,
                                       const VerifyOptions& options,
                                       verify::VerificationReport* report);

}  // namespace lanyard::formats::vcjwt
