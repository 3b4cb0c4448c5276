#pragma once

// A user as the tests create them: the address as written, its matching key, the names, and
// English (the one attribute without a default the store needs).

#include <string>

#include "core/user.h"

namespace roster::testing {

// `email` must be a valid address (the key of an invalid one ends the test program).
User TestUser(const std::string& email, std::string first_name = "F", std::string last_name = "L");

}  // namespace roster::testing
