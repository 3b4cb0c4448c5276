#pragma once

// The digests an import records: the SHA-256 of the uploaded file, and the salted hashes of
// deleted addresses that the audit log keeps instead of the addresses (BLAKE2b-128 keyed with
// a random per-job salt, via libsodium). Thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"
#include "import/file_system.h"

namespace roster::import {

struct FileDigest {
  std::string sha256_hex;
  int64_t size = 0;
  int64_t newlines = 0;  // '\n' bytes: a text file's lines, for an estimate of its rows
};

// Reads the file at `path` once, through `files`. kInvalidArgument names `display_name` when
// it cannot be opened; a read that fails on the way keeps the code the file system gave it
// (kUnavailable: the disk's fault, not the file's), with `display_name` and the reason.
Result<FileDigest> DigestFile(const std::string& path, const std::string& display_name,
                              FileSystem& files = DefaultFileSystem());

// A new random salt for a job's address hashes, as hex.
std::string NewAuditSalt(RandomSource& random);

class AuditHasher {
 public:
  // `salt_hex` as made by NewAuditSalt; kInvalidArgument when it is not 32 hex digits.
  static Result<AuditHasher> FromSalt(std::string_view salt_hex);
  std::array<uint8_t, 16> Hash(std::string_view key) const;

 private:
  std::array<uint8_t, 16> salt_{};
};

}  // namespace roster::import
