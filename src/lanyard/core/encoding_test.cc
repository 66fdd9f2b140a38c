#include "lanyard/core/encoding.h"

#include <gtest/gtest.h>

#include "lanyard/testing/matchers.h"

namespace lanyard {
namespace {

using testing::ErrorIs;

TEST(Hex, RoundTripsAndRefusesJunk) {
  Bytes b{0x00, 0xab, 0xff};
  EXPECT_EQ(HexEncode(b), "00abff");
  EXPECT_EQ(*HexDecode("00ABff"), b);
  EXPECT_THAT(HexDecode("abc"), ErrorIs("input.invalid_hex"));
  EXPECT_THAT(HexDecode("zz"), ErrorIs("input.invalid_hex"));
}

TEST(Base64Url, MatchesRfc4648Vectors) {
  // RFC 4648 §10 with the URL alphabet and no padding.
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : cases) {
    EXPECT_EQ(Base64UrlEncode(AsBytes(plain)), encoded);
    EXPECT_EQ(AsChars(*Base64UrlDecode(encoded)), plain);
  }
  EXPECT_EQ(Base64UrlEncode(Bytes{0xfb, 0xff}), "-_8");
}

TEST(Base64Url, RefusesPaddingForeignCharactersAndLooseBits) {
  EXPECT_THAT(Base64UrlDecode("Zg=="), ErrorIs("input.invalid_base64url"));
  EXPECT_THAT(Base64UrlDecode("Zm+v"), ErrorIs("input.invalid_base64url"));
  EXPECT_THAT(Base64UrlDecode("Z"), ErrorIs("input.invalid_base64url"));
  EXPECT_THAT(Base64UrlDecode("Zh"), ErrorIs("input.invalid_base64url"));  // 'h' leaves bits set
}

TEST(Base58btc, MatchesKnownEncodings) {
  EXPECT_EQ(Base58btcEncode(AsBytes("Hello World!")), "2NEpo7TZRRrLZSi2U");
  EXPECT_EQ(Base58btcEncode(Bytes{0, 0, 0x28, 0x7f, 0xb4, 0xcd}), "11233QC4");
  EXPECT_EQ(Base58btcEncode(Bytes{}), "");
  EXPECT_EQ(*Base58btcDecode("11233QC4"), (Bytes{0, 0, 0x28, 0x7f, 0xb4, 0xcd}));
  EXPECT_EQ(AsChars(*Base58btcDecode("2NEpo7TZRRrLZSi2U")), "Hello World!");
}

TEST(Base58btc, RefusesCharactersOutsideTheAlphabetAndOverlongText) {
  EXPECT_THAT(Base58btcDecode("0OIl"), ErrorIs("input.invalid_base58"));
  EXPECT_THAT(Base58btcDecode(std::string(kMaxBase58Length + 1, '2')),
              ErrorIs("input.invalid_base58"));
}

TEST(Base58btc, RoundTripsRandomBytes) {
  uint32_t seed = 12345;
  for (int n = 0; n < 200; ++n) {
    Bytes b(n % 70);
    for (auto& x : b) {
      seed = seed * 1103515245 + 12345;
      x = static_cast<uint8_t>(seed >> 16);
      if (seed % 7 == 0) x = 0;
    }
    EXPECT_EQ(*Base58btcDecode(Base58btcEncode(b)), b);
  }
}

TEST(Multibase, DispatchesOnThePrefix) {
  EXPECT_EQ(MultibaseEncode(Multibase::kBase58btc, AsBytes("Hello World!")), "z2NEpo7TZRRrLZSi2U");
  EXPECT_EQ(MultibaseEncode(Multibase::kBase64url, AsBytes("foo")), "uZm9v");
  EXPECT_EQ(AsChars(*MultibaseDecode("uZm9v")), "foo");
  EXPECT_THAT(MultibaseDecode(""), ErrorIs("input.invalid_multibase"));
  EXPECT_THAT(MultibaseDecode("fabcd"), ErrorIs("input.invalid_multibase"));
}

}  // namespace
}  // namespace lanyard

namespace lanyard {
namespace {

TEST(Base64, MatchesRfc4648VectorsWithPadding) {
  const std::pair<const char*, const char*> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : cases) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), encoded);
    EXPECT_EQ(AsChars(*Base64Decode(encoded)), plain);
  }
  EXPECT_EQ(Base64Encode(Bytes{0xfb, 0xff}), "+/8=");
}

TEST(Base64, RefusesMissingOrMisplacedPaddingAndTheUrlAlphabet) {
  EXPECT_THAT(Base64Decode("Zg"), testing::ErrorIs("input.invalid_base64"));
  EXPECT_THAT(Base64Decode("Z=g="), testing::ErrorIs("input.invalid_base64"));
  EXPECT_THAT(Base64Decode("-_8="), testing::ErrorIs("input.invalid_base64"));
  EXPECT_THAT(Base64Decode("Zh=="), testing::ErrorIs("input.invalid_base64"));
  EXPECT_THAT(Base64Decode("===="), testing::ErrorIs("input.invalid_base64"));
}

}  // namespace
}  // namespace lanyard
