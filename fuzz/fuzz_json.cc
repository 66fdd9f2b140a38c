// Fuzzes the strict JSON parser: any input must give a value or a clean error, and a value must
// print and re-parse to itself.
#include <cstdlib>
#include <string_view>

#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  lanyard::json::ParseOptions options;
  options.max_depth = 64;
  auto value = lanyard::json::Parse(text, options);
  if (!value.ok()) {
    if (value.error().reason.rfind("input.", 0) != 0) std::abort();  // every error is input.*
    return 0;
  }
  auto again = lanyard::json::Parse(lanyard::json::Serialize(*value), options);
  if (!again.ok() || !(*again == *value)) std::abort();
  return 0;
}
