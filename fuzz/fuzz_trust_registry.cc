// Fuzzes the trust registry reader: a clean error naming the member, or a registry that writes
// back and loads again to the same organisations, grants and agreements.
#include <cstdlib>
#include <string_view>

#include "lanyard/json/canonical.h"
#include "lanyard/trust/trust_registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto registry = lanyard::trust::TrustRegistry::FromText(text);
  if (!registry.ok()) {
    if (registry.error().reason != "registry.invalid" &&
        registry.error().reason != "registry.unsupported_format") {
      std::abort();
    }
    return 0;
  }
  std::string written = lanyard::json::Serialize(registry->ToJson());
  auto again = lanyard::trust::TrustRegistry::FromText(written);
  if (!again.ok() || again->serial() != registry->serial() ||
      again->organisations().size() != registry->organisations().size() ||
      again->authorisations().size() != registry->authorisations().size() ||
      again->agreements().size() != registry->agreements().size() ||
      lanyard::json::Serialize(again->ToJson()) != written) {
    std::abort();
  }
  return 0;
}
