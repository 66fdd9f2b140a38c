#include "lanyard/crypto/sha256.h"

// The low-level SHA-256 functions are deprecated in OpenSSL 3.0; see Sha256() for why they are
// used anyway.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <openssl/sha.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace lanyard::crypto {

Sha256Digest Sha256(ByteView data) {
  // OpenSSL 3's one-shot SHA256() and EVP_Digest look the algorithm up in the provider store
  // under a lock on every call, and even a prefetched EVP digest pays the provider dispatch:
  // either costs more than hashing a 100-byte disclosure, and an SD-JWT has dozens. The
  // low-level functions (deprecated in 3.0, still supported, same SHA-NI code) go straight to it.
  SHA256_CTX ctx;
  Sha256Digest out;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(out.data(), &ctx);
  return out;
}

struct Sha256Hasher::State {
  SHA256_CTX ctx;
};

Sha256Hasher::Sha256Hasher() : state_(std::make_unique<State>()) { SHA256_Init(&state_->ctx); }

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(ByteView data) { SHA256_Update(&state_->ctx, data.data(), data.size()); }

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  SHA256_Final(out.data(), &state_->ctx);
  return out;
}

void SecureRandom(std::span<uint8_t> out) { randombytes_buf(out.data(), out.size()); }

void SaltRandom(std::span<uint8_t> out) {
  struct Stream {
    unsigned char key[crypto_stream_chacha20_ietf_KEYBYTES];
    uint64_t block = 0;
    unsigned char buffer[512];
    size_t used = sizeof buffer;
    Stream() { randombytes_buf(key, sizeof key); }
    ~Stream() { sodium_memzero(key, sizeof key); }
  };
  thread_local Stream stream;
  size_t done = 0;
  while (done < out.size()) {
    if (stream.used == sizeof stream.buffer) {
      // Each refill uses a fresh nonce (a counter) under the thread's key.
      unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
      std::memcpy(nonce, &stream.block, sizeof stream.block);
      ++stream.block;
      crypto_stream_chacha20_ietf(stream.buffer, sizeof stream.buffer, nonce, stream.key);
      stream.used = 0;
    }
    size_t n = std::min(out.size() - done, sizeof stream.buffer - stream.used);
    std::memcpy(out.data() + done, stream.buffer + stream.used, n);
    sodium_memzero(stream.buffer + stream.used, n);  // never hand out the same bytes twice
    stream.used += n;
    done += n;
  }
}

Bytes SecureRandomBytes(size_t n) {
  Bytes out(n);
  SecureRandom(out);
  return out;
}

}  // namespace lanyard::crypto
