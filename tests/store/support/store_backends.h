#pragma once

// The backends the store contract suite runs against. Each entry opens a fresh, empty store;
// a backend whose server is not configured here is skipped with a reason, never faked.

#include <functional>
#include <ostream>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace roster::testing {

struct StoreBackend {
  std::string name;  // used as the test parameter name: "sqlite"
  std::function<Result<std::unique_ptr<Store>>(const TempDir& dir, const Clock& clock)> open;
};

std::vector<StoreBackend> StoreBackends();

// Test names and failure messages show the backend's name, not its bytes.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace roster::testing
