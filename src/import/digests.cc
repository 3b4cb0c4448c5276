#include "import/digests.h"

#include <sodium.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/hex.h"

namespace roster::import {
namespace {

constexpr size_t kReadChunk = 1 << 20;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Result<FileDigest> DigestFile(const std::string& path, const std::string& display_name,
                              FileSystem& files) {
  Result<std::unique_ptr<FileReader>> reader = files.OpenForRead(path);
  if (!reader.ok()) return InvalidArgument(display_name + ": the file cannot be read");
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<unsigned char> buffer(kReadChunk);
  FileDigest digest;
  while (true) {
    Result<size_t> read = (*reader)->Read(buffer);
    if (!read.ok()) {
      return Status(read.status().code(),
                    display_name + ": the file cannot be read (" + read.status().message() + ")");
    }
    if (*read == 0) break;
    crypto_hash_sha256_update(&state, buffer.data(), *read);
    digest.size += static_cast<int64_t>(*read);
    digest.newlines += std::count(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(*read),
                                  static_cast<unsigned char>('\n'));
  }
  std::array<uint8_t, crypto_hash_sha256_BYTES> sha{};
  crypto_hash_sha256_final(&state, sha.data());
  digest.sha256_hex = ToHex(sha);
  return digest;
}

std::string NewAuditSalt(RandomSource& random) {
  std::array<uint8_t, 16> salt{};
  random.Fill(salt);
  return ToHex(salt);
}

Result<AuditHasher> AuditHasher::FromSalt(std::string_view salt_hex) {
  AuditHasher hasher;
  if (salt_hex.size() != hasher.salt_.size() * 2) {
    return InvalidArgument("an audit salt must be 32 hex digits");
  }
  for (size_t i = 0; i < hasher.salt_.size(); ++i) {
    int high = HexValue(salt_hex[2 * i]), low = HexValue(salt_hex[2 * i + 1]);
    if (high < 0 || low < 0) return InvalidArgument("an audit salt must be 32 hex digits");
    hasher.salt_[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return hasher;
}

std::array<uint8_t, 16> AuditHasher::Hash(std::string_view key) const {
  std::array<uint8_t, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size(), salt_.data(), salt_.size());
  return hash;
}

}  // namespace roster::import
