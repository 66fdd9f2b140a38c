#include "lanyard/crypto/password.h"

#include <gtest/gtest.h>

#include <string>

#include "lanyard/testing/matchers.h"

namespace lanyard::crypto {
namespace {

using testing::ErrorIs;
using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::MatchesRegex;

// Every hash here uses TestPasswordParams (1 pass over 8 KiB) so the suite stays fast; the
// interactive cost is exercised once, in HashesAtInteractiveCost.

TEST(Password, HashIsAnArgon2idPhcString) {
  auto hash = HashPassword("correct horse battery staple", TestPasswordParams());
  ASSERT_THAT(hash, IsOk());
  EXPECT_THAT(*hash, MatchesRegex("\\$argon2id\\$v=19\\$m=8,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$"
                                  "[A-Za-z0-9+/]{43}"));
}

TEST(Password, VerifiesTheRightPasswordOnly) {
  auto hash = HashPassword("correct horse battery staple", TestPasswordParams());
  ASSERT_THAT(hash, IsOk());
  auto right = VerifyPassword(*hash, "correct horse battery staple");
  ASSERT_THAT(right, IsOk());
  EXPECT_TRUE(*right);
  auto wrong = VerifyPassword(*hash, "correct horse battery stapLe");
  ASSERT_THAT(wrong, IsOk());
  EXPECT_FALSE(*wrong);
  auto empty = VerifyPassword(*hash, "");
  ASSERT_THAT(empty, IsOk());
  EXPECT_FALSE(*empty);
}

TEST(Password, SaltsEachHash) {
  auto a = HashPassword("same password twice", TestPasswordParams());
  auto b = HashPassword("same password twice", TestPasswordParams());
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE(*a, *b);
}

TEST(Password, HashesAtInteractiveCost) {
  const PasswordHashParams params = InteractivePasswordParams();
  EXPECT_EQ(params.opslimit, 2u);
  EXPECT_EQ(params.memlimit, 64u * 1024 * 1024);
  auto hash = HashPassword("correct horse battery staple", params);
  ASSERT_THAT(hash, IsOk());
  EXPECT_THAT(*hash, HasSubstr("$m=65536,t=2,p=1$"));
  auto ok = VerifyPassword(*hash, "correct horse battery staple");
  ASSERT_THAT(ok, IsOk());
  EXPECT_TRUE(*ok);
}

TEST(Password, RefusesParamsOutsideTheSupportedRange) {
  EXPECT_THAT(HashPassword("x", {0, 8 * 1024}), ErrorIs("password.invalid_params"));
  EXPECT_THAT(HashPassword("x", {17, 8 * 1024}), ErrorIs("password.invalid_params"));
  EXPECT_THAT(HashPassword("x", {1, 4 * 1024}), ErrorIs("password.invalid_params"));
  EXPECT_THAT(HashPassword("x", {1, size_t{2} * 1024 * 1024 * 1024}),
              ErrorIs("password.invalid_params"));
}

TEST(Password, ReportsUnreadableHashesAsMalformed) {
  auto good = HashPassword("correct horse battery staple", TestPasswordParams());
  ASSERT_THAT(good, IsOk());
  const std::string& h = *good;
  const std::string salt_and_tag = h.substr(h.find("p=1$") + 4);
  for (const std::string& bad : {
           std::string(""), std::string("not a hash"),
           "$argon2i$v=19$m=8,t=1,p=1$" + salt_and_tag,             // another variant
           "$argon2id$v=16$m=8,t=1,p=1$" + salt_and_tag,            // another version
           "$argon2id$m=8,t=1,p=1$" + salt_and_tag,                 // no version
           "$argon2id$v=19$t=1,m=8,p=1$" + salt_and_tag,            // parameters out of order
           "$argon2id$v=19$m=08,t=1,p=1$" + salt_and_tag,           // leading zero
           "$argon2id$v=19$m=8,t=1,p=2$" + salt_and_tag,            // parallelism libsodium lacks
           "$argon2id$v=19$m=8,t=1,p=1$" + salt_and_tag.substr(1),  // salt one char short
           "$argon2id$v=19$m=8,t=1,p=1$" + salt_and_tag.substr(0, 22),  // no tag
           h + "AA",                                                    // tag of impossible length
           h.substr(0, h.size() - 1) + "=",                             // padding
           h + std::string(200, 'A'),                                   // far too long
       }) {
    EXPECT_THAT(VerifyPassword(bad, "correct horse battery staple"),
                ErrorIs("password.malformed_hash"))
        << bad;
  }
}

// A stored hash is data from the database: altered costs must not buy an attacker minutes of
// CPU or gigabytes of memory per sign-in.
TEST(Password, RefusesStoredCostsBeyondTheLimits) {
  auto good = HashPassword("pw", TestPasswordParams());
  ASSERT_THAT(good, IsOk());
  const std::string salt_and_tag = good->substr(good->find("p=1$") + 4);
  EXPECT_THAT(VerifyPassword("$argon2id$v=19$m=4194304,t=1,p=1$" + salt_and_tag, "pw"),
              ErrorIs("password.malformed_hash"));
  EXPECT_THAT(VerifyPassword("$argon2id$v=19$m=8,t=1000,p=1$" + salt_and_tag, "pw"),
              ErrorIs("password.malformed_hash"));
  EXPECT_THAT(VerifyPassword("$argon2id$v=19$m=4,t=1,p=1$" + salt_and_tag, "pw"),
              ErrorIs("password.malformed_hash"));
}

TEST(Password, AlteredTagDoesNotVerify) {
  auto hash = HashPassword("correct horse battery staple", TestPasswordParams());
  ASSERT_THAT(hash, IsOk());
  std::string altered = *hash;
  // Change a character in the middle of the tag (not the last, whose low bits are padding).
  char& c = altered[altered.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  auto result = VerifyPassword(altered, "correct horse battery staple");
  ASSERT_THAT(result, IsOk());
  EXPECT_FALSE(*result);
}

TEST(Password, NeedsRehashWhenParamsDiffer) {
  auto hash = HashPassword("pw", TestPasswordParams());
  ASSERT_THAT(hash, IsOk());
  EXPECT_FALSE(PasswordNeedsRehash(*hash, TestPasswordParams()));
  EXPECT_TRUE(PasswordNeedsRehash(*hash, InteractivePasswordParams()));
  EXPECT_TRUE(PasswordNeedsRehash(*hash, {2, 8 * 1024}));
  EXPECT_TRUE(PasswordNeedsRehash(*hash, {1, 16 * 1024}));
  EXPECT_TRUE(PasswordNeedsRehash("garbage", TestPasswordParams()));
}

TEST(PasswordPolicy, AcceptsLongPassphrases) {
  EXPECT_THAT(CheckPasswordPolicy("correct horse battery staple"), IsOk());
  EXPECT_THAT(CheckPasswordPolicy("twelve chars"), IsOk());
  EXPECT_THAT(CheckPasswordPolicy(std::string(256, 'x')), IsOk());
}

TEST(PasswordPolicy, CountsCodePointsNotBytes) {
  // Eleven characters, 22 bytes: too short however many bytes it takes.
  EXPECT_THAT(CheckPasswordPolicy("ééééééééééé"), ErrorIs("password.too_short"));
  EXPECT_THAT(CheckPasswordPolicy("éééééééééééé"), IsOk());
  EXPECT_THAT(CheckPasswordPolicy("short"), ErrorIs("password.too_short"));
  EXPECT_THAT(CheckPasswordPolicy(""), ErrorIs("password.too_short"));
}

TEST(PasswordPolicy, RefusesOverlongPasswords) {
  EXPECT_THAT(CheckPasswordPolicy(std::string(257, 'x')), ErrorIs("password.too_long"));
}

TEST(PasswordPolicy, RefusesInvalidUtf8) {
  EXPECT_THAT(CheckPasswordPolicy("twelve chars\xff"), ErrorIs("password.not_utf8"));
  EXPECT_THAT(CheckPasswordPolicy("twelve chars\xc0\xaf"),
              ErrorIs("password.not_utf8"));  // overlong
  EXPECT_THAT(CheckPasswordPolicy("twelve chars\xed\xa0\x80"), ErrorIs("password.not_utf8"));
}

TEST(PasswordPolicy, RefusesCommonPasswordsIgnoringCase) {
  EXPECT_THAT(CheckPasswordPolicy("password1234"), ErrorIs("password.too_common"));
  EXPECT_THAT(CheckPasswordPolicy("PassWord1234"), ErrorIs("password.too_common"));
  EXPECT_THAT(CheckPasswordPolicy("123456789012"), ErrorIs("password.too_common"));
  EXPECT_THAT(CheckPasswordPolicy("QWERTYUIOP123"), ErrorIs("password.too_common"));
  EXPECT_THAT(CheckPasswordPolicy("password12345x"), IsOk());
}

}  // namespace
}  // namespace lanyard::crypto
