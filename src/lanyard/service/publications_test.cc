#include "lanyard/service/publications.h"

#include <gtest/gtest.h>

#include "lanyard/json/canonical.h"

namespace lanyard::service {
namespace {

TEST(DisclosureControl, SuppressesSmallCountsAndRoundsTheRestToFives) {
  json::Value t = DisclosureControlled({{"dbs", 23}, {"identity", 3}, {"training", 41}, {"oh", 0}});
  // identity (3) is suppressed; being the only one, the next smallest (dbs) goes too, so the
  // total cannot give identity away.
  EXPECT_EQ(json::Serialize(t),
            R"({"cells":{"dbs":"<5","identity":"<5","oh":0,"training":40},"total":65})");
}

TEST(DisclosureControl, TwoSuppressedCellsNeedNoSecondarySuppression) {
  json::Value t = DisclosureControlled({{"a", 2}, {"b", 4}, {"c", 12}});
  EXPECT_EQ(json::Serialize(t), R"({"cells":{"a":"<5","b":"<5","c":10},"total":20})");
}

TEST(DisclosureControl, ASmallTotalIsSuppressedToo) {
  json::Value t = DisclosureControlled({{"a", 1}, {"b", 2}});
  EXPECT_EQ(json::Serialize(t), R"({"cells":{"a":"<5","b":"<5"},"total":"<5"})");
}

}  // namespace
}  // namespace lanyard::service
