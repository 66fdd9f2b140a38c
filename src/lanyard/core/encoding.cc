#include "lanyard/core/encoding.h"

#include <array>

namespace lanyard {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kBase58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<int8_t, 256> MakeReverse(const char* alphabet, int size) {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < size; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}

constexpr auto kBase64UrlReverse = MakeReverse(kBase64Url, 64);
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

std::string Base64UrlEncode(ByteView bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    out += kBase64Url[v >> 18];
    out += kBase64Url[(v >> 12) & 63];
    out += kBase64Url[(v >> 6) & 63];
    out += kBase64Url[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = bytes[i] << 16;
    out += kBase64Url[v >> 18];
    out += kBase64Url[(v >> 12) & 63];
  } else if (rest == 2) {
    uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8;
    out += kBase64Url[v >> 18];
    out += kBase64Url[(v >> 12) & 63];
    out += kBase64Url[(v >> 6) & 63];
  }
  return out;
}

Result<Bytes> Base64UrlDecode(std::string_view text) {
  auto bad = [](const char* why) {
    return MakeError(Code::kInvalidArgument, "input.invalid_base64url",
                     std::string("base64url text is malformed: ") + why);
  };
  if (text.size() % 4 == 1) return bad("impossible length");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = kBase64UrlReverse[static_cast<uint8_t>(c)];
    if (v < 0) return bad(c == '=' ? "padding is not allowed" : "character outside the alphabet");
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

std::string Base58btcEncode(ByteView bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // log(256)/log(58) ~= 1.366: enough digits for the base-58 number.
  std::vector<uint8_t> digits((bytes.size() - zeros) * 138 / 100 + 1);
  size_t length = 0;
  for (size_t i = zeros; i < bytes.size(); ++i) {
    uint32_t carry = bytes[i];
    size_t j = 0;
    for (auto it = digits.rbegin(); (carry != 0 || j < length) && it != digits.rend(); ++it, ++j) {
      carry += 256u * *it;
      *it = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    length = j;
  }
  auto it = digits.begin() + (digits.size() - length);
  while (it != digits.end() && *it == 0) ++it;
  std::string out(zeros, '1');
  for (; it != digits.end(); ++it) out += kBase58[*it];
  return out;
}

Result<Bytes> Base58btcDecode(std::string_view text) {
  if (text.size() > kMaxBase58Length) {
    return MakeError(Code::kInvalidArgument, "input.invalid_base58",
                     "base58btc text is longer than " + std::to_string(kMaxBase58Length) +
                         " characters");
  }
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  // log(58)/log(256) ~= 0.733.
  std::vector<uint8_t> b256((text.size() - zeros) * 733 / 1000 + 1);
  size_t length = 0;
  for (size_t i = zeros; i < text.size(); ++i) {
    int v = kBase58Reverse[static_cast<uint8_t>(text[i])];
    if (v < 0) {
      return MakeError(Code::kInvalidArgument, "input.invalid_base58",
                       "base58btc text contains a character outside the alphabet");
    }
    uint32_t carry = static_cast<uint32_t>(v);
    size_t j = 0;
    for (auto it = b256.rbegin(); (carry != 0 || j < length) && it != b256.rend(); ++it, ++j) {
      carry += 58u * *it;
      *it = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    length = j;
  }
  auto it = b256.begin() + (b256.size() - length);
  while (it != b256.end() && *it == 0) ++it;
  Bytes out(zeros, 0);
  out.insert(out.end(), it, b256.end());
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
    case 'z': return Base58btcDecode(text.substr(1));
    case 'u': return Base64UrlDecode(text.substr(1));
    default:
      return MakeError(Code::kInvalidArgument, "input.invalid_multibase",
                       std::string("unsupported multibase prefix '") + text[0] +
                           "' (expected 'z' for base58btc or 'u' for base64url)");
  }
}

}  // namespace lanyard
