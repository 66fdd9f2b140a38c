#include "lanyard/crypto/secret_box.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "lanyard/crypto/sodium_init.h"

namespace lanyard::crypto {
namespace {

constexpr uint8_t kVersion = 0x01;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kHeaderBytes = 1 + kNonceBytes;

static_assert(SecretKey::kSize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(SecretKey::kSize == crypto_kdf_KEYBYTES);
static_assert(crypto_kdf_BYTES_MIN <= SecretKey::kSize && SecretKey::kSize <= crypto_kdf_BYTES_MAX);
static_assert(crypto_kdf_CONTEXTBYTES == 8);
static_assert(kSealOverhead == kHeaderBytes + kTagBytes);

Error InvalidKey(const std::string& what) {
  return MakeError(Code::kInvalidArgument, "secretbox.invalid_key", what);
}

Error Corrupt(const std::string& what) {
  return MakeError(Code::kDataLoss, "secretbox.corrupt", "the sealed data " + what);
}

// Guarded memory for one key, writable until the caller seals it read-only.
Result<unsigned char*> AllocateKey() {
  internal::EnsureSodium();
  auto* p = static_cast<unsigned char*>(sodium_malloc(SecretKey::kSize));
  if (p == nullptr) {
    return MakeError(Code::kResourceExhausted, "secretbox.no_memory",
                     "cannot allocate guarded memory for a key");
  }
  return p;
}

// The additional data the AEAD sees: the version byte, then the caller's.
Bytes AeadAd(ByteView associated_data) {
  Bytes ad;
  ad.reserve(1 + associated_data.size());
  ad.push_back(kVersion);
  ad.insert(ad.end(), associated_data.begin(), associated_data.end());
  return ad;
}

}  // namespace

void SecretKey::Free::operator()(unsigned char* p) const {
  sodium_free(p);  // makes the pages writable again, wipes them, then unmaps
}

const unsigned char* SecretKey::data() const {
  // Using a moved-from key is a programming error; a null key would otherwise reach libsodium.
  if (bytes_ == nullptr) std::abort();
  return bytes_.get();
}

Result<SecretKey> SecretKey::Generate() {
  LANYARD_ASSIGN_OR_RETURN(unsigned char* p, AllocateKey());
  randombytes_buf(p, kSize);
  sodium_mprotect_readonly(p);
  return SecretKey(p);
}

Result<SecretKey> SecretKey::FromBytes(ByteView bytes) {
  if (bytes.size() != kSize) return InvalidKey("a key is exactly 32 bytes");
  LANYARD_ASSIGN_OR_RETURN(unsigned char* p, AllocateKey());
  std::memcpy(p, bytes.data(), kSize);
  sodium_mprotect_readonly(p);
  return SecretKey(p);
}

Result<SecretKey> SecretKey::FromHex(std::string_view hex) {
  if (hex.size() != 2 * kSize) return InvalidKey("a key is exactly 64 hex digits");
  LANYARD_ASSIGN_OR_RETURN(unsigned char* p, AllocateKey());
  SecretKey key(p);  // freed (and wiped) on every return below unless handed out
  size_t decoded = 0;
  const char* end = nullptr;
  // sodium_hex2bin runs in constant time, unlike a table lookup per digit.
  if (sodium_hex2bin(p, kSize, hex.data(), hex.size(), nullptr, &decoded, &end) != 0 ||
      decoded != kSize || end != hex.data() + hex.size()) {
    return InvalidKey("a key is exactly 64 hex digits");
  }
  sodium_mprotect_readonly(p);
  return key;
}

Result<SecretKey> DeriveSecretKey(const SecretKey& master, std::string_view context8,
                                  uint64_t subkey_id) {
  if (context8.size() != crypto_kdf_CONTEXTBYTES) {
    return MakeError(Code::kInvalidArgument, "secretbox.invalid_context",
                     "a key derivation context is exactly 8 bytes");
  }
  const unsigned char* master_bytes = internal::SecretKeyAccess::Data(master);
  LANYARD_ASSIGN_OR_RETURN(unsigned char* p, AllocateKey());
  // crypto_kdf_derive_from_key reads exactly 8 context bytes; a string_view need not be
  // NUL-terminated, so it goes through a buffer of the right size.
  char context[crypto_kdf_CONTEXTBYTES];
  std::memcpy(context, context8.data(), sizeof context);
  crypto_kdf_derive_from_key(p, SecretKey::kSize, subkey_id, context, master_bytes);
  sodium_mprotect_readonly(p);
  return SecretKey(p);
}

Bytes Seal(const SecretKey& key, ByteView plaintext, ByteView associated_data) {
  const unsigned char* key_bytes = internal::SecretKeyAccess::Data(key);
  Bytes out(kHeaderBytes + plaintext.size() + kTagBytes);
  out[0] = kVersion;
  randombytes_buf(out.data() + 1, kNonceBytes);
  const Bytes ad = AeadAd(associated_data);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kHeaderBytes, nullptr, plaintext.data(),
                                             plaintext.size(), ad.data(), ad.size(), nullptr,
                                             out.data() + 1, key_bytes);
  return out;
}

Result<Bytes> Open(const SecretKey& key, ByteView sealed, ByteView associated_data) {
  const unsigned char* key_bytes = internal::SecretKeyAccess::Data(key);
  if (sealed.size() < kSealOverhead) return Corrupt("is too short to be a sealed box");
  if (sealed[0] != kVersion) {
    return Corrupt("has version " + std::to_string(sealed[0]) + " (this Lanyard reads 1)");
  }
  Bytes plaintext(sealed.size() - kSealOverhead);
  unsigned long long size = 0;
  const Bytes ad = AeadAd(associated_data);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plaintext.data(), &size, nullptr, sealed.data() + kHeaderBytes,
          sealed.size() - kHeaderBytes, ad.data(), ad.size(), sealed.data() + 1, key_bytes) != 0 ||
      size != plaintext.size()) {
    sodium_memzero(plaintext.data(), plaintext.size());
    // A wrong key, an altered byte and other associated data are indistinguishable by design.
    return Corrupt(
        "does not open with this key and associated data (altered, or sealed for "
        "another key or place)");
  }
  return plaintext;
}

}  // namespace lanyard::crypto
