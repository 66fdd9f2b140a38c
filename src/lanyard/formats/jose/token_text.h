// Compact tokens (JWT, SD-JWT) read from files or forms: surrounding whitespace, such as a
// trailing newline, is not part of the token. One trim for every reader, so they agree.
#pragma once

#include <string_view>

namespace lanyard::formats::jose {

inline std::string_view TrimToken(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace lanyard::formats::jose
