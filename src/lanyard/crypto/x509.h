// X.509 certificate chains as JOSE "x5c" headers carry them (RFC 7515 §4.1.6): validation of a
// chain to a configured set of root certificates, and the leaf's public key.
//
// An x5c chain lists standard base64 (not base64url) DER certificates, the one holding the
// signing key first, each following one certifying the one before it; the trust anchor may be
// included or left out. VerifyX5cChain builds a path from the leaf to one of the TrustAnchors
// with OpenSSL, checked at the caller's instant (never the system clock), RFC 5280 strictly
// (OpenSSL's X509_STRICT: authority and subject key identifiers, critical CA basicConstraints,
// CA key usage, and the like), and then checks the leaf itself: not a CA, usable for signatures,
// naming the expected DNS name or URI in its subjectAltName. Revocation is not checked.
//
// Errors (reason, Code):
//   x5c.malformed        not base64, not one DER certificate, an empty chain, a chain longer
//                        than max_chain_length, a certificate beyond kMaxCertificateBytes, or an
//                        extension OpenSSL cannot read                        (kInvalidArgument)
//   x5c.untrusted        no valid path from the leaf to an anchor (unknown issuer, bad
//                        signature, an intermediate that is not a CA, path too long, a
//                        certificate RFC 5280 forbids)                       (kPermissionDenied)
//   x5c.expired          a certificate of the path has expired at `now`      (kPermissionDenied)
//   x5c.not_yet_valid    a certificate of the path is not yet valid at `now` (kPermissionDenied)
//   x5c.leaf_is_ca       the leaf says basicConstraints CA:TRUE              (kPermissionDenied)
//   x5c.wrong_key_usage  the leaf has a keyUsage without digitalSignature    (kPermissionDenied)
//   x5c.name_mismatch    the expected DNS name or URI is not in the leaf's subjectAltName
//                                                                            (kPermissionDenied)
//   x5c.unsupported_key  the leaf's key is neither P-256 nor Ed25519          (kInvalidArgument)
//   x5c.invalid_anchor   trust anchor PEM that is not a set of self-signed CA certificates
//                                                                            (kInvalidArgument)
//
// Thread-safety: TrustAnchors is immutable once loaded and cheaply copied (copies share it); it
// and the functions here are safe to use from several threads.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/crypto/keys.h"

namespace lanyard::crypto {

// Largest DER certificate accepted in an x5c chain or as an anchor.
inline constexpr size_t kMaxCertificateBytes = 16 * 1024;
// Largest PEM text LoadTrustAnchorsPem reads, and the most certificates it takes from it.
inline constexpr size_t kMaxTrustAnchorPemBytes = 4 * 1024 * 1024;
inline constexpr size_t kMaxTrustAnchors = 1000;

struct X5cOptions {
  // The instant at which every certificate of the path must be valid.
  TimePoint now;
  // When set, the leaf's subjectAltName must hold this dNSName (compared without regard to ASCII
  // case; wildcard names never match) ...
  std::optional<std::string> expected_dns_name;
  // ... and this uniformResourceIdentifier (compared byte for byte).
  std::optional<std::string> expected_uri;
  // Most certificates the x5c array may hold, leaf included; it also bounds the intermediates
  // of the built path.
  size_t max_chain_length = 5;
};

// A set of root certificates that x5c chains must lead to.
class TrustAnchors {
 public:
  // How many certificates the set holds.
  size_t size() const;

  struct Impl;

 private:
  friend Result<TrustAnchors> LoadTrustAnchorsPem(std::string_view pem);
  friend Result<PublicKey> VerifyX5cChain(const std::vector<std::string>& x5c,
                                          const TrustAnchors& anchors, const X5cOptions& options);
  explicit TrustAnchors(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Reads one or more concatenated PEM "CERTIFICATE" blocks (text around them is ignored). Each
// must be a self-signed CA certificate (basicConstraints CA:TRUE, or a version 1 root) whose
// signature verifies with its own key; validity dates are checked when a chain is verified, not
// here.
// Errors: x5c.invalid_anchor (no certificate, unreadable PEM or DER, a certificate that is not a
// self-signed CA, more than kMaxTrustAnchors certificates, text beyond kMaxTrustAnchorPemBytes).
Result<TrustAnchors> LoadTrustAnchorsPem(std::string_view pem);

// Validates the x5c chain `x5c` (leaf first) to one of `anchors` at options.now and returns the
// leaf's public key (P-256 or Ed25519).
// Errors: every x5c.* reason above except x5c.invalid_anchor. When the path fails for several
// reasons, the one OpenSSL meets first is reported; the leaf's own checks (CA, key usage, names,
// key type) come after the path is known to be trusted.
Result<PublicKey> VerifyX5cChain(const std::vector<std::string>& x5c, const TrustAnchors& anchors,
                                 const X5cOptions& options);

}  // namespace lanyard::crypto
