#pragma once

// The demo organization: realistic, international, deterministic. The same seed gives the
// same people, so screenshots and tests can rely on them.

#include <cstdint>
#include <vector>

#include "core/organization.h"
#include "core/user.h"

namespace roster::cli {

Organization DemoOrganization();

// `count` users with unique addresses at the demo domains, names from many countries,
// departments, locations and languages spread as in a mid-size company.
std::vector<User> MakeDemoUsers(int count, uint64_t seed);

}  // namespace roster::cli
