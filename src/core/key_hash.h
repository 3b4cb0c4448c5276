#pragma once

// KeyHash: a 64-bit fingerprint of a matching key (FNV-1a). A stored plan keeps fingerprints
// rather than addresses, so it holds no personal data in clear, and execution compares the
// user's current key against it. Collisions between two different keys of one user are
// 2^-64-unlikely; the hash is not a secret and not used as one.

#include <cstdint>
#include <string_view>

namespace roster {

constexpr uint64_t KeyHash(std::string_view key) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace roster
