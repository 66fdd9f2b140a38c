// Fuzzes the disclosure decoder and the claim-path parser: a clean error, or a value that
// re-encodes consistently.
#include <cstdlib>
#include <string_view>

#include "lanyard/formats/sdjwt/sd_jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto d = lanyard::formats::sdjwt::ParseDisclosure(text); d.ok()) {
    if (d->digest != lanyard::formats::sdjwt::DisclosureDigest(text)) std::abort();
    auto again = lanyard::formats::sdjwt::MakeDisclosure(d->salt, d->name, d->value);
    auto reparsed = lanyard::formats::sdjwt::ParseDisclosure(again.encoded);
    if (!reparsed.ok() || reparsed->name != d->name || !(reparsed->value == d->value)) std::abort();
  }
  if (auto p = lanyard::formats::sdjwt::ParseClaimPath(text); p.ok()) {
    auto printed = lanyard::formats::sdjwt::FormatClaimPath(*p);
    auto again = lanyard::formats::sdjwt::ParseClaimPath(printed);
    if (!again.ok() || lanyard::formats::sdjwt::FormatClaimPath(*again) != printed) std::abort();
  }
  return 0;
}
