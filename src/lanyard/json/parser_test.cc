#include "lanyard/json/parser.h"

#include <gtest/gtest.h>

#include "lanyard/json/canonical.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::json {
namespace {

using testing::ErrorIs;
using testing::IsOk;

TEST(Parser, ReadsEveryKind) {
  auto v = Parse(R"( {"a":[null,true,false,-1.5e3,"x\u00e9"],"b":{}} )");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(Serialize(*v), R"({"a":[null,true,false,-1500,"xé"],"b":{}})");
}

TEST(Parser, RefusesDuplicateKeys) {
  EXPECT_THAT(Parse(R"({"a":1,"a":2})"), ErrorIs("input.duplicate_key"));
  // The same key spelt with an escape is still the same key.
  EXPECT_THAT(Parse(R"({"a":1,"\u0061":2})"), ErrorIs("input.duplicate_key"));
  std::string big = "{";
  for (int i = 0; i < 1000; ++i) big += "\"k" + std::to_string(i) + "\":0,";
  EXPECT_THAT(Parse(big + "\"k500\":1}"), ErrorIs("input.duplicate_key"));
  EXPECT_THAT(Parse(big + "\"k1000\":1}"), IsOk());
}

TEST(Parser, RefusesNestingBeyondTheLimit) {
  std::string ok_text = std::string(128, '[') + std::string(128, ']');
  EXPECT_THAT(Parse(ok_text), IsOk());
  std::string deep = std::string(129, '[') + std::string(129, ']');
  EXPECT_THAT(Parse(deep), ErrorIs("input.too_deep"));
  std::string hostile;
  for (int i = 0; i < 10000; ++i) hostile += "{\"a\":";
  EXPECT_THAT(Parse(hostile), ErrorIs("input.too_deep"));
  ParseOptions shallow;
  shallow.max_depth = 3;
  EXPECT_THAT(Parse("[[[[1]]]]", shallow), ErrorIs("input.too_deep"));
}

TEST(Parser, RefusesTextBeyondTheSizeLimit) {
  std::string fifty_mb(50 * 1024 * 1024, ' ');
  fifty_mb[0] = '1';
  EXPECT_THAT(Parse(fifty_mb), ErrorIs("input.too_large"));
  ParseOptions small;
  small.max_bytes = 4;
  EXPECT_THAT(Parse("[1,2]", small), ErrorIs("input.too_large"));
}

TEST(Parser, RefusesInvalidUtf8AndLoneSurrogates) {
  EXPECT_THAT(Parse("\"\xff\""), ErrorIs("input.invalid_utf8"));
  EXPECT_THAT(Parse("\"\xc0\xaf\""), ErrorIs("input.invalid_utf8"));          // overlong '/'
  EXPECT_THAT(Parse("\"\xed\xa0\x80\""), ErrorIs("input.invalid_utf8"));      // encoded surrogate
  EXPECT_THAT(Parse("\"\xe2\x82\""), ErrorIs("input.invalid_utf8"));          // truncated
  EXPECT_THAT(Parse("\"\xf4\x90\x80\x80\""), ErrorIs("input.invalid_utf8"));  // > U+10FFFF
  EXPECT_THAT(Parse(R"("\ud800")"), ErrorIs("input.invalid_utf8"));
  EXPECT_THAT(Parse(R"("\udc00")"), ErrorIs("input.invalid_utf8"));
  EXPECT_THAT(Parse(R"("\ud800\u0041")"), ErrorIs("input.invalid_utf8"));
  EXPECT_THAT(Parse(R"({"\ud800":1})"), ErrorIs("input.invalid_utf8"));
  EXPECT_THAT(Parse(R"("\ud83d\ude00")"), IsOk());
}

TEST(Parser, RefusesNonFiniteAndMalformedNumbers) {
  EXPECT_THAT(Parse("NaN"), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Parse("[Infinity]"), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Parse("-Infinity"), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Parse("1e400"), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Parse("01"), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Parse("1."), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Parse("-"), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Parse("1e"), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Parse("+1"), ErrorIs("input.syntax"));
  EXPECT_THAT(Parse(".5"), ErrorIs("input.syntax"));
}

TEST(Parser, ReadsNumbersAsCorrectlyRoundedDoubles) {
  auto v = Parse("[123456789012345678901, 9007199254740993, 0.1, 2.2250738585072011e-308]");
  ASSERT_THAT(v, IsOk());
  const Array& a = v->as_array();
  EXPECT_EQ(a[0].as_number(), 123456789012345678901.0);
  EXPECT_EQ(a[1].as_number(), 9007199254740992.0);
  EXPECT_EQ(a[2].as_number(), 0.1);
  EXPECT_EQ(a[3].as_number(), 2.2250738585072011e-308);
}

TEST(Parser, RefusesSyntaxErrors) {
  for (const char* bad : {"", "[1,]", "{\"a\"}", "{\"a\":1,}", "[1 2]", "\"abc", "tru", "nul",
                          "{'a':1}", "[1]x", "\"\t\"", "\"\\x\"", "{1:2}", "[\"\\u12\"]"}) {
    EXPECT_THAT(Parse(bad), ErrorIs("input.syntax")) << bad;
  }
}

TEST(Parser, ErrorMessagesGiveTheByteOffset) {
  auto r = Parse("[1, 2, x]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("at byte 7"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace lanyard::json
