// libFuzzer harness of the xlsx reader (sheet/xlsx_reader.h): zip container, package map,
// workbook, styles, shared strings and sheet XML. An input is either a raw file or a member
// list (see harness.h) that becomes a zip with honest CRCs, so that mutated XML is parsed to its
// end instead of being refused at a checksum. Each input is written to a scratch file in
// /dev/shm (the reader opens paths), checked by file-type detection, then read to its end
// without inflating ahead (every sheet, every row) and read again with prefetching, as the
// product reads, stopping halfway.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness.h"
#include "sheet/file_type.h"
#include "sheet/xlsx_reader.h"

namespace {

using roster::sheet::Limits;

roster::Result<std::unique_ptr<roster::sheet::WorkbookReader>> Open(const std::string& path,
                                                                    const Limits& limits,
                                                                    const std::string& display_name,
                                                                    bool prefetch) {
  roster::sheet::XlsxReaderOptions options;
  options.prefetch = prefetch;
  return roster::sheet::OpenXlsx(path, limits, display_name, options);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> zip = roster::fuzz::ZipFromMemberList(input);
  const std::string& path = roster::fuzz::WriteScratchFile(zip ? *zip : input, "xlsx");
  const std::string display_name = "fuzz.xlsx";
  static_cast<void>(roster::sheet::DetectFileType(path, display_name));
  roster::fuzz::ReadWholeWorkbook(
      path, display_name, roster::sheet::FileType::kXlsx,
      [](const std::string& p, const Limits& l, const std::string& n) {
        return Open(p, l, n, /*prefetch=*/false);
      },
      [](const std::string& p, const Limits& l, const std::string& n) {
        return Open(p, l, n, /*prefetch=*/true);
      });
  return 0;
}
