// Signing keys: Ed25519 (libsodium) and ECDSA with SHA-256 on P-256 or secp256k1 (OpenSSL 3).
// secp256k1 exists only to verify VC-JWT 1.1 tokens (ES256K) from older issuers; Lanyard never
// issues with it.
//
// PublicKey is an immutable, cheaply copied handle; for P-256 it keeps the imported OpenSSL key,
// because importing costs more than a verification, so hold on to PublicKeys rather than
// re-creating them. PrivateKey owns its secret, wipes it on destruction, and is move-only.
// Signer is the interface through which everything signs: a PrivateKey is one, and a KeyStore
// hands out Signers whose secrets never leave the store.
//
// Signatures: Ed25519 as RFC 8032 (64 bytes); ECDSA P-256 as raw r||s (IEEE P1363, 64 bytes),
// never DER. High-S ECDSA signatures verify (FIPS 186 and the Data Integrity suites allow them).
//
// Thread-safety: PublicKey, PrivateKey and Signers are safe to use from several threads.
#pragma once

#include <memory>
#include <string_view>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"

namespace lanyard::crypto {

// Persisted in key files: never renumber.
enum class KeyType : int { kEd25519 = 1, kP256 = 2, kSecp256k1 = 3 };

std::string_view KeyTypeName(KeyType type);  // "Ed25519", "P-256", "secp256k1"
// Accepts "ed25519" / "Ed25519", "p256" / "P-256" and "secp256k1".
// Errors: kInvalidArgument "key.unknown_type".
Result<KeyType> ParseKeyType(std::string_view name);

class PublicKey {
 public:
  // Ed25519: the 32-byte key. P-256, secp256k1: a 33-byte compressed or 65-byte uncompressed
  // SEC1 point.
  // Errors: kInvalidArgument "key.invalid" (wrong length, not on the curve).
  static Result<PublicKey> FromRaw(KeyType type, ByteView raw);

  KeyType type() const;
  // Ed25519: 32 bytes; EC keys: the 33-byte compressed point.
  const Bytes& raw() const;
  // EC keys only: the 32-byte big-endian affine coordinates (for JWK).
  Bytes EcX() const;
  Bytes EcY() const;

  // True only for a valid signature of `message`. Never throws; a malformed signature (wrong
  // length, DER-encoded ECDSA) is simply not valid.
  bool Verify(ByteView message, ByteView signature) const;

  friend bool operator==(const PublicKey& a, const PublicKey& b) {
    return a.type() == b.type() && a.raw() == b.raw();
  }

  struct Impl;

 private:
  explicit PublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

class Signer {
 public:
  virtual ~Signer() = default;
  virtual const PublicKey& public_key() const = 0;
  KeyType type() const { return public_key().type(); }
  // Errors: kInternal "crypto.sign_failed" when the cryptographic library fails.
  virtual Result<Bytes> Sign(ByteView message) const = 0;
};

class PrivateKey final : public Signer {
 public:
  static Result<PrivateKey> Generate(KeyType type);
  // Ed25519: the 32-byte seed. EC keys: the 32-byte big-endian scalar.
  // Errors: kInvalidArgument "key.invalid".
  static Result<PrivateKey> FromSecret(KeyType type, ByteView secret);

  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey() override;

  const PublicKey& public_key() const override { return public_; }
  Result<Bytes> Sign(ByteView message) const override;

  // The secret as FromSecret takes it. Only key files and the key store call this.
  Bytes ExportSecret() const;

  struct Impl;

 private:
  PrivateKey(std::unique_ptr<Impl> impl, PublicKey pub);
  std::unique_ptr<Impl> impl_;
  PublicKey public_;
};

}  // namespace lanyard::crypto
