// HMAC (RFC 2104) with SHA-1 and SHA-256, and a constant-time comparison for checking MACs.
//
// HMAC-SHA1 exists for HOTP/TOTP (RFC 4226 and RFC 6238 fix SHA-1, and authenticator apps
// default to it); HMAC-SHA1 remains sound as a MAC even though SHA-1 collisions are practical.
// Use HMAC-SHA256 for anything new (signed cookies, CSRF tokens, keyed hashes of API tokens).
//
// Keys of any length are accepted, as RFC 2104 says (longer than the block size: hashed first;
// empty: allowed, though never a good idea). Neither function fails: OpenSSL failing to compute
// a MAC means it could not allocate a few hundred bytes, and the process aborts.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include "lanyard/core/bytes.h"
#include "lanyard/crypto/sha256.h"

namespace lanyard::crypto {

// The 20-byte HMAC-SHA1 of `data` under `key`.
Bytes HmacSha1(ByteView key, ByteView data);

// The 32-byte HMAC-SHA256 of `data` under `key`.
Sha256Digest HmacSha256(ByteView key, ByteView data);

// Whether a and b hold the same bytes, taking time that depends only on their lengths (which
// are not secret for MACs and codes: the algorithm fixes them). Use it to check a MAC, a code
// or a token against the expected value, never operator==, which stops at the first difference.
bool ConstantTimeEquals(ByteView a, ByteView b);

}  // namespace lanyard::crypto
