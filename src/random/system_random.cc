#include "random/system_random.h"

#include <sodium.h>

#include <cstdlib>

namespace roster {

void SystemRandom::Fill(std::span<uint8_t> bytes) {
  // sodium_init is idempotent and thread-safe; randombytes works without it on Linux, but
  // calling it keeps libsodium's contract.
  if (sodium_init() < 0) std::abort();
  // libsodium declares the buffer non-null, and an empty span's data() may be null.
  if (bytes.empty()) return;
  randombytes_buf(bytes.data(), bytes.size());
}

}  // namespace roster
