#include "lanyard/service/login_throttle.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "lanyard/testing/matchers.h"

namespace lanyard::service {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::ErrorIs;
using ::testing::HasSubstr;
using testing::IsOk;

TimePoint Start() { return FromUnixSeconds(1'800'000'000); }

class LoginThrottleTest : public ::testing::Test {
 protected:
  SimulatedClock clock_{Start()};
};

TEST_F(LoginThrottleTest, AllowsFirstAttempts) {
  LoginThrottle throttle(clock_);
  EXPECT_THAT(throttle.CheckAllowed("a.nurse@nhs.net", "192.0.2.1"), IsOk());
  EXPECT_EQ(throttle.LockedUntil("a.nurse@nhs.net"), std::nullopt);
  EXPECT_EQ(throttle.RateLimitedUntil("192.0.2.1"), std::nullopt);
}

TEST_F(LoginThrottleTest, LocksAccountAfterFiveConsecutiveFailures) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 4; ++i) {
    throttle.RecordFailure("a.nurse", "192.0.2." + std::to_string(i));
    EXPECT_THAT(throttle.CheckAllowed("a.nurse", "198.51.100.1"), IsOk()) << i;
  }
  throttle.RecordFailure("a.nurse", "192.0.2.9");
  auto refused = throttle.CheckAllowed("a.nurse", "198.51.100.1");
  EXPECT_THAT(refused, ErrorIs("auth.locked"));
  EXPECT_EQ(refused.error().code, Code::kPermissionDenied);
  EXPECT_THAT(refused.error().message, HasSubstr("until 2027-01-15T08:15:00Z"));
  EXPECT_EQ(throttle.LockedUntil("a.nurse"), Start() + minutes(15));
  // Other accounts are not affected.
  EXPECT_THAT(throttle.CheckAllowed("a.doctor", "198.51.100.1"), IsOk());
}

TEST_F(LoginThrottleTest, LockEndsAfterFifteenMinutes) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("a.nurse", "192.0.2.1");
  clock_.Advance(minutes(15) - seconds(1));
  EXPECT_THAT(throttle.CheckAllowed("a.nurse", "192.0.2.1"), ErrorIs("auth.locked"));
  clock_.Advance(seconds(1));
  EXPECT_THAT(throttle.CheckAllowed("a.nurse", "192.0.2.1"), IsOk());
  EXPECT_EQ(throttle.LockedUntil("a.nurse"), std::nullopt);
}

TEST_F(LoginThrottleTest, FurtherLocksDoubleUpToOneDay) {
  LoginThrottle throttle(clock_);
  std::vector<int64_t> lock_minutes;
  for (int lock = 0; lock < 9; ++lock) {
    for (int i = 0; i < 5; ++i) throttle.RecordFailure("a.nurse", "192.0.2.1");
    auto until = throttle.LockedUntil("a.nurse");
    ASSERT_TRUE(until.has_value());
    lock_minutes.push_back(std::chrono::duration_cast<minutes>(*until - clock_.Now()).count());
    clock_.Set(*until);
  }
  EXPECT_EQ(lock_minutes, (std::vector<int64_t>{15, 30, 60, 120, 240, 480, 960, 1440, 1440}));
}

TEST_F(LoginThrottleTest, FailuresDuringALockDoNotCount) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("a.nurse", "192.0.2.1");
  const auto until = throttle.LockedUntil("a.nurse");
  for (int i = 0; i < 20; ++i) throttle.RecordFailure("a.nurse", "192.0.2.2");
  EXPECT_EQ(throttle.LockedUntil("a.nurse"), until);
  clock_.Set(*until);
  // The count starts again from zero after the lock.
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a.nurse", "192.0.2.3");
  EXPECT_THAT(throttle.CheckAllowed("a.nurse", "192.0.2.4"), IsOk());
}

TEST_F(LoginThrottleTest, SuccessResetsFailuresAndLockHistory) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a.nurse", "192.0.2.1");
  throttle.RecordSuccess("a.nurse");
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a.nurse", "192.0.2.1");
  EXPECT_THAT(throttle.CheckAllowed("a.nurse", "192.0.2.1"), IsOk());

  // After a lock and a success, the next lock is the first again (15 minutes, not 30).
  throttle.RecordFailure("a.nurse", "192.0.2.1");
  ASSERT_TRUE(throttle.LockedUntil("a.nurse").has_value());
  clock_.Set(*throttle.LockedUntil("a.nurse"));
  throttle.RecordSuccess("a.nurse");
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("a.nurse", "192.0.2.1");
  EXPECT_EQ(throttle.LockedUntil("a.nurse"), clock_.Now() + minutes(15));
  EXPECT_EQ(throttle.TrackedAccounts(), 1u);
  throttle.RecordSuccess("a.nurse");
  EXPECT_EQ(throttle.TrackedAccounts(), 0u);
}

TEST_F(LoginThrottleTest, ForgetsFailuresADayAfterTheLast) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("a.nurse", "192.0.2.1");
  clock_.Advance(hours(24) - seconds(1));
  EXPECT_EQ(throttle.TrackedAccounts(), 1u);
  clock_.Advance(seconds(1));
  throttle.RecordFailure("a.nurse", "192.0.2.1");  // the first of a new run, not the fifth
  EXPECT_THAT(throttle.CheckAllowed("a.nurse", "192.0.2.1"), IsOk());
}

TEST_F(LoginThrottleTest, RateLimitsAnAddressAfterThirtyFailuresInFiveMinutes) {
  LoginThrottle throttle(clock_);
  // Thirty different accounts, one failure each, ten seconds apart: a password spray.
  for (int i = 0; i < 30; ++i) {
    EXPECT_THAT(throttle.CheckAllowed("user" + std::to_string(i), "203.0.113.7"), IsOk()) << i;
    throttle.RecordFailure("user" + std::to_string(i), "203.0.113.7");
    clock_.Advance(seconds(10));
  }
  // Now 300 s after the first failure, which has just left the window: allowed.
  EXPECT_THAT(throttle.CheckAllowed("user30", "203.0.113.7"), IsOk());
  throttle.RecordFailure("user30", "203.0.113.7");
  // 30 failures within the window now: refused until the oldest (at +10 s) leaves it.
  auto refused = throttle.CheckAllowed("user31", "203.0.113.7");
  EXPECT_THAT(refused, ErrorIs("auth.rate_limited"));
  EXPECT_EQ(refused.error().code, Code::kResourceExhausted);
  EXPECT_THAT(refused.error().message, HasSubstr("try again in 10 seconds"));
  EXPECT_EQ(throttle.RateLimitedUntil("203.0.113.7"), Start() + seconds(310));
  // Other addresses are not affected.
  EXPECT_THAT(throttle.CheckAllowed("user31", "203.0.113.8"), IsOk());
  clock_.Set(Start() + seconds(310));
  EXPECT_THAT(throttle.CheckAllowed("user31", "203.0.113.7"), IsOk());
}

TEST_F(LoginThrottleTest, BurstFromOneAddressWaitsForTheWholeWindow) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 30; ++i) throttle.RecordFailure("user" + std::to_string(i), "203.0.113.7");
  EXPECT_THAT(throttle.CheckAllowed("someone", "203.0.113.7"), ErrorIs("auth.rate_limited"));
  clock_.Advance(minutes(5) - seconds(1));
  auto refused = throttle.CheckAllowed("someone", "203.0.113.7");
  EXPECT_THAT(refused, ErrorIs("auth.rate_limited"));
  EXPECT_THAT(refused.error().message, HasSubstr("try again in 1 seconds"));
  clock_.Advance(seconds(1));
  EXPECT_THAT(throttle.CheckAllowed("someone", "203.0.113.7"), IsOk());
  clock_.Advance(seconds(1));
  EXPECT_EQ(throttle.TrackedRemotes(), 0u);  // every failure has aged out
}

TEST_F(LoginThrottleTest, RateLimitIsCheckedBeforeTheLock) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 30; ++i) throttle.RecordFailure("a.nurse", "203.0.113.7");
  EXPECT_THAT(throttle.CheckAllowed("a.nurse", "203.0.113.7"), ErrorIs("auth.rate_limited"));
  EXPECT_THAT(throttle.CheckAllowed("a.nurse", "198.51.100.1"), ErrorIs("auth.locked"));
}

TEST_F(LoginThrottleTest, SuccessesDoNotCountAgainstTheAddress) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 200; ++i) {
    ASSERT_THAT(throttle.CheckAllowed("user" + std::to_string(i), "192.0.2.1"), IsOk());
    throttle.RecordSuccess("user" + std::to_string(i));
  }
}

TEST_F(LoginThrottleTest, CountsIpv6AddressesPerSlash64) {
  LoginThrottleOptions options;
  options.max_failures_per_remote = 3;
  LoginThrottle throttle(clock_, options);
  throttle.RecordFailure("a", "2001:db8:1:2::1");
  throttle.RecordFailure("b", "2001:db8:1:2:ffff::9");
  throttle.RecordFailure("c", "[2001:db8:1:2::abcd]");
  EXPECT_THAT(throttle.CheckAllowed("d", "2001:db8:1:2::77"), ErrorIs("auth.rate_limited"));
  EXPECT_THAT(throttle.CheckAllowed("d", "2001:db8:1:3::1"), IsOk());  // another /64
  // IPv4-mapped addresses are the IPv4 address.
  throttle.RecordFailure("a", "192.0.2.5");
  throttle.RecordFailure("b", "::ffff:192.0.2.5");
  throttle.RecordFailure("c", "192.0.2.5");
  EXPECT_THAT(throttle.CheckAllowed("d", "::ffff:192.0.2.5"), ErrorIs("auth.rate_limited"));
  EXPECT_THAT(throttle.CheckAllowed("d", "192.0.2.6"), IsOk());
}

TEST_F(LoginThrottleTest, BoundsTrackedEntriesAndKeepsLockedAccounts) {
  LoginThrottleOptions options;
  options.max_tracked = 10;
  LoginThrottle throttle(clock_, options);
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("victim", "192.0.2.1");
  ASSERT_TRUE(throttle.LockedUntil("victim").has_value());
  // A flood of other names and addresses fills the table many times over.
  for (int i = 0; i < 100; ++i) {
    clock_.Advance(seconds(1));
    throttle.RecordFailure("name" + std::to_string(i), "198.51.100." + std::to_string(i));
    EXPECT_LE(throttle.TrackedAccounts(), 10u);
    EXPECT_LE(throttle.TrackedRemotes(), 10u);
  }
  EXPECT_TRUE(throttle.LockedUntil("victim").has_value());
  EXPECT_THAT(throttle.CheckAllowed("victim", "203.0.113.1"), ErrorIs("auth.locked"));
  // The oldest unlocked names were evicted, the newest kept: name99 has one failure on record,
  // so four more lock it.
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("name99", "203.0.113.2");
  EXPECT_THAT(throttle.CheckAllowed("name99", "203.0.113.3"), ErrorIs("auth.locked"));
}

TEST_F(LoginThrottleTest, IsSafeFromManyThreads) {
  LoginThrottle throttle(clock_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&throttle, t] {
      for (int i = 0; i < 500; ++i) {
        const std::string account = "user" + std::to_string(i % 50);
        const std::string remote = "10.0." + std::to_string(t) + "." + std::to_string(i % 7);
        (void)throttle.CheckAllowed(account, remote);
        if (i % 3 == 0) {
          throttle.RecordSuccess(account);
        } else {
          throttle.RecordFailure(account, remote);
        }
        (void)throttle.LockedUntil(account);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(throttle.TrackedAccounts(), 50u);
  EXPECT_LE(throttle.TrackedRemotes(), 28u);
}

}  // namespace
}  // namespace lanyard::service
