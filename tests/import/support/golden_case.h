#pragma once

// The golden import cases of tests/data/golden/ (see its README.md), found at run time: every
// <case>.setup.json is a case, and every other file named <case>.<variant> beside it is one
// input file of that case (<case>.libreoffice.xlsx, <case>.csv, ...). All variants of a case
// share <case>.expected.json. Plain values; no state.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace roster::testing {

struct GoldenVariant {
  std::string case_name;  // "delete_errors"
  std::string variant;    // "libreoffice.xlsx", "csv"
  std::filesystem::path file;
  bool is_csv = false;  // a CSV has one sheet, named after the file's stem

  std::filesystem::path SetupPath() const;
  std::filesystem::path ExpectedPath() const;
  // A name gtest accepts: "delete_errors__libreoffice_xlsx".
  std::string TestName() const;
};

// tests/data/golden under $ROSTER_SOURCE_DIR (when set), else under the working directory (CTest
// runs tests in the source root) (CTest runs and discovers the tests in the repository root).
std::filesystem::path GoldenDir();

// Every variant of every case in `dir`, by case name; within a case the workbooks in name
// order first, then the CSV. The first variant of a case is its reference in update mode.
std::vector<GoldenVariant> FindGoldenVariants(const std::filesystem::path& dir);

// For gtest's messages about a parameter.
void PrintTo(const GoldenVariant& variant, std::ostream* out);

}  // namespace roster::testing
