#include "sheet/cell_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace roster::sheet {
namespace {

TEST(CellFormatTest, FormatNumberAsGeneralCellsShowIt) {
  struct Case {
    double value;
    const char* text;
  };
  const Case cases[] = {
      {42, "42"},
      {0.5, "0.5"},
      {-3.25, "-3.25"},
      {1234567890123, "1234567890123"},
      {0.1 + 0.2, "0.3"},
      {-0.0, "0"},
      {0, "0"},
      {1234567890123456, "1234567890123460"},
      {1e20, "1E+20"},
      {1.5e-7, "1.5E-07"},
      {0.0001, "0.0001"},
      {123456.789, "123456.789"},
      {1.0 / 3.0, "0.333333333333333"},
      {2.0 / 3.0, "0.666666666666667"},
      {9007199254740991, "9007199254740990"},
      {1e16, "1E+16"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatNumber(c.value), c.text) << c.value;
  }
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::quiet_NaN()), "#NUM!");
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::infinity()), "#NUM!");
}

TEST(CellFormatTest, FormatSerialDateIn1900System) {
  struct Case {
    double serial;
    const char* text;
  };
  const Case cases[] = {
      {45352, "2024-03-01"},
      {45352.354166666664, "2024-03-01T08:30:00"},
      {1, "1900-01-01"},
      {59, "1900-02-28"},
      {60, "1900-02-29"},
      {61, "1900-03-01"},
      {0.5, "1899-12-30T12:00:00"},
      {0, "1899-12-30"},
      {36526, "2000-01-01"},
      {2958465, "9999-12-31"},
      {2958465.99998, "9999-12-31T23:59:58"},
      {44197.99999999, "2021-01-02"},  // rounds to the next midnight
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatSerialDate(c.serial, false), c.text) << c.serial;
  }
  EXPECT_EQ(FormatSerialDate(-1, false), "-1");
  EXPECT_EQ(FormatSerialDate(2958466, false), "2958466");
  EXPECT_EQ(FormatSerialDate(1e300, false), "1E+300");
  EXPECT_EQ(FormatSerialDate(std::nan(""), false), "#NUM!");
}

TEST(CellFormatTest, FormatSerialDateIn1904System) {
  EXPECT_EQ(FormatSerialDate(0, true), "1904-01-01");
  EXPECT_EQ(FormatSerialDate(1, true), "1904-01-02");
  EXPECT_EQ(FormatSerialDate(43890, true), "2024-03-01");
  EXPECT_EQ(FormatSerialDate(43890.75, true), "2024-03-01T18:00:00");
  EXPECT_EQ(FormatSerialDate(2957003, true), "9999-12-31");
  EXPECT_EQ(FormatSerialDate(2957004, true), "2957004");
}

TEST(CellFormatTest, IsDateFormatCode) {
  struct Case {
    const char* code;
    bool is_date;
  };
  const Case cases[] = {
      {"yyyy-mm-dd", true},
      {"dd/mm/yy;@", true},
      {"[$-407]d. mmmm yyyy", true},
      {"[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", true},
      {"m/d/yy h:mm", true},
      {"hh:mm:ss", true},
      {"h:mm AM/PM", true},
      {"[Red]yyyy-mm-dd", true},
      {"[h]:mm:ss", false},
      {"[mm]:ss", false},
      {"[ss]", false},
      {"[h]:mm:ss;@", false},
      {"General", false},
      {"0.00", false},
      {"#,##0.00 \"days\"", false},
      {"0.00E+00", false},
      {"@", false},
      {"\\d0", false},
      {"_-* #,##0.00 [$\xe2\x82\xac-407]_-", false},
      {"[Red]0.00;[Blue]-0.00", false},
      {"0 \"unterminated", false},
      {"[unterminated", false},
      {"", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsDateFormatCode(c.code), c.is_date) << c.code;
  }
}

TEST(CellFormatTest, IsBuiltinDateFormat) {
  for (int id : {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 36, 45, 46, 47, 50, 58}) {
    EXPECT_TRUE(IsBuiltinDateFormat(id)) << id;
  }
  for (int id : {0, 1, 2, 9, 10, 11, 13, 23, 26, 37, 44, 48, 49, 59, 164, -1}) {
    EXPECT_FALSE(IsBuiltinDateFormat(id)) << id;
  }
}

}  // namespace
}  // namespace roster::sheet
