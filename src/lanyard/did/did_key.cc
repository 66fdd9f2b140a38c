#include "lanyard/did/did_key.h"

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

namespace lanyard::did {
namespace {

constexpr std::string_view kDidKeyPrefix = "did:key:";
constexpr std::string_view kDidJwkPrefix = "did:jwk:";

Error InvalidDid(std::string_view did, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "did.invalid",
                   "\"" + std::string(did.substr(0, 80)) + "\" is not a usable DID: " + why);
}

DidDocument SingleKeyDocument(std::string did, std::string method_id, crypto::PublicKey key,
                              bool signing) {
  DidDocument doc;
  doc.id = did;
  doc.verification_methods.push_back({method_id, did, std::move(key)});
  if (signing) {
    doc.assertion_method.push_back(method_id);
    doc.authentication.push_back(method_id);
  }
  return doc;
}

}  // namespace

std::string DidKeyFromPublicKey(const crypto::PublicKey& key) {
  return std::string(kDidKeyPrefix) + crypto::PublicKeyToMultikey(key);
}

std::string DidKeyMethodId(const crypto::PublicKey& key) {
  std::string multikey = crypto::PublicKeyToMultikey(key);
  return std::string(kDidKeyPrefix) + multikey + "#" + multikey;
}

Result<DidDocument> ResolveDidKey(std::string_view did) {
  if (did.substr(0, kDidKeyPrefix.size()) != kDidKeyPrefix) return InvalidDid(did, "not did:key");
  std::string_view multikey = did.substr(kDidKeyPrefix.size());
  auto key = crypto::PublicKeyFromMultikey(multikey);
  if (!key.ok()) return InvalidDid(did, key.error().message);
  std::string method_id = std::string(did) + "#" + std::string(multikey);
  return SingleKeyDocument(std::string(did), std::move(method_id), std::move(key).value(), true);
}

std::string DidJwkFromPublicKey(const crypto::PublicKey& key) {
  std::string jwk = json::Canonicalize(crypto::PublicKeyToJwk(key)).value();
  return std::string(kDidJwkPrefix) + Base64UrlEncode(AsBytes(jwk));
}

Result<DidDocument> ResolveDidJwk(std::string_view did) {
  if (did.substr(0, kDidJwkPrefix.size()) != kDidJwkPrefix) return InvalidDid(did, "not did:jwk");
  auto bytes = Base64UrlDecode(did.substr(kDidJwkPrefix.size()));
  if (!bytes.ok()) return InvalidDid(did, "the identifier is not base64url");
  json::ParseOptions options;
  options.max_bytes = 4096;
  options.max_depth = 4;
  auto jwk = json::Parse(AsChars(*bytes), options);
  if (!jwk.ok()) return InvalidDid(did, "the identifier is not a JSON JWK");
  if (jwk->Find("d") != nullptr) return InvalidDid(did, "the JWK contains a private key");
  auto key = crypto::PublicKeyFromJwk(*jwk);
  if (!key.ok()) return InvalidDid(did, key.error().message);
  const std::string* use = jwk->FindString("use");
  bool signing = use == nullptr || *use != "enc";
  return SingleKeyDocument(std::string(did), std::string(did) + "#0", std::move(key).value(),
                           signing);
}

}  // namespace lanyard::did
