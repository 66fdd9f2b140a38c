// At-rest encryption for secrets Lanyard keeps in its database (the hosted wallet's keys, TOTP
// secrets): a key type whose bytes live in libsodium's guarded memory, per-purpose subkeys
// derived from one master key (master_key.h), and authenticated encryption
// (XChaCha20-Poly1305, libsodium's IETF construction) with associated data.
//
// Sealed layout, byte level (version 1):
//
//   offset 0        1 byte    version, 0x01
//   offset 1       24 bytes   nonce, random (crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
//   offset 25       n bytes   ciphertext of the n-byte plaintext
//   offset 25+n    16 bytes   Poly1305 tag
//
//   ciphertext || tag = crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext,
//                          ad = 0x01 || associated_data, nonce, key)
//
// The version byte is authenticated too (it leads the AEAD's additional data), so a later
// format cannot be made to read a version-1 box as its own. 192-bit random nonces need no
// counter: a key may seal about 2^80 messages before a repeat becomes likely.
//
// Associated data is the caller's way to bind a box to its place: pass what identifies the row
// and the purpose (for example "wallet-key" 0x00 user-id), so a box copied into another user's
// row, or into another column, does not open there.
//
// Errors (reasons, with their codes):
//   secretbox.invalid_key      key bytes or hex that are not exactly 32 bytes (kInvalidArgument)
//   secretbox.invalid_context  a KDF context that is not exactly 8 bytes      (kInvalidArgument)
//   secretbox.no_memory        no guarded memory left for a key (mlock limits, address space)
//                                                                          (kResourceExhausted)
//   secretbox.corrupt          a box that does not open: wrong key, altered bytes, other
//                              associated data, unknown version, too short          (kDataLoss)
//
// Thread-safety: SecretKey is read-only once made and safe to share between threads by const
// reference; the functions are pure (Seal reads the OS CSPRNG).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"

namespace lanyard::crypto {

namespace internal {
struct SecretKeyAccess;
}

// A 32-byte symmetric key. The bytes live in libsodium's guarded allocation (sodium_malloc:
// guard pages around it, locked against swapping where the system allows, read-only once
// filled) and are wiped when the key is destroyed.
//
// Move-only, by design: exactly one owner, so there is one copy of the bytes to wipe and no
// reference count to reason about. A moved-from key is empty (valid() is false); passing an empty
// key to any function here aborts. Share a key between threads by const reference, or hold it in
// a std::shared_ptr<const SecretKey> when owners are several.
//
// Each key costs a few pages of address space (the guard pages); derive subkeys when needed and
// keep the ones used often rather than deriving per request.
class SecretKey {
 public:
  static constexpr size_t kSize = 32;

  // A fresh random key from the OS CSPRNG. Errors: secretbox.no_memory.
  static Result<SecretKey> Generate();
  // A copy of `bytes` (the caller wipes its own copy). Errors: secretbox.invalid_key,
  // secretbox.no_memory.
  static Result<SecretKey> FromBytes(ByteView bytes);
  // Decodes 64 hex digits (either case) straight into guarded memory, so the binary key never
  // exists elsewhere. Errors: secretbox.invalid_key, secretbox.no_memory.
  static Result<SecretKey> FromHex(std::string_view hex);

  SecretKey(SecretKey&&) noexcept = default;
  SecretKey& operator=(SecretKey&&) noexcept = default;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey() = default;

  // False only for a moved-from key.
  bool valid() const { return bytes_ != nullptr; }

 private:
  struct Free {
    void operator()(unsigned char* p) const;
  };
  friend struct internal::SecretKeyAccess;
  friend Result<SecretKey> DeriveSecretKey(const SecretKey& master, std::string_view context8,
                                           uint64_t subkey_id);

  explicit SecretKey(unsigned char* bytes) : bytes_(bytes) {}
  // The key bytes. Aborts on an empty key.
  const unsigned char* data() const;

  std::unique_ptr<unsigned char, Free> bytes_;
};

// A subkey of `master` for one purpose: crypto_kdf_derive_from_key(32 bytes, subkey_id,
// context, master), i.e. BLAKE2b keyed by the master key with the id as salt and the context
// as personalisation. Different (context, subkey_id) pairs give independent keys; the same pair
// always gives the same key. Contexts are 8 ASCII bytes naming the use ("LanyWalt", "LanyTotp")
// and, once data is sealed under them, never change.
// Errors: secretbox.invalid_context, secretbox.no_memory.
Result<SecretKey> DeriveSecretKey(const SecretKey& master, std::string_view context8,
                                  uint64_t subkey_id);

// Encrypts and authenticates `plaintext` with `associated_data` (authenticated, not stored)
// under `key`, with a fresh random nonce; returns the layout above (41 bytes longer than the
// plaintext). REQUIRES: key.valid().
Bytes Seal(const SecretKey& key, ByteView plaintext, ByteView associated_data);

// Opens a box made by Seal with the same key and associated data; returns the plaintext, which
// the caller wipes (sodium_memzero) when it is secret. Errors: secretbox.corrupt.
// REQUIRES: key.valid().
Result<Bytes> Open(const SecretKey& key, ByteView sealed, ByteView associated_data);

// Bytes sealing adds to a plaintext: version, nonce and tag.
inline constexpr size_t kSealOverhead = 1 + 24 + 16;

namespace internal {
// For crypto/ code that must hand a key to libsodium itself (writing a new master key file).
struct SecretKeyAccess {
  static const unsigned char* Data(const SecretKey& key) { return key.data(); }
};
}  // namespace internal

}  // namespace lanyard::crypto
