#pragma once

// ZipBuilder: writes zip files byte by byte for the xlsx / ods reader tests, including the
// hostile ones a normal zip library refuses to write: members whose declared size lies, and
// deflate bombs of any size made in milliseconds (one compressed block of zeros, repeated).
// XlsxPackage builds a minimal valid xlsx around the parts a test cares about.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/hostile_files.h"

namespace roster::sheet::testing {

class ZipBuilder {
 public:
  // A member compressed with deflate (or stored when `deflate` is false).
  ZipBuilder& Add(std::string name, std::string_view content, bool deflate = true);

  // A member with the given raw data and header fields, whatever they say (the compressed
  // size is the data's).
  ZipBuilder& AddRaw(std::string name, std::string data, uint16_t method, uint32_t crc,
                     uint32_t declared_size);

  // A deflate member that inflates to `prefix` and then `zero_bytes` zeros (a multiple of
  // 1 MiB), declaring `declared_size` (the true size when absent; the CRC is the true one only
  // then). `fill` replaces the zeros (spaces keep a strict XML parser reading).
  ZipBuilder& AddZeros(std::string name, uint64_t zero_bytes,
                       std::optional<uint32_t> declared_size = std::nullopt,
                       std::string_view prefix = "", char fill = '\0');

  // The zip file (written by the bad-files suite's BuildZip).
  std::string Build() const;

 private:
  std::vector<roster::testing::hostile::ZipMember> members_;
};

// Raw deflate (no zlib header) of `content`.
std::string Deflate(std::string_view content);

// A minimal xlsx: content types, package and workbook relationships, xl/workbook.xml with one
// sheet per entry of `sheets` (names "Sheet1", "Sheet2", ... unless `sheet_names` says
// otherwise), and the shared strings and styles parts when given.
struct XlsxPackage {
  std::vector<std::string> sheets;  // worksheet XML, one per sheet
  std::vector<std::string> sheet_names;
  std::vector<std::string> sheet_states;  // "", "hidden", "veryHidden"
  std::optional<std::string> shared_strings;
  std::optional<std::string> styles;
  std::string workbook_pr;  // e.g. R"(<workbookPr date1904="1"/>)"

  ZipBuilder Builder() const;
  std::string Build() const { return Builder().Build(); }
};

// A worksheet part around `sheet_data` (the content of <sheetData>).
std::string WorksheetXml(std::string_view sheet_data);

// A shared-strings part with the given <si> contents (inner XML of each <si>).
std::string SharedStringsXml(const std::vector<std::string>& items);

}  // namespace roster::sheet::testing
