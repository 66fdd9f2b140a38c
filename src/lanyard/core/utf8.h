// UTF-8 encoding and strict decoding, shared by the JSON parser, the canonical form and tests.
//
// Strict means RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lanyard {

enum class Utf8Error {
  kNone,
  kBadLeadByte,
  kTruncated,
  kBadContinuation,
  kOverlong,
  kSurrogate,
  kBeyondUnicode
};

struct Utf8Char {
  uint32_t code_point = 0;
  size_t length = 0;  // bytes consumed; 0 on error
  Utf8Error error = Utf8Error::kNone;
};

// Decodes the character starting at text[pos]. REQUIRES: pos < text.size().
Utf8Char DecodeUtf8(std::string_view text, size_t pos);

// A short phrase for a decoding error ("overlong UTF-8 encoding").
const char* Utf8ErrorText(Utf8Error error);

// Whether all of `text` is strict UTF-8.
bool IsValidUtf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point`. REQUIRES: a Unicode scalar value.
void AppendUtf8(uint32_t code_point, std::string* out);

}  // namespace lanyard
