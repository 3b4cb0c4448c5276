#include "sheet/cell_format.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace roster::sheet {
namespace {

constexpr int kSignificantDigits = 15;                   // what Excel keeps and displays
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
constexpr int64_t kSecondsPerDay = 86'400;
// Days from 1970-01-01 back to the epochs of the two date systems.
constexpr int64_t kEpoch1900 = -25'569;  // 1899-12-30
constexpr int64_t kEpoch1904 = -24'107;  // 1904-01-01
// The last day a spreadsheet can show: 9999-12-31.
constexpr int64_t kMaxDay = 2'932'896;  // days from 1970-01-01
// Serial 60 of the 1900 system is Excel's fictitious 1900-02-29 (Lotus 1-2-3 compatibility);
// serials 1..59 are one day later than plain day counting from 1899-12-30 would give.
constexpr int64_t kFictitiousLeapDay = 60;

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

// Howard Hinnant's civil_from_days: days since 1970-01-01 to a proleptic Gregorian date.
CivilDate CivilFromDays(int64_t days) {
  days += 719'468;
  const int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const int64_t doe = days - era * 146'097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

std::string FormatDateTime(const CivilDate& date, int64_t seconds_of_day) {
  char buffer[32];
  int length;
  if (seconds_of_day == 0) {
    length = std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02d",
                           static_cast<long long>(date.year), date.month, date.day);
  } else {
    length = std::snprintf(
        buffer, sizeof buffer, "%04lld-%02d-%02dT%02d:%02d:%02d", static_cast<long long>(date.year),
        date.month, date.day, static_cast<int>(seconds_of_day / 3600),
        static_cast<int>(seconds_of_day / 60 % 60), static_cast<int>(seconds_of_day % 60));
  }
  return std::string(buffer, static_cast<size_t>(length));
}

// "1e+20" -> "1E+20", as Excel writes exponents.
std::string UppercaseExponent(const char* text, int length) {
  std::string result(text, static_cast<size_t>(length));
  for (char& c : result) {
    if (c == 'e') c = 'E';
  }
  return result;
}

}  // namespace

std::string FormatNumber(double value) {
  if (std::isnan(value) || std::isinf(value)) return "#NUM!";
  if (value == 0) return "0";  // also -0
  char buffer[64];
  // Round to what Excel shows first, so 0.1+0.2 is 0.3 and 1234567890123456 reads as Excel's
  // 1234567890123460.
  int length = std::snprintf(buffer, sizeof buffer, "%.*e", kSignificantDigits - 1, value);
  const double rounded = std::strtod(buffer, nullptr);
  if (rounded == std::trunc(rounded) && std::fabs(rounded) < kMaxExactInteger) {
    length = std::snprintf(buffer, sizeof buffer, "%.0f", rounded);
    return std::string(buffer, static_cast<size_t>(length));
  }
  length = std::snprintf(buffer, sizeof buffer, "%.*g", kSignificantDigits, rounded);
  return UppercaseExponent(buffer, length);
}

std::string FormatSerialDate(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0) return FormatNumber(serial);
  const int64_t max_serial = kMaxDay - (date1904 ? kEpoch1904 : kEpoch1900) + 1;
  if (serial >= static_cast<double>(max_serial)) return FormatNumber(serial);
  // Whole seconds: Excel stores times as fractions of a day and shows them rounded.
  const int64_t total_seconds = std::llround(serial * static_cast<double>(kSecondsPerDay));
  int64_t day = total_seconds / kSecondsPerDay;
  const int64_t seconds_of_day = total_seconds % kSecondsPerDay;
  if (day >= max_serial) return FormatNumber(serial);
  if (date1904) return FormatDateTime(CivilFromDays(kEpoch1904 + day), seconds_of_day);
  if (day == kFictitiousLeapDay) return FormatDateTime({1900, 2, 29}, seconds_of_day);
  // Serial 0 (a time without a date) stays on 1899-12-30, as LibreOffice shows it.
  if (day >= 1 && day < kFictitiousLeapDay) ++day;
  return FormatDateTime(CivilFromDays(kEpoch1900 + day), seconds_of_day);
}

bool IsDateFormatCode(std::string_view format_code) {
  bool has_date_part = false;  // d or y: a calendar date
  bool has_time_part = false;  // m, h or s outside brackets
  bool has_elapsed = false;    // [h], [mm], [ss]: a duration, not a point in time
  for (size_t i = 0; i < format_code.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(format_code[i])));
    switch (c) {
      case '"': {  // quoted literal text
        const size_t end = format_code.find('"', i + 1);
        i = end == std::string_view::npos ? format_code.size() : end;
        break;
      }
      case '\\':  // an escaped literal character
      case '_':   // padding the width of the next character
      case '*':   // repeating the next character
        ++i;
        break;
      case '[': {  // colour, condition, locale ([$-407]) or elapsed time ([h])
        const size_t end = format_code.find(']', i + 1);
        if (end == std::string_view::npos) {
          i = format_code.size();
          break;
        }
        const std::string_view inside = format_code.substr(i + 1, end - i - 1);
        if (!inside.empty()) {
          const char first = static_cast<char>(std::tolower(static_cast<unsigned char>(inside[0])));
          bool same = first == 'h' || first == 'm' || first == 's';
          for (char inner : inside) {
            same = same && std::tolower(static_cast<unsigned char>(inner)) == first;
          }
          has_elapsed = has_elapsed || same;
        }
        i = end;
        break;
      }
      case 'd':
      case 'y': has_date_part = true; break;
      case 'm':
      case 'h':
      case 's': has_time_part = true; break;
      default: break;
    }
  }
  if (has_date_part) return true;
  return has_time_part && !has_elapsed;
}

bool IsBuiltinDateFormat(int format_id) {
  return (format_id >= 14 && format_id <= 22) || (format_id >= 27 && format_id <= 36) ||
         (format_id >= 45 && format_id <= 47) || (format_id >= 50 && format_id <= 58);
}

}  // namespace roster::sheet
