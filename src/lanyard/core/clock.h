// The Clock interface: every time check in Lanyard asks an injected Clock, never the system.
//
// NewSystemClock() is for main(); SimulatedClock is for tests and for `--now`, which replaces
// the clock for every time check of one run.
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <atomic>
#include <memory>

#include "lanyard/core/time.h"

namespace lanyard {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// The operating system's UTC clock.
std::unique_ptr<Clock> NewSystemClock();

// A clock that only moves when told to.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(TimePoint start) : now_us_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(std::chrono::microseconds(now_us_.load())); }
  void Set(TimePoint t) { now_us_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::microseconds d) { now_us_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace lanyard
