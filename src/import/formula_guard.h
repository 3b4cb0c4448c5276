#pragma once

// The guard against spreadsheet formula injection, in both directions: what Roster writes
// (exports, reports) gets a leading apostrophe when a spreadsheet would run the cell as a
// formula, and what Roster reads loses that same apostrophe again, so an exported file can be
// edited and imported back without the guard creeping into the data.

#include <string>
#include <string_view>

namespace roster::import {

// `text` with a leading apostrophe when it starts with =, +, -, @, a tab or CR.
std::string NeutralizeFormula(std::string_view text);

// `text` without the apostrophe NeutralizeFormula would have added; anything else unchanged.
std::string_view StripFormulaGuard(std::string_view text);

}  // namespace roster::import
