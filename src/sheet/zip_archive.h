#pragma once

// ZipArchive: bounded read access to the members of a zip file (the container of xlsx and ods
// files), on libzip. It never trusts the sizes a zip declares: a member is inflated with zlib
// while its actual output is counted, and reading fails as soon as the output passes
// Limits::max_inflated_bytes, or passes max_inflate_ratio times the member's compressed size
// once it is above kRatioFloorBytes. The floor exists because small, repetitive XML
// legitimately compresses beyond 100:1 (an empty styles part, a sheet of identical rows); a
// ratio only says "bomb" when the output is also big. At the end of a member its size and CRC
// must match what the zip declares. Only "stored" and "deflate" members are read: those are
// what spreadsheet writers produce; anything else (and zip encryption) is refused.
//
// An archive is used from one thread at a time, and at most one member stream is open at a
// time; the archive must outlive its streams. A stream may be handed to another thread (see
// PrefetchingReader) as long as the archive is not used meanwhile.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "sheet/byte_reader.h"
#include "sheet/limits.h"

struct zip;

namespace roster::sheet {

class ZipArchive {
 public:
  // Above this many inflated bytes, the ratio limit applies: 16 MiB.
  static constexpr int64_t kRatioFloorBytes = int64_t{16} << 20;

  // Opens the zip file at `path`. Fails with kInvalidArgument when it is not a zip file or is
  // truncated, and kResourceExhausted when it is larger than limits.max_file_bytes. Messages
  // begin with `display_name`.
  static Result<std::unique_ptr<ZipArchive>> Open(const std::string& path, const Limits& limits,
                                                  std::string display_name);

  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::string& display_name() const { return display_name_; }

  // Whether the member exists; names compare case-insensitively, as OPC part names do.
  bool Contains(std::string_view name) const;

  // Streams the inflated bytes of member `name` (kInvalidArgument when it is missing,
  // encrypted or uses another compression method).
  Result<std::unique_ptr<ByteReader>> OpenMember(std::string_view name);

  // Reads a whole member, failing with kResourceExhausted when it inflates to more than
  // `max_bytes` (and with every limit of OpenMember).
  Result<std::string> ReadMember(std::string_view name, int64_t max_bytes);

 private:
  ZipArchive(zip* archive, const Limits& limits, std::string display_name);

  zip* archive_;
  Limits limits_;
  std::string display_name_;
};

}  // namespace roster::sheet
