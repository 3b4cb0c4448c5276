#pragma once

// The SQLite schema as numbered migrations, applied in order at open inside one transaction
// each. A migration, once released, never changes: new needs get a new number.

#include <span>
#include <string_view>

namespace roster::sqlite {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
  // Drops and recreates tables that others reference: it runs with foreign-key enforcement
  // off (dropping a referenced table would otherwise run the ON DELETE actions) and checks
  // every reference before it commits.
  bool rebuilds_tables;
};

std::span<const Migration> Migrations();

}  // namespace roster::sqlite
