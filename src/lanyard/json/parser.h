// The strict JSON parser (RFC 8259 with I-JSON's restrictions, RFC 7493).
//
// Everything that reaches Lanyard from outside is parsed here, so it refuses rather than guesses:
//   input.too_large      text longer than ParseOptions::max_bytes        (kResourceExhausted)
//   input.too_deep       arrays/objects nested beyond max_depth          (kResourceExhausted)
//   input.duplicate_key  an object naming the same key twice             (kInvalidArgument)
//   input.invalid_utf8   bytes that are not UTF-8, or a lone surrogate   (kInvalidArgument)
//   input.invalid_number NaN, Infinity, a number too large for a double,
//                        or a malformed number                           (kInvalidArgument)
//   input.syntax         anything else that is not JSON                  (kInvalidArgument)
// Every number is the correctly rounded double of its text. Messages give the byte offset.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/json/value.h"

namespace lanyard::json {

struct ParseOptions {
  size_t max_bytes = 2 * 1024 * 1024;
  // Nesting depth counts arrays and objects: `[]` is depth 1.
  int max_depth = 128;
};

// The largest max_depth honoured: deeper limits would let hostile input exhaust the stack.
inline constexpr int kMaxSupportedDepth = 2048;

Result<Value> Parse(std::string_view text, const ParseOptions& options = {});

}  // namespace lanyard::json
