// SD-JWT VC (IETF draft-ietf-oauth-sd-jwt-vc): the SD-JWT profile for verifiable credentials.
//
// Issued tokens have header typ "dc+sd-jwt" ("vc+sd-jwt", the older name, is accepted when
// verifying), and always carry iss, vct, iat and exp (exp from the input, else iat plus a
// configured maximum lifetime). iss, nbf, exp, cnf, vct and status are never selectively
// disclosable. When iss is a DID, the header kid is the DID URL of the signing key.
//
// The issuer's key is found, in this order:
//   1. an "x5c" header: a certificate chain validated against configured trust anchors, whose
//      leaf must name the iss host (DNS) or URL (URI);
//   2. iss a DID: kid must be a DID URL of that DID, authorised for assertionMethod;
//   3. iss an https URL: /.well-known/jwt-vc-issuer metadata, through the HttpClient.
//
// Report codes beyond those of SD-JWT: sdjwt_vc.wrong_typ, sdjwt_vc.missing_claim (iss or vct),
// sdjwt_vc.kid_not_of_issuer, sdjwt_vc.no_key_source, sdjwt_vc.invalid_cnf,
// sdjwt_vc.claim_disclosed (one of the never-disclosable claims arrived as a disclosure),
// plus the did.*, x5c.* and issuer_metadata.* codes of key resolution. The status claim is left
// to the verification pipeline (verify/status_check.h).
//
// Thread-safety: pure functions over thread-safe sources.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lanyard/core/http_client.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/crypto/x509.h"
#include "lanyard/did/resolver.h"
#include "lanyard/formats/sdjwt/sd_jwt.h"

namespace lanyard::formats::sdjwt {

inline constexpr std::string_view kSdJwtVcTyp = "dc+sd-jwt";

struct VcIssueOptions {
  TimePoint now;
  std::vector<ClaimPath> disclosable;
  std::optional<crypto::PublicKey> holder_key;
  std::chrono::seconds max_lifetime{std::chrono::hours(24 * 365)};
  int decoys_per_object = 0;
  std::optional<std::string> kid;  // overrides the kid Lanyard would choose
  std::function<std::string()> salt;
};

// Issues an SD-JWT VC from `payload` (iss, vct, claims ...). A payload without iss is issued by
// the signing key's did:key. Errors: kInvalidArgument "sdjwt_vc.missing_claim" (no vct),
// "sdjwt_vc.invalid_claim" (iss, vct, iat or exp of the wrong type), and IssueSdJwt's errors.
Result<std::string> IssueSdJwtVc(json::Value payload, const VcIssueOptions& options,
                                 const crypto::Signer& signer);

// Where issuer keys may come from. Any may be absent; a token that needs an absent one is
// refused with sdjwt_vc.no_key_source.
struct IssuerKeySources {
  const did::Resolver* resolver = nullptr;
  const HttpClient* http = nullptr;
  const crypto::TrustAnchors* anchors = nullptr;
};

// The issuer-key lookup of the rules above, for VerifySdJwt.
IssuerKeyLookup MakeIssuerKeyLookup(const IssuerKeySources& sources, TimePoint now);

// Verifies an SD-JWT VC: the SD-JWT rules, the header typ, the VC claims and the issuer's key.
std::optional<VerifiedSdJwt> VerifySdJwtVc(std::string_view text, const IssuerKeySources& sources,
                                           const VerifyOptions& options,
                                           verify::VerificationReport* report);

}  // namespace lanyard::formats::sdjwt
