#include "lanyard/core/encoding.h"

#include <array>
#include <cstdint>

namespace lanyard {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kBase64Std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<int8_t, 256> MakeReverse(const char* alphabet, int size) {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < size; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}

constexpr auto kBase64UrlReverse = MakeReverse(kBase64Url, 64);
constexpr auto kBase64StdReverse = MakeReverse(kBase64Std, 64);
constexpr auto kBase58Reverse = MakeReverse(kBase58, 58);

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string HexEncode(ByteView bytes) {
  std::string out;
  out.resize(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 15];
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return MakeError(Code::kInvalidArgument, "input.invalid_hex", "hex text has an odd length");
  }
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return MakeError(Code::kInvalidArgument, "input.invalid_hex",
                       "hex text contains a character that is not a hex digit");
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

namespace {

// Both base64 alphabets share one codec; they differ in two characters and in padding.
std::string EncodeBase64(ByteView bytes, const char* alphabet, bool pad) {
  size_t full = bytes.size() / 3, rest = bytes.size() % 3;
  size_t length = full * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1);
  std::string out(length, '=');
  char* p = out.data();
  const uint8_t* in = bytes.data();
  for (size_t i = 0; i < full; ++i, in += 3, p += 4) {
    uint32_t v = uint32_t{in[0]} << 16 | uint32_t{in[1]} << 8 | in[2];
    p[0] = alphabet[v >> 18];
    p[1] = alphabet[(v >> 12) & 63];
    p[2] = alphabet[(v >> 6) & 63];
    p[3] = alphabet[v & 63];
  }
  if (rest > 0) {
    uint32_t v = uint32_t{in[0]} << 16 | (rest == 2 ? uint32_t{in[1]} << 8 : 0);
    p[0] = alphabet[v >> 18];
    p[1] = alphabet[(v >> 12) & 63];
    if (rest == 2) p[2] = alphabet[(v >> 6) & 63];
  }
  return out;
}

Result<Bytes> DecodeBase64(std::string_view text, const std::array<int8_t, 256>& reverse,
                           const char* reason, const char* name) {
  auto bad = [&](const char* why) {
    return MakeError(Code::kInvalidArgument, reason,
                     std::string(name) + " text is malformed: " + why);
  };
  if (text.size() % 4 == 1) return bad("impossible length");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = reverse[static_cast<uint8_t>(c)];
    if (v < 0) return bad(c == '=' ? "misplaced padding" : "character outside the alphabet");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return bad("non-zero trailing bits");
  return out;
}

}  // namespace

std::string Base64Encode(ByteView bytes) { return EncodeBase64(bytes, kBase64Std, true); }

Result<Bytes> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return MakeError(Code::kInvalidArgument, "input.invalid_base64",
                     "base64 text is malformed: its length is not a multiple of 4");
  }
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  return DecodeBase64(text.substr(0, text.size() - padding), kBase64StdReverse,
                      "input.invalid_base64", "base64");
}

std::string Base64UrlEncode(ByteView bytes) { return EncodeBase64(bytes, kBase64Url, false); }

Result<Bytes> Base64UrlDecode(std::string_view text) {
  return DecodeBase64(text, kBase64UrlReverse, "input.invalid_base64url", "base64url");
}

// Base-58 conversion is schoolbook long division, quadratic in the length. Working in limbs of
// 58^5 (base-58 side) and 2^32 (byte side) instead of single digits and bytes cuts the inner
// loop about twentyfold; for a 64-byte signature that is most of the cost of encoding it.
constexpr uint64_t kBase58Pow5 = 58ull * 58 * 58 * 58 * 58;  // 656,356,768 < 2^30

std::string Base58btcEncode(ByteView bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // Little-endian limbs of base 58^5 holding the number written by bytes[zeros..].
  std::vector<uint32_t> limbs;
  limbs.reserve((bytes.size() - zeros) / 3 + 1);
  size_t i = zeros;
  auto feed = [&](uint64_t word, uint64_t scale) {
    uint64_t carry = word;
    for (uint32_t& limb : limbs) {
      uint64_t t = limb * scale + carry;
      limb = static_cast<uint32_t>(t % kBase58Pow5);
      carry = t / kBase58Pow5;
    }
    while (carry != 0) {
      limbs.push_back(static_cast<uint32_t>(carry % kBase58Pow5));
      carry /= kBase58Pow5;
    }
  };
  size_t head = (bytes.size() - zeros) % 4;  // a short first word, then whole 32-bit words
  if (head != 0) {
    uint64_t word = 0;
    for (size_t k = 0; k < head; ++k) word = word << 8 | bytes[i++];
    feed(word, uint64_t{1} << (8 * head));
  }
  for (; i < bytes.size(); i += 4) {
    uint64_t word = uint64_t{bytes[i]} << 24 | uint64_t{bytes[i + 1]} << 16 |
                    uint64_t{bytes[i + 2]} << 8 | bytes[i + 3];
    feed(word, uint64_t{1} << 32);
  }
  std::string digits;  // least significant first
  digits.reserve(limbs.size() * 5);
  for (uint32_t limb : limbs) {
    for (int k = 0; k < 5; ++k) {
      digits.push_back(kBase58[limb % 58]);
      limb /= 58;
    }
  }
  while (!digits.empty() && digits.back() == '1') digits.pop_back();
  std::string out(zeros, '1');
  out.append(digits.rbegin(), digits.rend());
  return out;
}

Result<Bytes> Base58btcDecode(std::string_view text) {
  if (text.size() > kMaxBase58Length) {
    return MakeError(
        Code::kInvalidArgument, "input.invalid_base58",
        "base58btc text is longer than " + std::to_string(kMaxBase58Length) + " characters");
  }
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  // Little-endian limbs of base 2^32.
  std::vector<uint32_t> limbs;
  limbs.reserve((text.size() - zeros) / 5 + 1);
  auto feed = [&](uint64_t value, uint64_t scale) {
    uint64_t carry = value;
    for (uint32_t& limb : limbs) {
      uint64_t t = limb * scale + carry;
      limb = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    if (carry != 0) limbs.push_back(static_cast<uint32_t>(carry));
  };
  size_t i = zeros;
  size_t head = (text.size() - zeros) % 5;  // a short first group, then groups of five digits
  for (size_t group = head == 0 ? 5 : head; i < text.size(); group = 5) {
    uint64_t value = 0, scale = 1;
    for (size_t k = 0; k < group; ++k, ++i) {
      int v = kBase58Reverse[static_cast<uint8_t>(text[i])];
      if (v < 0) {
        return MakeError(Code::kInvalidArgument, "input.invalid_base58",
                         "base58btc text contains a character outside the alphabet");
      }
      value = value * 58 + static_cast<uint64_t>(v);
      scale *= 58;
    }
    feed(value, scale);
  }
  Bytes out(zeros, 0);
  size_t start = out.size();
  for (auto it = limbs.rbegin(); it != limbs.rend(); ++it) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(*it >> shift));
  }
  // Drop the leading zero bytes of the top limb; those of the number were counted as '1's.
  size_t first = start;
  while (first < out.size() && out[first] == 0) ++first;
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(start),
            out.begin() + static_cast<std::ptrdiff_t>(first));
  return out;
}

std::string MultibaseEncode(Multibase base, ByteView bytes) {
  // Appending (rather than "z" + text) also sidesteps a GCC 12 -Wrestrict false positive.
  std::string out(1, base == Multibase::kBase58btc ? 'z' : 'u');
  out += base == Multibase::kBase58btc ? Base58btcEncode(bytes) : Base64UrlEncode(bytes);
  return out;
}

Result<Bytes> MultibaseDecode(std::string_view text) {
  if (text.empty()) {
    return MakeError(Code::kInvalidArgument, "input.invalid_multibase", "multibase text is empty");
  }
  switch (text[0]) {
    case 'z':
      return Base58btcDecode(text.substr(1));
    case 'u':
      return Base64UrlDecode(text.substr(1));
    default:
      return MakeError(Code::kInvalidArgument, "input.invalid_multibase",
                       std::string("unsupported multibase prefix '") + text[0] +
                           "' (expected 'z' for base58btc or 'u' for base64url)");
  }
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace lanyard
