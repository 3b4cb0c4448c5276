#pragma once

// RandomSource: where Roster gets random bytes (salts, tokens), injected so that tests are
// deterministic. Implementations must be safe to call from several threads.

#include <cstdint>
#include <span>

namespace roster {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::span<uint8_t> bytes) = 0;
};

// Repeats a counter: predictable on purpose, for tests only.
class CountingRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> bytes) override {
    for (uint8_t& byte : bytes) byte = next_++;
  }

 private:
  uint8_t next_ = 0;
};

}  // namespace roster
