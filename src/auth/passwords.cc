#include "auth/passwords.h"

#include <sodium.h>

#include <array>

namespace roster::auth {

Status CheckNewPassword(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return InvalidArgument("the password must have at least " + std::to_string(kMinPasswordLength) +
                           " characters");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  if (sodium_init() < 0) return Internal("libsodium cannot start");
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  // The interactive limits (64 MiB, about 0.1 s): a login stays quick while a stolen hash
  // stays expensive to guess.
  if (crypto_pwhash_str_alg(hash.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("not enough memory to hash the password");
  }
  return std::string(hash.data());
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string GeneratePassword(RandomSource& random) {
  constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  // Bytes at or above the largest multiple of the alphabet's size are skipped, so that every
  // character is equally likely.
  constexpr size_t kUnbiased = 256 - 256 % kAlphabet.size();
  std::string password;
  while (password.size() < 20) {
    std::array<uint8_t, 32> bytes{};
    random.Fill(bytes);
    for (uint8_t byte : bytes) {
      if (byte < kUnbiased && password.size() < 20) password += kAlphabet[byte % kAlphabet.size()];
    }
  }
  return password;
}

}  // namespace roster::auth
