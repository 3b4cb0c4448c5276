#include "store/backends/open_store.h"

#include <string_view>
#include <utility>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace roster {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const Clock& clock) {
  constexpr std::string_view kSqlitePrefix = "sqlite:";
  std::string path = url;
  if (url.starts_with(kSqlitePrefix)) {
    path = url.substr(kSqlitePrefix.size());
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(url, clock));
    return std::unique_ptr<Store>(std::move(store));
  } else if (url.find("://") != std::string::npos) {
    return InvalidArgument("unknown database URL '" + url +
                           "': use sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE");
  }
  if (path.empty()) return InvalidArgument("the database URL 'sqlite:' names no file");
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(path, clock));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace roster
