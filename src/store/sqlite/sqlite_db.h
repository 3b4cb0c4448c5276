#pragma once

// Thin RAII wrappers over the SQLite C API: a connection and a prepared statement. They turn
// SQLite's result codes into Status values and nothing more; SQL stays visible at the call
// site. A SqliteDb and its statements are used by one thread at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace roster::sqlite {

class Statement;

class Db {
 public:
  // Opens (creating if needed) the database file at `path`.
  static Result<std::unique_ptr<Db>> Open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);

  int64_t LastInsertId() const;
  int64_t Changes() const;
  sqlite3* handle() { return db_; }

  // The Status for SQLite result code `rc`, with the connection's message. Constraint
  // violations become kAlreadyExists, a busy database kAborted, the rest kUnavailable or
  // kInternal.
  Status Error(int rc, std::string_view context) const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

class Statement {
 public:
  Statement(Db& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  // Binds are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT) unless stated.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::optional<int64_t>& value);
  Statement& BindNull(int index);
  Statement& BindBlob(int index, std::string_view bytes);

  // Advances: true with a row, false when done; an error Status on failure.
  Result<bool> Step();
  // Runs to completion, for statements without rows.
  Status Run();
  // Clears bindings and rewinds for the next use.
  void Reset();

  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  std::string_view TextView(int column) const;  // valid until the next Step or Reset
  std::string_view BlobView(int column) const;  // valid until the next Step or Reset

 private:
  Db* db_;
  sqlite3_stmt* stmt_;
};

// A write transaction (BEGIN IMMEDIATE, so the write lock is taken up front and a busy
// database fails at the start, not halfway). Rolls back unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(Db& db);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Db& db) : db_(&db) {}
  Db* db_;
};

// Foreign-key enforcement off while it lives. SQLite ignores the pragma inside a
// transaction: create it before BEGIN, let it go after COMMIT or ROLLBACK.
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(Db& db);
  ~ForeignKeysOff();
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;
  // Whether switching off worked.
  const Status& status() const { return status_; }

 private:
  Db& db_;
  Status status_;
};

}  // namespace roster::sqlite
