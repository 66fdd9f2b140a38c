// W3C Verifiable Credentials Data Model 2.0 checks for credentials and presentations.
//
// These are the structural rules of the data model, checked without any cryptography:
// @context begins with https://www.w3.org/ns/credentials/v2; type includes
// VerifiableCredential (or VerifiablePresentation); issuer is a URL or an object with an id URL;
// credentialSubject is present; validFrom/validUntil are date-times and `now` lies between them.
// Each rule is one check in the report, with codes such as "context.invalid", "type.invalid",
// "issuer.invalid", "subject.missing", "validity.expired", "validity.not_yet_valid".
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "lanyard/core/time.h"
#include "lanyard/json/value.h"
#include "lanyard/verify/report.h"

namespace lanyard::formats::vc {

inline constexpr std::string_view kCredentialsV2Context = "https://www.w3.org/ns/credentials/v2";

// Checks a credential's data model, recording checks under `subject`. Returns the issuer's id
// (empty when there is no usable issuer).
std::string CheckCredential(const json::Value& credential, TimePoint now, std::string_view subject,
                            verify::VerificationReport* report);

// Checks a presentation's own data model (not its credentials). Returns the holder's id, or
// empty when the presentation names no holder.
std::string CheckPresentation(const json::Value& presentation, std::string_view subject,
                              verify::VerificationReport* report);

// Whether `text` looks like an absolute URL or URN: a scheme, a colon and something after.
bool IsAbsoluteUrl(std::string_view text);

// A JSON value holding an RFC 3339 date-time with a time zone ("validFrom", "created",
// "expirationDate" ...). Errors: "input.invalid_datetime" for a string that is not one, and for
// any other kind of value.
Result<TimePoint> DateTimeValue(const json::Value& value);

// The issuer id of a credential (issuer string, or issuer.id), or empty.
std::string IssuerId(const json::Value& credential);

// A fresh credential identifier, "urn:uuid:" and a time-ordered (version 7, RFC 9562) UUID, for
// a credential an issuer must find again (its status entries, its record). The first 48 bits are
// `now` in Unix milliseconds and the other 74 are random: ids issued close together sort close
// together, so an issuer's indexes keyed by credential id grow at their end instead of touching
// a random page per credential (the difference between a bulk load's commits writing tens or
// hundreds of pages). The issuance time the id reveals is in the credential already.
std::string NewCredentialId(TimePoint now);

}  // namespace lanyard::formats::vc
