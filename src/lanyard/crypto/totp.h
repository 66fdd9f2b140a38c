// One-time passwords for the second sign-in factor: HOTP (RFC 4226) and TOTP (RFC 6238) with
// HMAC-SHA1, base32 (RFC 4648 §6) for their secrets, and otpauth:// URIs for enrolment by QR
// code in authenticator apps.
//
// SHA-1, 6 digits and 30 seconds are what every authenticator app supports; the parameters
// exist so that the RFC test vectors (8 digits) can be checked, not as a recommendation.
//
// Errors (reasons, with their codes):
//   base32.invalid        a character outside the alphabet, misplaced or excess padding, an
//                         impossible length or non-zero trailing bits         (kInvalidArgument)
//   totp.invalid_params   digits not 6..8, a period not 1 s..1 h, a window not 0..10
//                                                                          (kInvalidArgument)
//   totp.malformed        the code is not exactly `digits` ASCII digits (spaces ignored)
//                                                                          (kInvalidArgument)
//   totp.invalid_code     the code matches no time step within the window  (kUnauthenticated)
//   totp.replayed         the code matches only steps at or before the last one used
//                                                                          (kUnauthenticated)
//
// Thread-safety: pure functions (NewTotpSecret reads the OS CSPRNG), safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"
#include "lanyard/core/time.h"

namespace lanyard::crypto {

// RFC 4648 base32, upper case, without padding (as authenticator apps show secrets).
std::string Base32Encode(ByteView bytes);

// Decodes base32 as people type it: lower case accepted, spaces ignored, trailing '=' padding
// optional (but, when present, exactly the amount RFC 4648 gives for the length). Unused bits
// in the last character must be zero, so each byte string has exactly one spelling.
// Errors: base32.invalid.
Result<Bytes> Base32Decode(std::string_view text);

// The RFC 4226 HOTP value of `counter` under `secret`: HMAC-SHA1, dynamic truncation, the low
// `digits` decimal digits. REQUIRES: 1 <= digits <= 9 (aborts otherwise).
uint32_t Hotp(ByteView secret, uint64_t counter, int digits = 6);

struct TotpParams {
  std::chrono::seconds period{30};
  int digits = 6;
  // How many steps before and after the current one a code may come from, for clock drift
  // between the phone and the server and the time it takes to type the code.
  int window = 1;
};

// The RFC 6238 time step of `t`: floor(Unix seconds / period), T0 = 0.
// REQUIRES: params.period > 0.
int64_t TotpStep(TimePoint t, const TotpParams& params = {});

// The code for time `t`, zero-padded to params.digits. REQUIRES: valid params (see
// totp.invalid_params).
std::string TotpCode(ByteView secret, TimePoint t, const TotpParams& params = {});

// Checks `code` (as typed: spaces ignored) against the steps TotpStep(now) - window ..
// TotpStep(now) + window, comparing every candidate in constant time. Returns the step it
// matched; the caller stores it and passes it back as `last_used_step` next time, so that a code
// once accepted (seen over a shoulder, or replayed from a log) is refused within its window.
// When a code matches more than one step (a 1-in-10^digits coincidence) the latest wins.
// Errors: totp.invalid_params, totp.malformed, totp.invalid_code, totp.replayed.
Result<int64_t> VerifyTotp(ByteView secret, std::string_view code, TimePoint now,
                           std::optional<int64_t> last_used_step, const TotpParams& params = {});

// A fresh secret: 20 bytes (160 bits, RFC 4226's recommended length) from the OS CSPRNG. The
// caller keeps it encrypted at rest (secret_box.h).
Bytes NewTotpSecret();

// The enrolment URI authenticator apps read from a QR code:
//   otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=SHA1
//     &digits=<digits>&period=<seconds>
// Issuer and account are percent-encoded (everything but RFC 3986 unreserved characters, in
// UTF-8 bytes), so a ':' or '&' inside either cannot shift the fields. With an empty issuer the
// label is the account alone and the issuer parameter is left out.
std::string OtpauthUri(std::string_view issuer, std::string_view account, ByteView secret,
                       const TotpParams& params = {});

}  // namespace lanyard::crypto
