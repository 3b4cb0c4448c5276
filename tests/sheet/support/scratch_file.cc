#include "sheet/support/scratch_file.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace roster::sheet::testing {
namespace {

// Removes the scratch directory when the test process ends.
class ScratchDirectoryOwner {
 public:
  ScratchDirectoryOwner() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "roster-sheet-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDirectoryOwner() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

std::string ScratchDirectory() {
  static ScratchDirectoryOwner owner;
  return owner.path();
}

std::string WriteScratchFile(std::string_view name, std::string_view bytes) {
  const std::string path = ScratchDirectory() + "/" + std::string(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
  return path;
}

std::string TestDataPath(std::string_view relative) {
  const char* source_dir = std::getenv("ROSTER_SOURCE_DIR");
  const std::string root = source_dir != nullptr ? source_dir : ".";
  return root + "/tests/data/" + std::string(relative);
}

Result<std::vector<Row>> ReadAllRows(WorkbookReader& reader, size_t sheet_index) {
  std::vector<Row> rows;
  const Status status = reader.ReadRows(sheet_index, [&](const Row& row) {
    rows.push_back(row);
    return true;
  });
  if (!status.ok()) return status;
  return rows;
}

std::vector<std::vector<std::string>> CellTexts(const std::vector<Row>& rows) {
  std::vector<std::vector<std::string>> texts;
  for (const Row& row : rows) {
    std::vector<std::string>& cells = texts.emplace_back();
    for (const Cell& cell : row.cells) cells.push_back(cell.text);
  }
  return texts;
}

std::vector<int64_t> RowNumbers(const std::vector<Row>& rows) {
  std::vector<int64_t> numbers;
  for (const Row& row : rows) numbers.push_back(row.number);
  return numbers;
}

}  // namespace roster::sheet::testing
