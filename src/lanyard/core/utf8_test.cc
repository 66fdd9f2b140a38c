#include "lanyard/core/utf8.h"

#include <gtest/gtest.h>

namespace lanyard {
namespace {

TEST(Utf8, RoundTripsEveryScalarValueBoundary) {
  for (uint32_t cp : {0x0u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFFu, 0x10000u,
                      0x1F600u, 0x10FFFFu}) {
    std::string s;
    AppendUtf8(cp, &s);
    Utf8Char c = DecodeUtf8(s, 0);
    EXPECT_EQ(c.error, Utf8Error::kNone) << std::hex << cp;
    EXPECT_EQ(c.code_point, cp);
    EXPECT_EQ(c.length, s.size());
  }
}

TEST(Utf8, NamesEachKindOfInvalidSequence) {
  EXPECT_EQ(DecodeUtf8("\xff", 0).error, Utf8Error::kBadLeadByte);
  EXPECT_EQ(DecodeUtf8("\xc0\xaf", 0).error, Utf8Error::kBadLeadByte);  // C0/C1 never lead
  EXPECT_EQ(DecodeUtf8("\xe0\x80\xaf", 0).error, Utf8Error::kOverlong);
  EXPECT_EQ(DecodeUtf8("\xed\xa0\x80", 0).error, Utf8Error::kSurrogate);
  EXPECT_EQ(DecodeUtf8("\xf4\x90\x80\x80", 0).error, Utf8Error::kBeyondUnicode);
  EXPECT_EQ(DecodeUtf8("\xe2\x82", 0).error, Utf8Error::kTruncated);
  EXPECT_EQ(DecodeUtf8("\xe2\x28\xa1", 0).error, Utf8Error::kBadContinuation);
  EXPECT_EQ(DecodeUtf8("\xe2\x28\xa1", 0).length, 0u);
}

}  // namespace
}  // namespace lanyard
