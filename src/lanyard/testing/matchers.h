// gMock matchers for Result and Status: tests name the exact error they expect.
//   EXPECT_THAT(Parse("[1,]"), ErrorIs("input.syntax"));
//   EXPECT_THAT(ParseRfc3339("2026-01-01T00:00:00Z"), IsOk());
#pragma once

#include <gmock/gmock.h>

#include "lanyard/core/result.h"

namespace lanyard::testing {

MATCHER(IsOk, "is OK") {
  if (arg.ok()) return true;
  *result_listener << "error: " << arg.error().ToString();
  return false;
}

MATCHER_P(ErrorIs, reason, "fails with reason " + std::string(reason)) {
  if (arg.ok()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error: " << arg.error().ToString();
  return arg.error().reason == reason;
}

}  // namespace lanyard::testing
