#pragma once

// Small text helpers on UTF-8 strings that only touch ASCII bytes, so they never break a
// multi-byte character.

#include <cstdint>
#include <string>
#include <string_view>

namespace roster {

// Without ASCII white space (space, tab, CR, LF, VT, FF) at both ends.
std::string_view Trim(std::string_view text);

// ASCII letters lowered; other bytes unchanged.
std::string AsciiLower(std::string_view text);

// "1,000,000": counts in messages read better with separators.
std::string WithThousands(int64_t value);

}  // namespace roster
