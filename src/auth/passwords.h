#pragma once

// Admin passwords: argon2id hashes in libsodium's self-describing string form, and the
// rules a new password must meet. Thread-safe.

#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"

namespace roster::auth {

inline constexpr size_t kMinPasswordLength = 12;

// kInvalidArgument when the password is too short to be safe.
Status CheckNewPassword(std::string_view password);
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);
// 20 random characters that are easy to type (no 0/O, 1/l/I).
std::string GeneratePassword(RandomSource& random);

}  // namespace roster::auth
