#include "lanyard/crypto/secret_box.h"

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>
#include <utility>

#include "lanyard/core/encoding.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::crypto {
namespace {

using testing::ErrorIs;
using testing::IsOk;
using namespace std::string_view_literals;

constexpr char kKeyHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

SecretKey TestKey() {
  auto key = SecretKey::FromHex(kKeyHex);
  EXPECT_THAT(key, IsOk());
  return std::move(key).value();
}

TEST(SecretBox, SealsInTheDocumentedLayoutAndOpens) {
  const SecretKey key = TestKey();
  const Bytes sealed = Seal(key, AsBytes("wallet private key"), AsBytes("wallet-key\0user-1"sv));
  ASSERT_EQ(sealed.size(), 1 + 24 + 18 + 16u);
  EXPECT_EQ(sealed[0], 0x01);
  auto opened = Open(key, sealed, AsBytes("wallet-key\0user-1"sv));
  ASSERT_THAT(opened, IsOk());
  EXPECT_EQ(AsChars(*opened), "wallet private key");
}

TEST(SecretBox, SealsTheEmptyPlaintext) {
  const SecretKey key = TestKey();
  const Bytes sealed = Seal(key, {}, {});
  EXPECT_EQ(sealed.size(), kSealOverhead);
  auto opened = Open(key, sealed, {});
  ASSERT_THAT(opened, IsOk());
  EXPECT_TRUE(opened->empty());
}

TEST(SecretBox, UsesAFreshNonceEachTime) {
  const SecretKey key = TestKey();
  EXPECT_NE(Seal(key, AsBytes("same"), {}), Seal(key, AsBytes("same"), {}));
}

TEST(SecretBox, RefusesWrongKey) {
  const Bytes sealed = Seal(TestKey(), AsBytes("secret"), AsBytes("ad"));
  auto other = SecretKey::Generate();
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(Open(*other, sealed, AsBytes("ad")), ErrorIs("secretbox.corrupt"));
}

TEST(SecretBox, RefusesOtherAssociatedData) {
  const SecretKey key = TestKey();
  const Bytes sealed = Seal(key, AsBytes("secret"), AsBytes("wallet-key\0user-1"sv));
  EXPECT_THAT(Open(key, sealed, AsBytes("wallet-key\0user-2"sv)), ErrorIs("secretbox.corrupt"));
  EXPECT_THAT(Open(key, sealed, {}), ErrorIs("secretbox.corrupt"));
}

TEST(SecretBox, RefusesEveryAlteredByte) {
  const SecretKey key = TestKey();
  const Bytes sealed = Seal(key, AsBytes("secret"), AsBytes("ad"));
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes altered = sealed;
    altered[i] ^= 0x01;
    EXPECT_THAT(Open(key, altered, AsBytes("ad")), ErrorIs("secretbox.corrupt")) << "byte " << i;
  }
}

TEST(SecretBox, RefusesUnknownVersionAndShortInput) {
  const SecretKey key = TestKey();
  Bytes sealed = Seal(key, AsBytes("secret"), {});
  sealed[0] = 0x02;
  EXPECT_THAT(Open(key, sealed, {}), ErrorIs("secretbox.corrupt"));
  EXPECT_THAT(Open(key, {}, {}), ErrorIs("secretbox.corrupt"));
  EXPECT_THAT(Open(key, Bytes(kSealOverhead - 1, 0x01), {}), ErrorIs("secretbox.corrupt"));
  Bytes truncated = Seal(key, AsBytes("secret"), {});
  truncated.pop_back();
  EXPECT_THAT(Open(key, truncated, {}), ErrorIs("secretbox.corrupt"));
}

TEST(SecretBox, KeyFromBytesEqualsKeyFromHex) {
  auto hex = HexDecode(kKeyHex);
  ASSERT_THAT(hex, IsOk());
  auto from_bytes = SecretKey::FromBytes(*hex);
  ASSERT_THAT(from_bytes, IsOk());
  auto opened = Open(*from_bytes, Seal(TestKey(), AsBytes("x"), {}), {});
  ASSERT_THAT(opened, IsOk());
  EXPECT_EQ(AsChars(*opened), "x");
}

TEST(SecretBox, RefusesKeysOfTheWrongSize) {
  EXPECT_THAT(SecretKey::FromBytes(Bytes(31)), ErrorIs("secretbox.invalid_key"));
  EXPECT_THAT(SecretKey::FromBytes(Bytes(33)), ErrorIs("secretbox.invalid_key"));
  EXPECT_THAT(SecretKey::FromHex("00"), ErrorIs("secretbox.invalid_key"));
  std::string bad_digit(kKeyHex);
  bad_digit[63] = 'g';
  EXPECT_THAT(SecretKey::FromHex(bad_digit), ErrorIs("secretbox.invalid_key"));
  EXPECT_THAT(SecretKey::FromHex(std::string(kKeyHex) + "00"), ErrorIs("secretbox.invalid_key"));
  EXPECT_THAT(SecretKey::FromHex(std::string(kKeyHex).substr(0, 63) + " "),
              ErrorIs("secretbox.invalid_key"));
}

TEST(SecretBox, UpperCaseHexIsTheSameKey) {
  std::string upper(kKeyHex);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto key = SecretKey::FromHex(upper);
  ASSERT_THAT(key, IsOk());
  EXPECT_THAT(Open(*key, Seal(TestKey(), AsBytes("x"), {}), {}), IsOk());
}

TEST(SecretBox, DerivedKeysAreDeterministicAndIndependent) {
  const SecretKey master = TestKey();
  auto wallet1 = DeriveSecretKey(master, "LanyWalt", 1);
  auto wallet1_again = DeriveSecretKey(master, "LanyWalt", 1);
  auto wallet2 = DeriveSecretKey(master, "LanyWalt", 2);
  auto totp1 = DeriveSecretKey(master, "LanyTotp", 1);
  ASSERT_THAT(wallet1, IsOk());
  ASSERT_THAT(wallet1_again, IsOk());
  ASSERT_THAT(wallet2, IsOk());
  ASSERT_THAT(totp1, IsOk());
  const Bytes sealed = Seal(*wallet1, AsBytes("secret"), {});
  EXPECT_THAT(Open(*wallet1_again, sealed, {}), IsOk());
  EXPECT_THAT(Open(*wallet2, sealed, {}), ErrorIs("secretbox.corrupt"));
  EXPECT_THAT(Open(*totp1, sealed, {}), ErrorIs("secretbox.corrupt"));
  EXPECT_THAT(Open(master, sealed, {}), ErrorIs("secretbox.corrupt"));
}

TEST(SecretBox, RefusesContextsThatAreNotEightBytes) {
  const SecretKey master = TestKey();
  EXPECT_THAT(DeriveSecretKey(master, "Lanyard", 1), ErrorIs("secretbox.invalid_context"));
  EXPECT_THAT(DeriveSecretKey(master, "LanyardXX", 1), ErrorIs("secretbox.invalid_context"));
  EXPECT_THAT(DeriveSecretKey(master, "", 1), ErrorIs("secretbox.invalid_context"));
}

TEST(SecretBox, KeysMoveAndLeaveAnEmptyKeyBehind) {
  SecretKey a = TestKey();
  const Bytes sealed = Seal(a, AsBytes("x"), {});
  SecretKey b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the documented moved-from state
  EXPECT_TRUE(b.valid());
  EXPECT_THAT(Open(b, sealed, {}), IsOk());
  auto shared = std::make_shared<const SecretKey>(std::move(b));
  EXPECT_THAT(Open(*shared, sealed, {}), IsOk());
}

}  // namespace
}  // namespace lanyard::crypto
