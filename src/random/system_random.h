#pragma once

// SystemRandom: the RandomSource of the running program, random bytes from the operating
// system through libsodium's randombytes. It lives in a target of its own (roster_random)
// because `core` links no third-party library beyond what email normalization needs, while the
// CLI, the server and the benchmarks all need a real random source. Stateless: one instance
// may be shared by any number of threads.

#include <cstdint>
#include <span>

#include "core/random.h"

namespace roster {

class SystemRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> bytes) override;
};

}  // namespace roster
