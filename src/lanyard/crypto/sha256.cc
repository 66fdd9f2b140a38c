#include "lanyard/crypto/sha256.h"

#include <openssl/sha.h>
#include <sodium.h>

namespace lanyard::crypto {

Sha256Digest Sha256(ByteView data) {
  Sha256Digest out;
  // The one-shot low-level call: EVP_Digest would fetch the algorithm on every call, which
  // costs more than hashing a whole credential.
  SHA256(data.data(), data.size(), out.data());
  return out;
}

void SecureRandom(std::span<uint8_t> out) { randombytes_buf(out.data(), out.size()); }

Bytes SecureRandomBytes(size_t n) {
  Bytes out(n);
  SecureRandom(out);
  return out;
}

}  // namespace lanyard::crypto
