#include "lanyard/crypto/sha256.h"

#include <gtest/gtest.h>

#include "lanyard/core/encoding.h"

namespace lanyard::crypto {
namespace {

TEST(Sha256Hasher, PiecesHashAsTheWhole) {
  const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (size_t split : {size_t{0}, size_t{1}, size_t{27}, text.size()}) {
    SCOPED_TRACE(split);
    Sha256Hasher hasher;
    hasher.Update(AsBytes(std::string_view(text).substr(0, split)));
    hasher.Update(AsBytes(std::string_view(text).substr(split)));
    // FIPS 180-2, appendix B.2.
    EXPECT_EQ(HexEncode(hasher.Finish()),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  EXPECT_EQ(HexEncode(Sha256Hasher().Finish()), HexEncode(Sha256({})));
}

}  // namespace
}  // namespace lanyard::crypto
