// The credential and presentation verification pipeline.
//
// Input text -> format detection -> strict parse -> data model checks -> (Data Integrity) the
// credentialSchema, when it is one of Lanyard's passport schemas (passport/passport_credential.h:
// schema.valid / schema.invalid / schema.unknown) -> every proof -> issuer bound to a signer.
// The same report comes out whichever format arrived: Data Integrity (JSON), SD-JWT VC, or
// VC-JWT 1.1. The result is always a VerificationReport, never an exception:
//   - unreadable input (not JSON, too large, too deep, duplicate keys...) gives an "unusable"
//     report with the parser's code (input.*);
//   - everything else is a list of checks, each passed or failed.
// Then trust (the registry: issuer.trusted / issuer.untrusted, issuer.authorised_for_type /
// issuer.not_authorised_for_type, issuer.key_current / issuer.key_retired /
// issuer.key_compromised) and status (verify/status_check.h).
// The issuer binding rule: at least one proof that verified must be made by a verification
// method of the issuer itself (for a DID issuer, a DID URL of that DID, controlled by it).
// Otherwise anyone could sign a credential "issued by" an NHS trust.
//
// Thread-safety: pure functions (the Resolver must be thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lanyard/core/http_client.h"
#include "lanyard/core/time.h"
#include "lanyard/crypto/x509.h"
#include "lanyard/did/resolver.h"
#include "lanyard/json/parser.h"
#include "lanyard/json/value.h"
#include "lanyard/trust/trust_registry.h"
#include "lanyard/verify/report.h"
#include "lanyard/verify/status_check.h"

namespace lanyard::verify {

struct VerifyOptions {
  TimePoint now;  // every time check uses this, never the system clock
  json::ParseOptions parse;
  // For presentations: what this verifier asked the holder to sign. A Data Integrity
  // presentation's challenge and domain; an SD-JWT key-binding JWT's nonce and aud. When set,
  // an SD-JWT without a valid key-binding JWT is refused.
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
  // JWT-based formats: tolerated clock difference, and how old or how far ahead a key-binding
  // JWT may be.
  std::chrono::seconds skew{60};
  std::chrono::seconds kb_max_age{600};
  std::chrono::seconds kb_max_future{60};
  // Optional sources of issuer keys for SD-JWT VC (metadata over HTTP, x5c trust anchors).
  const HttpClient* http = nullptr;
  const crypto::TrustAnchors* anchors = nullptr;
  // Who may issue what (a loaded trust bundle). Without one the report says trust.not_checked:
  // a warning, or a failure when require_trust is set. Never "trusted".
  const trust::TrustRegistry* trust = nullptr;
  bool require_trust = false;
  // Revocation and suspension. A credential that names a status list is refused
  // (status.unavailable) when there is no checker: status unknown never reads as cleared.
  const StatusChecker* status = nullptr;
};

// The securing formats Lanyard reads.
enum class Format { kDataIntegrity, kSdJwtVc, kVcJwt, kUnknown };
// Tells them apart by their shape: a JSON object, "jwt~disclosures~", or a bare compact JWT.
Format DetectFormat(std::string_view text);

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

// Verifies whatever arrived: a Data Integrity credential or presentation (JSON), an SD-JWT VC,
// or a VC-JWT 1.1, detected from the content.
VerificationReport VerifyDocumentText(std::string_view text, const did::Resolver& resolver,
                                      const VerifyOptions& options);

}  // namespace lanyard::verify
