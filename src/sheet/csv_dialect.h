#pragma once

// Delimiter sniffing for CSV files: German Excel writes ';', English Excel ',', "Unicode
// text" exports use tabs, some HR systems '|'. Pure function, thread-safe.

#include <string_view>

namespace roster::sheet {

// The candidates, in the order that breaks ties.
inline constexpr char kCsvDelimiters[] = {',', ';', '\t', '|'};

// Picks the delimiter of the UTF-8 text `sample` (the start of the file). Each candidate
// splits the first records (quotes respected, empty lines skipped; the last record is
// ignored unless `sample_is_complete`, since it may be cut). A candidate's score is how many
// records share its most frequent column count above 1 (so a title line above the header
// does not mislead it); the highest score wins, ties go to the larger column count, then to
// the order of kCsvDelimiters. When no candidate splits any record (a one-column file), ','.
char SniffCsvDelimiter(std::string_view sample, bool sample_is_complete);

}  // namespace roster::sheet
