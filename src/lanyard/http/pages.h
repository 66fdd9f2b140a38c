// The web pages: templates compiled into the program (web/templates), parsed once, rendered
// per request; the headers every page carries; and the static assets (the built stylesheet and
// scripts) served from a web root on disk.
//
// A page never depends on its assets to render: without a built stylesheet it is plain HTML.
// Every page carries a Content-Security-Policy that allows nothing from elsewhere and no inline
// script or style at all.
//
// Thread-safety: a loaded Pages is immutable.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/http/server.h"
#include "lanyard/http/template.h"
#include "lanyard/json/value.h"

namespace lanyard::http {

inline constexpr std::string_view kPageSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'";

class Pages {
 public:
  // Parses every embedded template. Errors: template.invalid (a build with a broken template).
  static Result<Pages> Load();

  // `page` (a template's name without .html) rendered with `context`, as a 200 text/html
  // response with the page headers. `cacheable` pages hold nothing about anyone.
  // Errors: template.invalid (an unknown page).
  Result<ServerResponse> Render(std::string_view page, const json::Value& context,
                                bool cacheable) const;

 private:
  std::map<std::string, Template, std::less<>> templates_;
};

// A file from `web_root` for GET /assets/{file}: only plain names (letters, digits, - _ .,
// no leading dot) of the known kinds (.css .js .svg .png .woff2 .ico), with a long cache
// lifetime; the .gz beside it when the client accepts gzip. A 404 problem otherwise, also
// when no web root is set.
ServerResponse ServeAsset(const std::string& web_root, std::string_view file,
                          const ServerRequest& request);

}  // namespace lanyard::http
