#include "store/support/store_backends.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <pqxx/pqxx>

#include "store/backends/open_store.h"

namespace roster::testing {
namespace {

constexpr std::string_view kVariable = "ROSTER_TEST_PG";

std::string ServerUrl() {
  const char* url = std::getenv(kVariable.data());
  return url != nullptr ? url : "";
}

// The schemas this program made, dropped (with everything in them) when it exits. Under CTest
// every test is a program of its own, so each test's schema goes when the test ends.
class SchemaRegistry {
 public:
  void Add(std::string schema) {
    std::lock_guard lock(mutex_);
    schemas_.push_back(std::move(schema));
  }
  ~SchemaRegistry() {
    if (schemas_.empty()) return;
    try {
      pqxx::connection connection(ServerUrl());
      pqxx::nontransaction drop(connection);
      for (const std::string& schema : schemas_) {
        drop.exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    } catch (const std::exception&) {
      // The cluster is thrown away after the run anyway; a left-over schema harms nothing.
    }
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> schemas_;
};

SchemaRegistry& Schemas() {
  static SchemaRegistry registry;
  return registry;
}

}  // namespace

bool PostgresTestsOff() { return ServerUrl() == "off"; }

// LeakSanitizer (ASan builds): libpqxx 6.4 loses libpq's result of a statement that meets a
// broken connection (make_result asks the dead connection for its encoding and throws before
// it owns the PGresult; fixed in libpqxx 7). Roster never calls libpq itself, so what libpq
// allocates is libpqxx's to free; the lost-connection tests would fail on this alone.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpq.so\n"; }

Result<std::string> FreshPostgresUrl() {
  std::string server = ServerUrl();
  if (server.empty()) {
    return FailedPrecondition(
        "ROSTER_TEST_PG is not set, so the PostgreSQL tests cannot run. Start a throwaway "
        "cluster with `scripts/pg-cluster.sh start DIR` and export ROSTER_TEST_PG=<the URL it "
        "prints> (scripts/test.sh does both), or set ROSTER_TEST_PG=off to run the SQLite half "
        "only");
  }
  static std::atomic<int> counter{0};
  const std::string schema =
      "roster_t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  try {
    pqxx::connection connection(server);
    pqxx::nontransaction create(connection);
    create.exec("CREATE SCHEMA " + schema);
  } catch (const std::exception& error) {
    return Unavailable("cannot create a schema on the test server " + server + " (" +
                       std::string(kVariable) + "): " + error.what());
  }
  Schemas().Add(schema);
  // libpq's `options` sets the schema for every connection of the store.
  return server + (server.find('?') == std::string::npos ? "?" : "&") +
         "options=-c%20search_path%3D" + schema + "&application_name=" + schema;
}

std::vector<StoreBackend> StoreBackends() {
  return {
      {"sqlite",
       [](const TempDir& dir, const Clock& clock) {
         return OpenStore("sqlite:" + dir.File("roster.db"), clock);
       },
       "",
       [](const TempDir& dir) -> Result<std::string> { return "sqlite:" + dir.File("roster.db"); }},
      {"postgres",
       [](const TempDir&, const Clock& clock) -> Result<std::unique_ptr<Store>> {
         ROSTER_ASSIGN_OR_RETURN(std::string url, FreshPostgresUrl());
         return OpenStore(url, clock);
       },
       PostgresTestsOff() ? kPostgresOff : "", [](const TempDir&) { return FreshPostgresUrl(); }},
  };
}

}  // namespace roster::testing
