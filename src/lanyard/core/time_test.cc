#include "lanyard/core/time.h"

#include <gtest/gtest.h>

#include "lanyard/core/clock.h"
#include "lanyard/testing/matchers.h"

namespace lanyard {
namespace {

using testing::ErrorIs;

TEST(Rfc3339, ParsesAndFormatsUtc) {
  auto t = ParseRfc3339("2023-01-01T00:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(ToUnixSeconds(*t), 1672531200);
  EXPECT_EQ(FormatRfc3339(*t), "2023-01-01T00:00:00Z");
}

TEST(Rfc3339, AppliesOffsetsAndFractions) {
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-08-05T10:00:00.250+01:00")),
            "2026-08-05T09:00:00.25Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-08-05t09:00:00z")), "2026-08-05T09:00:00Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2024-02-29T23:59:59-00:30")), "2024-03-01T00:29:59Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("1969-12-31T23:59:59.5Z")), "1969-12-31T23:59:59.5Z");
}

TEST(Rfc3339, RefusesDatesWithoutZoneOrImpossibleDays) {
  for (const char* bad :
       {"2026-08-05", "2026-08-05T09:00:00", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-08-05T24:00:00Z", "2026-08-05T09:00:60Z", "2026-08-05T09:00:00.Z",
        "2026-08-05T09:00:00Zjunk", "2026-8-5T9:0:0Z", "2026-08-05T09:00:00+1:00", ""}) {
    EXPECT_THAT(ParseRfc3339(bad), ErrorIs("input.invalid_datetime")) << bad;
  }
}

TEST(SimulatedClock, MovesOnlyWhenTold) {
  SimulatedClock clock(FromUnixSeconds(1000));
  EXPECT_EQ(ToUnixSeconds(clock.Now()), 1000);
  clock.Advance(std::chrono::seconds(5));
  EXPECT_EQ(ToUnixSeconds(clock.Now()), 1005);
  clock.Set(FromUnixSeconds(7));
  EXPECT_EQ(ToUnixSeconds(clock.Now()), 7);
}

}  // namespace
}  // namespace lanyard
