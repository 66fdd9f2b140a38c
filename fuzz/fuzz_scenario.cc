// Fuzzes the passport-scenario reader (analytics/scenario.h): every input is refused with
// analytics.invalid_scenario or gives a set whose every number is in its documented range.
#include <cstdlib>
#include <string_view>

#include "lanyard/analytics/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto set = lanyard::analytics::ParseScenarioSet(text);
  if (!set.ok()) {
    if (set.error().reason != "analytics.invalid_scenario") std::abort();
    return 0;
  }
  if (set->scenarios.empty() || set->scenarios.size() > 20) std::abort();
  if (set->draws < 1 || set->draws > 100000) std::abort();
  if (!(set->relative_sd >= 0 && set->relative_sd <= 1)) std::abort();
  for (double a : set->avoidable) {
    if (!(a >= 0 && a <= 1)) std::abort();
  }
  for (const auto& s : set->scenarios) {
    for (const auto& [kind, share] : s.adoption) {
      if (!(share >= 0 && share <= 1)) std::abort();
    }
  }
  return 0;
}
