// SHA-256 (OpenSSL) and secure random bytes (libsodium).
//
// Thread-safety: pure functions; SecureRandom is safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "lanyard/core/bytes.h"

namespace lanyard::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(ByteView data);

// SHA-256 of data that arrives in pieces (a file read in chunks), without holding it whole.
// Update() any number of times, then Finish() once; a finished hasher is not reused.
// Thread-safety: one hasher per thread.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(ByteView data);
  // REQUIRES: not called before on this hasher.
  Sha256Digest Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Fills `out` from the operating system's CSPRNG. For keys, nonces and anything secret.
void SecureRandom(std::span<uint8_t> out);
Bytes SecureRandomBytes(size_t n);

// Fills `out` from a per-thread ChaCha20 keystream keyed once from the operating system: as
// unpredictable as SecureRandom, without a system call per value. For salts and decoy digests,
// which an issuer draws by the dozen per credential.
void SaltRandom(std::span<uint8_t> out);

}  // namespace lanyard::crypto
