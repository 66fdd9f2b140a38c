// Passport credentials in Lanyard's two securing formats: the unsigned documents an issuer signs
// (built from claims that PrepareClaims accepted), the holder's default disclosures, and the
// check a verifier makes of a Data Integrity credential against the schema it names.
//
// Data Integrity: a VC 2.0 credential
//   {"@context": ["https://www.w3.org/ns/credentials/v2"],
//    "type": ["VerifiableCredential", <di_type>], "issuer"?, "validFrom", "validUntil"?,
//    "credentialSchema": {"id": <schema_id>, "type": "JsonSchema"}, "credentialSubject": <claims>}
// SD-JWT VC: a payload {"iss", "vct": <vct>, "exp"?, <claims at the top level>}, issued with the
// type's selectively disclosable claims (those present) as disclosures.
//
// Report codes (docs/verification-codes.md): schema.valid (credentialSubject matches the
// Lanyard schema the credential names), schema.invalid (it does not; the message names the
// field, e.g. "typeOfDbsCheck: must be one of ..."; also a credential typed as one passport
// type naming another's schema), schema.unknown (a warning: a credentialSchema Lanyard does not
// have, or not of type JsonSchema, so nothing was checked against it).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/json/value.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/verify/report.h"

namespace lanyard::passport {

// The unsigned Data Integrity credential for `claims` (taken as they are: REQUIRES they passed
// PrepareClaims for this type). `issuer` is omitted when empty (the signing step names it);
// times are written in whole seconds.
json::Value MakeDataIntegrityCredential(const CredentialTypeInfo& info, json::Value claims,
                                        const std::string& issuer, TimePoint valid_from,
                                        std::optional<TimePoint> valid_until);

// The unsigned SD-JWT VC payload for `claims` (REQUIRES: they passed PrepareClaims, so no claim
// is named iss, vct or exp). `exp` is omitted when absent (the issuer's default lifetime).
json::Value MakeSdJwtVcPayload(const CredentialTypeInfo& info, json::Value claims,
                               const std::string& iss, std::optional<TimePoint> exp);

// The type's selectively disclosable claim paths that `claims` holds, in the table's order.
std::vector<std::string> DisclosablePaths(const CredentialTypeInfo& info,
                                          const json::Value& claims);

// For an issued passport SD-JWT VC (the holder's copy, with its disclosures): the type's default
// disclosures that the token carries, as claim paths to present.
// Errors: the SD-JWT and JWS parse errors (sdjwt.malformed, sdjwt.disclosure_malformed,
// jws.malformed ...); kInvalidArgument "passport.unknown_type" when its vct is not a Lanyard
// passport type.
Result<std::vector<std::string>> DefaultDisclosurePaths(std::string_view sd_jwt);

// Records the schema checks of a Data Integrity credential in `report` (subject
// "credentialSchema"), one per credentialSchema entry; records nothing when it names no schema.
void CheckCredentialSchema(const json::Value& credential, verify::VerificationReport* report);

}  // namespace lanyard::passport
