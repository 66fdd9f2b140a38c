#include "lanyard/formats/status/status_list.h"

#include <gtest/gtest.h>

#include <zlib.h>

#include "lanyard/core/encoding.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::formats::status {
namespace {

using testing::ErrorIs;
using testing::IsOk;

TEST(BitstringStatusList, DecodesTheSpecExampleAsAllClear) {
  auto list = BitstringStatusList::Decode(testing::ReadVector("bitstring-status-list/encodedList.txt"));
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->size(), 131072u);
  // The revocable credential of the spec's examples uses index 94567.
  EXPECT_EQ(*list->Get(94567), false);
  for (size_t i = 0; i < list->size(); i += 997) EXPECT_FALSE(*list->Get(i));
}

TEST(BitstringStatusList, PutsEntryZeroInTheMostSignificantBit) {
  BitstringStatusList list(kMinBitstringEntries);
  ASSERT_THAT(list.Set(0, true), IsOk());
  ASSERT_THAT(list.Set(9, true), IsOk());
  ASSERT_THAT(list.Set(131071, true), IsOk());
  auto back = BitstringStatusList::Decode(list.Encode());
  ASSERT_THAT(back, IsOk());
  EXPECT_TRUE(*back->Get(0));
  EXPECT_FALSE(*back->Get(1));
  EXPECT_TRUE(*back->Get(9));
  EXPECT_TRUE(*back->Get(131071));
  // The raw bytes: 0x80 then 0x40, the last byte 0x01.
  Bytes gz = MultibaseDecode(list.Encode()).value();
  EXPECT_EQ(gz[0], 0x1f);  // GZIP magic
  EXPECT_EQ(gz[1], 0x8b);
  EXPECT_THAT(list.Get(131072), ErrorIs("status.index_out_of_range"));
  EXPECT_THAT(list.Set(200000, true), ErrorIs("status.index_out_of_range"));
}

// GZIP of `size` zero bytes, as multibase.
std::string ZeroList(size_t size) {
  Bytes zeros(size, 0);
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&z, zeros.size()) + 32);
  z.next_in = zeros.data();
  z.avail_in = static_cast<uInt>(zeros.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return MultibaseEncode(Multibase::kBase64url, out);
}

TEST(BitstringStatusList, RefusesShortListsBombsAndOtherEncodings) {
  EXPECT_THAT(BitstringStatusList::Decode(ZeroList(16383)), ErrorIs("status.list_too_short"));
  // 20 MiB of zeros compresses to about 20 KiB: refused while inflating, at the 16 MiB limit.
  EXPECT_THAT(BitstringStatusList::Decode(ZeroList(20 * 1024 * 1024)),
              ErrorIs("status.list_invalid"));
  ListLimits small;
  small.max_bytes = 8192;
  EXPECT_THAT(BitstringStatusList::Decode(ZeroList(16384), small), ErrorIs("status.list_invalid"));
  std::string example = testing::ReadVector("bitstring-status-list/encodedList.txt");
  EXPECT_THAT(BitstringStatusList::Decode("z" + example.substr(1)), ErrorIs("status.list_invalid"));
  EXPECT_THAT(BitstringStatusList::Decode(example.substr(0, example.size() - 6)),
              ErrorIs("status.list_invalid"));
  EXPECT_THAT(BitstringStatusList::Decode("u" + Base64UrlEncode(AsBytes("not gzip at all"))),
              ErrorIs("status.list_invalid"));
  EXPECT_THAT(BitstringStatusList::Decode(""), ErrorIs("status.list_invalid"));
}

TEST(TokenStatusList, DecodesTheDraftExamples) {
  // draft-ietf-oauth-status-list examples, also produced by @sd-jwt/jwt-status-list 0.19.0.
  auto one = TokenStatusList::Decode(1, "eNrbuRgAAhcBXQ");
  ASSERT_THAT(one, IsOk());
  std::string bits;
  for (size_t i = 0; i < 16; ++i) bits += static_cast<char>('0' + *one->Get(i));
  EXPECT_EQ(bits, "1001110111000101");
  auto two = TokenStatusList::Decode(2, "eNo76fITAAPfAgc");
  ASSERT_THAT(two, IsOk());
  std::string values;
  for (size_t i = 0; i < 12; ++i) values += static_cast<char>('0' + *two->Get(i));
  EXPECT_EQ(values, "120301011233");
}

TEST(TokenStatusList, EncodesWhatItDecodesAndMatchesTheDraft) {
  TokenStatusList list(2, 12);
  const uint8_t want[] = {1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3};
  for (size_t i = 0; i < 12; ++i) ASSERT_THAT(list.Set(i, want[i]), IsOk());
  EXPECT_EQ(list.Encode(), "eNo76fITAAPfAgc");
  EXPECT_THAT(list.Set(0, 4), ErrorIs("status.value_out_of_range"));
  EXPECT_THAT(list.Get(12), ErrorIs("status.index_out_of_range"));
  EXPECT_THAT(TokenStatusList::Decode(3, "eNo76fITAAPfAgc"), ErrorIs("status.list_invalid"));
  EXPECT_THAT(TokenStatusList::Decode(1, "H4sIAAAAAAAA"), ErrorIs("status.list_invalid"));
}

}  // namespace
}  // namespace lanyard::formats::status
