#include "lanyard/crypto/key_encoding.h"

#include <sodium.h>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/json/canonical.h"

namespace lanyard::crypto {
namespace {

// Multicodec varint prefixes.
constexpr uint8_t kEd25519Pub[] = {0xed, 0x01};
constexpr uint8_t kP256Pub[] = {0x80, 0x24};
constexpr uint8_t kSecp256k1Pub[] = {0xe7, 0x01};
constexpr uint8_t kEd25519Priv[] = {0x80, 0x26};
constexpr uint8_t kP256Priv[] = {0x86, 0x26};

Error BadJwk(const std::string& why) {
  return MakeError(Code::kInvalidArgument, "key.invalid_jwk", "the JWK is not usable: " + why);
}

Error BadMultikey(const std::string& why) {
  return MakeError(Code::kInvalidArgument, "key.invalid_multikey",
                   "the Multikey is not usable: " + why);
}

Result<Bytes> JwkBytes(const json::Value& jwk, std::string_view name, size_t expected) {
  const std::string* text = jwk.FindString(name);
  if (text == nullptr) return BadJwk("member \"" + std::string(name) + "\" is missing");
  auto bytes = Base64UrlDecode(*text);
  if (!bytes.ok()) return BadJwk("member \"" + std::string(name) + "\" is not base64url");
  if (bytes->size() != expected) {
    return BadJwk("member \"" + std::string(name) + "\" must be " + std::to_string(expected) +
                  " bytes");
  }
  return std::move(bytes).value();
}

Result<KeyType> JwkKeyType(const json::Value& jwk) {
  if (!jwk.is_object()) return BadJwk("it is not a JSON object");
  const std::string* kty = jwk.FindString("kty");
  const std::string* crv = jwk.FindString("crv");
  if (kty == nullptr || crv == nullptr) return BadJwk("\"kty\" and \"crv\" are required");
  if (*kty == "OKP" && *crv == "Ed25519") return KeyType::kEd25519;
  if (*kty == "EC" && *crv == "P-256") return KeyType::kP256;
  if (*kty == "EC" && *crv == "secp256k1") return KeyType::kSecp256k1;
  return BadJwk("unsupported key type " + *kty + "/" + *crv +
                " (Ed25519, P-256 and secp256k1 only)");
}

Result<Bytes> StripPrefix(const Bytes& bytes, const uint8_t* prefix, size_t expected_len) {
  if (bytes.size() != 2 + expected_len || bytes[0] != prefix[0] || bytes[1] != prefix[1]) {
    return BadMultikey("wrong length for its multicodec prefix");
  }
  return Bytes(bytes.begin() + 2, bytes.end());
}

}  // namespace

json::Value PublicKeyToJwk(const PublicKey& key) {
  json::Object jwk;
  if (key.type() == KeyType::kEd25519) {
    jwk.emplace_back("kty", "OKP");
    jwk.emplace_back("crv", "Ed25519");
    jwk.emplace_back("x", Base64UrlEncode(key.raw()));
  } else {
    jwk.emplace_back("kty", "EC");
    jwk.emplace_back("crv", key.type() == KeyType::kP256 ? "P-256" : "secp256k1");
    jwk.emplace_back("x", Base64UrlEncode(key.EcX()));
    jwk.emplace_back("y", Base64UrlEncode(key.EcY()));
  }
  return json::Value(std::move(jwk));
}

json::Value PrivateKeyToJwk(const PrivateKey& key) {
  json::Value jwk = PublicKeyToJwk(key.public_key());
  Bytes secret = key.ExportSecret();
  jwk.Set("d", Base64UrlEncode(secret));
  sodium_memzero(secret.data(), secret.size());
  return jwk;
}

Result<PublicKey> PublicKeyFromJwk(const json::Value& jwk) {
  LANYARD_ASSIGN_OR_RETURN(KeyType type, JwkKeyType(jwk));
  if (type == KeyType::kEd25519) {
    LANYARD_ASSIGN_OR_RETURN(Bytes x, JwkBytes(jwk, "x", 32));
    return PublicKey::FromRaw(type, x);
  }
  LANYARD_ASSIGN_OR_RETURN(Bytes x, JwkBytes(jwk, "x", 32));
  LANYARD_ASSIGN_OR_RETURN(Bytes y, JwkBytes(jwk, "y", 32));
  Bytes point{0x04};
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());
  return PublicKey::FromRaw(type, point);
}

Result<PrivateKey> PrivateKeyFromJwk(const json::Value& jwk) {
  LANYARD_ASSIGN_OR_RETURN(KeyType type, JwkKeyType(jwk));
  LANYARD_ASSIGN_OR_RETURN(Bytes d, JwkBytes(jwk, "d", 32));
  auto key = PrivateKey::FromSecret(type, d);
  sodium_memzero(d.data(), d.size());
  if (!key.ok()) return std::move(key).error();
  LANYARD_ASSIGN_OR_RETURN(PublicKey stated, PublicKeyFromJwk(jwk));
  if (!(stated == key->public_key())) return BadJwk("the public key does not match \"d\"");
  return key;
}

std::string PublicKeyToMultikey(const PublicKey& key) {
  const uint8_t* prefix = key.type() == KeyType::kEd25519 ? kEd25519Pub
                          : key.type() == KeyType::kP256  ? kP256Pub
                                                          : kSecp256k1Pub;
  Bytes bytes(prefix, prefix + 2);
  bytes.insert(bytes.end(), key.raw().begin(), key.raw().end());
  return MultibaseEncode(Multibase::kBase58btc, bytes);
}

Result<PublicKey> PublicKeyFromMultikey(std::string_view multibase) {
  if (multibase.empty() || multibase[0] != 'z') {
    return BadMultikey("a Multikey must be multibase base58btc (starting with 'z')");
  }
  auto decoded = MultibaseDecode(multibase);
  if (!decoded.ok()) return BadMultikey(decoded.error().message);
  const Bytes& b = *decoded;
  if (b.size() >= 2 && b[0] == kEd25519Pub[0] && b[1] == kEd25519Pub[1]) {
    LANYARD_ASSIGN_OR_RETURN(Bytes raw, StripPrefix(b, kEd25519Pub, 32));
    return PublicKey::FromRaw(KeyType::kEd25519, raw);
  }
  if (b.size() >= 2 && b[0] == kP256Pub[0] && b[1] == kP256Pub[1]) {
    LANYARD_ASSIGN_OR_RETURN(Bytes raw, StripPrefix(b, kP256Pub, 33));
    return PublicKey::FromRaw(KeyType::kP256, raw);
  }
  if (b.size() >= 2 && b[0] == kSecp256k1Pub[0] && b[1] == kSecp256k1Pub[1]) {
    LANYARD_ASSIGN_OR_RETURN(Bytes raw, StripPrefix(b, kSecp256k1Pub, 33));
    return PublicKey::FromRaw(KeyType::kSecp256k1, raw);
  }
  return BadMultikey("unsupported multicodec (Ed25519, P-256 and secp256k1 public keys only)");
}

Result<PrivateKey> PrivateKeyFromMultikey(std::string_view multibase) {
  auto decoded = MultibaseDecode(multibase);
  if (!decoded.ok()) return BadMultikey(decoded.error().message);
  Bytes& b = *decoded;
  Result<PrivateKey> key = BadMultikey("unsupported multicodec for a private key");
  if (b.size() >= 2 && b[0] == kEd25519Priv[0] && b[1] == kEd25519Priv[1]) {
    LANYARD_ASSIGN_OR_RETURN(Bytes raw, StripPrefix(b, kEd25519Priv, 32));
    key = PrivateKey::FromSecret(KeyType::kEd25519, raw);
    sodium_memzero(raw.data(), raw.size());
  } else if (b.size() >= 2 && b[0] == kP256Priv[0] && b[1] == kP256Priv[1]) {
    LANYARD_ASSIGN_OR_RETURN(Bytes raw, StripPrefix(b, kP256Priv, 32));
    key = PrivateKey::FromSecret(KeyType::kP256, raw);
    sodium_memzero(raw.data(), raw.size());
  }
  sodium_memzero(b.data(), b.size());
  return key;
}

std::string JwkThumbprint(const PublicKey& key) {
  // RFC 7638: the required members only, in lexicographic order, no whitespace: exactly the
  // canonical form of the public JWK.
  std::string canonical = json::Canonicalize(PublicKeyToJwk(key)).value();
  Sha256Digest digest = Sha256(AsBytes(canonical));
  return Base64UrlEncode(digest);
}

}  // namespace lanyard::crypto
