#include "import/formula_guard.h"

#include <gtest/gtest.h>

namespace roster::import {
namespace {

TEST(FormulaGuardTest, NeutralizesWhatASpreadsheetWouldRun) {
  struct Case {
    std::string text, written;
  };
  for (const Case& c : std::vector<Case>{{"=1+1", "'=1+1"},
                                         {"+49 30", "'+49 30"},
                                         {"-Minus", "'-Minus"},
                                         {"@SUM(A1)", "'@SUM(A1)"},
                                         {"\tx", "'\tx"},
                                         {"\rx", "'\rx"},
                                         {"anna@acme.example", "anna@acme.example"},
                                         {"O'Brien", "O'Brien"},
                                         {"", ""}}) {
    EXPECT_EQ(NeutralizeFormula(c.text), c.written) << c.text;
    EXPECT_EQ(StripFormulaGuard(NeutralizeFormula(c.text)), c.text) << c.text;
  }
}

TEST(FormulaGuardTest, StripsOnlyItsOwnApostrophe) {
  EXPECT_EQ(StripFormulaGuard("'quoted"), "'quoted");
  EXPECT_EQ(StripFormulaGuard("'"), "'");
  EXPECT_EQ(StripFormulaGuard("''=x"), "''=x");
}

}  // namespace
}  // namespace roster::import
