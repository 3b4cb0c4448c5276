#pragma once

// The PostgreSQL schema as numbered migrations, applied in order at open inside one
// transaction each. The versions mean what SQLite's do (sqlite_migrations.cc), in PostgreSQL's
// dialect; a migration, once released, never changes: new needs get a new number in both.

#include <span>
#include <string_view>

namespace roster::postgres {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

std::span<const Migration> Migrations();

}  // namespace roster::postgres
