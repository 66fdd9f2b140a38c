// RFC 8785 JSON Canonicalization Scheme (JCS), and plain serialisation.
//
// JCS is what Lanyard signs, so it must agree byte for byte with every other implementation:
// object keys sorted by UTF-16 code units (not UTF-8 bytes: U+E000..U+FFFF sort after astral
// characters), numbers printed exactly as ECMAScript's Number::toString prints them, strings with
// the minimal escapes of JSON.stringify, no whitespace.
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>

#include "lanyard/core/result.h"
#include "lanyard/json/value.h"

namespace lanyard::json {

// Returns the canonical form of `value`.
// Errors: kInvalidArgument "input.invalid_number" for NaN or an infinity (only possible in values
// built in code), "input.invalid_utf8" for a string that is not UTF-8.
Result<std::string> Canonicalize(const Value& value);
// As above, appending to *out (left partly written on error).
Status CanonicalizeTo(const Value& value, std::string* out);

// Appends the canonical form of the object whose members are `members` (in any order; they may
// come from different objects). Lets a caller canonicalise "this document without its proof" or
// "with another @context" without copying it. REQUIRES: no two members share a key.
Status CanonicalizeObjectTo(std::span<const Member* const> members, std::string* out);

// ECMAScript Number::toString of a finite double: "1e+21", "1e-7", "0.000001", "-0" -> "0".
// Errors: kInvalidArgument "input.invalid_number" for NaN and infinities.
Result<std::string> FormatNumber(double d);

// Plain JSON text in document order (not canonical), for people and files. `indent` > 0 pretty
// prints with that many spaces per level. REQUIRES: the value holds only finite numbers and
// UTF-8 strings (true of everything the parser produces).
std::string Serialize(const Value& value, int indent = 0);
// Appends `text` as a JSON string literal (quotes and minimal escapes), as Serialize would.
// REQUIRES: text is UTF-8.
void AppendQuoted(std::string_view text, std::string* out);
// Appends the compact serialisation of `value`, as Serialize(value) would.
void SerializeTo(const Value& value, std::string* out);

}  // namespace lanyard::json
