#include "lanyard/formats/vc/data_model.h"

#include <gtest/gtest.h>

#include <set>

namespace lanyard::formats::vc {
namespace {

TEST(NewCredentialId, IsAVersion7UuidCarryingTheIssuanceMillisecond) {
  // 2026-08-05T09:00:00.123Z is 1785920400123 ms since the epoch, 0x019fd126aafb.
  TimePoint at = ParseRfc3339("2026-08-05T09:00:00.123Z").value();
  std::string id = NewCredentialId(at);
  // urn:uuid:019fd126-aafb-7xxx-Vxxx-xxxxxxxxxxxx, x hex, V one of 8 9 a b.
  ASSERT_EQ(id.size(), 45u) << id;
  EXPECT_EQ(id.substr(0, 24), "urn:uuid:019fd126-aafb-7") << id;
  EXPECT_NE(std::string("89ab").find(id[28]), std::string::npos) << id;
  for (size_t i = 9; i < id.size(); ++i) {
    bool dash = i == 17 || i == 22 || i == 27 || i == 32;
    EXPECT_EQ(id[i] == '-', dash) << id;
    if (!dash) {
      EXPECT_NE(std::string("0123456789abcdef").find(id[i]), std::string::npos) << id;
    }
  }
}

TEST(NewCredentialId, SortsByMillisecondAndNeverRepeats) {
  TimePoint at = ParseRfc3339("2026-08-05T09:00:00Z").value();
  std::set<std::string> seen;
  std::string latest_of_previous_ms;
  for (int ms = 0; ms < 50; ++ms) {
    std::string latest;
    for (int i = 0; i < 20; ++i) {
      std::string id = NewCredentialId(at + std::chrono::milliseconds(ms));
      EXPECT_TRUE(seen.insert(id).second) << "repeated " << id;
      EXPECT_GT(id, latest_of_previous_ms);
      latest = std::max(latest, id);
    }
    latest_of_previous_ms = latest;
  }
}

TEST(NewCredentialId, ClampsTimesOutsideTheMillisecondRange) {
  TimePoint before_epoch = FromUnixSeconds(-86400);
  EXPECT_EQ(NewCredentialId(before_epoch).substr(0, 23), "urn:uuid:00000000-0000-");
}

}  // namespace
}  // namespace lanyard::formats::vc
