#include "lanyard/core/utf8.h"

namespace lanyard {

Utf8Char DecodeUtf8(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(text[i])); };
  uint32_t b0 = byte(pos);
  if (b0 < 0x80) return {b0, 1, Utf8Error::kNone};
  size_t length;
  uint32_t cp, min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return {0, 0, Utf8Error::kBadLeadByte};
  }
  if (pos + length > text.size()) return {0, 0, Utf8Error::kTruncated};
  for (size_t k = 1; k < length; ++k) {
    uint32_t b = byte(pos + k);
    if ((b & 0xC0) != 0x80) return {0, 0, Utf8Error::kBadContinuation};
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min) return {0, 0, Utf8Error::kOverlong};
  if (cp > 0x10FFFF) return {0, 0, Utf8Error::kBeyondUnicode};
  if (cp >= 0xD800 && cp <= 0xDFFF) return {0, 0, Utf8Error::kSurrogate};
  return {cp, length, Utf8Error::kNone};
}

const char* Utf8ErrorText(Utf8Error error) {
  switch (error) {
    case Utf8Error::kNone:
      return "valid UTF-8";
    case Utf8Error::kBadLeadByte:
      return "invalid UTF-8 lead byte";
    case Utf8Error::kTruncated:
      return "truncated UTF-8 sequence";
    case Utf8Error::kBadContinuation:
      return "invalid UTF-8 continuation byte";
    case Utf8Error::kOverlong:
      return "overlong UTF-8 encoding";
    case Utf8Error::kSurrogate:
      return "UTF-8-encoded surrogate";
    case Utf8Error::kBeyondUnicode:
      return "UTF-8 beyond U+10FFFF";
  }
  return "invalid UTF-8";
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsValidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    Utf8Char c = DecodeUtf8(text, pos);
    if (c.error != Utf8Error::kNone) return false;
    pos += c.length;
  }
  return true;
}

}  // namespace lanyard
