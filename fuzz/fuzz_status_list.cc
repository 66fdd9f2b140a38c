// Fuzzes the status-list decoders (Bitstring: multibase + GZIP; Token Status List: base64url +
// ZLIB, every bit width): a clean error or a list that re-encodes to the same entries.
#include <cstdlib>
#include <string_view>

#include "lanyard/formats/status/status_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace st = lanyard::formats::status;
  st::ListLimits limits;
  limits.max_bytes = 1 << 20;  // keep each run small
  if (auto list = st::BitstringStatusList::Decode(text, limits); list.ok()) {
    auto again = st::BitstringStatusList::Decode(list->Encode(), limits);
    if (!again.ok() || again->size() != list->size()) std::abort();
    for (size_t i = 0; i < list->size(); i += 4099) {
      if (*again->Get(i) != *list->Get(i)) std::abort();
    }
  }
  for (int bits : {1, 2, 4, 8}) {
    if (auto list = st::TokenStatusList::Decode(bits, text, limits); list.ok()) {
      auto again = st::TokenStatusList::Decode(bits, list->Encode(), limits);
      if (!again.ok() || again->size() != list->size()) std::abort();
      for (size_t i = 0; i < list->size(); i += 97) {
        if (*again->Get(i) != *list->Get(i)) std::abort();
      }
    }
  }
  return 0;
}
