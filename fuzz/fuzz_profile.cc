// Fuzzes the role requirement profile reader: a clean profile.invalid refusal, or a profile that
// writes back and reads again to the same profile and the same text.
#include <cstdlib>
#include <string_view>

#include "lanyard/passport/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto profile = lanyard::passport::ParseProfile(text, "fuzz");
  if (!profile.ok()) {
    if (profile.error().reason != "profile.invalid" ||
        profile.error().message.rfind("fuzz:", 0) != 0) {
      std::abort();
    }
    return 0;
  }
  std::string written = lanyard::passport::WriteProfile(*profile);
  auto again = lanyard::passport::ParseProfile(written, "written");
  if (!again.ok() || !(*again == *profile) || lanyard::passport::WriteProfile(*again) != written) {
    std::abort();
  }
  return 0;
}
