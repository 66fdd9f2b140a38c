#include "lanyard/http/form.h"

#include <gtest/gtest.h>

#include <string>

#include "lanyard/testing/matchers.h"

namespace lanyard::http {
namespace {

using testing::ErrorIs;
using testing::IsOk;

TEST(FormTest, UrlEncodedFieldsAreDecoded) {
  auto form = FormData::Parse("application/x-www-form-urlencoded; charset=UTF-8",
                              "csrf_token=ab%2Bc&name=Ada+Lovelace&roles=a&roles=b&empty=&flag");
  ASSERT_THAT(form, IsOk());
  EXPECT_EQ(form->Get("csrf_token"), "ab+c");
  EXPECT_EQ(form->Get("name"), "Ada Lovelace");
  EXPECT_EQ(form->GetAll("roles"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(form->Has("empty"));
  EXPECT_TRUE(form->Has("flag"));
  EXPECT_EQ(form->Get("missing"), "");
  EXPECT_FALSE(form->Has("missing"));
}

TEST(FormTest, UrlEncodedRefusesBadEscapesAndBytes) {
  EXPECT_THAT(FormData::ParseUrlEncoded("a=%4"), ErrorIs("form.malformed"));
  EXPECT_THAT(FormData::ParseUrlEncoded("a=%zz"), ErrorIs("form.malformed"));
  EXPECT_THAT(FormData::ParseUrlEncoded("a=%ff%fe"), ErrorIs("form.not_utf8"));
  EXPECT_THAT(FormData::ParseUrlEncoded("=value"), ErrorIs("form.malformed"));
}

TEST(FormTest, BoundsAreEnforced) {
  std::string many;
  for (size_t i = 0; i <= kMaxFormFields; ++i) many += "f=1&";
  EXPECT_THAT(FormData::ParseUrlEncoded(many), ErrorIs("form.too_large"));
  EXPECT_THAT(FormData::ParseUrlEncoded("a=" + std::string(kMaxFormValueBytes + 1, 'x')),
              ErrorIs("form.too_large"));
  EXPECT_THAT(FormData::ParseUrlEncoded(std::string(201, 'n') + "=1"), ErrorIs("form.too_large"));
}

TEST(FormTest, MultipartFieldsAndFiles) {
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
      "tok\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"staff.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\n"
      "email,credential_type\r\na@b.example,dbs\r\n"
      "--XyZ--\r\n";
  auto form = FormData::Parse("multipart/form-data; boundary=XyZ", body);
  ASSERT_THAT(form, IsOk());
  EXPECT_EQ(form->Get("csrf_token"), "tok");
  const FormField* file = form->File("file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "staff.csv");
  // The CRLF before a boundary belongs to the boundary (RFC 2046).
  EXPECT_EQ(file->value, "email,credential_type\r\na@b.example,dbs");
  EXPECT_EQ(form->Get("file"), "");  // a file is not a text field
}

TEST(FormTest, MultipartRefusesMalformedBodies) {
  EXPECT_THAT(FormData::Parse("multipart/form-data", "--x--"), ErrorIs("form.malformed"));
  EXPECT_THAT(FormData::ParseMultipart("XyZ", "nonsense"), ErrorIs("form.malformed"));
  EXPECT_THAT(FormData::ParseMultipart(
                  "XyZ", "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--"),
              ErrorIs("form.malformed"));
  EXPECT_THAT(FormData::ParseMultipart(
                  "XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed"),
              ErrorIs("form.malformed"));
  EXPECT_THAT(FormData::ParseMultipart(std::string(71, 'b'), "--"), ErrorIs("form.malformed"));
}

TEST(FormTest, OtherMediaTypesAreRefused) {
  EXPECT_THAT(FormData::Parse("application/json", "{}"), ErrorIs("form.unsupported_media_type"));
  EXPECT_THAT(FormData::Parse("", ""), ErrorIs("form.unsupported_media_type"));
}

TEST(FormTest, EncodeRoundTrips) {
  const std::string text = "/share?code=lyl_a b&c=é";
  auto back = FormDecode(FormEncode(text));
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, text);
  EXPECT_EQ(FormEncode("a b/c"), "a%20b%2Fc");
}

}  // namespace
}  // namespace lanyard::http
