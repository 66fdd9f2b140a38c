#include "lanyard/formats/jose/jwt.h"

#include <cmath>

namespace lanyard::formats::jose {

Result<std::optional<TimePoint>> NumericDate(const json::Value& claims, std::string_view name) {
  const json::Value* v = claims.Find(name);
  if (v == nullptr) return std::optional<TimePoint>();
  // Beyond ±2^40 seconds (~35,000 years) a date is not a date; it would also overflow.
  if (!v->is_number() || !std::isfinite(v->as_number()) || std::fabs(v->as_number()) > 1e12) {
    return MakeError(Code::kInvalidArgument, "jwt.malformed_time",
                     "the claim \"" + std::string(name) + "\" is not a NumericDate");
  }
  auto micros = static_cast<int64_t>(std::floor(v->as_number() * 1e6));
  return std::optional<TimePoint>(TimePoint(std::chrono::microseconds(micros)));
}

bool CheckTimeClaims(const json::Value& claims, const TimeClaimOptions& options,
                     std::string_view subject, verify::VerificationReport* report) {
  std::string where(subject);
  auto exp = NumericDate(claims, "exp");
  auto nbf = NumericDate(claims, "nbf");
  auto iat = NumericDate(claims, "iat");
  for (const auto* r : {&exp, &nbf, &iat}) {
    if (!r->ok()) {
      report->Fail("jwt.malformed_time", r->error().message + ".", where);
      return false;
    }
  }
  const TimePoint now = options.now;
  const auto skew = options.skew;
  const std::optional<TimePoint> expires = *exp, not_before = *nbf, issued = *iat;
  if (!expires && options.require_exp) {
    report->Fail("jwt.missing_exp", "The token has no expiry time (exp).", where);
    return false;
  }
  if (expires && now - skew >= *expires) {
    report->Fail("jwt.expired",
                 "The token expired at " + FormatRfc3339(*expires) + " (checked at " +
                     FormatRfc3339(now) + ").",
                 where);
    return false;
  }
  if (not_before && now + skew < *not_before) {
    report->Fail("jwt.not_yet_valid",
                 "The token is not valid before " + FormatRfc3339(*not_before) + " (checked at " +
                     FormatRfc3339(now) + ").",
                 where);
    return false;
  }
  if (issued && now + skew < *issued) {
    report->Fail("jwt.issued_in_future",
                 "The token says it was issued at " + FormatRfc3339(*issued) + ", after " +
                     FormatRfc3339(now) + ".",
                 where);
    return false;
  }
  report->Pass("jwt.time_valid",
               "The token is within its validity period at " + FormatRfc3339(now) + ".", where);
  return true;
}

}  // namespace lanyard::formats::jose
