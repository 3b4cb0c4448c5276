#include "import/formula_guard.h"

namespace roster::import {
namespace {

bool StartsFormula(std::string_view text) {
  if (text.empty()) return false;
  char first = text.front();
  return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
         first == '\r';
}

}  // namespace

std::string NeutralizeFormula(std::string_view text) {
  return StartsFormula(text) ? "'" + std::string(text) : std::string(text);
}

std::string_view StripFormulaGuard(std::string_view text) {
  if (text.size() >= 2 && text.front() == '\'' && StartsFormula(text.substr(1))) {
    return text.substr(1);
  }
  return text;
}

}  // namespace roster::import
