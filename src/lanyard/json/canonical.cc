#include "lanyard/json/canonical.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include "lanyard/core/utf8.h"

namespace lanyard::json {
namespace {

Error BadNumber() {
  return MakeError(Code::kInvalidArgument, "input.invalid_number",
                   "NaN and Infinity have no JSON representation");
}

// Appends the ECMAScript rendering of finite, non-negative, non-zero `d`.
void AppendPositiveNumber(double d, std::string* out) {
  // to_chars without a precision gives the shortest digits that round-trip, choosing the one
  // nearest the exact value when there is a tie: the digits ECMAScript's algorithm asks for.
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  // buf = "D[.DDDD]e[+-]XX"
  char digits[24];
  int k = 0;
  const char* p = buf;
  for (; p < res.ptr && *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  int exp10 = 0;
  std::from_chars(p + 1 + (p[1] == '+'), res.ptr, exp10);
  int n = exp10 + 1;  // value = 0.DIGITS x 10^n
  if (k <= n && n <= 21) {
    out->append(digits, k);
    out->append(n - k, '0');
  } else if (0 < n && n <= 21) {
    out->append(digits, n);
    out->push_back('.');
    out->append(digits + n, k - n);
  } else if (-6 < n && n <= 0) {
    out->append("0.");
    out->append(-n, '0');
    out->append(digits, k);
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits + 1, k - 1);
    }
    out->push_back('e');
    out->push_back(n - 1 >= 0 ? '+' : '-');
    char eb[8];
    auto er = std::to_chars(eb, eb + sizeof eb, std::abs(n - 1));
    out->append(eb, er.ptr);
  }
}

Status AppendNumber(double d, std::string* out) {
  if (!std::isfinite(d)) return BadNumber();
  if (d == 0) {
    out->push_back('0');  // both +0 and -0
    return OkStatus();
  }
  if (d < 0) {
    out->push_back('-');
    d = -d;
  }
  AppendPositiveNumber(d, out);
  return OkStatus();
}

constexpr char kHex[] = "0123456789abcdef";

// What each byte needs in a string literal: 0 nothing, 1 an escape, 2 UTF-8 validation.
constexpr std::array<uint8_t, 256> MakeStringClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) t[c] = 2;
  return t;
}
constexpr auto kStringClasses = MakeStringClasses();

// Appends `s` as a JSON string literal with JSON.stringify's escapes. With `validate`, refuses
// text that is not UTF-8.
Status AppendString(std::string_view s, std::string* out, bool validate) {
  out->push_back('"');
  size_t run_start = 0;
  // Plain text is most of every credential: skip over it with one table lookup per byte.
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint8_t cls = kStringClasses[c];
    if (cls == 0 || (cls == 2 && !validate)) {
      ++i;
      continue;
    }
    if (cls == 2) {
      size_t len = DecodeUtf8(s, i).length;
      if (len == 0) {
        return MakeError(Code::kInvalidArgument, "input.invalid_utf8",
                         "a string is not valid UTF-8");
      }
      i += len;
      continue;
    }
    out->append(s.data() + run_start, i - run_start);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
    run_start = ++i;
  }
  out->append(s.data() + run_start, s.size() - run_start);
  out->push_back('"');
  return OkStatus();
}

uint32_t FirstUtf16Unit(uint32_t cp) { return cp < 0x10000 ? cp : 0xD800 + ((cp - 0x10000) >> 10); }

// Orders UTF-8 strings as their UTF-16 encodings would be ordered (RFC 8785 §3.2.3).
// UTF-8 byte order equals code point order, which differs from UTF-16 order only when an astral
// character (a surrogate pair, 0xD800..) meets a character in U+E000..U+FFFF.
bool Utf16Less(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size();
  unsigned char ca = static_cast<unsigned char>(a[i]), cb = static_cast<unsigned char>(b[i]);
  if (ca < 0x80 && cb < 0x80) return ca < cb;
  while (i > 0 && (static_cast<unsigned char>(a[i]) & 0xC0) == 0x80) --i;
  // Invalid UTF-8 decodes as 0 here without reading past the end; such a key is refused when it
  // is written, so where it sorts never matters.
  uint32_t pa = DecodeUtf8(a, i).code_point, pb = DecodeUtf8(b, i).code_point;
  uint32_t ua = FirstUtf16Unit(pa), ub = FirstUtf16Unit(pb);
  if (ua != ub) return ua < ub;
  return pa < pb;  // same high surrogate: low surrogates order as code points do
}

Status AppendCanonical(const Value& v, std::string* out);

// Sorts `order` in place and appends the object.
Status AppendSortedObject(const Member** order, size_t n, std::string* out) {
  std::sort(order, order + n,
            [](const Member* x, const Member* y) { return Utf16Less(x->first, y->first); });
  out->push_back('{');
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out->push_back(',');
    LANYARD_TRY(AppendString(order[i]->first, out, /*validate=*/true));
    out->push_back(':');
    LANYARD_TRY(AppendCanonical(order[i]->second, out));
  }
  out->push_back('}');
  return OkStatus();
}

Status AppendCanonical(const Value& v, std::string* out) {
  switch (v.kind()) {
    case Kind::kNull:
      out->append("null");
      return OkStatus();
    case Kind::kBool:
      out->append(v.as_bool() ? "true" : "false");
      return OkStatus();
    case Kind::kNumber:
      return AppendNumber(v.as_number(), out);
    case Kind::kString:
      return AppendString(v.as_string(), out, /*validate=*/true);
    case Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Value& item : v.as_array()) {
        if (!first) out->push_back(',');
        first = false;
        LANYARD_TRY(AppendCanonical(item, out));
      }
      out->push_back(']');
      return OkStatus();
    }
    case Kind::kObject: {
      const Object& members = v.as_object();
      // Sort pointers, not members: the value is const and members can be large.
      constexpr size_t kInline = 32;
      const Member* inline_buf[kInline];
      std::vector<const Member*> heap;
      const Member** order = inline_buf;
      if (members.size() > kInline) {
        heap.resize(members.size());
        order = heap.data();
      }
      for (size_t i = 0; i < members.size(); ++i) order[i] = &members[i];
      return AppendSortedObject(order, members.size(), out);
    }
  }
  return OkStatus();
}

void AppendIndent(std::string* out, int indent, int level) {
  out->push_back('\n');
  out->append(static_cast<size_t>(indent) * level, ' ');
}

void AppendPlain(const Value& v, int indent, int level, std::string* out) {
  switch (v.kind()) {
    case Kind::kArray: {
      const Array& items = v.as_array();
      if (items.empty()) {
        out->append("[]");
        return;
      }
      out->push_back('[');
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out->push_back(',');
        if (indent > 0) AppendIndent(out, indent, level + 1);
        AppendPlain(items[i], indent, level + 1, out);
      }
      if (indent > 0) AppendIndent(out, indent, level);
      out->push_back(']');
      return;
    }
    case Kind::kObject: {
      const Object& members = v.as_object();
      if (members.empty()) {
        out->append("{}");
        return;
      }
      out->push_back('{');
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out->push_back(',');
        if (indent > 0) AppendIndent(out, indent, level + 1);
        (void)AppendString(members[i].first, out, /*validate=*/false);
        out->append(indent > 0 ? ": " : ":");
        AppendPlain(members[i].second, indent, level + 1, out);
      }
      if (indent > 0) AppendIndent(out, indent, level);
      out->push_back('}');
      return;
    }
    case Kind::kString:
      (void)AppendString(v.as_string(), out, /*validate=*/false);
      return;
    case Kind::kNumber:
      if (!AppendNumber(v.as_number(), out).ok()) out->append("null");
      return;
    default:
      (void)AppendCanonical(v, out);
      return;
  }
}

}  // namespace

Status CanonicalizeTo(const Value& value, std::string* out) { return AppendCanonical(value, out); }

Status CanonicalizeObjectTo(std::span<const Member* const> members, std::string* out) {
  std::vector<const Member*> order(members.begin(), members.end());
  return AppendSortedObject(order.data(), order.size(), out);
}

Result<std::string> Canonicalize(const Value& value) {
  std::string out;
  LANYARD_TRY(AppendCanonical(value, &out));
  return out;
}

Result<std::string> FormatNumber(double d) {
  std::string out;
  LANYARD_TRY(AppendNumber(d, &out));
  return out;
}

void AppendQuoted(std::string_view text, std::string* out) {
  (void)AppendString(text, out, /*validate=*/false);
}

void SerializeTo(const Value& value, std::string* out) { AppendPlain(value, 0, 0, out); }

std::string Serialize(const Value& value, int indent) {
  std::string out;
  AppendPlain(value, indent, 0, &out);
  return out;
}

}  // namespace lanyard::json
