// Fuzzes the DID document reader (what a did:web server, or a trust bundle, hands us): a clean
// error, or a document that writes back and reads again to the same methods and relationships.
#include <cstdlib>
#include <string_view>

#include "lanyard/did/did_document.h"
#include "lanyard/json/canonical.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = lanyard::did::ParseDidDocumentText(text, "");
  if (!doc.ok()) return 0;
  auto again = lanyard::did::ParseDidDocumentText(
      lanyard::json::Serialize(lanyard::did::DidDocumentToJson(*doc)), doc->id);
  if (!again.ok() || again->verification_methods.size() != doc->verification_methods.size() ||
      again->assertion_method != doc->assertion_method ||
      again->authentication != doc->authentication) {
    std::abort();
  }
  for (size_t i = 0; i < doc->verification_methods.size(); ++i) {
    if (!(again->verification_methods[i].key == doc->verification_methods[i].key)) std::abort();
  }
  return 0;
}
