#pragma once

// How cell values become the text a person sees, shared by every reader so that the same
// value reads the same from xlsx, xls, ods and csv. Pure functions, thread-safe.

#include <string>
#include <string_view>

namespace roster::sheet {

// A number as a spreadsheet shows it in a General cell, without a spurious ".0":
// 42 -> "42", 0.5 -> "0.5", 1234567890123 -> "1234567890123", 0.1+0.2 -> "0.3" (15
// significant digits, as Excel displays), -0 -> "0".
std::string FormatNumber(double value);

// A date serial number (days since 1899-12-30, or since 1904-01-01 in the 1904 system) as
// ISO 8601: "2024-03-01" when it has no time of day, "2024-03-01T08:30:00" otherwise.
// Excel's fictitious 1900-02-29 (serial 60) reads "1900-02-29"; serials below 0 or beyond
// 9999-12-31 are returned as FormatNumber(serial).
std::string FormatSerialDate(double serial, bool date1904);

// True when a number format code displays a date or time (contains d, m, y, h or s outside
// quoted text, brackets and escapes, and is not a pure elapsed-time or text format), e.g.
// "yyyy-mm-dd", "dd/mm/yy;@", "[$-407]d. mmmm yyyy". Used for custom formats in styles.
bool IsDateFormatCode(std::string_view format_code);

// True for Excel's built-in number format ids that display dates or times (14-22, 45-47,
// and the locale-specific 27-36, 50-58).
bool IsBuiltinDateFormat(int format_id);

}  // namespace roster::sheet
