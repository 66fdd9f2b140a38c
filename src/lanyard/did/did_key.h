// did:key (W3C CCG did:key v0.7) and did:jwk, for Ed25519 and P-256 keys.
//
// did:key:<multikey>  - the DID document has one verification method, "<did>#<multikey>",
//                       authorised for every verification relationship.
// did:jwk:<b64url(JWK)> - one method "<did>#0"; a JWK with "use":"enc" is not authorised for
//                       signing relationships.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/did/resolver.h"

namespace lanyard::did {

std::string DidKeyFromPublicKey(const crypto::PublicKey& key);
// "did:key:X#X": the verification method to name in proofs made with this key.
std::string DidKeyMethodId(const crypto::PublicKey& key);
// Errors: did.invalid (not did:key, or an unusable key inside).
Result<DidDocument> ResolveDidKey(std::string_view did);

std::string DidJwkFromPublicKey(const crypto::PublicKey& key);
// Errors: did.invalid.
Result<DidDocument> ResolveDidJwk(std::string_view did);

}  // namespace lanyard::did
