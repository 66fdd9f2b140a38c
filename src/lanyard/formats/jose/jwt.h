// JWT registered time claims (RFC 7519 §4.1): exp, nbf and iat, checked against an injected
// time with a configurable clock skew, written into a verification report.
//
// Codes: jwt.time_valid (passed); jwt.expired, jwt.not_yet_valid, jwt.issued_in_future,
// jwt.malformed_time (a claim that is not a number), jwt.missing_exp (when exp is required).
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "lanyard/core/time.h"
#include "lanyard/json/value.h"
#include "lanyard/verify/report.h"

namespace lanyard::formats::jose {

struct TimeClaimOptions {
  TimePoint now;
  std::chrono::seconds skew{60};
  bool require_exp = false;
};

// Records one check (passed, or the first failure found) under `subject`; returns whether the
// claims are acceptable.
bool CheckTimeClaims(const json::Value& claims, const TimeClaimOptions& options,
                     std::string_view subject, verify::VerificationReport* report);

// A NumericDate claim as a TimePoint; nullopt when absent; an error when not a finite number.
Result<std::optional<TimePoint>> NumericDate(const json::Value& claims, std::string_view name);

}  // namespace lanyard::formats::jose
