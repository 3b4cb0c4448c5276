#pragma once

// Clock: where Roster reads the time, injected so that tests are deterministic.
// Implementations must be safe to call from several threads.

#include <cstdint>

namespace roster {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowSeconds() const = 0;  // Unix time
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override;
};

// A clock that says what a test tells it.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t now) : now_(now) {}
  int64_t NowSeconds() const override { return now_; }
  void Set(int64_t now) { now_ = now; }

 private:
  int64_t now_;
};

}  // namespace roster
