#include "lanyard/crypto/totp.h"

#include <sodium.h>

#include <array>
#include <cstdlib>

#include "lanyard/crypto/hmac.h"
#include "lanyard/crypto/sha256.h"

namespace lanyard::crypto {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::array<uint32_t, 10> kPowersOfTen = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
constexpr size_t kSecretBytes = 20;
constexpr int kMaxWindow = 10;

Error InvalidBase32(const std::string& what) {
  return MakeError(Code::kInvalidArgument, "base32.invalid", "invalid base32: " + what);
}

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

Status ValidateParams(const TotpParams& params) {
  if (params.digits < 6 || params.digits > 8 || params.period < std::chrono::seconds(1) ||
      params.period > std::chrono::hours(1) || params.window < 0 || params.window > kMaxWindow) {
    return MakeError(Code::kInvalidArgument, "totp.invalid_params",
                     "TOTP needs 6 to 8 digits, a period of 1 s to 1 h and a window of 0 to 10");
  }
  return OkStatus();
}

std::string FormatCode(uint32_t value, int digits) {
  std::string code(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    code[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return code;
}

void AppendPercentEncoded(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out->push_back(ch);
    } else {
      out->push_back('%');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
    }
  }
}

}  // namespace

std::string Base32Encode(ByteView bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kBase32Alphabet[(buffer >> bits) & 0x1F]);
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

Result<Bytes> Base32Decode(std::string_view text) {
  std::string symbols;  // the input without spaces or padding
  size_t padding = 0;
  for (char c : text) {
    if (c == ' ') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return InvalidBase32("characters after the padding");
    if (Base32Value(c) < 0) return InvalidBase32("a character outside the alphabet");
    symbols.push_back(c);
  }
  // A final group of 8 characters carries 1..5 bytes in 2, 4, 5, 7 or 8 characters.
  const size_t tail = symbols.size() % 8;
  if (tail == 1 || tail == 3 || tail == 6) return InvalidBase32("an impossible length");
  if (padding > 0 && (tail == 0 || padding != 8 - tail)) {
    return InvalidBase32("the wrong amount of padding");
  }
  Bytes out;
  out.reserve(symbols.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : symbols) {
    buffer = (buffer << 5) | static_cast<uint32_t>(Base32Value(c));
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return InvalidBase32("non-zero trailing bits");
  return out;
}

uint32_t Hotp(ByteView secret, uint64_t counter, int digits) {
  if (digits < 1 || digits > 9) std::abort();
  uint8_t message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<uint8_t>(counter & 0xFF);
    counter >>= 8;
  }
  Bytes mac = HmacSha1(secret, ByteView(message, sizeof message));
  // RFC 4226 §5.3 dynamic truncation: 31 bits from the offset the last nibble names.
  const size_t offset = mac[19] & 0x0F;
  const uint32_t truncated = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                             (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                             (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                             static_cast<uint32_t>(mac[offset + 3]);
  sodium_memzero(mac.data(), mac.size());
  return truncated % kPowersOfTen[static_cast<size_t>(digits)];
}

int64_t TotpStep(TimePoint t, const TotpParams& params) {
  const int64_t seconds = ToUnixSeconds(t);
  const int64_t period = params.period.count();
  // Floor division, so that times before 1970 do not share step 0 with the first period.
  int64_t step = seconds / period;
  if (seconds % period != 0 && seconds < 0) --step;
  return step;
}

std::string TotpCode(ByteView secret, TimePoint t, const TotpParams& params) {
  return FormatCode(Hotp(secret, static_cast<uint64_t>(TotpStep(t, params)), params.digits),
                    params.digits);
}

Result<int64_t> VerifyTotp(ByteView secret, std::string_view code, TimePoint now,
                           std::optional<int64_t> last_used_step, const TotpParams& params) {
  LANYARD_TRY(ValidateParams(params));
  std::string typed;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || typed.size() == static_cast<size_t>(params.digits)) {
      return MakeError(Code::kInvalidArgument, "totp.malformed",
                       "a code is " + std::to_string(params.digits) + " digits");
    }
    typed.push_back(c);
  }
  if (typed.size() != static_cast<size_t>(params.digits)) {
    return MakeError(Code::kInvalidArgument, "totp.malformed",
                     "a code is " + std::to_string(params.digits) + " digits");
  }
  const int64_t current = TotpStep(now, params);
  // Every candidate is computed and compared, whatever matched before it, so the time taken
  // says nothing about which step (if any) the code belongs to.
  std::optional<int64_t> fresh_match;
  bool any_match = false;
  for (int64_t step = current - params.window; step <= current + params.window; ++step) {
    std::string expected =
        FormatCode(Hotp(secret, static_cast<uint64_t>(step), params.digits), params.digits);
    const bool match = ConstantTimeEquals(AsBytes(expected), AsBytes(typed));
    sodium_memzero(expected.data(), expected.size());
    any_match = any_match || match;
    if (match && (!last_used_step.has_value() || step > *last_used_step)) fresh_match = step;
  }
  sodium_memzero(typed.data(), typed.size());
  if (fresh_match.has_value()) return *fresh_match;
  if (any_match) {
    return MakeError(Code::kUnauthenticated, "totp.replayed",
                     "that code has already been used; wait for the next one");
  }
  return MakeError(Code::kUnauthenticated, "totp.invalid_code", "the code is not correct");
}

Bytes NewTotpSecret() { return SecureRandomBytes(kSecretBytes); }

std::string OtpauthUri(std::string_view issuer, std::string_view account, ByteView secret,
                       const TotpParams& params) {
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) {
    AppendPercentEncoded(issuer, &uri);
    uri.push_back(':');
  }
  AppendPercentEncoded(account, &uri);
  uri += "?secret=" + Base32Encode(secret);
  if (!issuer.empty()) {
    uri += "&issuer=";
    AppendPercentEncoded(issuer, &uri);
  }
  uri += "&algorithm=SHA1&digits=" + std::to_string(params.digits) +
         "&period=" + std::to_string(params.period.count());
  return uri;
}

}  // namespace lanyard::crypto
