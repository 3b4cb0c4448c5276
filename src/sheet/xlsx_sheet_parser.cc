#include "sheet/xlsx_sheet_parser.h"

#include <charconv>
#include <cstring>

#include "sheet/advice.h"
#include "sheet/cell_format.h"
#include "sheet/cell_reference.h"
#include "sheet/xml_pull_parser.h"
#include "sheet/xml_text.h"

namespace roster::sheet {
namespace {

constexpr int64_t kMaxUtf8BytesPerChar = 4;
constexpr int64_t kMaxRowDigits = 15;

enum class ValueType {
  kNumber,
  kSharedString,
  kInlineString,
  kFormulaString,
  kBoolean,
  kError,
  kIsoDate
};

ValueType ParseValueType(const std::string_view* t) {
  if (t == nullptr || *t == "n") return ValueType::kNumber;
  if (*t == "s") return ValueType::kSharedString;
  if (*t == "str") return ValueType::kFormulaString;
  if (*t == "inlineStr") return ValueType::kInlineString;
  if (*t == "b") return ValueType::kBoolean;
  if (*t == "e") return ValueType::kError;
  if (*t == "d") return ValueType::kIsoDate;
  return ValueType::kNumber;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t' ||
                           text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool ParseRowNumber(std::string_view text, int64_t* value) {
  if (text.empty() || text.size() > kMaxRowDigits) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() && *value > 0;
}

// "2024-03-01T08:30:00.000Z" -> "2024-03-01T08:30:00"; "2024-03-01T00:00:00" -> "2024-03-01".
std::string NormalizeIsoDate(std::string_view text) {
  const size_t t = text.find('T');
  if (t == std::string_view::npos) return std::string(text);
  const std::string_view date = text.substr(0, t);
  std::string_view time = text.substr(t + 1, 8);
  if (time == "00:00:00" || time.empty()) return std::string(date);
  return std::string(date) + "T" + std::string(time);
}

class SheetScanner {
 public:
  SheetScanner(ByteReader& reader, const XlsxSheetContext& context, const RowCallback& on_row)
      : parser_(reader, context.part_context), context_(context), on_row_(on_row) {
    max_kept_bytes_ = context.limits.max_cell_chars * kMaxUtf8BytesPerChar + 1;
  }

  Status Run() {
    while (true) {
      if (in_row_ && !in_cell_) {
        ROSTER_RETURN_IF_ERROR(FastCells());
        if (stopped_) return Status::Ok();
      }
      ROSTER_ASSIGN_OR_RETURN(const XmlPullParser::Token token, parser_.Next());
      switch (token.kind) {
        case XmlPullParser::TokenKind::kStartTag: ROSTER_RETURN_IF_ERROR(OnStart(token)); break;
        case XmlPullParser::TokenKind::kEndTag:
          if (token.name == "sheetData") return Status::Ok();  // the rest holds no cells
          ROSTER_RETURN_IF_ERROR(OnEnd(token.name));
          break;
        case XmlPullParser::TokenKind::kText:
          if (in_value_) ROSTER_RETURN_IF_ERROR(OnText(token));
          break;
        case XmlPullParser::TokenKind::kEnd: return Status::Ok();
      }
      if (stopped_) return Status::Ok();
    }
  }

 private:
  Status OnStart(const XmlPullParser::Token& token) {
    if (!in_sheet_data_) {
      if (token.name == "sheetData" && !token.self_closing) in_sheet_data_ = true;
      return Status::Ok();
    }
    if (token.name == "c") {
      if (!in_row_) return parser_.MalformedError("a cell <c> outside a row");
      ROSTER_RETURN_IF_ERROR(StartCell(parser_.FindAttribute("r"), parser_.FindAttribute("t"),
                                       parser_.FindAttribute("s")));
      return token.self_closing ? EndCell() : Status::Ok();
    }
    if (token.name == "row") {
      if (in_row_) return parser_.MalformedError("a row inside a row");
      ROSTER_RETURN_IF_ERROR(StartRow());
      return token.self_closing ? EndRow() : Status::Ok();
    }
    if (!in_cell_ || token.self_closing) return Status::Ok();
    if (token.name == "v") {
      in_value_ = true;
      has_value_ = true;
    } else if (token.name == "is") {
      in_inline_ = true;
      has_value_ = true;
      if (type_ == ValueType::kNumber) type_ = ValueType::kInlineString;
    } else if (token.name == "rPh") {
      ++phonetic_depth_;
      in_value_ = false;
    } else if (token.name == "t" && in_inline_ && phonetic_depth_ == 0) {
      in_value_ = true;
    }
    return Status::Ok();
  }

  Status OnEnd(std::string_view name) {
    if (!in_sheet_data_) return Status::Ok();
    if (name == "c") return in_cell_ ? EndCell() : Status::Ok();
    if (name == "row") return EndRow();
    if (name == "v" || name == "t") {
      in_value_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh" && phonetic_depth_ > 0) {
      --phonetic_depth_;
    }
    return Status::Ok();
  }

  Status OnText(const XmlPullParser::Token& token) {
    if (static_cast<int64_t>(value_.size()) > max_kept_bytes_) {
      dropped_chars_ += CountUtf8Chars(token.text);  // refused anyway; counted for the message
      return Status::Ok();
    }
    if (token.cdata) {
      value_.append(token.text);
      return Status::Ok();
    }
    if (!AppendXmlText(token.text, &value_, &error_)) return parser_.MalformedError(error_);
    return Status::Ok();
  }

  Status StartRow() {
    in_row_ = true;
    row_has_number_ = false;
    next_column_ = 0;
    int64_t number = row_.number + 1;
    if (const std::string_view* r = parser_.FindAttribute("r")) {
      if (!ParseRowNumber(*r, &number)) {
        return parser_.MalformedError("the row number '" + std::string(*r) + "' is not valid");
      }
      row_has_number_ = true;
    }
    ROSTER_RETURN_IF_ERROR(SetRowNumber(number));
    for (Cell& cell : row_.cells) {
      cell.type = CellType::kEmpty;
      cell.text.clear();
    }
    return Status::Ok();
  }

  Status SetRowNumber(int64_t number) {
    if (number <= last_row_number_) {
      return InvalidArgument(context_.part_context + " has row " + FormatCount(number) +
                             " after row " + FormatCount(last_row_number_) +
                             "; rows must be in order (line " + FormatCount(parser_.line()) + ")");
    }
    row_.number = number;
    return Status::Ok();
  }

  Status EndRow() {
    in_row_ = false;
    last_row_number_ = row_.number;
    size_t width = row_.cells.size();
    while (width > 0 && row_.cells[width - 1].type == CellType::kEmpty) --width;
    if (width == 0) return Status::Ok();
    const int64_t max_row = context_.limits.max_rows + 1;  // the data rows and a header
    if (row_.number > max_row) {
      return ResourceExhausted(context_.display_name + ": the sheet '" + context_.sheet_name +
                               "' has cells in row " + FormatCount(row_.number) +
                               "; a sheet may have at most " +
                               FormatCount(context_.limits.max_rows) +
                               " data rows below its header" + std::string(kSplitOrTrim));
    }
    row_.cells.resize(width);
    if (!on_row_(row_)) stopped_ = true;
    return Status::Ok();
  }

  // The fast path: whole cells of the form Excel writes, <c r="B2" s="1" t="s"><v>7</v></c>
  // or <c r="B2" s="1"/>, consumed straight from the parser's window. Anything else (another
  // prefix, a formula, an inline string, a reference in a value, the window's end) is left to
  // the token path.
  Status FastCells() {
    while (true) {
      const std::string_view window = parser_.Window();
      FastCell cell;
      const size_t used = MatchCell(window, &cell);
      if (used == 0) return Status::Ok();
      ROSTER_RETURN_IF_ERROR(StartCell(cell.r, cell.t, cell.s));
      if (!cell.self_closing) {
        has_value_ = true;
        value_.assign(cell.value);
      }
      ROSTER_RETURN_IF_ERROR(EndCell());
      parser_.Skip(used);
    }
  }

  struct FastCell {
    const std::string_view* r = nullptr;
    const std::string_view* t = nullptr;
    const std::string_view* s = nullptr;
    std::string_view r_value, t_value, s_value, value;
    bool self_closing = false;
  };

  static bool IsPlainNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
           c == '_' || c == '-' || c == '.';
  }

  static bool IsPlainValue(std::string_view value) {
    for (char c : value) {
      if (c == '<' || c == '&' || c == '\r') return false;
    }
    return true;
  }

  // The length of the complete cell at the start of `window`, or 0.
  static size_t MatchCell(std::string_view window, FastCell* cell) {
    const char* p = window.data();
    const char* end = p + window.size();
    if (end - p < 4 || p[0] != '<' || p[1] != 'c' || (p[2] != ' ' && p[2] != '>' && p[2] != '/')) {
      return 0;
    }
    const char* q = p + 2;
    while (true) {
      if (q >= end) return 0;
      if (*q == '>') {
        ++q;
        break;
      }
      if (*q == '/') {
        if (q + 1 >= end || q[1] != '>') return 0;
        cell->self_closing = true;
        return static_cast<size_t>(q + 2 - p);
      }
      if (*q != ' ') return 0;
      while (q < end && *q == ' ') ++q;
      if (q >= end) return 0;
      if (*q == '>' || *q == '/') continue;
      const char* name_begin = q;
      while (q < end && IsPlainNameChar(*q)) ++q;
      if (q + 1 >= end || q == name_begin || q[0] != '=' || q[1] != '"') return 0;
      const std::string_view name(name_begin, static_cast<size_t>(q - name_begin));
      q += 2;
      const void* quote = std::memchr(q, '"', static_cast<size_t>(end - q));
      if (quote == nullptr) return 0;
      const std::string_view value(q, static_cast<size_t>(static_cast<const char*>(quote) - q));
      if (!IsPlainValue(value)) return 0;
      q = static_cast<const char*>(quote) + 1;
      if (name == "r") {
        cell->r_value = value;
        cell->r = &cell->r_value;
      } else if (name == "t") {
        cell->t_value = value;
        cell->t = &cell->t_value;
      } else if (name == "s") {
        cell->s_value = value;
        cell->s = &cell->s_value;
      } else if (name.find(':') != std::string_view::npos) {
        return 0;  // a prefixed attribute: let the token path name it
      }
    }
    constexpr std::string_view kOpen = "<v>";
    constexpr std::string_view kClose = "</v></c>";
    if (static_cast<size_t>(end - q) < kOpen.size() || std::string_view(q, kOpen.size()) != kOpen) {
      return 0;
    }
    q += kOpen.size();
    const void* lt = std::memchr(q, '<', static_cast<size_t>(end - q));
    if (lt == nullptr) return 0;
    cell->value = std::string_view(q, static_cast<size_t>(static_cast<const char*>(lt) - q));
    if (!IsPlainValue(cell->value)) return 0;
    q = static_cast<const char*>(lt);
    if (static_cast<size_t>(end - q) < kClose.size() ||
        std::string_view(q, kClose.size()) != kClose) {
      return 0;
    }
    return static_cast<size_t>(q + kClose.size() - p);
  }

  Status StartCell(const std::string_view* r, const std::string_view* t,
                   const std::string_view* s) {
    in_cell_ = true;
    in_value_ = false;
    in_inline_ = false;
    has_value_ = false;
    phonetic_depth_ = 0;
    dropped_chars_ = 0;
    value_.clear();
    column_ = next_column_;
    if (r != nullptr) {
      CellReference reference;
      if (!ParseCellReference(*r, &reference)) {
        return parser_.MalformedError("the cell reference '" + std::string(*r) + "' is not valid");
      }
      column_ = reference.column;
      // A row without its own number takes it from its first cell.
      if (!row_has_number_ && reference.row > 0 && next_column_ == 0) {
        ROSTER_RETURN_IF_ERROR(SetRowNumber(reference.row));
        row_has_number_ = true;
      }
    }
    if (column_ >= context_.limits.max_columns) {
      return ResourceExhausted(
          context_.display_name + ": " + CellName(context_.sheet_name, column_, row_.number) +
          " is beyond column " + ColumnName(context_.limits.max_columns - 1) +
          "; a sheet may have at most " + FormatCount(context_.limits.max_columns) + " columns" +
          std::string(kSplitOrTrim));
    }
    next_column_ = column_ + 1;
    type_ = ParseValueType(t);
    style_ = 0;
    if (s != nullptr) {
      if (std::from_chars(s->data(), s->data() + s->size(), style_).ec != std::errc()) style_ = 0;
    }
    return Status::Ok();
  }

  std::string Name() const { return CellName(context_.sheet_name, column_, row_.number); }

  Status TooLong(int64_t chars) const {
    return ResourceExhausted(context_.display_name + ": " + Name() + " has " + FormatCount(chars) +
                             " characters; a cell may have at most " +
                             FormatCount(context_.limits.max_cell_chars) + std::string(kShorten));
  }

  Status CheckText(std::string* text) {
    if (dropped_chars_ > 0) return TooLong(CountUtf8Chars(*text) + dropped_chars_);
    DecodeOoxmlEscapes(text);
    if (static_cast<int64_t>(text->size()) > context_.limits.max_cell_chars) {
      const int64_t chars = CountUtf8Chars(*text);
      if (chars > context_.limits.max_cell_chars) return TooLong(chars);
    }
    if (!IsValidUtf8(*text)) {
      return InvalidArgument(context_.display_name + ": " + Name() + " is not valid UTF-8");
    }
    return Status::Ok();
  }

  Status EndCell() {
    in_cell_ = false;
    in_value_ = false;
    in_inline_ = false;
    if (!has_value_) return Status::Ok();
    if (row_.cells.size() <= static_cast<size_t>(column_)) {
      row_.cells.resize(static_cast<size_t>(column_) + 1);
    }
    Cell& cell = row_.cells[static_cast<size_t>(column_)];
    switch (type_) {
      case ValueType::kSharedString: return SharedString(cell);
      case ValueType::kInlineString:
      case ValueType::kFormulaString:
        ROSTER_RETURN_IF_ERROR(CheckText(&value_));
        cell.type = value_.empty() ? CellType::kEmpty : CellType::kText;
        cell.text.assign(value_);
        return Status::Ok();
      case ValueType::kBoolean: {
        const std::string_view value = Trim(value_);
        if (value == "1" || value == "true") {
          cell.text.assign("TRUE");
        } else if (value == "0" || value == "false") {
          cell.text.assign("FALSE");
        } else if (value.empty()) {
          return Status::Ok();
        } else {
          return InvalidArgument(context_.display_name + ": " + Name() + " holds '" +
                                 std::string(value.substr(0, 40)) +
                                 "', which is not a boolean value");
        }
        cell.type = CellType::kBoolean;
        return Status::Ok();
      }
      case ValueType::kError:
        ROSTER_RETURN_IF_ERROR(CheckText(&value_));
        cell.type = value_.empty() ? CellType::kEmpty : CellType::kError;
        cell.text.assign(value_);
        return Status::Ok();
      case ValueType::kIsoDate:
        ROSTER_RETURN_IF_ERROR(CheckText(&value_));
        cell.type = value_.empty() ? CellType::kEmpty : CellType::kDate;
        cell.text = NormalizeIsoDate(Trim(value_));
        return Status::Ok();
      case ValueType::kNumber: return Number(cell);
    }
    return Status::Ok();
  }

  Status SharedString(Cell& cell) {
    const std::string_view value = Trim(value_);
    int64_t index = -1;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), index);
    if (error != std::errc() || end != value.data() + value.size() || index < 0) {
      return InvalidArgument(context_.display_name + ": " + Name() +
                             " refers to the shared string '" + std::string(value.substr(0, 40)) +
                             "', which is not a number");
    }
    const SharedStrings* strings = context_.shared_strings;
    const size_t count = strings == nullptr ? 0 : strings->size();
    if (static_cast<uint64_t>(index) >= count) {
      return InvalidArgument(context_.display_name + ": " + Name() + " refers to shared string " +
                             FormatCount(index) + ", but the workbook has only " +
                             FormatCount(static_cast<int64_t>(count)) + "; the file is damaged" +
                             std::string(kSaveAgain));
    }
    if (const int64_t chars = strings->OverlongChars(static_cast<size_t>(index)); chars > 0) {
      return TooLong(chars);
    }
    const std::string_view text = strings->Get(static_cast<size_t>(index));
    cell.type = text.empty() ? CellType::kEmpty : CellType::kText;
    cell.text.assign(text);
    return Status::Ok();
  }

  Status Number(Cell& cell) {
    const std::string_view value = Trim(value_);
    if (value.empty()) return Status::Ok();
    double number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size()) {
      return InvalidArgument(context_.display_name + ": " + Name() + " holds '" +
                             std::string(value.substr(0, 40)) + "', which is not a number");
    }
    if (context_.styles != nullptr && context_.styles->IsDate(style_)) {
      cell.type = CellType::kDate;
      cell.text = FormatSerialDate(number, context_.date1904);
    } else {
      cell.type = CellType::kNumber;
      cell.text = FormatNumber(number);
    }
    return Status::Ok();
  }

  XmlPullParser parser_;
  const XlsxSheetContext& context_;
  const RowCallback& on_row_;
  int64_t max_kept_bytes_ = 0;
  Row row_;
  int64_t last_row_number_ = 0;
  bool stopped_ = false;
  bool in_sheet_data_ = false;
  bool in_row_ = false;
  bool row_has_number_ = false;
  bool in_cell_ = false;
  bool in_value_ = false;
  bool in_inline_ = false;
  bool has_value_ = false;
  int phonetic_depth_ = 0;
  int64_t next_column_ = 0;
  int64_t column_ = 0;
  int64_t style_ = 0;
  ValueType type_ = ValueType::kNumber;
  std::string value_;
  int64_t dropped_chars_ = 0;
  std::string error_;
};

}  // namespace

Status ReadXlsxSheet(ByteReader& reader, const XlsxSheetContext& context,
                     const RowCallback& on_row) {
  SheetScanner scanner(reader, context, on_row);
  return scanner.Run();
}

}  // namespace roster::sheet
