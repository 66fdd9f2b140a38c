// Public and private keys as JWK (RFC 7517, RFC 8037 for Ed25519) and as Multikey
// (multicodec-prefixed, multibase base58btc: "z6Mk..." for Ed25519, "zDn..." for P-256).
//
// Errors from the decoders are kInvalidArgument with reason "key.invalid_jwk" or
// "key.invalid_multikey" (or "key.invalid" when the bytes are not a usable key).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/json/value.h"

namespace lanyard::crypto {

// {"kty":"OKP","crv":"Ed25519","x":...} or {"kty":"EC","crv":"P-256","x":...,"y":...}
json::Value PublicKeyToJwk(const PublicKey& key);
// The public JWK plus "d". The result holds the secret: write it only where secrets belong.
json::Value PrivateKeyToJwk(const PrivateKey& key);
// Reads a public JWK (a private JWK's "d" is ignored).
Result<PublicKey> PublicKeyFromJwk(const json::Value& jwk);
// Reads a private JWK; refuses one whose public part does not match "d".
Result<PrivateKey> PrivateKeyFromJwk(const json::Value& jwk);

std::string PublicKeyToMultikey(const PublicKey& key);
Result<PublicKey> PublicKeyFromMultikey(std::string_view multibase);
// Secret multikeys, as the W3C test vectors publish them (ed25519-priv 0x1300, p256-priv 0x1306).
Result<PrivateKey> PrivateKeyFromMultikey(std::string_view multibase);

// RFC 7638 JWK thumbprint of the public key, base64url.
std::string JwkThumbprint(const PublicKey& key);

}  // namespace lanyard::crypto
