#include "lanyard/crypto/password.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "lanyard/core/bytes.h"
#include "lanyard/core/encoding.h"
#include "lanyard/core/utf8.h"
#include "lanyard/crypto/sodium_init.h"

namespace lanyard::crypto {
namespace {

// The header documents these without including sodium.h; keep them in step with libsodium.
static_assert(kMinPasswordOpsLimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kMinPasswordMemLimit >= crypto_pwhash_argon2id_MEMLIMIT_MIN);
static_assert(kMaxPasswordMemLimit <= crypto_pwhash_argon2id_MEMLIMIT_MAX);
static_assert(crypto_pwhash_argon2id_SALTBYTES == 16);

constexpr std::string_view kPrefix = "$argon2id$v=19$";
constexpr size_t kSaltBytes = crypto_pwhash_argon2id_SALTBYTES;
constexpr size_t kTagBytes = 32;  // what crypto_pwhash_str writes
// Tags shorter than 16 bytes are not Argon2 output; longer than 64 is not anything we wrote.
constexpr size_t kMinTagBytes = crypto_pwhash_argon2id_BYTES_MIN;
constexpr size_t kMaxTagBytes = 64;

Error Malformed(std::string what) {
  return MakeError(Code::kDataLoss, "password.malformed_hash",
                   "the stored password hash " + std::move(what));
}

Error HashFailed(size_t memlimit) {
  return MakeError(Code::kResourceExhausted, "password.hash_failed",
                   "Argon2id could not allocate " + std::to_string(memlimit) + " bytes");
}

Status ValidateParams(const PasswordHashParams& params) {
  if (params.opslimit < kMinPasswordOpsLimit || params.opslimit > kMaxPasswordOpsLimit ||
      params.memlimit < kMinPasswordMemLimit || params.memlimit > kMaxPasswordMemLimit) {
    return MakeError(Code::kInvalidArgument, "password.invalid_params",
                     "Argon2id limits must be opslimit 1..16 and memlimit 8 KiB..1 GiB");
  }
  return OkStatus();
}

// A PHC string's contents, after every check that needs no hashing.
struct ParsedHash {
  uint64_t opslimit = 0;
  size_t memlimit = 0;  // bytes
  Bytes salt;
  Bytes tag;
};

// Reads "<name>=<decimal>" at the front of `text`, consuming it. PHC decimals have no sign and
// no leading zeros.
std::optional<uint64_t> ConsumeNumber(std::string_view* text, std::string_view name) {
  if (!text->starts_with(name) || text->size() <= name.size() || (*text)[name.size()] != '=') {
    return std::nullopt;
  }
  text->remove_prefix(name.size() + 1);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  const size_t digits = static_cast<size_t>(end - text->data());
  if (ec != std::errc() || digits == 0 || (digits > 1 && (*text)[0] == '0')) return std::nullopt;
  text->remove_prefix(digits);
  return value;
}

// Standard base64 without padding, canonical (the core decoder checks the trailing bits).
std::optional<Bytes> DecodeUnpaddedBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 == 1 || text.find('=') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string padded(text);
  padded.append((4 - text.size() % 4) % 4, '=');
  auto bytes = Base64Decode(padded);
  if (!bytes.ok()) return std::nullopt;
  return std::move(bytes).value();
}

Result<ParsedHash> ParseHash(std::string_view text) {
  // libsodium's strings fit its 128-byte buffer; far longer text is not one of ours.
  if (text.size() >= crypto_pwhash_argon2id_STRBYTES) return Malformed("is too long");
  if (!text.starts_with(kPrefix)) return Malformed("is not an Argon2id v1.3 PHC string");
  text.remove_prefix(kPrefix.size());
  ParsedHash parsed;
  auto m = ConsumeNumber(&text, "m");
  if (!m.has_value() || !text.starts_with(',')) return Malformed("has no memory cost");
  text.remove_prefix(1);
  auto t = ConsumeNumber(&text, "t");
  if (!t.has_value() || !text.starts_with(',')) return Malformed("has no pass count");
  text.remove_prefix(1);
  auto p = ConsumeNumber(&text, "p");
  if (!p.has_value() || !text.starts_with('$')) return Malformed("has no parallelism");
  text.remove_prefix(1);
  // libsodium computes one lane only; p > 1 would need another implementation.
  if (*p != 1) {
    return Malformed("uses parallelism " + std::to_string(*p) + " (only 1 is supported)");
  }
  if (*t < kMinPasswordOpsLimit || *t > kMaxPasswordOpsLimit || *m < kMinPasswordMemLimit / 1024 ||
      *m > kMaxPasswordMemLimit / 1024) {
    return Malformed("has costs m=" + std::to_string(*m) + ",t=" + std::to_string(*t) +
                     " outside what this server computes");
  }
  parsed.opslimit = *t;
  parsed.memlimit = static_cast<size_t>(*m) * 1024;
  const size_t dollar = text.find('$');
  if (dollar == std::string_view::npos) return Malformed("has no tag");
  auto salt = DecodeUnpaddedBase64(text.substr(0, dollar));
  // crypto_pwhash takes exactly 16 bytes of salt, and that is all libsodium ever writes.
  if (!salt.has_value() || salt->size() != kSaltBytes) return Malformed("has an unreadable salt");
  auto tag = DecodeUnpaddedBase64(text.substr(dollar + 1));
  if (!tag.has_value() || tag->size() < kMinTagBytes || tag->size() > kMaxTagBytes) {
    return Malformed("has an unreadable tag");
  }
  parsed.salt = std::move(salt).value();
  parsed.tag = std::move(tag).value();
  return parsed;
}

// The most common passwords of 12 or more characters (shorter ones already fail the length
// rule), lower case. Drawn from the patterns that top published breach corpora: keyboard walks,
// counting, "password" with digits, repeated words. A short list by design: it stops the
// guesses an online attacker tries first, and the throttle covers the rest.
constexpr std::array<std::string_view, 40> kCommonPasswords = {
    "123456789012",  "1234567890123", "12345678901234", "123456789123",   "111111111111",
    "000000000000",  "123123123123",  "121212121212",   "password1234",   "password12345",
    "password123!",  "password2023",  "password2024",   "password2025",   "passwordpassword",
    "p@ssw0rd1234",  "qwertyuiop12",  "qwertyuiop123",  "qwertyuiopasdf", "qwerty123456",
    "1q2w3e4r5t6y",  "1qaz2wsx3edc",  "qazwsxedcrfv",   "asdfghjkl123",   "abcdefghijkl",
    "abc123456789",  "aaaaaaaaaaaa",  "iloveyou1234",   "letmein12345",   "welcome12345",
    "welcome123456", "changeme1234",  "administrator",  "football1234",   "trustno1trustno1",
    "zaq12wsxcde3",  "nhspassword1",  "nhspassword123", "passwordnhs1",   "monkey123456",
};

bool IsCommon(std::string_view password) {
  if (password.size() > 32) return false;  // nothing on the list is longer
  char lowered[32];
  for (size_t i = 0; i < password.size(); ++i) {
    char c = password[i];
    lowered[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view candidate(lowered, password.size());
  const bool common = std::find(kCommonPasswords.begin(), kCommonPasswords.end(), candidate) !=
                      kCommonPasswords.end();
  sodium_memzero(lowered, sizeof lowered);
  return common;
}

}  // namespace

PasswordHashParams InteractivePasswordParams() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordHashParams TestPasswordParams() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params) {
  internal::EnsureSodium();
  LANYARD_TRY(ValidateParams(params));
  if (password.size() > crypto_pwhash_argon2id_PASSWD_MAX) {
    return MakeError(Code::kInvalidArgument, "password.too_long", "the password is over 4 GiB");
  }
  char out[crypto_pwhash_argon2id_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.opslimit, params.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return HashFailed(params.memlimit);
  }
  return std::string(out);
}

Result<bool> VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  internal::EnsureSodium();
  LANYARD_ASSIGN_OR_RETURN(ParsedHash parsed, ParseHash(encoded_hash));
  if (password.size() > crypto_pwhash_argon2id_PASSWD_MAX) return false;
  // The raw Argon2id tag with the stored salt and costs is exactly what crypto_pwhash_str
  // recorded. Computing it here (rather than crypto_pwhash_str_verify, which answers -1 for a
  // mismatch, an unreadable string and an allocation failure alike) keeps the three apart.
  unsigned char computed[kMaxTagBytes];
  if (crypto_pwhash(computed, parsed.tag.size(), password.data(), password.size(),
                    parsed.salt.data(), parsed.opslimit, parsed.memlimit,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    sodium_memzero(computed, sizeof computed);
    return HashFailed(parsed.memlimit);
  }
  const bool match = sodium_memcmp(computed, parsed.tag.data(), parsed.tag.size()) == 0;
  sodium_memzero(computed, sizeof computed);
  return match;
}

bool PasswordNeedsRehash(std::string_view encoded_hash, const PasswordHashParams& params) {
  auto parsed = ParseHash(encoded_hash);
  if (!parsed.ok()) return true;
  // m is stored in whole KiB: compare what HashPassword would write for `params`.
  return parsed->opslimit != params.opslimit || parsed->memlimit != params.memlimit / 1024 * 1024 ||
         parsed->tag.size() != kTagBytes;
}

Status CheckPasswordPolicy(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return MakeError(Code::kInvalidArgument, "password.too_long",
                     "a password is at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  size_t code_points = 0;
  for (size_t pos = 0; pos < password.size(); ++code_points) {
    Utf8Char c = DecodeUtf8(password, pos);
    if (c.error != Utf8Error::kNone) {
      return MakeError(
          Code::kInvalidArgument, "password.not_utf8",
          std::string("the password is not valid UTF-8 (") + Utf8ErrorText(c.error) + ")");
    }
    pos += c.length;
  }
  if (code_points < kMinPasswordCodePoints) {
    return MakeError(Code::kInvalidArgument, "password.too_short",
                     "a password has at least " + std::to_string(kMinPasswordCodePoints) +
                         " characters; three random words make a good one");
  }
  if (IsCommon(password)) {
    return MakeError(Code::kInvalidArgument, "password.too_common",
                     "that password is among the first that attackers try; choose another");
  }
  return OkStatus();
}

}  // namespace lanyard::crypto
