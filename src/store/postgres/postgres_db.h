#pragma once

// postgres::Db: one PostgreSQL connection (libpqxx 6.4) behind Status values, the counterpart
// of sqlite::Db. Every use runs inside Transact(), which catches libpqxx's exceptions at this
// boundary and maps them the way sqlite::Db maps SQLite's codes: a unique violation is
// kAlreadyExists, another constraint kFailedPrecondition, a serialization failure, deadlock or
// lock timeout kAborted, a lost connection kUnavailable. PostgreSQL rolls back what a lost
// connection had not committed; the next Transact() connects again. SQL stays visible at the
// call site. A Db is used by one thread at a time.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.h"

namespace roster::postgres {

class Db {
 public:
  // Connects to `url` (a libpq connection URI, "postgresql://user@host:port/database?...";
  // libpq's PG* environment variables fill in what it leaves out). kUnavailable when the
  // server cannot be reached.
  static Result<std::unique_ptr<Db>> Open(std::string url);

  // Runs `work(transaction)` in one read-committed transaction and commits when it returns an
  // OK Status or Result; rolls back when it returns an error or throws. `context` names the
  // operation in error messages.
  template <typename Work>
  auto Transact(std::string_view context, Work&& work)
      -> std::invoke_result_t<Work&, pqxx::transaction_base&>;

  // The URL with its password, if any, replaced by "***", for messages.
  static std::string Redacted(std::string_view url);

 private:
  explicit Db(std::string url) : url_(std::move(url)) {}
  Status Connect();
  // The Status for `error`, thrown while `context` ran; forgets a connection that is gone.
  Status Failure(const std::exception& error, std::string_view context);

  std::string url_;
  std::unique_ptr<pqxx::connection> connection_;
};

template <typename Work>
auto Db::Transact(std::string_view context, Work&& work)
    -> std::invoke_result_t<Work&, pqxx::transaction_base&> {
  try {
    ROSTER_RETURN_IF_ERROR(Connect());
    pqxx::work transaction(*connection_);
    auto outcome = work(static_cast<pqxx::transaction_base&>(transaction));
    if (outcome.ok()) transaction.commit();
    return outcome;
  } catch (const std::exception& error) {
    return Failure(error, context);
  }
}

// --- Helpers for statements inside a transaction.

// A value for a nullable parameter: nullptr (SQL NULL) or the text's characters.
inline const char* OrNull(const std::optional<std::string>& text) {
  return text ? text->c_str() : nullptr;
}

// Runs `query` through a server-side cursor and calls `visit` with each row, a batch of rows a
// round trip, so that a million rows are neither fetched one by one nor held at once.
void ForEachRow(pqxx::transaction_base& transaction, const std::string& query,
                const std::function<void(const pqxx::row&)>& visit);

// The text of a field without a copy; valid while its result lives.
inline std::string_view View(const pqxx::field& field) {
  return std::string_view(field.c_str(), field.size());
}

// An array literal of `values` ('{"a","b"}'), for a text[] parameter.
std::string TextArray(const std::vector<std::string>& values);

// `count` fresh values of the identity column `id` of `table`, in increasing order, so that a
// COPY can write rows with their ids and the caller knows them.
std::vector<int64_t> ReserveIds(pqxx::transaction_base& transaction, std::string_view table,
                                size_t count);

// The 1-based line of a failed COPY that PostgreSQL names in `message` ("COPY users, line
// 3"), as an index into the rows written; nothing when it names none.
std::optional<size_t> FailedCopyRow(std::string_view message);

}  // namespace roster::postgres
