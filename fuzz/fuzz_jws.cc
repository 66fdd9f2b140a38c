// Fuzzes the JWS compact parser and JWT time claims: a clean error or a parsed token whose
// signing input is exactly the first two parts of the input.
#include <cstdlib>
#include <string_view>

#include "lanyard/formats/jose/jws.h"
#include "lanyard/formats/jose/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto jws = lanyard::formats::jose::ParseCompactJws(text);
  if (!jws.ok()) return 0;
  if (text.substr(0, jws->signing_input.size()) != jws->signing_input) std::abort();
  auto payload = lanyard::formats::jose::ParseJsonPayload(*jws);
  if (payload.ok()) {
    lanyard::verify::VerificationReport report;
    lanyard::formats::jose::CheckTimeClaims(*payload, {lanyard::FromUnixSeconds(1785920400)}, "jwt",
                                            &report);
    if (report.checks().size() != 1) std::abort();
  }
  return 0;
}
