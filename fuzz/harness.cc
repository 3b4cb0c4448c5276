#include "harness.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sheet/xml_text.h"
#include "support/hostile_files.h"

namespace roster::fuzz {
namespace {

using sheet::Cell;
using sheet::CellType;
using sheet::Limits;
using sheet::Row;
using sheet::WorkbookReader;

constexpr std::string_view kMemberMarker = "--- ";
constexpr std::string_view kMemberSeparator = "\n--- ";
// Bounds of the member-list form: enough for any workbook a mutator makes of a real one, and
// inside what a zip header can state (16-bit name lengths and member counts).
constexpr size_t kMaxMembers = 256;
constexpr size_t kMaxMemberNameBytes = 1024;
constexpr uint64_t kFnvOffset = 14'695'981'039'346'656'037ULL;
constexpr uint64_t kFnvPrime = 1'099'511'628'211ULL;

std::string& ScratchPath() {
  static std::string path;
  return path;
}

void RemoveScratchFile() {
  if (!ScratchPath().empty()) ::unlink(ScratchPath().c_str());
}

std::string ScratchDirectory() {
  if (::access("/dev/shm", W_OK) == 0) return "/dev/shm";
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

void HashBytes(uint64_t& hash, std::string_view bytes) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
}

void HashNumber(uint64_t& hash, uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    hash ^= (value >> (8 * i)) & 0xFF;
    hash *= kFnvPrime;
  }
}

// Everything a row delivers, so that two readings can be compared without keeping the rows.
uint64_t HashRow(const Row& row) {
  uint64_t hash = kFnvOffset;
  HashNumber(hash, static_cast<uint64_t>(row.number));
  HashNumber(hash, row.cells.size());
  for (const Cell& cell : row.cells) {
    HashNumber(hash, static_cast<uint64_t>(cell.type));
    HashNumber(hash, cell.text.size());
    HashBytes(hash, cell.text);
  }
  return hash;
}

void CheckFailure(const Status& status, const std::string& display_name, std::string_view when) {
  const std::string what = std::string(when) + ": " + status.ToString();
  ROSTER_FUZZ_CHECK(status.code() == ErrorCode::kInvalidArgument ||
                        status.code() == ErrorCode::kResourceExhausted,
                    what);
  ROSTER_FUZZ_CHECK(status.message().starts_with(display_name), what);
}

// The checks of one delivered row (see ReadWholeWorkbook); `last_number` is the number of the
// row before it in the same reading (0 at the start).
void CheckRow(const Row& row, const Limits& limits, int64_t last_number) {
  const std::string where = "row " + std::to_string(row.number);
  ROSTER_FUZZ_CHECK(row.number > last_number, where + " after row " + std::to_string(last_number));
  ROSTER_FUZZ_CHECK(row.number <= limits.max_rows + 1, where);
  ROSTER_FUZZ_CHECK(!row.cells.empty(), where + " is delivered without cells");
  ROSTER_FUZZ_CHECK(static_cast<int64_t>(row.cells.size()) <= limits.max_columns, where);
  ROSTER_FUZZ_CHECK(row.cells.back().type != CellType::kEmpty, where + " ends with an empty cell");
  for (size_t c = 0; c < row.cells.size(); ++c) {
    const Cell& cell = row.cells[c];
    const std::string at = where + ", cell " + std::to_string(c) + " (type " +
                           std::to_string(static_cast<int>(cell.type)) + ")";
    ROSTER_FUZZ_CHECK((cell.type == CellType::kEmpty) == cell.text.empty(), at);
    ROSTER_FUZZ_CHECK(sheet::IsValidUtf8(cell.text), at + " is not UTF-8");
    ROSTER_FUZZ_CHECK(sheet::CountUtf8Chars(cell.text) <= limits.max_cell_chars, at);
  }
}

}  // namespace

const std::string& WriteScratchFile(std::string_view data, std::string_view extension) {
  std::string& path = ScratchPath();
  if (path.empty()) {
    path = ScratchDirectory() + "/roster-fuzz-" + std::to_string(::getpid()) + "." +
           std::string(extension);
    std::atexit(RemoveScratchFile);
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), std::strerror(errno));
    std::abort();
  }
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), std::strerror(errno));
      std::abort();
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  ::close(fd);
  return path;
}

void ReadWholeWorkbook(const std::string& path, const std::string& display_name,
                       sheet::FileType expected_type, const Opener& open, const Opener& reopen) {
  const Limits limits;  // the library's own
  Result<std::unique_ptr<WorkbookReader>> opened = open(path, limits, display_name);
  if (!opened.ok()) {
    CheckFailure(opened.status(), display_name, "opening");
    return;
  }
  WorkbookReader& reader = **opened;
  ROSTER_FUZZ_CHECK(reader.type() == expected_type, "the reader reports another type");
  const std::vector<sheet::SheetInfo>& sheets = reader.sheets();
  for (const sheet::SheetInfo& info : sheets) {
    ROSTER_FUZZ_CHECK(sheet::IsValidUtf8(info.name), "a sheet name is not UTF-8");
  }
  static_cast<void>(reader.KnowsSheetVisibility());
  const std::optional<sheet::TextFormat> format = reader.text_format();
  if (expected_type == sheet::FileType::kCsv) {
    ROSTER_FUZZ_CHECK(format.has_value(), "a CSV reader without a text format");
    ROSTER_FUZZ_CHECK(std::string_view(",;\t|").find(format->delimiter) != std::string_view::npos,
                      "an unknown delimiter");
    ROSTER_FUZZ_CHECK(sheets.size() == 1, "a CSV file has one sheet");
  } else {
    ROSTER_FUZZ_CHECK(!format.has_value(), "a workbook with a text format");
  }

  // Every row of every sheet; the first sheet's rows are kept (as hashes) for the second
  // reading.
  std::vector<uint64_t> first_rows;
  Status first_status;
  for (size_t i = 0; i < sheets.size(); ++i) {
    int64_t last_number = 0;
    const Status status = reader.ReadRows(i, [&](const Row& row) {
      CheckRow(row, limits, last_number);
      last_number = row.number;
      if (i == 0) first_rows.push_back(HashRow(row));
      return true;
    });
    if (!status.ok()) CheckFailure(status, display_name, "reading sheet " + std::to_string(i));
    if (i == 0) first_status = status;
  }
  const Status past_end = reader.ReadRows(sheets.size(), [](const Row&) { return true; });
  ROSTER_FUZZ_CHECK(past_end.code() == ErrorCode::kInvalidArgument,
                    "reading past the last sheet: " + past_end.ToString());
  if (sheets.empty()) return;

  // The first sheet again, stopping after half its rows: the same rows, and a reader that
  // stops early (a preview does) leaves nothing behind.
  std::unique_ptr<WorkbookReader> other;
  WorkbookReader* again = &reader;
  if (reopen) {
    Result<std::unique_ptr<WorkbookReader>> reopened = reopen(path, limits, display_name);
    ROSTER_FUZZ_CHECK(reopened.ok(), "opened once but not twice: " + reopened.status().ToString());
    other = std::move(reopened).value();
    again = other.get();
  }
  const size_t wanted = (first_rows.size() + 1) / 2;
  size_t seen = 0;
  const Status status = again->ReadRows(0, [&](const Row& row) {
    ROSTER_FUZZ_CHECK(seen < first_rows.size() && HashRow(row) == first_rows[seen],
                      "the second reading of row " + std::to_string(row.number) + " differs");
    ++seen;
    return seen < wanted;
  });
  if (first_status.ok()) {
    ROSTER_FUZZ_CHECK(status.ok() && seen == wanted,
                      "the second reading failed or stopped early: " + status.ToString());
  } else if (!status.ok()) {
    CheckFailure(status, display_name, "reading sheet 0 again");
  }
}

std::optional<std::string> ZipFromMemberList(std::string_view input) {
  if (!input.starts_with(kMemberMarker)) return std::nullopt;
  std::vector<testing::hostile::ZipMember> members;
  size_t start = 0;  // at a marker
  while (members.size() < kMaxMembers) {
    const size_t name_begin = start + kMemberMarker.size();
    const size_t name_end = std::min(input.find('\n', name_begin), input.size());
    const size_t content_begin = std::min(name_end + 1, input.size());
    const size_t next = input.find(kMemberSeparator, content_begin);
    const size_t content_end = std::min(next, input.size());
    std::string name(
        input.substr(name_begin, std::min(name_end - name_begin, kMaxMemberNameBytes)));
    const bool deflate = name != "mimetype";
    members.push_back(testing::hostile::TrueMember(
        std::move(name), input.substr(content_begin, content_end - content_begin), deflate));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  return testing::hostile::BuildZip(members).bytes;
}

std::string MemberList(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string text;
  for (const auto& [name, content] : members) {
    if (!text.empty()) text += '\n';
    text += kMemberMarker;
    text += name;
    text += '\n';
    text += content;
  }
  return text;
}

}  // namespace roster::fuzz
