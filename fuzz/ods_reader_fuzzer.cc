// libFuzzer harness of the ods reader (sheet/ods_reader.h): zip container, mimetype and
// content.xml with its repeated rows and columns and table styles. An input is either a raw
// file or a member list (see harness.h) that becomes a zip with honest CRCs, so that mutated
// XML is parsed to its end. Each input is written to a scratch file in /dev/shm (the reader
// opens paths), checked by file-type detection, then every row of every sheet is read, and the
// first sheet again up to half its rows.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness.h"
#include "sheet/file_type.h"
#include "sheet/ods_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> zip = roster::fuzz::ZipFromMemberList(input);
  const std::string& path = roster::fuzz::WriteScratchFile(zip ? *zip : input, "ods");
  const std::string display_name = "fuzz.ods";
  static_cast<void>(roster::sheet::DetectFileType(path, display_name));
  roster::fuzz::ReadWholeWorkbook(path, display_name, roster::sheet::FileType::kOds,
                                  roster::sheet::OpenOds);
  return 0;
}
