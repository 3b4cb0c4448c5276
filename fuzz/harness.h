#pragma once

// What the reader harnesses share: a scratch file for the input (the readers open paths, not
// memory), a reading of every row of every sheet that checks what WorkbookReader promises, and
// the member-list input form that the xlsx and ods harnesses turn into a zip with honest sizes
// and CRCs, so that mutations reach the XML instead of dying at a checksum.
//
// Harnesses run single-threaded (libFuzzer calls one input at a time); nothing here is
// thread-safe.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "harness_check.h"
#include "sheet/limits.h"
#include "sheet/workbook_reader.h"

namespace roster::fuzz {

// Writes `data` to this process's scratch file and returns its path:
// /dev/shm/roster-fuzz-<pid>.<extension> ($TMPDIR or /tmp when /dev/shm is missing), one per
// process, rewritten for every input and removed at exit.
const std::string& WriteScratchFile(std::string_view data, std::string_view extension);

// Opens a file with the format's reader (as OpenXlsx etc. do: path, limits, display name).
using Opener = std::function<Result<std::unique_ptr<sheet::WorkbookReader>>(
    const std::string& path, const sheet::Limits& limits, const std::string& display_name)>;

// Opens `path` with `open` and reads every row of every sheet, checking the contract of
// workbook_reader.h on the way: failures are kInvalidArgument or kResourceExhausted with a
// message that begins with `display_name`; a delivered row has a number above the last one
// (1 .. max_rows + 1), 1 .. max_columns cells, no trailing empty cell; a cell is empty exactly
// when its text is, its text is valid UTF-8 of at most max_cell_chars characters. The first
// sheet is then read again up to half its rows, by `reopen` when given (another reader of the
// same file, e.g. with the other xlsx prefetch setting) or by the same reader, and must give
// the same rows.
void ReadWholeWorkbook(const std::string& path, const std::string& display_name,
                       sheet::FileType expected_type, const Opener& open,
                       const Opener& reopen = nullptr);

// The member-list form of a zip input, for structure-aware fuzzing of the xlsx and ods parts:
//
//   --- xl/workbook.xml
//   <workbook ...>...</workbook>
//   --- xl/worksheets/sheet1.xml
//   ...
//
// Each member starts at a line "--- <name>" and holds the bytes up to the newline before the
// next such line. The member "mimetype" is stored, every other one deflated (in stored blocks,
// so the XML stays plain for the mutator). Returns the zip's bytes, or nothing when `input`
// does not start with "--- " (then it is a raw file).
std::optional<std::string> ZipFromMemberList(std::string_view input);

// The opposite direction, for the seed generator: the member-list text of `members` (name,
// content), in order.
std::string MemberList(const std::vector<std::pair<std::string, std::string>>& members);

}  // namespace roster::fuzz
