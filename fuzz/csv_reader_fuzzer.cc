// libFuzzer harness of the CSV reader (sheet/csv_reader.h): encoding detection (byte order
// marks, UTF-8, UTF-16 without a mark, Windows-1252), delimiter sniffing and RFC 4180 records.
// Each input is written to a scratch file in /dev/shm (the reader opens paths), checked by
// file-type detection, then every row is read, and again up to half of them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness.h"
#include "sheet/csv_reader.h"
#include "sheet/file_type.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string& path = roster::fuzz::WriteScratchFile(input, "csv");
  const std::string display_name = "fuzz.csv";
  static_cast<void>(roster::sheet::DetectFileType(path, display_name));
  roster::fuzz::ReadWholeWorkbook(path, display_name, roster::sheet::FileType::kCsv,
                                  roster::sheet::OpenCsv);
  return 0;
}
