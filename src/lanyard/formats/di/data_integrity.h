// W3C Data Integrity proofs with the JCS cryptosuites: eddsa-jcs-2022 (Ed25519) and
// ecdsa-jcs-2019 (P-256), as the EdDSA and ECDSA Cryptosuites v1.0 Recommendations define them.
//
//   proof config = the proof without proofValue; when creating, it carries a copy of the
//                  document's @context
//   hashData     = SHA-256(JCS(proof config)) || SHA-256(JCS(document without "proof"))
//   proofValue   = "z" + base58btc(signature)   (ECDSA: raw r||s, 64 bytes)
// A document may carry a proof set (an array); each proof signs the document without any
// proof and is checked independently. When verifying, a proof's @context must be a prefix of the
// document's, and the document is hashed with the proof's @context in place of its own, so a
// document whose context list was extended after signing still verifies.
//
// Proof chains (previousProof) are refused, not ignored.
//
// Thread-safety: pure functions (the Resolver must be thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/did/resolver.h"
#include "lanyard/json/value.h"
#include "lanyard/verify/report.h"

namespace lanyard::formats::di {

enum class Cryptosuite { kEddsaJcs2022, kEcdsaJcs2019 };

std::string_view CryptosuiteName(Cryptosuite suite);
// Errors: kInvalidArgument "proof.unknown_cryptosuite".
Result<Cryptosuite> ParseCryptosuite(std::string_view name);
crypto::KeyType SuiteKeyType(Cryptosuite suite);

struct ProofOptions {
  Cryptosuite suite = Cryptosuite::kEddsaJcs2022;
  std::string verification_method;  // absolute DID URL of the signing key
  std::string proof_purpose = "assertionMethod";
  TimePoint created;  // written with whole seconds
  std::optional<TimePoint> expires;
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
};

// The proof configuration object that AddProof signs (before proofValue is added).
// Errors: kInvalidArgument "proof.document_not_object" when `document` is not an object.
Result<json::Value> MakeProofConfig(const json::Value& document, const ProofOptions& options);

// hashData for a proof configuration and a document; "proof" members of the document are not
// hashed. Errors: those of json::Canonicalize.
Result<Bytes> HashData(const json::Value& proof_config, const json::Value& document);

// Returns `document` with a new proof added (a second proof turns "proof" into a proof set).
// Errors: "proof.document_not_object"; kInvalidArgument "proof.key_type_mismatch" when the
// signer's key does not fit the suite; the signer's errors; canonicalisation errors.
Result<json::Value> AddProof(json::Value document, const ProofOptions& options,
                             const crypto::Signer& signer);

struct ProofExpectations {
  std::string proof_purpose = "assertionMethod";
  TimePoint now;
  std::optional<std::string> challenge;  // when set, every proof must carry exactly this
  std::optional<std::string> domain;
};

struct VerifiedProof {
  std::string verification_method;  // the DID URL in the proof
  std::string controller;           // the DID that controls that key
};

// Verifies every proof of `document`, recording one or more checks per proof in `report`
// (subjects "proof" or "proof[i]"). Returns the proofs whose signatures verified and whose every
// check passed. An absent proof is recorded as "proof.missing".
std::vector<VerifiedProof> VerifyProofs(const json::Value& document, const did::Resolver& resolver,
                                        const ProofExpectations& expectations,
                                        verify::VerificationReport* report);

}  // namespace lanyard::formats::di
