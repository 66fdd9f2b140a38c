#include "lanyard/crypto/keys.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::crypto {
namespace {

using testing::ErrorIs;
using testing::IsOk;
using testing::ReadJsonVector;

Bytes HexField(const json::Value& v) { return HexDecode(v.as_string()).value(); }
Bytes Hex(std::string_view s) { return HexDecode(s).value(); }

TEST(Ed25519, ReproducesRfc8032Section71) {
  json::Value vectors = ReadJsonVector("rfc8032-ed25519/rfc8032-section7.1-ed25519.json");
  const json::Array* list =
      vectors.is_array() ? &vectors.as_array() : &vectors.Find("vectors")->as_array();
  ASSERT_EQ(list->size(), 5u);
  for (const auto& v : *list) {
    auto key = PrivateKey::FromSecret(KeyType::kEd25519, HexField(*v.Find("secret_key")));
    ASSERT_THAT(key, IsOk());
    EXPECT_EQ(HexEncode(key->public_key().raw()), v.FindString("public_key")->c_str());
    Bytes message = HexField(*v.Find("message"));
    auto signature = key->Sign(message);
    ASSERT_THAT(signature, IsOk());
    EXPECT_EQ(HexEncode(*signature), *v.FindString("signature"));
    EXPECT_TRUE(key->public_key().Verify(message, *signature));
    Bytes flipped_message = message;
    if (flipped_message.empty()) flipped_message.push_back(0);
    flipped_message[0] ^= 1;
    EXPECT_FALSE(key->public_key().Verify(flipped_message, *signature));
    Bytes flipped_signature = *signature;
    flipped_signature[10] ^= 0x20;
    EXPECT_FALSE(key->public_key().Verify(message, flipped_signature));
  }
}

TEST(Ed25519, AgreesWithEveryWycheproofVerdict) {
  json::Value file = ReadJsonVector("wycheproof/ed25519_test.json");
  int tests = 0;
  for (const auto& group : file.Find("testGroups")->as_array()) {
    auto key =
        PublicKey::FromRaw(KeyType::kEd25519, HexField(*group.Find("publicKey")->Find("pk")));
    ASSERT_THAT(key, IsOk());
    for (const auto& t : group.Find("tests")->as_array()) {
      bool expected = *t.FindString("result") == "valid";
      EXPECT_EQ(key->Verify(HexField(*t.Find("msg")), HexField(*t.Find("sig"))), expected)
          << "tcId " << t.Find("tcId")->as_number() << ": " << *t.FindString("comment");
      ++tests;
    }
  }
  EXPECT_EQ(tests, 151);
}

// Wycheproof writes coordinates as big-endian integers that may carry a leading 00 byte.
Bytes Coordinate(const std::string& hex) {
  Bytes b = Hex(hex);
  while (b.size() > 32 && b.front() == 0) b.erase(b.begin());
  Bytes out(32 - b.size(), 0);
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

TEST(P256, AgreesWithEveryWycheproofP1363Verdict) {
  json::Value file = ReadJsonVector("wycheproof/ecdsa_secp256r1_sha256_p1363_test.json");
  int tests = 0;
  for (const auto& group : file.Find("testGroups")->as_array()) {
    const json::Value* pk = group.Find("publicKey");
    Bytes point{0x04};
    Bytes x = Coordinate(*pk->FindString("wx")), y = Coordinate(*pk->FindString("wy"));
    point.insert(point.end(), x.begin(), x.end());
    point.insert(point.end(), y.begin(), y.end());
    auto key = PublicKey::FromRaw(KeyType::kP256, point);
    ASSERT_THAT(key, IsOk());
    EXPECT_EQ(HexEncode(point), *pk->FindString("uncompressed"));
    for (const auto& t : group.Find("tests")->as_array()) {
      bool expected = *t.FindString("result") == "valid";
      EXPECT_EQ(key->Verify(HexField(*t.Find("msg")), HexField(*t.Find("sig"))), expected)
          << "tcId " << t.Find("tcId")->as_number() << ": " << *t.FindString("comment");
      ++tests;
    }
  }
  EXPECT_EQ(tests, 262);
}

TEST(P256, SignsRawSignaturesThatVerifyIncludingHighS) {
  auto key = PrivateKey::Generate(KeyType::kP256);
  ASSERT_THAT(key, IsOk());
  Bytes message = ToBytes("a DBS check, enhanced, adults' barred list");
  auto signature = key->Sign(message);
  ASSERT_THAT(signature, IsOk());
  ASSERT_EQ(signature->size(), 64u);
  EXPECT_TRUE(key->public_key().Verify(message, *signature));
  // s' = n - s is the other valid signature: FIPS 186 accepts it, and so must we.
  Bytes n = Hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  Bytes high = *signature;
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    int d = n[i] - (*signature)[32 + i] - borrow;
    borrow = d < 0;
    high[32 + i] = static_cast<uint8_t>(d + (borrow ? 256 : 0));
  }
  EXPECT_NE(high, *signature);
  EXPECT_TRUE(key->public_key().Verify(message, high));
}

TEST(P256, RefusesDerAndTruncatedSignatures) {
  auto key = PrivateKey::Generate(KeyType::kP256);
  ASSERT_THAT(key, IsOk());
  Bytes message = ToBytes("x");
  Bytes signature = key->Sign(message).value();
  Bytes truncated(signature.begin(), signature.end() - 1);
  EXPECT_FALSE(key->public_key().Verify(message, truncated));
  Bytes der{0x30, 0x44, 0x02, 0x20};  // a DER-shaped prefix of the right total length
  der.insert(der.end(), signature.begin(), signature.begin() + 32);
  der.insert(der.end(), {0x02, 0x20});
  der.insert(der.end(), signature.begin() + 32, signature.end());
  EXPECT_FALSE(key->public_key().Verify(message, der));
}

TEST(PublicKey, RefusesPointsOffTheCurveAndWrongLengths) {
  EXPECT_THAT(PublicKey::FromRaw(KeyType::kEd25519, Bytes(31)), ErrorIs("key.invalid"));
  Bytes beyond_field(33, 0xff);  // x >= p: no such point
  beyond_field[0] = 0x02;
  EXPECT_THAT(PublicKey::FromRaw(KeyType::kP256, beyond_field), ErrorIs("key.invalid"));
  Bytes hybrid(65, 0x01);
  hybrid[0] = 0x06;
  EXPECT_THAT(PublicKey::FromRaw(KeyType::kP256, hybrid), ErrorIs("key.invalid"));
  EXPECT_THAT(PrivateKey::FromSecret(KeyType::kP256, Bytes(32, 0)), ErrorIs("key.invalid"));
  EXPECT_THAT(PrivateKey::FromSecret(KeyType::kP256, Bytes(32, 0xff)), ErrorIs("key.invalid"));
}

TEST(KeyEncoding, JwkRoundTripsBothKeyTypes) {
  for (KeyType type : {KeyType::kEd25519, KeyType::kP256}) {
    auto key = PrivateKey::Generate(type);
    ASSERT_THAT(key, IsOk());
    json::Value jwk = PrivateKeyToJwk(*key);
    auto back = PrivateKeyFromJwk(jwk);
    ASSERT_THAT(back, IsOk());
    EXPECT_EQ(back->public_key(), key->public_key());
    auto pub = PublicKeyFromJwk(PublicKeyToJwk(key->public_key()));
    ASSERT_THAT(pub, IsOk());
    EXPECT_EQ(*pub, key->public_key());
    auto multikey = PublicKeyFromMultikey(PublicKeyToMultikey(key->public_key()));
    ASSERT_THAT(multikey, IsOk());
    EXPECT_EQ(*multikey, key->public_key());
  }
}

TEST(KeyEncoding, RefusesAPrivateJwkWhosePublicPartDoesNotMatch) {
  json::Value a = PrivateKeyToJwk(PrivateKey::Generate(KeyType::kEd25519).value());
  json::Value b = PrivateKeyToJwk(PrivateKey::Generate(KeyType::kEd25519).value());
  a.Set("x", *b.Find("x"));
  EXPECT_THAT(PrivateKeyFromJwk(a), ErrorIs("key.invalid_jwk"));
  json::Value rsa(json::Object{{"kty", "RSA"}, {"crv", "x"}});
  EXPECT_THAT(PublicKeyFromJwk(rsa), ErrorIs("key.invalid_jwk"));
}

TEST(KeyEncoding, DecodesTheW3cVectorKeys) {
  json::Value ed = ReadJsonVector("w3c-vc-di-eddsa/keyPair.json");
  auto ed_key = PrivateKeyFromMultikey(*ed.FindString("privateKeyMultibase"));
  ASSERT_THAT(ed_key, IsOk());
  EXPECT_EQ(PublicKeyToMultikey(ed_key->public_key()), *ed.FindString("publicKeyMultibase"));
  json::Value p = ReadJsonVector("w3c-vc-di-ecdsa/p256KeyPair.json");
  auto p_key = PrivateKeyFromMultikey(*p.FindString("secretKeyMultibase"));
  ASSERT_THAT(p_key, IsOk());
  EXPECT_EQ(PublicKeyToMultikey(p_key->public_key()), *p.FindString("publicKeyMultibase"));
  EXPECT_THAT(PublicKeyFromMultikey("uAAAA"), ErrorIs("key.invalid_multikey"));
  EXPECT_THAT(PublicKeyFromMultikey("z1111"), ErrorIs("key.invalid_multikey"));
}

TEST(KeyEncoding, ThumbprintMatchesRfc8037Example) {
  // RFC 8037 Appendix A.3: the thumbprint of the example Ed25519 key.
  json::Value jwk(json::Object{
      {"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}});
  auto key = PublicKeyFromJwk(jwk);
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(JwkThumbprint(*key), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(Sha256, MatchesFips180Example) {
  EXPECT_EQ(HexEncode(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace lanyard::crypto

namespace lanyard::crypto {
namespace {

TEST(Secp256k1, SignsAndVerifiesAndEncodesAsJwk) {
  auto key = PrivateKey::Generate(KeyType::kSecp256k1);
  ASSERT_THAT(key, testing::IsOk());
  Bytes message = ToBytes("a VC-JWT 1.1 signing input");
  Bytes signature = key->Sign(message).value();
  EXPECT_TRUE(key->public_key().Verify(message, signature));
  json::Value jwk = PublicKeyToJwk(key->public_key());
  EXPECT_EQ(*jwk.FindString("crv"), "secp256k1");
  auto back = PublicKeyFromJwk(jwk);
  ASSERT_THAT(back, testing::IsOk());
  EXPECT_EQ(*back, key->public_key());
  // The same bytes are not a valid P-256 signature by the same coordinates.
  auto as_p256 = PublicKey::FromRaw(KeyType::kP256, key->public_key().raw());
  if (as_p256.ok()) {
    EXPECT_FALSE(as_p256->Verify(message, signature));
  }
}

}  // namespace
}  // namespace lanyard::crypto

namespace lanyard::crypto {
namespace {

// Keys keep pools of prepared OpenSSL contexts: many threads signing and verifying with one
// key must each get their own.
TEST(PrivateKey, SignsAndVerifiesFromManyThreadsAtOnce) {
  for (KeyType type : {KeyType::kP256, KeyType::kEd25519}) {
    auto key = PrivateKey::Generate(type).value();
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i) {
          Bytes message = ToBytes("thread " + std::to_string(t) + " message " + std::to_string(i));
          auto signature = key.Sign(message);
          if (!signature.ok() || !key.public_key().Verify(message, *signature)) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0) << KeyTypeName(type);
  }
}

}  // namespace
}  // namespace lanyard::crypto
