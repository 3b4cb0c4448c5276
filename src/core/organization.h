#pragma once

// Organization: one customer company, the unit every query is scoped by. Its domains are the
// email domains it owns (stored as lower-case ASCII, IDN domains in punycode); an address
// outside them is refused on add/update.

#include <cstdint>
#include <string>
#include <vector>

namespace roster {

struct Organization {
  int64_t id = 0;
  std::string slug;  // short stable name used on the command line: "acme"
  std::string name;
  std::string default_language = "en";  // ISO 639-1, given to users without a language
  std::vector<std::string> domains;
};

}  // namespace roster
