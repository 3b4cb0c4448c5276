#pragma once

// The backends the store contract suite (and every suite that runs on both, such as the import
// golden tests) runs against. Each entry opens a fresh, empty store.
//
// PostgreSQL needs a server: ROSTER_TEST_PG holds its URL (scripts/test.sh starts a throwaway
// cluster with scripts/pg-cluster.sh and sets it). Without it the PostgreSQL instances fail,
// saying how to start one; ROSTER_TEST_PG=off skips them, for local runs of the SQLite half.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace roster::testing {

struct StoreBackend {
  std::string name;  // used as the test parameter name: "sqlite", "postgres"
  std::function<Result<std::unique_ptr<Store>>(const TempDir& dir, const Clock& clock)> open;
  std::string skip;  // why this backend's tests are skipped (ROSTER_TEST_PG=off); empty: run
  // The URL of a fresh, empty database (for OpenStore), for tests that open it more than once,
  // as two servers or two admins would.
  std::function<Result<std::string>(const TempDir& dir)> fresh_url;
};

std::vector<StoreBackend> StoreBackends();

// The URL of a fresh, empty schema on the test server (its own search_path and
// application_name, both the schema's name), dropped when the test program exits. Fails with
// the way to start a cluster when ROSTER_TEST_PG is not set.
Result<std::string> FreshPostgresUrl();

// ROSTER_TEST_PG=off: the PostgreSQL tests are skipped on purpose.
bool PostgresTestsOff();

// The reason to give when they are.
inline constexpr const char* kPostgresOff =
    "ROSTER_TEST_PG=off: the PostgreSQL half is skipped on purpose";

// Test names and failure messages show the backend's name, not its bytes.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace roster::testing
