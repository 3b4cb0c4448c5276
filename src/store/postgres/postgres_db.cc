#include "store/postgres/postgres_db.h"

#include <algorithm>
#include <charconv>

namespace roster::postgres {
namespace {

// Rows a FETCH brings: big enough that a million rows are 20 round trips, small enough that a
// batch stays a few megabytes.
constexpr int kFetchRows = 50'000;

std::string FirstLine(std::string_view text) {
  size_t end = text.find('\n');
  return std::string(text.substr(0, end));
}

// PostgreSQL's error classes (SQLSTATE) that say the server or the connection went away:
// connection exceptions (08), operator intervention such as pg_terminate_backend (57P), and
// insufficient resources (53: disk full, out of memory, too many connections).
bool MeansUnavailable(std::string_view state) {
  return state.starts_with("08") || state.starts_with("57P") || state.starts_with("53");
}

}  // namespace

Result<std::unique_ptr<Db>> Db::Open(std::string url) {
  std::unique_ptr<Db> db(new Db(std::move(url)));
  ROSTER_RETURN_IF_ERROR(db->Connect());
  return db;
}

std::string Db::Redacted(std::string_view url) {
  // postgresql://user:password@host/...: the password sits between the first ':' after the
  // scheme and the '@'.
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t at = url.find('@', scheme + 3);
  size_t colon = url.find(':', scheme + 3);
  if (at == std::string_view::npos || colon == std::string_view::npos || colon > at) {
    return std::string(url);
  }
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Status Db::Connect() {
  if (connection_ != nullptr && connection_->is_open()) return Status::Ok();
  connection_.reset();
  try {
    auto connection = std::make_unique<pqxx::connection>(url_);
    {
      // Notices ("table does not exist, skipping") are not errors; libpqxx would print them.
      // JIT compilation costs 0.1 to 0.5 s a statement and pays only for long computations;
      // Roster's statements are scans and joins that run shorter than that.
      pqxx::nontransaction setup(*connection);
      setup.exec("SET client_min_messages = warning");
      setup.exec("SET jit = off");
      // A machine that vanishes mid-execution holds its job's locks until the server notices:
      // with these keepalives within about a minute, not the system's default two hours.
      setup.exec("SET tcp_keepalives_idle = 30");
      setup.exec("SET tcp_keepalives_interval = 10");
      setup.exec("SET tcp_keepalives_count = 3");
    }
    connection_ = std::move(connection);
    return Status::Ok();
  } catch (const std::exception& error) {
    return Unavailable("cannot connect to the PostgreSQL database " + Redacted(url_) + ": " +
                       FirstLine(error.what()));
  }
}

Status Db::Failure(const std::exception& error, std::string_view context) {
  std::string message = "PostgreSQL (" + std::string(context) + "): " + FirstLine(error.what());
  Status status = Internal(message);
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    const std::string& state = sql->sqlstate();
    if (state == "23505") {
      status = AlreadyExists(std::move(message));
    } else if (state == "23503") {
      // Our statements only name rows they have just seen: a missing one was deleted by a
      // concurrent transaction.
      status = Aborted("the data changed concurrently; try again. " + message);
    } else if (state.starts_with("23")) {
      status = FailedPrecondition(std::move(message));
    } else if (state == "40001" || state == "40P01" || state == "55P03") {
      status = Aborted(
          "the database is busy with another writer (an import running in another process?); "
          "try again when it is done. " +
          message);
    } else if (MeansUnavailable(state)) {
      status = Unavailable(std::move(message));
    }
  } else if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    status = Unavailable(
        "the connection was lost while committing, so whether the change was "
        "committed is unknown. " +
        message);
  } else if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    status = Unavailable(
        "the connection to the database was lost; nothing of this operation was "
        "committed. " +
        message);
  }
  if (connection_ != nullptr && !connection_->is_open()) {
    if (status.code() != ErrorCode::kUnavailable) status = Unavailable(status.message());
  }
  // The next call connects again; a connection that failed this way is not trusted further.
  if (status.code() == ErrorCode::kUnavailable) connection_.reset();
  return status;
}

void ForEachRow(pqxx::transaction_base& transaction, const std::string& query,
                const std::function<void(const pqxx::row&)>& visit) {
  // Every row is read: plan for all of them, not for the first tenth (PostgreSQL's default
  // for cursors, which picks row-by-row lookups over one hash join).
  transaction.exec("SET LOCAL cursor_tuple_fraction = 1.0");
  transaction.exec("DECLARE roster_rows NO SCROLL CURSOR FOR " + query);
  const std::string fetch = "FETCH " + std::to_string(kFetchRows) + " FROM roster_rows";
  while (true) {
    pqxx::result rows = transaction.exec(fetch);
    for (const pqxx::row& row : rows) visit(row);
    if (rows.size() < static_cast<size_t>(kFetchRows)) break;
  }
  transaction.exec("CLOSE roster_rows");
}

std::string TextArray(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (const std::string& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

std::vector<int64_t> ReserveIds(pqxx::transaction_base& transaction, std::string_view table,
                                size_t count) {
  // One round trip per batch; nextval is not transactional, so ids are never handed out twice.
  constexpr size_t kBatch = 100'000;
  std::vector<int64_t> ids;
  ids.reserve(count);
  const std::string sequence = "pg_get_serial_sequence('" + std::string(table) + "', 'id')";
  while (ids.size() < count) {
    size_t batch = std::min(kBatch, count - ids.size());
    pqxx::result rows =
        transaction.exec("SELECT nextval(" + sequence + ") FROM generate_series(1, " +
                         std::to_string(batch) + ") ORDER BY 1");
    for (const pqxx::row& row : rows) ids.push_back(row[0].as<int64_t>());
  }
  return ids;
}

std::optional<size_t> FailedCopyRow(std::string_view message) {
  constexpr std::string_view kLine = ", line ";
  size_t copy = message.find("COPY ");
  if (copy == std::string_view::npos) return std::nullopt;
  size_t line = message.find(kLine, copy);
  if (line == std::string_view::npos) return std::nullopt;
  const char* first = message.data() + line + kLine.size();
  size_t number = 0;
  auto [end, error] = std::from_chars(first, message.data() + message.size(), number);
  if (error != std::errc() || end == first || number == 0) return std::nullopt;
  return number - 1;
}

}  // namespace roster::postgres
