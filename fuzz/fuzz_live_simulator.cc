// Fuzzes the live-service simulator's file reader (readiness check --live): a clean error naming
// the member, or a simulator whose answers are all well-formed.
#include <cstdlib>
#include <string_view>

#include "lanyard/passport/live.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto sim = lanyard::passport::LiveSimulator::FromText(text);
  if (!sim.ok()) {
    if (sim.error().reason != "live.invalid") std::abort();
    return 0;
  }
  for (const auto& answer : {(*sim)->Lookup("NMC", "12A3456E"),
                             (*sim)->StatusCheck("001234567890", "OKAFOR", "1990-04-12"),
                             (*sim)->Check("Okafor", "1990-04-12")}) {
    if (answer.code.empty()) std::abort();
  }
  return 0;
}
