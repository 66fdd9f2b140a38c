#include "lanyard/crypto/hmac.h"

#include <gtest/gtest.h>

#include <string>

#include "lanyard/core/encoding.h"

namespace lanyard::crypto {
namespace {

std::string Hex(ByteView bytes) { return HexEncode(bytes); }
Bytes Repeat(uint8_t byte, size_t n) { return Bytes(n, byte); }

// RFC 2202 §3 (HMAC-SHA-1), test cases 1, 2, 3 and 6.
TEST(HmacSha1, MatchesRfc2202Vectors) {
  EXPECT_EQ(Hex(HmacSha1(Repeat(0x0b, 20), AsBytes("Hi There"))),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(Hex(HmacSha1(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(Hex(HmacSha1(Repeat(0xaa, 20), Repeat(0xdd, 50))),
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
  // Test case 6: a key longer than the 64-byte block is hashed first.
  EXPECT_EQ(Hex(HmacSha1(Repeat(0xaa, 80),
                         AsBytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

// RFC 4231 §4 (HMAC-SHA-256), test cases 1, 2 and 6.
TEST(HmacSha256, MatchesRfc4231Vectors) {
  EXPECT_EQ(Hex(HmacSha256(Repeat(0x0b, 20), AsBytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(HmacSha256(AsBytes("Jefe"), AsBytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(HmacSha256(Repeat(0xaa, 131),
                           AsBytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// The empty key and empty message: a value every HMAC implementation agrees on (checked with
// `openssl dgst -sha256 -mac HMAC` and Python's hmac module).
TEST(HmacSha256, AcceptsEmptyKeyAndMessage) {
  EXPECT_EQ(Hex(HmacSha256({}, {})),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacConstantTimeEquals, ComparesBytesAndLengths) {
  EXPECT_TRUE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abc")));
  EXPECT_TRUE(ConstantTimeEquals({}, {}));
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abd")));
  EXPECT_FALSE(ConstantTimeEquals(AsBytes("abc"), AsBytes("abcd")));
}

}  // namespace
}  // namespace lanyard::crypto
