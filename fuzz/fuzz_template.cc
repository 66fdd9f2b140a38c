// Fuzzes the page templates (http/template.h): any text parses or is refused with
// template.invalid; a parsed template renders (with itself as every partial, so recursion is
// exercised) without crashing; and values are always escaped: rendering with every string "<"
// gives exactly as many "<" as rendering with every string "a" (same truthiness, same lists),
// since an escaped "<" adds none.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lanyard/http/template.h"
#include "lanyard/json/parser.h"

namespace {

lanyard::json::Value Context(const char* s) {
  std::string text = R"({"a":"S","b":[{"a":"S"},{"c":"S"}],"c":{"a":"S"},"d":true,"e":[]})";
  std::string out;
  for (char ch : text) {
    if (ch == 'S') {
      out += s;
    } else {
      out += ch;
    }
  }
  return lanyard::json::Parse(out).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = lanyard::http::Template::Parse(text);
  if (!t.ok()) {
    if (t.error().reason != "template.invalid") std::abort();
    return 0;
  }
  static const lanyard::json::Value plain = Context("a"), angle = Context("<");
  const lanyard::http::Template* self = &*t;
  auto partials = [&](std::string_view) { return self; };
  auto a = t->Render(plain, partials);
  auto b = t->Render(angle, partials);
  if (a.ok() != b.ok()) std::abort();
  if (!a.ok()) {
    if (a.error().reason != "template.invalid") std::abort();
    return 0;
  }
  if (std::count(a->begin(), a->end(), '<') != std::count(b->begin(), b->end(), '<')) {
    std::abort();
  }
  return 0;
}
