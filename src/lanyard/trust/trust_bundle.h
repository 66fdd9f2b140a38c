// The signed trust bundle: the trust registry plus every registered organisation's DID document,
// as one Data Integrity credential, so a verifier with no network (a ward computer, a mobile
// clinic, a test rig) can decide trust fully offline.
//
//   {"@context": [VC 2.0], "type": ["VerifiableCredential", "LanyardTrustBundle"],
//    "issuer": <did:key of the bundle signer>, "validFrom", "validUntil",
//    "credentialSubject": {"id": "urn:lanyard:trust-registry:<serial>",
//                          "registry": {...registry file...},
//                          "didDocuments": [{...DID document...}, ...]},
//    "proof": {eddsa-jcs-2022 or ecdsa-jcs-2019}}
//
// The bundle is signed with a did:key so that checking it needs nothing but the bundle. Whoever
// runs the verifier decides whose bundles to accept (`expected_signer`); a bundle that verifies
// but whose signer was not pinned is usable, and says so.
//
// Errors:
//   trust.bundle_invalid     (kInvalidArgument) not a bundle, a proof that does not verify, a
//                            registry or DID document inside that does not load
//   trust.bundle_expired     (kFailedPrecondition) outside validFrom..validUntil
//   trust.bundle_signer_mismatch (kPermissionDenied) signed by someone else than expected
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/did/resolver.h"
#include "lanyard/json/value.h"
#include "lanyard/trust/trust_registry.h"

namespace lanyard::trust {

struct BundleBuildOptions {
  TimePoint now;
  std::chrono::seconds lifetime = std::chrono::hours(24 * 30);
};

// Signs `registry` and `documents` as a bundle with `signer` (its did:key becomes the issuer).
Result<json::Value> BuildTrustBundle(const TrustRegistry& registry,
                                     const std::map<std::string, did::DidDocument>& documents,
                                     const crypto::Signer& signer,
                                     const BundleBuildOptions& options);

struct TrustBundle {
  TrustRegistry registry;
  std::map<std::string, did::DidDocument> documents;
  std::string signer;  // the did:key that signed it
  bool signer_pinned = false;
  TimePoint valid_until;
};

// Verifies and loads a bundle at time `now`. `expected_signer` pins whose bundles are accepted.
Result<TrustBundle> LoadTrustBundle(std::string_view text, TimePoint now,
                                    const std::optional<std::string>& expected_signer);

}  // namespace lanyard::trust
