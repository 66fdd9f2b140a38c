// Fuzzes the web pages' form parsers (http/form.h): any body, as URL-encoded or as multipart
// with a fixed boundary, parses or is refused with a form.* error, and whatever parses holds only
// UTF-8 names and text values within the bounds.
#include <cstdlib>
#include <string_view>

#include "lanyard/core/utf8.h"
#include "lanyard/http/form.h"

namespace {

void CheckParsed(const lanyard::Result<lanyard::http::FormData>& form) {
  if (!form.ok()) {
    if (!form.error().reason.starts_with("form.")) std::abort();
    return;
  }
  if (form->fields().size() > lanyard::http::kMaxFormFields) std::abort();
  for (const auto& f : form->fields()) {
    if (f.name.empty() || !lanyard::IsValidUtf8(f.name)) std::abort();
    if (!f.is_file &&
        (!lanyard::IsValidUtf8(f.value) || f.value.size() > lanyard::http::kMaxFormValueBytes)) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  CheckParsed(lanyard::http::FormData::ParseUrlEncoded(body));
  CheckParsed(lanyard::http::FormData::Parse("multipart/form-data; boundary=XyZ", body));
  return 0;
}
