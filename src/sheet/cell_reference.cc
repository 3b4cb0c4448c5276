#include "sheet/cell_reference.h"

#include <algorithm>

namespace roster::sheet {
namespace {

constexpr int kLetters = 26;
constexpr size_t kMaxColumnLetters = 7;  // 26^7 fits int64 comfortably
constexpr size_t kMaxRowDigits = 15;

bool NeedsQuotes(std::string_view sheet) {
  if (sheet.empty()) return true;
  for (char c : sheet) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                       u == '_' || u == '.' || u >= 0x80;
    if (!plain) return true;
  }
  return sheet[0] >= '0' && sheet[0] <= '9';
}

}  // namespace

std::string ColumnName(int64_t column) {
  std::string name;
  int64_t n = column + 1;
  while (n > 0) {
    const int64_t remainder = (n - 1) % kLetters;
    name.push_back(static_cast<char>('A' + remainder));
    n = (n - 1) / kLetters;
  }
  std::reverse(name.begin(), name.end());
  return name;
}

std::string CellName(std::string_view sheet, int64_t column, int64_t row) {
  std::string name;
  if (NeedsQuotes(sheet)) {
    name.push_back('\'');
    for (char c : sheet) {
      name.push_back(c);
      if (c == '\'') name.push_back('\'');
    }
    name.push_back('\'');
  } else {
    name.append(sheet);
  }
  name.push_back('!');
  name.append(ColumnName(column));
  name.append(std::to_string(row));
  return name;
}

std::string FormatCount(int64_t count) {
  const std::string digits = std::to_string(count < 0 ? -count : count);
  std::string result = count < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) result.push_back(',');
    result.push_back(digits[i]);
  }
  return result;
}

bool ParseCellReference(std::string_view text, CellReference* out) {
  size_t i = 0;
  if (i < text.size() && text[i] == '$') ++i;
  int64_t column = 0;
  const size_t letters_begin = i;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * kLetters + (c - 'A' + 1);
  }
  const size_t letters = i - letters_begin;
  if (letters == 0 || letters > kMaxColumnLetters) return false;
  if (i < text.size() && text[i] == '$') ++i;
  int64_t row = 0;
  const size_t digits_begin = i;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (i - digits_begin >= kMaxRowDigits) return false;
    row = row * 10 + (text[i] - '0');
  }
  if (i != text.size()) return false;
  if (i > digits_begin && row == 0) return false;
  out->column = column - 1;
  out->row = row;
  return true;
}

}  // namespace roster::sheet
