// SHA-256 (OpenSSL) and secure random bytes (libsodium).
//
// Thread-safety: pure functions; SecureRandom is safe from any thread.
#pragma once

#include <array>
#include <cstdint>

#include "lanyard/core/bytes.h"

namespace lanyard::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(ByteView data);

// Fills `out` from the operating system's CSPRNG. For keys, nonces and anything secret.
void SecureRandom(std::span<uint8_t> out);
Bytes SecureRandomBytes(size_t n);

// Fills `out` from a per-thread ChaCha20 keystream keyed once from the operating system: as
// unpredictable as SecureRandom, without a system call per value. For salts and decoy digests,
// which an issuer draws by the dozen per credential.
void SaltRandom(std::span<uint8_t> out);

}  // namespace lanyard::crypto
