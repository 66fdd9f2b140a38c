// Points in time and RFC 3339 date-times.
//
// Lanyard keeps time as microseconds since the Unix epoch in UTC (TimePoint). Credentials carry
// RFC 3339 / XML Schema date-times with a mandatory offset ("Z" or "+01:00"); Parse refuses
// anything else, so "2026-08-05" or "2026-08-05T09:00:00" (no offset) are errors, not guesses.
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "lanyard/core/result.h"

namespace lanyard {

using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;

// Parses an RFC 3339 date-time with offset, e.g. "2026-08-05T09:00:00Z" or
// "2026-08-05T10:00:00.5+01:00". Fractions beyond microseconds are truncated.
// Errors: kInvalidArgument, reason "input.invalid_datetime", when the text is not one.
Result<TimePoint> ParseRfc3339(std::string_view text);

// Formats as UTC with a "Z" suffix; fractional seconds only when non-zero, without trailing
// zeros ("2026-08-05T09:00:00Z", "2026-08-05T09:00:00.25Z").
std::string FormatRfc3339(TimePoint t);

// Whole seconds since the epoch, rounding towards negative infinity.
int64_t ToUnixSeconds(TimePoint t);
TimePoint FromUnixSeconds(int64_t seconds);

}  // namespace lanyard
