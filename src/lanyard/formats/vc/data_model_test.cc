#include "lanyard/formats/vc/data_model.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace lanyard::formats::vc {
namespace {

TEST(NewCredentialId, IsAVersion7UuidCarryingTheIssuanceMillisecond) {
  // 2026-08-05T09:00:00.123Z is 1785920400123 ms since the epoch, 0x019fd126aafb.
  TimePoint at = ParseRfc3339("2026-08-05T09:00:00.123Z").value();
  std::string id = NewCredentialId(at);
  static const std::regex kShape(
      "urn:uuid:019fd126-aafb-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(id, kShape)) << id;
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
