// Fuzzes RFC 8785 canonicalisation: the canonical form of any parsed value must parse back and
// be its own canonical form (a fixed point). Members are reordered, so the values themselves are
// compared through their canonical forms.
#include <cstdlib>
#include <string_view>

#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto value = lanyard::json::Parse(text);
  if (!value.ok()) return 0;
  auto canonical = lanyard::json::Canonicalize(*value);
  if (!canonical.ok()) std::abort();  // parsed values are always canonicalisable
  auto reparsed = lanyard::json::Parse(*canonical);
  if (!reparsed.ok()) std::abort();
  auto twice = lanyard::json::Canonicalize(*reparsed);
  if (!twice.ok() || *twice != *canonical) std::abort();
  return 0;
}
