// Fuzzes the reader of an organisation's earlier signing keys (service/org_keys.h): every input
// ends in org.keys_corrupt or in a list that writes back to text reading as the same list.
#include <cstdlib>
#include <string_view>

#include "lanyard/service/org_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto keys = lanyard::service::ParseRetiredKeys(text);
  if (!keys.ok()) {
    if (keys.error().reason != "org.keys_corrupt") std::abort();
    return 0;
  }
  auto again = lanyard::service::ParseRetiredKeys(lanyard::service::RetiredKeysJson(*keys));
  if (!again.ok() || again->size() != keys->size()) std::abort();
  for (size_t i = 0; i < keys->size(); ++i) {
    const auto& a = (*keys)[i];
    const auto& b = (*again)[i];
    if (a.key_id != b.key_id || a.since != b.since || a.compromised != b.compromised ||
        a.reason != b.reason) {
      std::abort();
    }
  }
  return 0;
}
