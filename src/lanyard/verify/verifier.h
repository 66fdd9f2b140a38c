// The credential and presentation verification pipeline.
//
// Input text -> strict JSON parse -> data model checks -> every Data Integrity proof -> issuer
// bound to a signer. The result is always a VerificationReport, never an exception:
//   - unreadable input (not JSON, too large, too deep, duplicate keys...) gives an "unusable"
//     report with the parser's code (input.*);
//   - everything else is a list of checks, each passed or failed.
// The issuer binding rule: at least one proof that verified must be made by a verification
// method of the issuer itself (for a DID issuer, a DID URL of that DID, controlled by it).
// Otherwise anyone could sign a credential "issued by" an NHS trust.
//
// Thread-safety: pure functions (the Resolver must be thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lanyard/core/time.h"
#include "lanyard/did/resolver.h"
#include "lanyard/json/parser.h"
#include "lanyard/json/value.h"
#include "lanyard/verify/report.h"

namespace lanyard::verify {

struct VerifyOptions {
  TimePoint now;  // every time check uses this, never the system clock
  json::ParseOptions parse;
  // For presentations: what this verifier asked the holder to sign.
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
};

VerificationReport VerifyCredentialText(std::string_view text, const did::Resolver& resolver,
                                        const VerifyOptions& options);
VerificationReport VerifyCredential(const json::Value& credential, const did::Resolver& resolver,
                                    const VerifyOptions& options);

// Verifies the presentation's proof (purpose "authentication", challenge and domain as the
// options require), that the holder signed it, and every embedded credential.
VerificationReport VerifyPresentationText(std::string_view text, const did::Resolver& resolver,
                                          const VerifyOptions& options);
VerificationReport VerifyPresentation(const json::Value& presentation,
                                      const did::Resolver& resolver, const VerifyOptions& options);

// Verifies a document as a presentation if its type says so, otherwise as a credential.
VerificationReport VerifyDocumentText(std::string_view text, const did::Resolver& resolver,
                                      const VerifyOptions& options);

}  // namespace lanyard::verify
