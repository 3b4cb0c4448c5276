#include "sheet/bound_sheets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace roster::sheet {
namespace {

std::string Le16(uint16_t value) {
  return {static_cast<char>(value & 0xFF), static_cast<char>(value >> 8)};
}

std::string Record(uint16_t type, const std::string& data) {
  return Le16(type) + Le16(static_cast<uint16_t>(data.size())) + data;
}

const std::string kBof = Record(0x0809, Le16(0x0600) + Le16(0x0005) + std::string(12, '\0'));
const std::string kEof = Record(0x000A, "");

// A BOUNDSHEET8 record with an 8-bit name.
std::string BoundSheetRecord(uint8_t state, uint8_t kind, const std::string& name) {
  return Record(0x0085, std::string(4, '\0') + static_cast<char>(state) + static_cast<char>(kind) +
                            static_cast<char>(name.size()) + '\0' + name);
}

TEST(BoundSheetsTest, ReadsNamesKindsAndHiddenStates) {
  // "Ä€𝄞" in 16-bit characters: U+00C4, U+20AC, and a surrogate pair.
  const std::string wide_name = Le16(0x00C4) + Le16(0x20AC) + Le16(0xD834) + Le16(0xDD1E);
  const std::string stream =
      kBof + Record(0x0042, Le16(1252)) + BoundSheetRecord(0, 0, "Staff") +
      BoundSheetRecord(1, 0, "Archive") + BoundSheetRecord(2, 0, "Secret") +
      BoundSheetRecord(0, 2, "Chart1") + BoundSheetRecord(0, 0, "Caf\xE9") +
      Record(0x0085, std::string(4, '\0') + std::string("\0\0", 2) + '\x04' + '\x01' + wide_name) +
      kEof + BoundSheetRecord(1, 0, "After the EOF");
  Result<std::vector<BoundSheet>> sheets = ReadBoundSheets(stream, "staff.xls");
  ASSERT_TRUE(sheets.ok()) << sheets.status().ToString();
  ASSERT_EQ(sheets->size(), 6u);
  const std::vector<std::string> names = {"Staff",  "Archive",   "Secret",
                                          "Chart1", "Caf\u00e9", "\u00c4\u20ac\U0001D11E"};
  const std::vector<bool> hidden = {false, true, true, false, false, false};
  const std::vector<uint8_t> kinds = {0, 0, 0, 2, 0, 0};
  for (size_t i = 0; i < sheets->size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ((*sheets)[i].name, names[i]);
    EXPECT_EQ((*sheets)[i].hidden, hidden[i]);
    EXPECT_EQ((*sheets)[i].kind, kinds[i]);
  }
}

TEST(BoundSheetsTest, RefusesWhatCannotBeRead) {
  const std::string sheet = BoundSheetRecord(1, 0, "Archive");
  struct Case {
    std::string stream;
    std::string why;
  };
  for (const Case& test : {
           Case{"", "the workbook globals end without an EOF record"},
           Case{kBof + sheet, "the workbook globals end without an EOF record"},
           Case{kBof + sheet.substr(0, sheet.size() - 1), "a record is cut short"},
           Case{kBof + sheet + kEof.substr(0, 3), "the workbook globals end without an EOF record"},
           Case{sheet + kEof, "it does not start with a BIFF8 BOF record"},
           Case{Record(0x0809, Le16(0x0500) + Le16(0x0005)) + sheet + kEof,
                "it does not start with a BIFF8 BOF record"},
           Case{kBof + Record(0x002F, std::string(6, '\0')) + sheet + kEof, "it is encrypted"},
           Case{kBof + Record(0x0085, std::string(7, '\0')) + kEof,
                "a BOUNDSHEET record is cut short"},
           Case{kBof + Record(0x0085, std::string(6, '\0') + "\x05\x01" + "Archive") + kEof,
                "a sheet name is cut short"},  // 5 wide characters need 10 bytes
       }) {
    SCOPED_TRACE(test.why);
    Result<std::vector<BoundSheet>> sheets = ReadBoundSheets(test.stream, "staff.xls");
    ASSERT_FALSE(sheets.ok());
    EXPECT_EQ(sheets.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(sheets.status().message(),
              "staff.xls: the sheet list of the Excel 97-2003 workbook cannot be read (" +
                  test.why + ")");
  }
}

}  // namespace
}  // namespace roster::sheet
