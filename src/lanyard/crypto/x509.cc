#include "lanyard/crypto/x509.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>
#include <utility>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/openssl_ptr.h"

namespace lanyard::crypto {
namespace {

using X509Ptr = OpenSslPtr<X509, X509_free>;
// sk_X509_free is a macro-generated inline, so it needs a named function to be a deleter. The
// stack borrows its certificates; their owners free them.
void FreeX509Stack(STACK_OF(X509) * stack) { sk_X509_free(stack); }
using X509StackPtr = OpenSslPtr<STACK_OF(X509), FreeX509Stack>;

// Base64 text long enough for a kMaxCertificateBytes DER certificate, and no longer.
constexpr size_t kMaxCertificateBase64 = (kMaxCertificateBytes + 2) / 3 * 4;
// Most intermediates OpenSSL is allowed to put in a path, whatever max_chain_length says.
constexpr size_t kMaxVerifyDepth = 16;

// Makes an Error and clears OpenSSL's thread-local error queue, so nothing it left there leaks
// into a later, unrelated call: the one place its errors cross over.
Error X509Error(Code code, const char* reason, std::string message) {
  ERR_clear_error();
  return MakeError(code, reason, std::move(message));
}

Error Malformed(const std::string& what) {
  return X509Error(Code::kInvalidArgument, "x5c.malformed", "the x5c chain is malformed: " + what);
}

Error InvalidAnchor(const std::string& what) {
  return X509Error(Code::kInvalidArgument, "x5c.invalid_anchor",
                   "the trust anchors are not usable: " + what);
}

// A PEM password callback that refuses: certificates are never encrypted, and OpenSSL's default
// callback would prompt on the terminal.
int NoPassword(char*, int, int, void*) { return -1; }

bool HasInvalidExtensions(X509* cert) {
  return (X509_get_extension_flags(cert) & EXFLAG_INVALID) != 0;
}

// Parses exactly one DER certificate from base64 text.
Result<X509Ptr> ParseX5cEntry(const std::string& text, size_t index) {
  std::string where = "entry " + std::to_string(index);
  if (text.size() > kMaxCertificateBase64) {
    return Malformed(where + " is longer than " + std::to_string(kMaxCertificateBytes) +
                     " bytes of DER");
  }
  auto der = Base64Decode(text);
  if (!der.ok()) return Malformed(where + " is not standard base64");
  if (der->empty()) return Malformed(where + " is empty");
  const unsigned char* p = der->data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der->size())));
  if (!cert) return Malformed(where + " is not a DER X.509 certificate");
  if (p != der->data() + der->size()) return Malformed(where + " has bytes after the certificate");
  if (HasInvalidExtensions(cert.get())) return Malformed(where + " has unreadable extensions");
  return cert;
}

// Translates a failed X509_verify_cert.
Error PathError(X509_STORE_CTX* ctx) {
  int err = X509_STORE_CTX_get_error(ctx);
  int depth = X509_STORE_CTX_get_error_depth(ctx);
  std::string at = "certificate at depth " + std::to_string(depth);
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return X509Error(Code::kPermissionDenied, "x5c.expired", "the x5c " + at + " has expired");
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return X509Error(Code::kPermissionDenied, "x5c.not_yet_valid",
                       "the x5c " + at + " is not yet valid");
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
      return Malformed("the " + at + " has an unreadable validity date");
    default:
      return X509Error(Code::kPermissionDenied, "x5c.untrusted",
                       std::string("the x5c chain does not lead to a trusted root: ") +
                           X509_verify_cert_error_string(err) + " (" + at + ")");
  }
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

std::string_view View(const ASN1_STRING* s) {
  return std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                          static_cast<size_t>(ASN1_STRING_length(s)));
}

// Whether the leaf's subjectAltName holds the expected names.
Status CheckNames(X509* leaf, const X5cOptions& options) {
  if (!options.expected_dns_name && !options.expected_uri) return OkStatus();
  OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)));
  bool dns_found = false, uri_found = false;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS && options.expected_dns_name &&
        options.expected_dns_name->find('*') == std::string::npos &&
        EqualsIgnoringAsciiCase(View(name->d.dNSName), *options.expected_dns_name)) {
      dns_found = true;
    }
    if (name->type == GEN_URI && options.expected_uri &&
        View(name->d.uniformResourceIdentifier) == *options.expected_uri) {
      uri_found = true;
    }
  }
  ERR_clear_error();
  if (options.expected_dns_name && !dns_found) {
    return MakeError(Code::kPermissionDenied, "x5c.name_mismatch",
                     "the x5c leaf certificate does not name the DNS name \"" +
                         options.expected_dns_name->substr(0, 256) + "\"");
  }
  if (options.expected_uri && !uri_found) {
    return MakeError(Code::kPermissionDenied, "x5c.name_mismatch",
                     "the x5c leaf certificate does not name the URI \"" +
                         options.expected_uri->substr(0, 256) + "\"");
  }
  return OkStatus();
}

Result<PublicKey> LeafKey(X509* leaf) {
  EVP_PKEY* pkey = X509_get0_pubkey(leaf);  // owned by the certificate
  if (pkey == nullptr) return Malformed("the leaf's public key cannot be read");
  int id = EVP_PKEY_get_base_id(pkey);
  if (id == EVP_PKEY_ED25519) {
    unsigned char raw[32];
    size_t len = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1 || len != sizeof raw) {
      return Malformed("the leaf's Ed25519 key cannot be read");
    }
    auto key = PublicKey::FromRaw(KeyType::kEd25519, ByteView(raw, len));
    if (!key.ok()) return Malformed("the leaf's Ed25519 key is invalid");
    return key;
  }
  if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    size_t group_len = 0;
    if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &group_len) == 1 &&
        (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0)) {
      unsigned char point[65];
      size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                          &len) != 1) {
        return Malformed("the leaf's P-256 key cannot be read");
      }
      auto key = PublicKey::FromRaw(KeyType::kP256, ByteView(point, len));
      if (!key.ok()) return Malformed("the leaf's P-256 key is invalid");
      return key;
    }
    ERR_clear_error();
    return MakeError(Code::kInvalidArgument, "x5c.unsupported_key",
                     std::string("the x5c leaf certificate has an elliptic-curve key on ") +
                         (group[0] != '\0' ? group : "an unnamed curve") +
                         " (P-256 and Ed25519 only)");
  }
  ERR_clear_error();
  const char* name = OBJ_nid2sn(id);
  return MakeError(Code::kInvalidArgument, "x5c.unsupported_key",
                   std::string("the x5c leaf certificate has a ") +
                       (name != nullptr ? name : "unknown") + " key (P-256 and Ed25519 only)");
}

}  // namespace

struct TrustAnchors::Impl {
  OpenSslPtr<X509_STORE, X509_STORE_free> store;
  size_t count = 0;
};

size_t TrustAnchors::size() const { return impl_->count; }

Result<TrustAnchors> LoadTrustAnchorsPem(std::string_view pem) {
  if (pem.size() > kMaxTrustAnchorPemBytes) {
    return InvalidAnchor("the PEM text is longer than " + std::to_string(kMaxTrustAnchorPemBytes) +
                         " bytes");
  }
  auto impl = std::make_shared<TrustAnchors::Impl>();
  impl->store.reset(X509_STORE_new());
  OpenSslPtr<BIO, BIO_free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!impl->store || !bio) {
    return X509Error(Code::kInternal, "crypto.internal", "could not allocate a certificate store");
  }
  ERR_clear_error();
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr));
    std::string which = "certificate " + std::to_string(impl->count + 1);
    if (!cert) {
      unsigned long e = ERR_peek_last_error();
      // PEM_R_NO_START_LINE after at least one certificate is the end of the text.
      if (impl->count > 0 && ERR_GET_LIB(e) == ERR_LIB_PEM &&
          ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
        break;
      }
      return InvalidAnchor(impl->count == 0 ? "no PEM certificate found"
                                            : which + " is not a readable PEM certificate");
    }
    if (impl->count == kMaxTrustAnchors) {
      return InvalidAnchor("more than " + std::to_string(kMaxTrustAnchors) + " certificates");
    }
    int der_len = i2d_X509(cert.get(), nullptr);
    if (der_len <= 0 || static_cast<size_t>(der_len) > kMaxCertificateBytes) {
      return InvalidAnchor(which + " is longer than " + std::to_string(kMaxCertificateBytes) +
                           " bytes of DER");
    }
    if (HasInvalidExtensions(cert.get())) {
      return InvalidAnchor(which + " has unreadable extensions");
    }
    int ca = X509_check_ca(cert.get());
    if (ca != 1 && ca != 3) return InvalidAnchor(which + " is not a CA certificate");
    if (X509_self_signed(cert.get(), 1) != 1) {
      return InvalidAnchor(which + " is not a self-signed root");
    }
    if (X509_STORE_add_cert(impl->store.get(), cert.get()) != 1) {
      return X509Error(Code::kInternal, "crypto.internal", "could not add " + which);
    }
    ++impl->count;
  }
  ERR_clear_error();
  return TrustAnchors(std::move(impl));
}

Result<PublicKey> VerifyX5cChain(const std::vector<std::string>& x5c, const TrustAnchors& anchors,
                                 const X5cOptions& options) {
  if (x5c.empty()) return Malformed("it holds no certificate");
  if (x5c.size() > options.max_chain_length) {
    return Malformed("it holds " + std::to_string(x5c.size()) + " certificates, more than " +
                     std::to_string(options.max_chain_length));
  }
  std::vector<X509Ptr> certs;
  certs.reserve(x5c.size());
  for (size_t i = 0; i < x5c.size(); ++i) {
    LANYARD_ASSIGN_OR_RETURN(X509Ptr cert, ParseX5cEntry(x5c[i], i));
    certs.push_back(std::move(cert));
  }
  X509* leaf = certs[0].get();

  X509StackPtr untrusted(sk_X509_new_null());
  OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free> ctx(X509_STORE_CTX_new());
  if (!untrusted || !ctx) {
    return X509Error(Code::kInternal, "crypto.internal", "could not allocate a verifier");
  }
  for (size_t i = 1; i < certs.size(); ++i) {
    if (sk_X509_push(untrusted.get(), certs[i].get()) <= 0) {
      return X509Error(Code::kInternal, "crypto.internal", "could not build the x5c chain");
    }
  }
  if (X509_STORE_CTX_init(ctx.get(), anchors.impl_->store.get(), leaf, untrusted.get()) != 1) {
    return X509Error(Code::kInternal, "crypto.internal", "could not start verifying the chain");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(ToUnixSeconds(options.now)));
  X509_VERIFY_PARAM_set_depth(
      param, static_cast<int>(std::min(options.max_chain_length, kMaxVerifyDepth)));
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  if (X509_verify_cert(ctx.get()) != 1) return PathError(ctx.get());
  ERR_clear_error();

  uint32_t flags = X509_get_extension_flags(leaf);
  if ((flags & EXFLAG_CA) != 0) {
    return MakeError(Code::kPermissionDenied, "x5c.leaf_is_ca",
                     "the x5c leaf certificate is a CA certificate (basicConstraints CA:TRUE), "
                     "not an issuer's signing certificate");
  }
  if ((flags & EXFLAG_KUSAGE) != 0 && (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
    return MakeError(Code::kPermissionDenied, "x5c.wrong_key_usage",
                     "the x5c leaf certificate's key usage does not include digitalSignature");
  }
  LANYARD_TRY(CheckNames(leaf, options));
  return LeafKey(leaf);
}

}  // namespace lanyard::crypto
