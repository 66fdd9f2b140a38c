#include "lanyard/crypto/keys.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "lanyard/crypto/openssl_ptr.h"
#include "lanyard/crypto/sha256.h"

namespace lanyard::crypto {
namespace {

// libsodium must be initialised once before use; sodium_init is idempotent and thread-safe,
// but calling it once here keeps it off every hot path.
void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no entropy source: nothing can be signed safely
  });
}

// Translates and clears OpenSSL's thread-local error queue: the one place its errors cross over.
Error OpenSslError(Code code, const char* reason, const std::string& what) {
  unsigned long e = ERR_get_error();
  std::string detail;
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    detail = std::string(" (") + buf + ")";
  }
  ERR_clear_error();
  return MakeError(code, reason, what + detail);
}

using PkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;

// Prepared signing or verification contexts for one EC key, reused across calls. Initialising a
// context looks the algorithm up in OpenSSL's provider store under a lock, which costs about a
// third of a P-256 signature; `openssl speed` prepares its context once, and so does Lanyard.
// Contexts are not shareable between threads, so each call leases one (creating it if none is
// free) and gives it back.
class PkeyCtxPool {
 public:
  enum class Op { kSign, kVerify };

  PkeyCtxPool(const EVP_PKEY* pkey, Op op) : pkey_(const_cast<EVP_PKEY*>(pkey)), op_(op) {}
  PkeyCtxPool(const PkeyCtxPool&) = delete;
  PkeyCtxPool& operator=(const PkeyCtxPool&) = delete;
  ~PkeyCtxPool() {
    for (EVP_PKEY_CTX* ctx : free_) EVP_PKEY_CTX_free(ctx);
  }

  // A ready context, or nullptr when OpenSSL cannot make one. Give it back with Return().
  EVP_PKEY_CTX* Take() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        EVP_PKEY_CTX* ctx = free_.back();
        free_.pop_back();
        return ctx;
      }
    }
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pkey_, nullptr);
    if (ctx == nullptr ||
        (op_ == Op::kSign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) <= 0) {
      EVP_PKEY_CTX_free(ctx);
      return nullptr;
    }
    return ctx;
  }

  void Return(EVP_PKEY_CTX* ctx) {
    std::lock_guard lock(mu_);
    if (free_.size() < kMaxFree) {
      free_.push_back(ctx);
    } else {
      EVP_PKEY_CTX_free(ctx);
    }
  }

 private:
  static constexpr size_t kMaxFree = 16;  // more threads than this just make their own
  EVP_PKEY* pkey_;
  Op op_;
  std::mutex mu_;
  std::vector<EVP_PKEY_CTX*> free_;
};

// The curve of an ECDSA key type. REQUIRES: type is not kEd25519.
const EC_GROUP* Group(KeyType type) {
  static const EC_GROUP* p256 = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  static const EC_GROUP* k256 = EC_GROUP_new_by_curve_name(NID_secp256k1);
  return type == KeyType::kSecp256k1 ? k256 : p256;
}

const char* GroupName(KeyType type) {
  return type == KeyType::kSecp256k1 ? "secp256k1" : "prime256v1";
}

Error InvalidKey(const std::string& what) {
  ERR_clear_error();
  return MakeError(Code::kInvalidArgument, "key.invalid", what);
}

// Builds an OpenSSL EC key from an uncompressed point and, optionally, the private scalar.
Result<PkeyPtr> MakeEcPkey(KeyType type, ByteView uncompressed, const BIGNUM* priv) {
  OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, GroupName(type), 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, uncompressed.data(),
                                        uncompressed.size()) ||
      (priv != nullptr && !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv))) {
    return OpenSslError(Code::kInternal, "crypto.internal", "could not build EC key parameters");
  }
  OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free> params(OSSL_PARAM_BLD_to_param(bld.get()));
  OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, priv != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                        params.get()) <= 0) {
    return OpenSslError(Code::kInvalidArgument, "key.invalid", "OpenSSL refused the EC key");
  }
  return PkeyPtr(pkey);
}

// Converts the DER ECDSA signature OpenSSL just produced (SEQUENCE { INTEGER r, INTEGER s },
// each at most 33 bytes for a 256-bit curve) to raw r||s. A small reader rather than
// d2i_ECDSA_SIG: it avoids four allocations per signature on the issuing hot path.
Result<Bytes> DerToRaw(ByteView der) {
  auto bad = [] {
    return MakeError(Code::kInternal, "crypto.sign_failed", "unreadable ECDSA signature");
  };
  size_t pos = 0;
  if (der.size() < 8 || der[pos++] != 0x30 || der[pos++] != der.size() - 2) return bad();
  Bytes raw(64, 0);
  for (int part = 0; part < 2; ++part) {
    if (pos + 2 > der.size() || der[pos++] != 0x02) return bad();
    size_t len = der[pos++];
    if (len == 0 || len > 33 || pos + len > der.size()) return bad();
    ByteView value = der.subspan(pos, len);
    pos += len;
    while (!value.empty() && value[0] == 0) value = value.subspan(1);
    if (value.size() > 32) return bad();
    std::copy(value.begin(), value.end(), raw.begin() + part * 32 + (32 - value.size()));
  }
  if (pos != der.size()) return bad();
  return raw;
}

// Converts raw r||s (exactly 64 bytes) to DER; empty on failure.
Bytes RawToDer(ByteView raw) {
  if (raw.size() != 64) return {};
  OpenSslPtr<ECDSA_SIG, ECDSA_SIG_free> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + 32, 32, nullptr);
  if (!sig || !r || !s || !ECDSA_SIG_set0(sig.get(), r, s)) {
    BN_free(r);
    BN_free(s);
    ERR_clear_error();
    return {};
  }
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return {};
  Bytes der(static_cast<size_t>(len));
  unsigned char* out = der.data();
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

}  // namespace

std::string_view KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kEd25519:
      return "Ed25519";
    case KeyType::kP256:
      return "P-256";
    case KeyType::kSecp256k1:
      return "secp256k1";
  }
  return "unknown";
}

Result<KeyType> ParseKeyType(std::string_view name) {
  if (name == "ed25519" || name == "Ed25519") return KeyType::kEd25519;
  if (name == "p256" || name == "P-256" || name == "p-256") return KeyType::kP256;
  if (name == "secp256k1") return KeyType::kSecp256k1;
  return MakeError(Code::kInvalidArgument, "key.unknown_type",
                   "unknown key type \"" + std::string(name.substr(0, 32)) +
                       "\" (expected ed25519, p256 or secp256k1)");
}

struct PublicKey::Impl {
  KeyType type;
  Bytes raw;                                       // Ed25519 key, or compressed EC point
  Bytes uncompressed;                              // EC keys only: 0x04 || X || Y
  PkeyPtr pkey;                                    // EC keys only
  mutable std::unique_ptr<PkeyCtxPool> verifiers;  // EC keys only
};

Result<PublicKey> PublicKey::FromRaw(KeyType type, ByteView raw) {
  EnsureSodium();
  auto impl = std::make_shared<Impl>();
  impl->type = type;
  if (type == KeyType::kEd25519) {
    if (raw.size() != crypto_sign_PUBLICKEYBYTES) {
      return InvalidKey("an Ed25519 public key is 32 bytes, not " + std::to_string(raw.size()));
    }
    impl->raw.assign(raw.begin(), raw.end());
    return PublicKey(std::move(impl));
  }
  // Only SEC1 compressed (02/03) and uncompressed (04) points: OpenSSL would also take the
  // "hybrid" 06/07 form, which no standard here allows.
  bool compressed = raw.size() == 33 && (raw[0] == 0x02 || raw[0] == 0x03);
  bool uncompressed = raw.size() == 65 && raw[0] == 0x04;
  if (!compressed && !uncompressed) {
    return InvalidKey("an EC public key is a 33- or 65-byte SEC1 point, not " +
                      std::to_string(raw.size()) + " bytes");
  }
  OpenSslPtr<EC_POINT, EC_POINT_free> point(EC_POINT_new(Group(type)));
  if (!point || !EC_POINT_oct2point(Group(type), point.get(), raw.data(), raw.size(), nullptr) ||
      EC_POINT_is_at_infinity(Group(type), point.get())) {
    return InvalidKey(std::string("the ") + std::string(KeyTypeName(type)) +
                      " public key is not a point on the curve");
  }
  impl->raw.resize(33);
  impl->uncompressed.resize(65);
  if (EC_POINT_point2oct(Group(type), point.get(), POINT_CONVERSION_COMPRESSED, impl->raw.data(),
                         33, nullptr) != 33 ||
      EC_POINT_point2oct(Group(type), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                         impl->uncompressed.data(), 65, nullptr) != 65) {
    return OpenSslError(Code::kInternal, "crypto.internal", "could not encode an EC point");
  }
  LANYARD_ASSIGN_OR_RETURN(impl->pkey, MakeEcPkey(type, impl->uncompressed, nullptr));
  impl->verifiers = std::make_unique<PkeyCtxPool>(impl->pkey.get(), PkeyCtxPool::Op::kVerify);
  return PublicKey(std::move(impl));
}

KeyType PublicKey::type() const { return impl_->type; }
const Bytes& PublicKey::raw() const { return impl_->raw; }
Bytes PublicKey::EcX() const {
  return impl_->uncompressed.empty()
             ? Bytes{}
             : Bytes(impl_->uncompressed.begin() + 1, impl_->uncompressed.begin() + 33);
}
Bytes PublicKey::EcY() const {
  return impl_->uncompressed.empty()
             ? Bytes{}
             : Bytes(impl_->uncompressed.begin() + 33, impl_->uncompressed.end());
}

bool PublicKey::Verify(ByteView message, ByteView signature) const {
  if (impl_->type == KeyType::kEd25519) {
    if (signature.size() != crypto_sign_BYTES) return false;
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                       impl_->raw.data()) == 0;
  }
  Bytes der = RawToDer(signature);
  if (der.empty()) return false;
  Sha256Digest digest = Sha256(message);
  EVP_PKEY_CTX* ctx = impl_->verifiers->Take();
  bool ok = ctx != nullptr &&
            EVP_PKEY_verify(ctx, der.data(), der.size(), digest.data(), digest.size()) == 1;
  if (ctx != nullptr) impl_->verifiers->Return(ctx);
  ERR_clear_error();
  return ok;
}

struct PrivateKey::Impl {
  KeyType type;
  Bytes secret;                                  // seed or scalar
  unsigned char sk[crypto_sign_SECRETKEYBYTES];  // Ed25519 only: seed || public key
  PkeyPtr pkey;                                  // EC keys only
  std::unique_ptr<PkeyCtxPool> signers;          // EC keys only

  ~Impl() {
    sodium_memzero(secret.data(), secret.size());
    sodium_memzero(sk, sizeof sk);
  }
};

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl, PublicKey pub)
    : impl_(std::move(impl)), public_(std::move(pub)) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

Result<PrivateKey> PrivateKey::FromSecret(KeyType type, ByteView secret) {
  EnsureSodium();
  auto impl = std::make_unique<Impl>();
  impl->type = type;
  if (secret.size() != 32) {
    return InvalidKey(std::string(KeyTypeName(type)) + " private keys are 32 bytes, not " +
                      std::to_string(secret.size()));
  }
  impl->secret.assign(secret.begin(), secret.end());
  if (type == KeyType::kEd25519) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_seed_keypair(pk, impl->sk, secret.data());
    LANYARD_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::FromRaw(type, ByteView(pk, sizeof pk)));
    return PrivateKey(std::move(impl), std::move(pub));
  }
  OpenSslPtr<BIGNUM, BN_clear_free> d(BN_bin2bn(secret.data(), 32, nullptr));
  const BIGNUM* order = EC_GROUP_get0_order(Group(type));
  if (!d || BN_is_zero(d.get()) || BN_cmp(d.get(), order) >= 0) {
    return InvalidKey("the EC private scalar is out of range");
  }
  OpenSslPtr<EC_POINT, EC_POINT_free> point(EC_POINT_new(Group(type)));
  Bytes uncompressed(65);
  if (!point || !EC_POINT_mul(Group(type), point.get(), d.get(), nullptr, nullptr, nullptr) ||
      EC_POINT_point2oct(Group(type), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                         uncompressed.data(), 65, nullptr) != 65) {
    return OpenSslError(Code::kInternal, "crypto.internal", "could not derive an EC public key");
  }
  LANYARD_ASSIGN_OR_RETURN(impl->pkey, MakeEcPkey(type, uncompressed, d.get()));
  impl->signers = std::make_unique<PkeyCtxPool>(impl->pkey.get(), PkeyCtxPool::Op::kSign);
  LANYARD_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::FromRaw(type, uncompressed));
  return PrivateKey(std::move(impl), std::move(pub));
}

Result<PrivateKey> PrivateKey::Generate(KeyType type) {
  EnsureSodium();
  uint8_t secret[32];
  while (true) {
    // Rejection sampling: a uniformly random scalar in [1, n) for ECDSA; any seed for Ed25519.
    SecureRandom(secret);
    auto key = FromSecret(type, ByteView(secret, sizeof secret));
    if (key.ok() || type == KeyType::kEd25519) {
      sodium_memzero(secret, sizeof secret);
      return key;
    }
  }
}

Result<Bytes> PrivateKey::Sign(ByteView message) const {
  if (impl_->type == KeyType::kEd25519) {
    Bytes sig(crypto_sign_BYTES);
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), impl_->sk);
    return sig;
  }
  // ECDSA with SHA-256: hash here, then sign the digest with a prepared context.
  Sha256Digest digest = Sha256(message);
  EVP_PKEY_CTX* ctx = impl_->signers->Take();
  unsigned char der[80];  // a P-256 or secp256k1 DER signature is at most 72 bytes
  size_t len = sizeof der;
  bool ok = ctx != nullptr && EVP_PKEY_sign(ctx, der, &len, digest.data(), digest.size()) > 0;
  if (ctx != nullptr) impl_->signers->Return(ctx);
  if (!ok) return OpenSslError(Code::kInternal, "crypto.sign_failed", "ECDSA signing failed");
  return DerToRaw(ByteView(der, len));
}

Bytes PrivateKey::ExportSecret() const { return impl_->secret; }

}  // namespace lanyard::crypto
