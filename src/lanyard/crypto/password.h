// Password hashing (Argon2id, libsodium) and the password policy for people's sign-in passwords.
//
// Hashes are PHC strings as libsodium writes them:
//   $argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt: 16 bytes>$<tag: 32 bytes>
// with salt and tag in standard base64 without padding, so they can be stored in one text
// column and checked by any Argon2id implementation. Argon2id is for passwords only: it costs
// tens of milliseconds and 64 MiB per call at the interactive cost, which is the point for a
// guessable secret and a waste for a high-entropy one (hash API tokens with SHA-256 instead).
// Callers bound how many run at once (the server limits concurrent sign-ins) and throttle
// attempts (service/login_throttle.h).
//
// VerifyPassword parses the stored string itself before any work, and refuses costs beyond
// kMaxPasswordOpsLimit / kMaxPasswordMemLimit, so an altered row in the database cannot make a
// sign-in take minutes or gigabytes. Passwords are hashed as the bytes given: no Unicode
// normalisation (callers that accept passwords from several input methods should normalise to
// NFC before both hashing and verifying).
//
// Errors (reasons, with their codes):
//   password.too_short       fewer than kMinPasswordCodePoints characters   (kInvalidArgument)
//   password.too_long        more than kMaxPasswordBytes bytes              (kInvalidArgument)
//   password.not_utf8        not valid UTF-8                                (kInvalidArgument)
//   password.too_common      on the built-in list of common passwords       (kInvalidArgument)
//   password.invalid_params  Argon2id limits outside the supported range    (kInvalidArgument)
//   password.malformed_hash  a stored hash this code cannot read, or with costs beyond the
//                            limits above                                          (kDataLoss)
//   password.hash_failed     Argon2id could not allocate its memory        (kResourceExhausted)
//
// Thread-safety: pure functions, safe from any thread (each call allocates its own memory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lanyard/core/result.h"

namespace lanyard::crypto {

// Argon2id cost. opslimit is the number of passes (t); memlimit is in bytes (m is memlimit/1024
// KiB in the PHC string).
struct PasswordHashParams {
  uint64_t opslimit = 0;
  size_t memlimit = 0;
};

// The range HashPassword accepts and VerifyPassword will compute. The upper bounds are
// libsodium's SENSITIVE cost with room to spare on passes; anything beyond would stall a server.
inline constexpr uint64_t kMinPasswordOpsLimit = 1;
inline constexpr uint64_t kMaxPasswordOpsLimit = 16;
inline constexpr size_t kMinPasswordMemLimit = 8 * 1024;
inline constexpr size_t kMaxPasswordMemLimit = 1024 * 1024 * 1024;

// libsodium's INTERACTIVE cost for Argon2id: 2 passes over 64 MiB (about 50-100 ms on one core
// of a current server). What the server uses for people's passwords.
PasswordHashParams InteractivePasswordParams();

// The minimum cost libsodium allows (1 pass over 8 KiB): well under a millisecond, no
// protection at all. For unit tests only, so the suite stays fast; never for stored passwords.
PasswordHashParams TestPasswordParams();

// Hashes `password` with a fresh random salt; returns the PHC string (at most 127 characters).
// Errors: password.invalid_params, password.too_long (beyond libsodium's 4 GiB limit),
// password.hash_failed.
Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params);

// Whether `password` matches `encoded_hash` (a string from HashPassword, with any cost within
// the limits above): true or false, compared in constant time. A wrong password is `false`,
// never an error.
// Errors: password.malformed_hash, password.hash_failed.
Result<bool> VerifyPassword(std::string_view encoded_hash, std::string_view password);

// Whether `encoded_hash` was made with other parameters than `params` (stronger or weaker), so
// that the caller should re-hash the password it has just verified and store the new string.
// Also true for a hash VerifyPassword cannot read.
bool PasswordNeedsRehash(std::string_view encoded_hash, const PasswordHashParams& params);

// The policy for a new password, after NCSC guidance: length over complexity rules, and a
// deny-list of the most common choices. The rules, checked in this order:
//   at most kMaxPasswordBytes bytes (password.too_long), valid UTF-8 (password.not_utf8), at
//   least kMinPasswordCodePoints Unicode code points (password.too_short), and not one of the
//   built-in common passwords, compared ignoring ASCII case (password.too_common).
// No rules about character classes: they make passwords harder to remember, not to guess.
inline constexpr size_t kMinPasswordCodePoints = 12;
inline constexpr size_t kMaxPasswordBytes = 256;
Status CheckPasswordPolicy(std::string_view password);

}  // namespace lanyard::crypto
