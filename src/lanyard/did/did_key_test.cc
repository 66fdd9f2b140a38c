#include "lanyard/did/did_key.h"

#include <gtest/gtest.h>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/json/canonical.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::did {
namespace {

using testing::ErrorIs;
using testing::IsOk;

TEST(DidKey, ResolvesTheW3cVectorKeys) {
  auto resolver = NewOfflineResolver();
  for (const char* file : {"w3c-vc-di-eddsa/keyPair.json", "w3c-vc-di-ecdsa/p256KeyPair.json"}) {
    json::Value pair = testing::ReadJsonVector(file);
    std::string multikey = *pair.FindString("publicKeyMultibase");
    std::string did = "did:key:" + multikey;
    auto doc = resolver->Resolve(did);
    ASSERT_THAT(doc, IsOk());
    std::string method = did + "#" + multikey;
    ASSERT_EQ(doc->verification_methods.size(), 1u);
    EXPECT_EQ(doc->verification_methods[0].id, method);
    EXPECT_EQ(doc->verification_methods[0].controller, did);
    EXPECT_TRUE(doc->Authorises("assertionMethod", method));
    EXPECT_TRUE(doc->Authorises("authentication", method));
    EXPECT_EQ(DidKeyFromPublicKey(doc->verification_methods[0].key), did);
  }
}

TEST(DidKey, DereferencesOnlyTheKeysOwnFragment) {
  auto resolver = NewOfflineResolver();
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  std::string method = DidKeyMethodId(key.public_key());
  auto vm = DereferenceMethod(*resolver, method, "assertionMethod");
  ASSERT_THAT(vm, IsOk());
  EXPECT_EQ(vm->key, key.public_key());
  std::string did = DidKeyFromPublicKey(key.public_key());
  EXPECT_THAT(DereferenceMethod(*resolver, did + "#other", "assertionMethod"),
              ErrorIs("did.method_not_found"));
  EXPECT_THAT(DereferenceMethod(*resolver, did, "assertionMethod"), ErrorIs("did.invalid"));
  EXPECT_THAT(DereferenceMethod(*resolver, method, "keyAgreement"),
              ErrorIs("did.relationship_not_authorised"));
}

TEST(DidKey, RefusesMalformedIdentifiers) {
  auto resolver = NewOfflineResolver();
  for (const char* bad : {"did:key:", "did:key:z", "did:key:zzzz", "did:key:u7QE", "did:KEY:z6Mk",
                          "did::z6Mk", "urn:uuid:1234", "did:key:z6Mk#", "did:key:z6Mk/path"}) {
    EXPECT_THAT(resolver->Resolve(bad), ErrorIs("did.invalid")) << bad;
  }
  EXPECT_THAT(resolver->Resolve(std::string("did:key:z") + std::string(5000, '6')),
              ErrorIs("did.invalid"));
  EXPECT_THAT(resolver->Resolve("did:web:trust.example"), ErrorIs("did.unsupported_method"));
}

TEST(DidJwk, RoundTripsBothKeyTypesAndRespectsUse) {
  auto resolver = NewOfflineResolver();
  for (auto type : {crypto::KeyType::kEd25519, crypto::KeyType::kP256}) {
    auto key = crypto::PrivateKey::Generate(type).value();
    std::string did = DidJwkFromPublicKey(key.public_key());
    auto vm = DereferenceMethod(*resolver, did + "#0", "assertionMethod");
    ASSERT_THAT(vm, IsOk());
    EXPECT_EQ(vm->key, key.public_key());
  }
  // {"kty":"OKP","crv":"Ed25519","use":"enc","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
  std::string enc =
      "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwidXNlIjoiZW5jIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5"
      "V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ";
  EXPECT_THAT(DereferenceMethod(*resolver, enc + "#0", "assertionMethod"),
              ErrorIs("did.relationship_not_authorised"));
  EXPECT_THAT(resolver->Resolve("did:jwk:bm90IGpzb24"), ErrorIs("did.invalid"));
  // A did:jwk carrying a private key is refused outright.
  json::Value with_d =
      crypto::PrivateKeyToJwk(crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value());
  std::string text = json::Serialize(with_d);
  EXPECT_THAT(resolver->Resolve("did:jwk:" + Base64UrlEncode(AsBytes(text))),
              ErrorIs("did.invalid"));
}

}  // namespace
}  // namespace lanyard::did
