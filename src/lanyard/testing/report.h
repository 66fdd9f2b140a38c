// Test helper: a verification report's failed codes, in order, as one comma-separated string,
// so a test states every failure it expects in one comparison ("" when none failed).
#pragma once

#include <string>

#include "lanyard/verify/report.h"

namespace lanyard::testing {

inline std::string FailedCodes(const verify::VerificationReport& report) {
  std::string out;
  for (const auto& c : report.Failures()) out += (out.empty() ? "" : ",") + c.code;
  return out;
}

}  // namespace lanyard::testing
