#pragma once

// OpenStore: the one place that knows both Store backends and picks one from a database URL.
// Only what opens stores links it (the HTTP and CLI layers, tests, benchmarks); the import
// layer works over the Store interface and links neither SQLite nor libpq. Thread-safe; the
// store it returns is used by one thread at a time (store/store.h).

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace roster {

// Opens the store named by `url`: "sqlite:PATH" (or a bare path), or a PostgreSQL connection
// URI "postgresql://..." / "postgres://..." (libpq's syntax and environment variables, such
// as PGPASSWORD). Applies pending migrations.
// Fails with kInvalidArgument for an unknown scheme and kUnavailable when the database
// cannot be opened. `clock` must outlive the store.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const Clock& clock);

}  // namespace roster
