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

// Fills `out` from the operating system's CSPRNG.
void SecureRandom(std::span<uint8_t> out);
Bytes SecureRandomBytes(size_t n);

}  // namespace lanyard::crypto
