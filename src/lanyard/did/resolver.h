// Decentralised identifiers: the Resolver interface, DID documents, and DID URL dereferencing.
//
// A DidDocument here holds what verification needs: verification methods with their public keys
// and the verification relationships (assertionMethod for credentials, authentication for
// presentations). Resolvers for did:key and did:jwk work offline; did:web will plug in behind the
// same interface with an HTTP client.
//
// Errors (kInvalidArgument unless stated):
//   did.invalid               not a syntactically valid DID / DID URL for its method
//   did.unsupported_method    no resolver for the method                    (kNotFound)
//   did.method_not_found      the DID document has no such verification method (kNotFound)
//
// Thread-safety: Resolver implementations are safe to call from several threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/crypto/keys.h"

namespace lanyard::did {

struct VerificationMethod {
  std::string id;          // absolute DID URL, e.g. "did:key:z6Mk...#z6Mk..."
  std::string controller;  // the DID that controls the key
  crypto::PublicKey key;
};

struct DidDocument {
  std::string id;
  std::vector<VerificationMethod> verification_methods;
  // Verification relationships, as absolute DID URLs of methods in verification_methods.
  std::vector<std::string> assertion_method;
  std::vector<std::string> authentication;

  // The method with this absolute id, or nullptr.
  const VerificationMethod* FindMethod(std::string_view id) const;
  // Whether `method_id` is listed under `relationship` ("assertionMethod", "authentication").
  bool Authorises(std::string_view relationship, std::string_view method_id) const;
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  // Resolves a DID (no fragment) to its document.
  virtual Result<DidDocument> Resolve(std::string_view did) const = 0;
};

// Splits "did:x:y#frag" into the DID and the fragment (without '#'; empty if absent).
// Errors: did.invalid when the text is not a DID URL.
struct DidUrl {
  std::string did;
  std::string fragment;
};
Result<DidUrl> ParseDidUrl(std::string_view url);

// The method name of a DID ("key" for "did:key:..."), or did.invalid.
Result<std::string_view> DidMethod(std::string_view did);

// Resolves did:key and did:jwk without a network. Decoded keys are cached (bounded), because
// importing a P-256 key costs more than verifying a signature with it.
std::unique_ptr<Resolver> NewOfflineResolver();

// Resolves a DID URL to the verification method it names, and checks that the method is
// authorised for `relationship` in its DID document.
// Errors: as Resolve, plus did.method_not_found, and kPermissionDenied
// "did.relationship_not_authorised" when the method exists but is not listed under
// `relationship`.
Result<VerificationMethod> DereferenceMethod(const Resolver& resolver, std::string_view url,
                                             std::string_view relationship);

}  // namespace lanyard::did
