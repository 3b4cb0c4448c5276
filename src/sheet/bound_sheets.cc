#include "sheet/bound_sheets.h"

#include "sheet/text_decoding.h"

namespace roster::sheet {
namespace {

// [MS-XLS] record types, and the fixed part of BOUNDSHEET8: lbPlyPos (4 bytes), hsState,
// dt, then the ShortXLUnicodeString name: cch, fHighByte flags, cch characters.
constexpr uint16_t kBof = 0x0809;
constexpr uint16_t kEof = 0x000A;
constexpr uint16_t kFilePass = 0x002F;
constexpr uint16_t kBoundSheet = 0x0085;
constexpr uint16_t kBiff8Version = 0x0600;  // the BOF's first field in BIFF8
constexpr size_t kRecordHeaderBytes = 4;
constexpr size_t kBoundSheetFixedBytes = 8;
constexpr uint8_t kHiddenStateMask = 0x03;
constexpr uint8_t kHighByteFlag = 0x01;

uint16_t Le16(const char* p) {
  return static_cast<uint16_t>(static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[1])
                                                                      << 8);
}

Status Unreadable(const std::string& display_name, std::string_view why) {
  return InvalidArgument(display_name +
                         ": the sheet list of the Excel 97-2003 workbook cannot be "
                         "read (" +
                         std::string(why) + ")");
}

// The UTF-8 of a sheet name: 8-bit characters are UTF-16 code units without their zero high
// byte (Latin-1); 16-bit ones are UTF-16LE, an unpaired surrogate becoming U+FFFD.
std::string DecodeName(std::string_view chars, bool wide) {
  std::string name;
  if (!wide) {
    for (const char c : chars) AppendUtf8(char32_t{static_cast<unsigned char>(c)}, name);
    return name;
  }
  for (size_t i = 0; i + 1 < chars.size(); i += 2) {
    const char32_t unit = Le16(&chars[i]);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < chars.size()) {
      const char32_t low = Le16(&chars[i + 2]);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), name);
        i += 2;
        continue;
      }
    }
    AppendUtf8(unit >= 0xD800 && unit <= 0xDFFF ? char32_t{0xFFFD} : unit, name);
  }
  return name;
}

}  // namespace

Result<std::vector<BoundSheet>> ReadBoundSheets(std::string_view workbook_stream,
                                                const std::string& display_name) {
  std::vector<BoundSheet> sheets;
  size_t offset = 0;
  bool first = true;
  while (true) {
    if (workbook_stream.size() - offset < kRecordHeaderBytes) {
      return Unreadable(display_name, "the workbook globals end without an EOF record");
    }
    const uint16_t type = Le16(&workbook_stream[offset]);
    const uint16_t length = Le16(&workbook_stream[offset + 2]);
    offset += kRecordHeaderBytes;
    if (workbook_stream.size() - offset < length) {
      return Unreadable(display_name, "a record is cut short");
    }
    const std::string_view data = workbook_stream.substr(offset, length);
    offset += length;
    if (first && (type != kBof || data.size() < 2 || Le16(data.data()) != kBiff8Version)) {
      return Unreadable(display_name, "it does not start with a BIFF8 BOF record");
    }
    first = false;
    if (type == kEof) return sheets;
    if (type == kFilePass) return Unreadable(display_name, "it is encrypted");
    if (type != kBoundSheet) continue;

    if (data.size() < kBoundSheetFixedBytes) {
      return Unreadable(display_name, "a BOUNDSHEET record is cut short");
    }
    BoundSheet sheet;
    sheet.hidden = (static_cast<uint8_t>(data[4]) & kHiddenStateMask) != 0;
    sheet.kind = static_cast<uint8_t>(data[5]);
    const size_t chars = static_cast<unsigned char>(data[6]);
    const bool wide = (static_cast<uint8_t>(data[7]) & kHighByteFlag) != 0;
    const size_t name_bytes = wide ? 2 * chars : chars;
    if (data.size() - kBoundSheetFixedBytes < name_bytes) {
      return Unreadable(display_name, "a sheet name is cut short");
    }
    sheet.name = DecodeName(data.substr(kBoundSheetFixedBytes, name_bytes), wide);
    sheets.push_back(std::move(sheet));
  }
}

}  // namespace roster::sheet
