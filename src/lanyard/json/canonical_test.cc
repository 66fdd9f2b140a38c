#include "lanyard/json/canonical.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <sstream>

#include "lanyard/core/encoding.h"
#include "lanyard/json/parser.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::json {
namespace {

using testing::ErrorIs;
using testing::ReadVector;

std::string CanonicalOf(std::string_view text) {
  auto parsed = Parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error().ToString();
  if (!parsed.ok()) return "";
  auto canonical = Canonicalize(*parsed);
  EXPECT_TRUE(canonical.ok());
  return canonical.ok() ? *canonical : "";
}

class Rfc8785Files : public ::testing::TestWithParam<std::string> {};

TEST_P(Rfc8785Files, CanonicalFormMatchesExpectedBytes) {
  std::string input = ReadVector("rfc8785-jcs/input/" + GetParam() + ".json");
  std::string expected = ReadVector("rfc8785-jcs/output/" + GetParam() + ".json");
  EXPECT_EQ(CanonicalOf(input), expected);
  // The hex rendering is the same bytes again, written out so encoding mishaps show.
  std::string hex = ReadVector("rfc8785-jcs/outhex/" + GetParam() + ".txt");
  std::string compact;
  for (char c : hex) {
    if (c != ' ' && c != '\n' && c != '\r') compact += c;
  }
  EXPECT_EQ(HexEncode(AsBytes(CanonicalOf(input))), compact);
}

INSTANTIATE_TEST_SUITE_P(Rfc8785, Rfc8785Files,
                         ::testing::Values("arrays", "french", "structures", "unicode", "values",
                                           "weird"));

double FromBits(const std::string& hex) {
  return std::bit_cast<double>(static_cast<uint64_t>(std::stoull(hex, nullptr, 16)));
}

TEST(Rfc8785, AppendixBNumbersSerialiseExactly) {
  std::istringstream lines(ReadVector("rfc8785-jcs/appendix-b-numbers.txt"));
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    auto comma = line.find(',');
    double d = FromBits(line.substr(0, comma));
    auto formatted = FormatNumber(d);
    ASSERT_TRUE(formatted.ok());
    EXPECT_EQ(*formatted, line.substr(comma + 1)) << "bits " << line.substr(0, comma);
    ++rows;
  }
  EXPECT_EQ(rows, 24);
}

TEST(Rfc8785, AppendixBNonFiniteNumbersAreRefused) {
  std::istringstream lines(ReadVector("rfc8785-jcs/appendix-b-must-reject.txt"));
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    EXPECT_THAT(FormatNumber(FromBits(line.substr(0, line.find(',')))),
                ErrorIs("input.invalid_number"));
    ++rows;
  }
  EXPECT_EQ(rows, 2);
  EXPECT_THAT(FormatNumber(-INFINITY), ErrorIs("input.invalid_number"));
  EXPECT_THAT(Canonicalize(Value(Array{Value(NAN)})), ErrorIs("input.invalid_number"));
}

TEST(Canonical, NumbersFollowEcmaScript) {
  EXPECT_EQ(CanonicalOf("[1e21,1e20,1e-7,1e-6,-0,0.1,123456789012345678901,9007199254740993]"),
            "[1e+21,100000000000000000000,1e-7,0.000001,0,0.1,123456789012345680000,"
            "9007199254740992]");
  EXPECT_EQ(CanonicalOf("[5e-324,1.7976931348623157e308,-1.5,100,1E2,0.00001234]"),
            "[5e-324,1.7976931348623157e+308,-1.5,100,100,0.00001234]");
  EXPECT_EQ(CanonicalOf("[1e-400,-1e-400]"), "[0,0]");  // underflow reads as zero, as in JS
}

TEST(Canonical, KeysSortByUtf16CodeUnitsNotUtf8Bytes) {
  // U+1F600 (surrogates D83D DE00) sorts before U+E000 in UTF-16, after it in UTF-8.
  EXPECT_EQ(CanonicalOf(R"({"\ue000":1,"\ud83d\ude00":2,"":3,"a":4,"\u00e9":5})"),
            "{\"\":3,\"a\":4,\"\xc3\xa9\":5,\"\xf0\x9f\x98\x80\":2,\"\xee\x80\x80\":1}");
}

TEST(Canonical, StringsUseMinimalEscapes) {
  EXPECT_EQ(CanonicalOf(R"(["\u0000\u001f\b\f\n\r\t\"\\\/\u007f\u2028<>&'"])"),
            "[\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\x7f\xe2\x80\xa8<>&'\"]");
}

TEST(Canonical, RefusesBuiltStringsThatAreNotUtf8) {
  EXPECT_THAT(Canonicalize(Value(std::string("\xff"))), ErrorIs("input.invalid_utf8"));
}

TEST(Canonical, ObjectsWithManyMembersSortCorrectly) {
  std::string text = "{";
  for (int i = 99; i >= 0; --i) {
    text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + (i > 0 ? "," : "}");
  }
  std::string canonical = CanonicalOf(text);
  EXPECT_EQ(canonical.substr(0, 22), "{\"k0\":0,\"k1\":1,\"k10\":1");
}

TEST(Serialize, PrettyPrintKeepsDocumentOrder) {
  auto v = Parse(R"({"b":[1,{}],"a":"x"})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(Serialize(*v), R"({"b":[1,{}],"a":"x"})");
  EXPECT_EQ(Serialize(*v, 2), "{\n  \"b\": [\n    1,\n    {}\n  ],\n  \"a\": \"x\"\n}");
}

}  // namespace
}  // namespace lanyard::json
