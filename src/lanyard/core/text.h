// Small ASCII text helpers shared by the parsers of headers, forms, templates, profiles and CSV
// extracts. ASCII only, on purpose: these trim and compare protocol tokens, never people's names.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace lanyard {

// Without leading and trailing spaces and tabs (the blanks of header values, `key = value`
// lines and CSV fields).
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Without leading and trailing ASCII whitespace, line breaks included (a form's text values).
inline std::string_view TrimWhitespace(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// A-Z as a-z; every other byte as it is.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace lanyard
