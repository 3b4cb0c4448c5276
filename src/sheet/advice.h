#pragma once

// What a person can do about a refused file: every refusal of the readers names the file,
// says what is wrong and ends with one of these (DESIGN.md section 2: a message a person
// understands).

#include <string_view>

namespace roster::sheet {

// Damaged, incomplete or oddly made files: a fresh save by a spreadsheet program repairs them.
inline constexpr std::string_view kSaveAgain =
    ": open it in Excel or LibreOffice, save it again (or export it again from the HR system) "
    "and upload the new file";
// Over the row, column or size limits.
inline constexpr std::string_view kSplitOrTrim =
    ": keep only the rows and columns of the list (delete empty or unused ones), or split it "
    "into several files, and upload again";
// A cell over the length limit.
inline constexpr std::string_view kShorten =
    ": shorten it (a cell holds an address or a name, not a document) and upload again";
// Text that is not in the encoding it claims.
inline constexpr std::string_view kSaveAsCsvUtf8 =
    ": save it again from Excel as \"CSV UTF-8\" (or as .xlsx) and upload the new file";

}  // namespace roster::sheet
