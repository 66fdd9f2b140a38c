#include "lanyard/json/parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "lanyard/core/utf8.h"

namespace lanyard::json {
namespace {

class Parser {
 public:
  Parser(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  Result<Value> Run() {
    Value root;
    LANYARD_TRY(ParseValue(&root, 0));
    SkipWhitespace();
    if (pos_ != text_.size()) return Syntax("unexpected text after the JSON value");
    return root;
  }

 private:
  Error Fail(Code code, const char* reason, std::string what) const {
    return MakeError(code, reason, what + " at byte " + std::to_string(pos_));
  }
  Error Syntax(std::string what) const {
    return Fail(Code::kInvalidArgument, "input.syntax", std::move(what));
  }

  void SkipWhitespace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status ParseValue(Value* out, int depth) {
    SkipWhitespace();
    if (pos_ >= text_.size()) return Syntax("unexpected end of input, expected a value");
    char c = text_[pos_];
    switch (c) {
      case '{':
        return ParseObject(out, depth + 1);
      case '[':
        return ParseArray(out, depth + 1);
      case '"': {
        std::string s;
        LANYARD_TRY(ParseString(&s));
        *out = Value(std::move(s));
        return OkStatus();
      }
      case 't':
        if (Literal("true")) {
          *out = Value(true);
          return OkStatus();
        }
        break;
      case 'f':
        if (Literal("false")) {
          *out = Value(false);
          return OkStatus();
        }
        break;
      case 'n':
        if (Literal("null")) {
          *out = Value(nullptr);
          return OkStatus();
        }
        break;
      case 'N':
      case 'I':
        return Fail(Code::kInvalidArgument, "input.invalid_number",
                    "NaN and Infinity are not JSON numbers");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
    }
    return Syntax(std::string("unexpected character '") + (c >= 0x20 && c < 0x7f ? c : '?') + "'");
  }

  Status EnterContainer(int depth) {
    if (depth > max_depth_) {
      return Fail(Code::kResourceExhausted, "input.too_deep",
                  "nesting deeper than " + std::to_string(max_depth_) + " levels");
    }
    return OkStatus();
  }

  Status ParseArray(Value* out, int depth) {
    LANYARD_TRY(EnterContainer(depth));
    ++pos_;  // '['
    Array items;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      *out = Value(std::move(items));
      return OkStatus();
    }
    while (true) {
      items.emplace_back();
      LANYARD_TRY(ParseValue(&items.back(), depth));
      SkipWhitespace();
      if (pos_ >= text_.size()) return Syntax("unexpected end of input inside an array");
      char c = text_[pos_++];
      if (c == ']') break;
      if (c != ',') return Syntax("expected ',' or ']' in an array");
    }
    *out = Value(std::move(items));
    return OkStatus();
  }

  Status ParseObject(Value* out, int depth) {
    LANYARD_TRY(EnterContainer(depth));
    size_t start = pos_;
    ++pos_;  // '{'
    Object members;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      *out = Value(std::move(members));
      return OkStatus();
    }
    while (true) {
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Syntax("expected a string key");
      std::string key;
      LANYARD_TRY(ParseString(&key));
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Syntax("expected ':' after a key");
      ++pos_;
      members.emplace_back(std::move(key), Value());
      LANYARD_TRY(ParseValue(&members.back().second, depth));
      SkipWhitespace();
      if (pos_ >= text_.size()) return Syntax("unexpected end of input inside an object");
      char c = text_[pos_++];
      if (c == '}') break;
      if (c != ',') return Syntax("expected ',' or '}' in an object");
    }
    if (const std::string* dup = FindDuplicateKey(members)) {
      std::string shown = dup->substr(0, 64);
      pos_ = start;
      return Fail(Code::kInvalidArgument, "input.duplicate_key",
                  "the key \"" + shown + "\" appears twice in the object starting");
    }
    *out = Value(std::move(members));
    return OkStatus();
  }

  // Linear for the small objects credentials are made of; sorting for large ones, so a hostile
  // object with 100,000 keys costs n log n rather than n^2.
  static const std::string* FindDuplicateKey(const Object& members) {
    if (members.size() <= 16) {
      for (size_t i = 1; i < members.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (members[i].first == members[j].first) return &members[i].first;
        }
      }
      return nullptr;
    }
    std::vector<const std::string*> keys;
    keys.reserve(members.size());
    for (const auto& m : members) keys.push_back(&m.first);
    std::sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return *a < *b; });
    for (size_t i = 1; i < keys.size(); ++i) {
      if (*keys[i] == *keys[i - 1]) return keys[i];
    }
    return nullptr;
  }

  Status ParseHex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Syntax("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_ + i];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        return Syntax("malformed \\u escape");
    }
    pos_ += 4;
    *out = v;
    return OkStatus();
  }

  Error BadUtf8(const char* what) const {
    return Fail(Code::kInvalidArgument, "input.invalid_utf8", what);
  }

  // Validates one UTF-8 sequence starting at pos_ (a byte >= 0x80) and copies it.
  Status CopyUtf8Sequence(std::string* out) {
    Utf8Char c = DecodeUtf8(text_, pos_);
    if (c.error != Utf8Error::kNone) return BadUtf8(Utf8ErrorText(c.error));
    out->append(text_.data() + pos_, c.length);
    pos_ += c.length;
    return OkStatus();
  }

  Status ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      // Copy the run of plain ASCII in one go: most credential text is plain.
      size_t run = pos_;
      while (run < text_.size()) {
        unsigned char c = static_cast<unsigned char>(text_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      out->append(text_.data() + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= text_.size()) return Syntax("unterminated string");
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return OkStatus();
      }
      if (c < 0x20) return Syntax("unescaped control character in a string");
      if (c >= 0x80) {
        LANYARD_TRY(CopyUtf8Sequence(out));
        continue;
      }
      // Backslash escape.
      ++pos_;
      if (pos_ >= text_.size()) return Syntax("unterminated escape");
      char e = text_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          LANYARD_TRY(ParseHex4(&cp));
          if (cp >= 0xDC00 && cp <= 0xDFFF) return BadUtf8("lone low surrogate escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return BadUtf8("lone high surrogate escape");
            pos_ += 2;
            LANYARD_TRY(ParseHex4(&low));
            if (low < 0xDC00 || low > 0xDFFF) return BadUtf8("lone high surrogate escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Syntax("unknown escape in a string");
      }
    }
  }

  Status ParseNumber(Value* out) {
    size_t start = pos_;
    auto digit = [&](size_t i) { return i < text_.size() && text_[i] >= '0' && text_[i] <= '9'; };
    size_t i = pos_;
    if (text_[i] == '-') ++i;
    if (!digit(i)) {
      if (i < text_.size() && text_[i] == 'I') {
        return Fail(Code::kInvalidArgument, "input.invalid_number",
                    "NaN and Infinity are not JSON numbers");
      }
      return Fail(Code::kInvalidArgument, "input.invalid_number", "malformed number");
    }
    if (text_[i] == '0') {
      ++i;
      if (digit(i)) {
        return Fail(Code::kInvalidArgument, "input.invalid_number", "leading zero in a number");
      }
    } else {
      while (digit(i)) ++i;
    }
    if (i < text_.size() && text_[i] == '.') {
      ++i;
      if (!digit(i))
        return Fail(Code::kInvalidArgument, "input.invalid_number", "malformed fraction");
      while (digit(i)) ++i;
    }
    if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
      ++i;
      if (i < text_.size() && (text_[i] == '+' || text_[i] == '-')) ++i;
      if (!digit(i))
        return Fail(Code::kInvalidArgument, "input.invalid_number", "malformed exponent");
      while (digit(i)) ++i;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + i;
    double d = 0;
    auto [ptr, ec] = std::from_chars(first, last, d);
    if (ec == std::errc::result_out_of_range) {
      // from_chars reports both overflow and underflow; strtod (correctly rounded in glibc)
      // tells them apart: underflow is an ordinary tiny number or zero, as JavaScript reads it.
      std::string copy(first, last);
      d = std::strtod(copy.c_str(), nullptr);
    } else if (ec != std::errc() || ptr != last) {
      return Fail(Code::kInvalidArgument, "input.invalid_number", "malformed number");
    }
    if (!std::isfinite(d)) {
      return Fail(Code::kInvalidArgument, "input.invalid_number",
                  "number too large to represent as a double");
    }
    pos_ = i;
    *out = Value(d);
    return OkStatus();
  }

  std::string_view text_;
  int max_depth_;
  size_t pos_ = 0;
};

}  // namespace

Result<Value> Parse(std::string_view text, const ParseOptions& options) {
  if (text.size() > options.max_bytes) {
    return MakeError(Code::kResourceExhausted, "input.too_large",
                     "the JSON text is " + std::to_string(text.size()) +
                         " bytes, more than the limit of " + std::to_string(options.max_bytes));
  }
  int depth = std::clamp(options.max_depth, 1, kMaxSupportedDepth);
  return Parser(text, depth).Run();
}

}  // namespace lanyard::json
