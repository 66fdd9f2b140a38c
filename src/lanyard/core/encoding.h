// Text encodings of bytes: hex, base64url (RFC 4648 §5, no padding), base58btc (Bitcoin
// alphabet) and multibase ('z' = base58btc, 'u' = base64url).
//
// Decoders are strict, because a signature or key that decodes two ways is an attack surface:
// characters outside the alphabet, padding, and non-zero trailing bits in base64url are errors
// (kInvalidArgument with the reasons listed per function). Inputs longer than the stated bound
// are refused before any work is done.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"

namespace lanyard {

std::string HexEncode(ByteView bytes);  // lowercase
// Errors: "input.invalid_hex" (odd length or a non-hex character).
Result<Bytes> HexDecode(std::string_view text);

std::string Base64UrlEncode(ByteView bytes);
// Errors: "input.invalid_base64url" (padding, foreign characters, impossible length,
// non-canonical trailing bits).
Result<Bytes> Base64UrlDecode(std::string_view text);

// Standard base64 (RFC 4648 §4) with padding, as X.509 "x5c" chains carry DER certificates.
std::string Base64Encode(ByteView bytes);
// Errors: "input.invalid_base64" (missing or misplaced padding, foreign characters, non-zero
// trailing bits).
Result<Bytes> Base64Decode(std::string_view text);

// Longest base58btc text DecodeBase58btc accepts: the decoder is quadratic, and nothing Lanyard
// carries in base58 (keys, signatures) comes near this.
inline constexpr size_t kMaxBase58Length = 1024;

std::string Base58btcEncode(ByteView bytes);
// Errors: "input.invalid_base58" (a character outside the alphabet, or text beyond
// kMaxBase58Length).
Result<Bytes> Base58btcDecode(std::string_view text);

enum class Multibase { kBase58btc, kBase64url };
std::string MultibaseEncode(Multibase base, ByteView bytes);
// Errors: "input.invalid_multibase" (empty or an unsupported prefix), or the reason of the
// underlying decoder.
Result<Bytes> MultibaseDecode(std::string_view text);

// Text made safe inside HTML text and double- or single-quoted attributes: & < > " ' become
// entities.
std::string HtmlEscape(std::string_view text);

}  // namespace lanyard
