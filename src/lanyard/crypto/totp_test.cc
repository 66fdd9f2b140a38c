#include "lanyard/crypto/totp.h"

#include <gtest/gtest.h>

#include <string>

#include "lanyard/core/encoding.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::crypto {
namespace {

using testing::ErrorIs;
using testing::IsOk;

// The shared secret of RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1 rows).
const Bytes kRfcSecret = ToBytes("12345678901234567890");

TimePoint At(int64_t unix_seconds) { return FromUnixSeconds(unix_seconds); }

// RFC 4648 §10 test vectors for base32.
TEST(Base32, EncodesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base32Encode(AsBytes("")), "");
  EXPECT_EQ(Base32Encode(AsBytes("f")), "MY");
  EXPECT_EQ(Base32Encode(AsBytes("fo")), "MZXQ");
  EXPECT_EQ(Base32Encode(AsBytes("foo")), "MZXW6");
  EXPECT_EQ(Base32Encode(AsBytes("foob")), "MZXW6YQ");
  EXPECT_EQ(Base32Encode(AsBytes("fooba")), "MZXW6YTB");
  EXPECT_EQ(Base32Encode(AsBytes("foobar")), "MZXW6YTBOI");
}

TEST(Base32, DecodesPaddedUnpaddedLowerCaseAndSpaced) {
  for (std::string_view text :
       {"MZXW6YTBOI", "MZXW6YTBOI======", "mzxw6ytboi", "mzxw 6ytb oi", "MZXW6YTBOI ======"}) {
    auto bytes = Base32Decode(text);
    ASSERT_THAT(bytes, IsOk()) << text;
    EXPECT_EQ(AsChars(*bytes), "foobar") << text;
  }
  auto empty = Base32Decode("");
  ASSERT_THAT(empty, IsOk());
  EXPECT_TRUE(empty->empty());
}

TEST(Base32, RoundTripsEveryLength) {
  Bytes data;
  for (int n = 0; n < 40; ++n) {
    auto decoded = Base32Decode(Base32Encode(data));
    ASSERT_THAT(decoded, IsOk());
    EXPECT_EQ(*decoded, data);
    data.push_back(static_cast<uint8_t>(n * 37 + 11));
  }
}

TEST(Base32, RefusesWhatIsNotBase32) {
  EXPECT_THAT(Base32Decode("MZXW1"), ErrorIs("base32.invalid"));      // '1' not in alphabet
  EXPECT_THAT(Base32Decode("MZXW6-YT"), ErrorIs("base32.invalid"));   // punctuation
  EXPECT_THAT(Base32Decode("M"), ErrorIs("base32.invalid"));          // impossible length
  EXPECT_THAT(Base32Decode("MZX"), ErrorIs("base32.invalid"));        // impossible length
  EXPECT_THAT(Base32Decode("MZ=XW6"), ErrorIs("base32.invalid"));     // data after padding
  EXPECT_THAT(Base32Decode("MZXQ==="), ErrorIs("base32.invalid"));    // wrong padding amount
  EXPECT_THAT(Base32Decode("MZXW6YTB="), ErrorIs("base32.invalid"));  // padding a full group
  EXPECT_THAT(Base32Decode("MZ======="), ErrorIs("base32.invalid"));  // too much padding
  EXPECT_THAT(Base32Decode("MY"), IsOk());
  EXPECT_THAT(Base32Decode("MZ"), ErrorIs("base32.invalid"));  // non-zero trailing bits
  EXPECT_THAT(Base32Decode("M3"), ErrorIs("base32.invalid"));  // non-zero trailing bits
}

// RFC 4226 Appendix D: HOTP values for counters 0..9.
TEST(Hotp, MatchesRfc4226AppendixD) {
  const uint32_t expected[] = {755224, 287082, 359152, 969429, 338314,
                               254676, 287922, 162583, 399871, 520489};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(Hotp(kRfcSecret, counter, 6), expected[counter]) << "counter " << counter;
  }
}

// RFC 6238 Appendix B, the SHA-1 rows (8 digits, 30-second period).
TEST(Totp, MatchesRfc6238AppendixBSha1) {
  const TotpParams params{.period = std::chrono::seconds(30), .digits = 8, .window = 1};
  const struct {
    int64_t time;
    int64_t step;
    const char* code;
  } rows[] = {
      {59, 0x1, "94287082"},
      {1111111109, 0x23523EC, "07081804"},
      {1111111111, 0x23523ED, "14050471"},
      {1234567890, 0x273EF07, "89005924"},
      {2000000000, 0x3F940AA, "69279037"},
      {20000000000, 0x27BC86AA, "65353130"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(TotpStep(At(row.time), params), row.step) << row.time;
    EXPECT_EQ(TotpCode(kRfcSecret, At(row.time), params), row.code) << row.time;
    auto verified = VerifyTotp(kRfcSecret, row.code, At(row.time), std::nullopt, params);
    ASSERT_THAT(verified, IsOk()) << row.time;
    EXPECT_EQ(*verified, row.step);
  }
}

TEST(Totp, PadsCodesWithLeadingZeros) {
  // RFC 6238's 1111111109 row is 07081804 at 8 digits; at 6 digits it is 081804.
  EXPECT_EQ(TotpCode(kRfcSecret, At(1111111109)), "081804");
}

TEST(Totp, StepsFloorBeforeTheEpoch) {
  EXPECT_EQ(TotpStep(At(0)), 0);
  EXPECT_EQ(TotpStep(At(29)), 0);
  EXPECT_EQ(TotpStep(At(30)), 1);
  EXPECT_EQ(TotpStep(At(-1)), -1);
  EXPECT_EQ(TotpStep(At(-30)), -1);
  EXPECT_EQ(TotpStep(At(-31)), -2);
}

TEST(Totp, AcceptsCodesWithinTheWindowOnly) {
  const TimePoint now = At(1'800'000'015);  // the middle of a step
  const int64_t step = TotpStep(now);
  const std::string previous = TotpCode(kRfcSecret, now - std::chrono::seconds(30));
  const std::string next = TotpCode(kRfcSecret, now + std::chrono::seconds(30));
  const std::string two_back = TotpCode(kRfcSecret, now - std::chrono::seconds(60));
  const std::string two_ahead = TotpCode(kRfcSecret, now + std::chrono::seconds(60));

  auto prev_result = VerifyTotp(kRfcSecret, previous, now, std::nullopt);
  ASSERT_THAT(prev_result, IsOk());
  EXPECT_EQ(*prev_result, step - 1);
  auto next_result = VerifyTotp(kRfcSecret, next, now, std::nullopt);
  ASSERT_THAT(next_result, IsOk());
  EXPECT_EQ(*next_result, step + 1);
  EXPECT_THAT(VerifyTotp(kRfcSecret, two_back, now, std::nullopt), ErrorIs("totp.invalid_code"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, two_ahead, now, std::nullopt), ErrorIs("totp.invalid_code"));

  // With a window of 0 only the current step counts; with 2, two either side.
  EXPECT_THAT(VerifyTotp(kRfcSecret, previous, now, std::nullopt, {.window = 0}),
              ErrorIs("totp.invalid_code"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, two_back, now, std::nullopt, {.window = 2}), IsOk());
}

TEST(Totp, WindowFollowsStepBoundariesNotSeconds) {
  // At the last second of a step, the code of the step after next is still outside the window.
  const TimePoint end_of_step = At(1'800'000'029);
  const int64_t step = TotpStep(end_of_step);
  ASSERT_EQ(TotpStep(end_of_step + std::chrono::seconds(1)), step + 1);
  const std::string next = TotpCode(kRfcSecret, end_of_step + std::chrono::seconds(1));
  auto next_result = VerifyTotp(kRfcSecret, next, end_of_step, std::nullopt);
  ASSERT_THAT(next_result, IsOk());
  EXPECT_EQ(*next_result, step + 1);
  const std::string after_next = TotpCode(kRfcSecret, end_of_step + std::chrono::seconds(31));
  EXPECT_THAT(VerifyTotp(kRfcSecret, after_next, end_of_step, std::nullopt),
              ErrorIs("totp.invalid_code"));
}

TEST(Totp, RefusesReplayedCodes) {
  const TimePoint now = At(1'800'000'015);
  const std::string code = TotpCode(kRfcSecret, now);
  auto first = VerifyTotp(kRfcSecret, code, now, std::nullopt);
  ASSERT_THAT(first, IsOk());
  // The same code again, now or ten seconds later (same step), is a replay.
  EXPECT_THAT(VerifyTotp(kRfcSecret, code, now, *first), ErrorIs("totp.replayed"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, code, now + std::chrono::seconds(10), *first),
              ErrorIs("totp.replayed"));
  // An older code still inside the window is refused once a later step has been used.
  const std::string previous = TotpCode(kRfcSecret, now - std::chrono::seconds(30));
  EXPECT_THAT(VerifyTotp(kRfcSecret, previous, now, *first), ErrorIs("totp.replayed"));
  // The next step's code is fresh.
  const TimePoint later = now + std::chrono::seconds(30);
  auto next = VerifyTotp(kRfcSecret, TotpCode(kRfcSecret, later), later, *first);
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(*next, *first + 1);
}

TEST(Totp, IgnoresSpacesAndRefusesMalformedCodes) {
  const TimePoint now = At(1'800'000'015);
  const std::string code = TotpCode(kRfcSecret, now);
  EXPECT_THAT(VerifyTotp(kRfcSecret, code.substr(0, 3) + " " + code.substr(3), now, std::nullopt),
              IsOk());
  EXPECT_THAT(VerifyTotp(kRfcSecret, " " + code + " ", now, std::nullopt), IsOk());
  EXPECT_THAT(VerifyTotp(kRfcSecret, code.substr(0, 5), now, std::nullopt),
              ErrorIs("totp.malformed"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, code + "0", now, std::nullopt), ErrorIs("totp.malformed"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, "12345a", now, std::nullopt), ErrorIs("totp.malformed"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, "", now, std::nullopt), ErrorIs("totp.malformed"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, "１２３４５６", now, std::nullopt),  // full-width digits
              ErrorIs("totp.malformed"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, "+12345", now, std::nullopt), ErrorIs("totp.malformed"));
}

TEST(Totp, RefusesInvalidParams) {
  const TimePoint now = At(1'800'000'015);
  EXPECT_THAT(VerifyTotp(kRfcSecret, "12345", now, std::nullopt, {.digits = 5}),
              ErrorIs("totp.invalid_params"));
  EXPECT_THAT(
      VerifyTotp(kRfcSecret, "123456", now, std::nullopt, {.period = std::chrono::seconds(0)}),
      ErrorIs("totp.invalid_params"));
  EXPECT_THAT(VerifyTotp(kRfcSecret, "123456", now, std::nullopt, {.window = 11}),
              ErrorIs("totp.invalid_params"));
}

TEST(Totp, NewSecretsAreTwentyRandomBytes) {
  const Bytes a = NewTotpSecret();
  const Bytes b = NewTotpSecret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
  EXPECT_EQ(Base32Encode(a).size(), 32u);
}

TEST(Totp, OtpauthUriPercentEncodesLabelAndIssuer) {
  EXPECT_EQ(OtpauthUri("Lanyard", "a.nurse@nhs.net", kRfcSecret),
            "otpauth://totp/Lanyard:a.nurse%40nhs.net?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Lanyard&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpauthUri("NHS Trust: North & East", "Zoë", ToBytes("f"),
                       {.period = std::chrono::seconds(60), .digits = 8}),
            "otpauth://totp/NHS%20Trust%3A%20North%20%26%20East:Zo%C3%AB?secret=MY"
            "&issuer=NHS%20Trust%3A%20North%20%26%20East&algorithm=SHA1&digits=8&period=60");
  EXPECT_EQ(OtpauthUri("", "someone", ToBytes("f")),
            "otpauth://totp/someone?secret=MY&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace lanyard::crypto
