// libFuzzer harness of the .xls reader (sheet/xls_reader.h): FreeXL's BIFF8 parsing (FreeXL
// itself is Debian's build, not instrumented: AddressSanitizer sees its heap use and the
// memory it hands to intercepted calls, not its own reads), and Roster's compound-file reader
// and BOUNDSHEET parsing for sheet visibility. Each input is written to a scratch file in
// /dev/shm (FreeXL opens paths) and goes through file-type detection, which reads the
// compound file's directory. The Workbook stream and its BOUNDSHEET records are read directly
// for every input. Only what detection takes for an .xls file reaches FreeXL, as in
// OpenWorkbook: Roster's own container checks are what stands between an upload and FreeXL;
// inputs that meet a known FreeXL bug are kept from it too (MeetsKnownFreeXlBug). Then every
// row of every sheet is read, and the first sheet again up to half its rows.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness.h"
#include "sheet/bound_sheets.h"
#include "sheet/compound_file.h"
#include "sheet/file_type.h"
#include "sheet/xls_reader.h"

namespace {

constexpr uint16_t kBofRecord = 0x0809;
constexpr uint16_t kDimensionRecord = 0x0200;
constexpr uint16_t kFormatRecord = 0x041E;
constexpr size_t kDimensionBytes = 14;    // BIFF8: first and last row (32 bits), columns, reserved
constexpr size_t kFormatHeaderBytes = 5;  // ifmt, cch (16 bits each), flags

uint16_t Le16(std::string_view bytes, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(bytes[at]) |
                               static_cast<unsigned char>(bytes[at + 1]) << 8);
}

// Workbook streams that meet bugs of FreeXL 1.0.6 found by this harness and reported (README,
// "Reliability"), none of them in Roster's code: a FORMAT record whose character count runs past
// the record (FreeXL copies past its buffer), and a sheet with a second or short DIMENSION
// record (FreeXL frees a wild pointer and the process dies, in release builds too). Such inputs
// are kept from FreeXL so that a run goes on to what is not known yet; OpenWorkbook does hand
// them to FreeXL.
bool MeetsKnownFreeXlBug(std::string_view stream) {
  size_t at = 0;
  int dimensions = 0;  // in the current substream
  while (at + 4 <= stream.size()) {
    const uint16_t type = Le16(stream, at);
    const uint16_t length = Le16(stream, at + 2);
    const std::string_view body = stream.substr(at + 4, length);
    if (type == kBofRecord) dimensions = 0;
    if (type == kDimensionRecord && (++dimensions > 1 || body.size() < kDimensionBytes)) {
      return true;
    }
    if (type == kFormatRecord) {
      if (body.size() < kFormatHeaderBytes) return true;
      const auto flags = static_cast<unsigned char>(body[4]);
      const size_t needed = kFormatHeaderBytes + size_t{Le16(body, 2)} * ((flags & 0x01) ? 2 : 1) +
                            ((flags & 0x08) ? 2 : 0) + ((flags & 0x04) ? 4 : 0);
      if (needed > body.size()) return true;
    }
    at += 4 + size_t{length};
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string& path = roster::fuzz::WriteScratchFile(input, "xls");
  const std::string display_name = "fuzz.xls";
  const roster::Result<roster::sheet::FileType> type =
      roster::sheet::DetectFileType(path, display_name);
  const roster::sheet::Limits limits;
  const roster::Result<std::string> stream = roster::sheet::ReadCompoundFileStream(
      path, "Workbook", static_cast<uint64_t>(limits.max_file_bytes), display_name);
  if (stream.ok()) static_cast<void>(roster::sheet::ReadBoundSheets(*stream, display_name));
  if (!type.ok() || *type != roster::sheet::FileType::kXls) return 0;
  if (stream.ok() && MeetsKnownFreeXlBug(*stream)) return 0;
  roster::fuzz::ReadWholeWorkbook(path, display_name, roster::sheet::FileType::kXls,
                                  roster::sheet::OpenXls);
  return 0;
}
