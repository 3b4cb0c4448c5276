#pragma once

// HostileFiles: the inputs of the bad-files suite (DESIGN.md section 2, "Bad input gets a clear
// error and changes nothing"): empty, random, mislabelled, truncated, encrypted, bombed,
// entity-laden and over-limit spreadsheets, each with the name it is imported as and the words
// its refusal must contain. Files are made by code when a test runs, never committed (the two
// password-protected workbooks are copies of the third-party fixtures in tests/data). Zip
// containers and deflate streams are written byte by byte here, so that sizes, CRCs and cut-off
// points can lie as a hostile file's do, and a sheet that inflates to gigabytes takes two
// megabytes and milliseconds to write. Only the standard library is used: tests/support is
// linked into every layer's tests, and core's link no zip or zlib library.
//
// Stateless; every function may be called from any thread.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sheet/limits.h"

namespace roster::testing {

struct HostileFile {
  std::string name;       // a test name: letters, digits and '_' ("xlsx_zip_bomb")
  std::string file_name;  // what it is imported or uploaded as ("zip-bomb.xlsx")
  // How the readers answer: kInvalidArgument (unreadable, hostile) or kResourceExhausted (over
  // a limit); kOk for the files that are readable on purpose (a header and nothing else).
  ErrorCode code = ErrorCode::kInvalidArgument;
  // What the message must say besides the file name (always required): what is wrong.
  std::vector<std::string> words;
  // Writes the file to `path`; throws std::runtime_error when it cannot.
  std::function<void(const std::filesystem::path& path)> write;
};

// Every case, for readers bound by `limits`: the row, column, cell and size cases go just past
// them, and the expected words quote them. Cheap: no file is built until `write` runs.
std::vector<HostileFile> HostileFiles(const sheet::Limits& limits);

// The case called `name` (throws std::out_of_range when there is none).
HostileFile HostileFileNamed(std::string_view name, const sheet::Limits& limits);

// Writes `file` to `folder`/<name>/<file_name> (creating the subfolder) and returns that path.
std::filesystem::path WriteHostileFile(const HostileFile& file,
                                       const std::filesystem::path& folder);

// For GoogleTest's messages and parameterized test names.
void PrintTo(const HostileFile& file, std::ostream* out);

// The building blocks, for the generator's own tests (tests/sheet/bad_files_test.cc).
namespace hostile {

// CRC-32 (ISO-HDLC, as zip uses it) of `data`, continuing from `crc`.
uint32_t Crc32(std::string_view data, uint32_t crc = 0);
// The CRC-32 of A followed by B from crc(A), crc(B) and B's length (zlib's crc32_combine).
uint32_t Crc32Combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);

// A raw deflate stream (no zlib header) and what it inflates to.
struct Deflated {
  std::string data;
  uint32_t crc = 0;   // of the inflated bytes
  uint64_t size = 0;  // inflated bytes
};

// `content` in stored deflate blocks: a valid deflate stream that does not compress.
Deflated DeflateStored(std::string_view content);

// Inflates to `prefix`, then `unit` `copies` times (copies >= 1), then `suffix`. The copies after
// the first are back-references of `match_length` bytes (3..258) in one dynamic-Huffman block
// whose codes are a bit long, so the ratio is about 8 * match_length / (2 + extra bits): up to
// 1,032 (unit of one byte, 258) and as low as wanted, which keeps a long but honest sheet under
// the readers' zip-bomb ratio. Built in memory proportional to the output / ratio.
Deflated DeflatePeriodic(std::string_view prefix, std::string_view unit, uint64_t copies,
                         std::string_view suffix, uint32_t match_length);

// One zip member as written: `data` is what the file holds (compressed or not); the header
// fields say whatever they are told.
struct ZipMember {
  std::string name;
  std::string data;
  uint16_t method = 8;  // 0 stored, 8 deflate
  uint16_t flags = 0;   // general purpose bits besides UTF-8 names (bit 0: encrypted)
  uint32_t crc = 0;
  uint32_t declared_size = 0;  // uncompressed size in both headers
};

// A member whose headers tell the truth about `content` (deflated in stored blocks, or stored).
ZipMember TrueMember(std::string name, std::string_view content, bool deflate = true);
// A deflated member from a Deflated stream, declaring its true size and CRC.
ZipMember DeflatedMember(std::string name, const Deflated& deflated);

struct ZipBytes {
  std::string bytes;
  std::vector<uint64_t> data_offsets;  // where each member's data starts
  uint64_t directory_offset = 0;       // where the central directory starts
};

// Local headers and data, the central directory, the end record (no zip64: sizes < 4 GiB).
ZipBytes BuildZip(const std::vector<ZipMember>& members);

}  // namespace hostile

}  // namespace roster::testing
