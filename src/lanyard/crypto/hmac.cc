#include "lanyard/crypto/hmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>

#include "lanyard/crypto/openssl_ptr.h"

namespace lanyard::crypto {
namespace {

// The EVP_MAC API (rather than the one-shot HMAC()) takes key lengths as size_t, so no key is
// too long to pass. Fetching "HMAC" from the provider store takes a lock and a search; it is
// done once and the fetched object shared (EVP_MAC objects are immutable and thread-safe).
EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) std::abort();  // the default provider is always there
  return mac;
}

// Computes HMAC-`digest_name` into out[0..out_size). Any failure is an allocation failure.
void ComputeHmac(const char* digest_name, ByteView key, ByteView data, uint8_t* out,
                 size_t out_size) {
  OpenSslPtr<EVP_MAC_CTX, EVP_MAC_CTX_free> ctx(EVP_MAC_CTX_new(HmacAlgorithm()));
  if (ctx == nullptr) std::abort();
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name), 0),
      OSSL_PARAM_construct_end()};
  // An empty key must still be passed as a non-null pointer: OpenSSL reads a null key as "keep
  // the previous key", of which there is none.
  static const unsigned char kEmpty[1] = {0};
  const unsigned char* key_data = key.empty() ? kEmpty : key.data();
  size_t written = 0;
  if (EVP_MAC_init(ctx.get(), key_data, key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out, &written, out_size) != 1 || written != out_size) {
    std::abort();
  }
}

}  // namespace

Bytes HmacSha1(ByteView key, ByteView data) {
  Bytes out(20);
  ComputeHmac("SHA1", key, data, out.data(), out.size());
  return out;
}

Sha256Digest HmacSha256(ByteView key, ByteView data) {
  Sha256Digest out;
  ComputeHmac("SHA256", key, data, out.data(), out.size());
  return out;
}

bool ConstantTimeEquals(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace lanyard::crypto
