#include "store/postgres/postgres_store.h"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_set>
#include <utility>

#include "store/backend_common.h"
#include "store/postgres/postgres_db.h"
#include "store/postgres/postgres_migrations.h"
#include "store/postgres/postgres_user_fields.h"

namespace roster {
namespace {

using postgres::View;

// Transaction-level advisory locks (pg_advisory_xact_lock(space, key)): the first key names
// what is locked, so Roster's locks do not collide with other users of the database.
constexpr int kMigrationLockSpace = 0x526f7301;  // key 0: applying migrations

constexpr std::string_view kAccountColumns =
    "id, org_id, user_id, email_key, created_at, last_login_at";

User UserFromRow(const pqxx::row& row) {
  User user;
  user.id = row[0].as<int64_t>();
  user.org_id = row[1].as<int64_t>();
  user.email = row[2].c_str();
  user.email_key = row[3].c_str();
  user.first_name = row[4].c_str();
  user.last_name = row[5].c_str();
  user.gender = row[6].c_str();
  user.academic_degree = row[7].c_str();
  user.language = row[8].c_str();
  user.address_type = row[9].c_str();
  user.manager_email = row[10].c_str();
  user.department = row[11].c_str();
  user.location = row[12].c_str();
  user.employee_id = row[13].c_str();
  user.active = row[14].as<bool>();
  user.created_at = row[15].as<int64_t>();
  user.updated_at = row[16].as<int64_t>();
  return user;
}

std::optional<int64_t> OptionalInt(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<int64_t>();
}

ElearningAccount AccountFromRow(const pqxx::row& row) {
  ElearningAccount account;
  account.id = row[0].as<int64_t>();
  account.org_id = row[1].as<int64_t>();
  account.user_id = OptionalInt(row[2]);
  account.email_key = row[3].c_str();
  account.created_at = row[4].as<int64_t>();
  account.last_login_at = OptionalInt(row[5]);
  return account;
}

// Sorting like SQLite: keys bytewise, names case-insensitively, ties by id.
std::string_view SortColumn(UserSort sort) {
  switch (sort) {
    case UserSort::kEmail: return "u.email_key";
    case UserSort::kFirstName: return "lower(u.first_name) COLLATE \"C\"";
    case UserSort::kLastName: return "lower(u.last_name) COLLATE \"C\"";
    case UserSort::kDepartment: return "lower(u.department) COLLATE \"C\"";
    case UserSort::kLocation: return "lower(u.location) COLLATE \"C\"";
    case UserSort::kCreatedAt: return "u.created_at";
    case UserSort::kId: return "u.id";
  }
  return "u.id";
}

std::string NoSuchAccount(int64_t account_id) {
  return "no e-learning account with the id " + std::to_string(account_id);
}

// Runs `copy` (which writes rows with a pqxx::stream_to) and turns a constraint violation that
// PostgreSQL reports for one row into `refused(row index, status)`; other errors pass on.
template <typename Copy, typename Refused>
Status CopyRows(Copy&& copy, Refused&& refused) {
  try {
    copy();
    return Status::Ok();
  } catch (const pqxx::sql_error& error) {
    const std::string& state = error.sqlstate();
    std::optional<size_t> row = postgres::FailedCopyRow(error.what());
    if (row && state == "23505") return refused(*row, AlreadyExists(error.what()));
    if (row && state == "23514") return refused(*row, FailedPrecondition(error.what()));
    throw;
  }
}

}  // namespace

PostgresStore::PostgresStore(std::unique_ptr<postgres::Db> db, const Clock& clock)
    : db_(std::move(db)), clock_(clock) {}

PostgresStore::~PostgresStore() = default;

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           const Clock& clock) {
  ROSTER_ASSIGN_OR_RETURN(auto db, postgres::Db::Open(url));
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(db), clock));
  ROSTER_RETURN_IF_ERROR(store->Migrate());
  return store;
}

Status PostgresStore::Migrate() {
  const int latest = postgres::Migrations().back().version;
  // One transaction per pending migration, each under an advisory lock, so that processes
  // starting together on an empty database migrate it once.
  while (true) {
    bool done = false;
    ROSTER_RETURN_IF_ERROR(
        db_->Transact("applying migrations", [&](pqxx::transaction_base& tx) -> Status {
          tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockSpace) + ", 0)");
          tx.exec(
              "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
          int current =
              tx.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int>();
          if (current > latest) return SchemaTooNew(current, latest);
          for (const postgres::Migration& migration : postgres::Migrations()) {
            if (migration.version <= current) continue;
            tx.exec(std::string(migration.sql));
            tx.exec_params("INSERT INTO schema_migrations VALUES ($1, $2, $3)", migration.version,
                           std::string(migration.description), clock_.NowSeconds());
            return Status::Ok();
          }
          done = true;
          return Status::Ok();
        }));
    if (done) return Status::Ok();
  }
}

Result<int> PostgresStore::SchemaVersion() {
  return db_->Transact(
      "reading the schema version", [&](pqxx::transaction_base& tx) -> Result<int> {
        return tx.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int>();
      });
}

// --- Organizations

Result<Organization> PostgresStore::CreateOrganization(const Organization& organization) {
  Result<Organization> created = db_->Transact(
      "creating an organization", [&](pqxx::transaction_base& tx) -> Result<Organization> {
        Organization stored = organization;
        stored.id = tx.exec_params1(
                          "INSERT INTO organizations (slug, name, default_language, created_at) "
                          "VALUES ($1, $2, $3, $4) RETURNING id",
                          organization.slug, organization.name, organization.default_language,
                          clock_.NowSeconds())[0]
                        .as<int64_t>();
        for (const std::string& domain : organization.domains) {
          tx.exec_params(
              "INSERT INTO organization_domains (org_id, domain) VALUES ($1, $2) "
              "ON CONFLICT DO NOTHING",
              stored.id, domain);
        }
        return stored;
      });
  if (created.status().code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("an organization with the slug '" + organization.slug +
                         "' exists already");
  }
  return created;
}

Result<Organization> PostgresStore::ReadOrganization(pqxx::transaction_base& tx,
                                                     std::string_view where, const std::string& key,
                                                     const std::string& missing) {
  pqxx::result found = tx.exec_params(
      "SELECT id, slug, name, default_language FROM organizations WHERE " + std::string(where),
      key);
  if (found.empty()) return NotFound(missing);
  Organization organization{
      found[0][0].as<int64_t>(), found[0][1].c_str(), found[0][2].c_str(), found[0][3].c_str(), {}};
  for (const pqxx::row& row :
       tx.exec_params("SELECT domain FROM organization_domains WHERE org_id = $1 "
                      "ORDER BY domain COLLATE \"C\"",
                      organization.id)) {
    organization.domains.emplace_back(row[0].c_str());
  }
  return organization;
}

Result<Organization> PostgresStore::FindOrganization(std::string_view slug) {
  return db_->Transact("finding an organization", [&](pqxx::transaction_base& tx) {
    return ReadOrganization(tx, "slug = $1", std::string(slug),
                            "no organization with the slug '" + std::string(slug) + "'");
  });
}

Result<Organization> PostgresStore::GetOrganization(int64_t org_id) {
  return db_->Transact("reading an organization", [&](pqxx::transaction_base& tx) {
    return ReadOrganization(tx, "id = $1", std::to_string(org_id),
                            "no organization with the id " + std::to_string(org_id));
  });
}

Result<std::vector<Organization>> PostgresStore::ListOrganizations() {
  return db_->Transact(
      "listing organizations",
      [&](pqxx::transaction_base& tx) -> Result<std::vector<Organization>> {
        std::vector<Organization> organizations;
        std::map<int64_t, size_t> index;
        for (const pqxx::row& row : tx.exec("SELECT id, slug, name, default_language FROM "
                                            "organizations ORDER BY slug COLLATE \"C\"")) {
          index[row[0].as<int64_t>()] = organizations.size();
          organizations.push_back(
              {row[0].as<int64_t>(), row[1].c_str(), row[2].c_str(), row[3].c_str(), {}});
        }
        for (const pqxx::row& row : tx.exec("SELECT org_id, domain FROM organization_domains "
                                            "ORDER BY org_id, domain COLLATE \"C\"")) {
          organizations[index.at(row[0].as<int64_t>())].domains.emplace_back(row[1].c_str());
        }
        return organizations;
      });
}

// --- Users

Status PostgresStore::InsertUsers(pqxx::transaction_base& tx, int64_t org_id,
                                  std::span<User> users) {
  if (users.empty()) return Status::Ok();
  const int64_t now = clock_.NowSeconds();
  std::vector<int64_t> ids = postgres::ReserveIds(tx, "users", users.size());
  std::vector<std::string> columns = {"id", "org_id"};
  for (std::string& column : postgres::UserFieldColumnNames()) columns.push_back(column);
  columns.insert(columns.end(), {"created_at", "updated_at"});
  const std::string org = std::to_string(org_id);
  const std::string stamp = std::to_string(now);
  ROSTER_RETURN_IF_ERROR(CopyRows(
      [&] {
        pqxx::stream_to copy(tx, "users", columns);
        // id, org_id, the attributes, created_at, updated_at.
        std::array<std::string, postgres::kUserFieldCount + 4> row;
        row[1] = org;
        row[row.size() - 2] = row[row.size() - 1] = stamp;
        for (size_t i = 0; i < users.size(); ++i) {
          row[0] = std::to_string(ids[i]);
          std::array<std::string, postgres::kUserFieldCount> fields =
              postgres::UserFieldValues(users[i]);
          std::move(fields.begin(), fields.end(), row.begin() + 2);
          copy << row;
        }
        copy.complete();
      },
      [&](size_t row, const Status& status) {
        return row < users.size() ? UserWriteError(status, users[row]) : status;
      }));
  bool any_groups = false;
  for (size_t i = 0; i < users.size(); ++i) {
    users[i].id = ids[i];
    users[i].org_id = org_id;
    users[i].created_at = users[i].updated_at = now;
    any_groups = any_groups || !users[i].groups.empty();
  }
  if (any_groups) {
    pqxx::stream_to copy(tx, "user_groups", std::vector<std::string>{"user_id", "group_name"});
    for (const User& user : users) {
      std::vector<std::string> groups = user.groups;
      std::sort(groups.begin(), groups.end());
      groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
      for (const std::string& group : groups) copy << std::make_tuple(user.id, group);
    }
    copy.complete();
  }
  // Accounts that waited for these addresses link now; the new users are the ids reserved
  // above (others in that range were created and linked by their own transactions).
  tx.exec_params(
      "UPDATE elearning_accounts a SET user_id = u.id FROM users u WHERE u.org_id = $1 AND "
      "u.id BETWEEN $2 AND $3 AND a.org_id = $1 AND a.email_key = u.email_key AND "
      "a.user_id IS NULL",
      org_id, ids.front(), ids.back());
  return Status::Ok();
}

Status PostgresStore::CreateUsers(int64_t org_id, std::span<User> users) {
  return db_->Transact("creating users",
                       [&](pqxx::transaction_base& tx) { return InsertUsers(tx, org_id, users); });
}

Result<User> PostgresStore::CreateUser(int64_t org_id, const User& user) {
  User created = user;
  ROSTER_RETURN_IF_ERROR(CreateUsers(org_id, std::span<User>(&created, 1)));
  return created;
}

Result<User> PostgresStore::ReadUser(pqxx::transaction_base& tx, int64_t org_id, int64_t user_id) {
  pqxx::result found = tx.exec_params(
      "SELECT " + std::string(kUserColumns) + " FROM users u WHERE u.org_id = $1 AND u.id = $2",
      org_id, user_id);
  if (found.empty()) return NotFound("no user with the id " + std::to_string(user_id));
  User user = UserFromRow(found[0]);
  for (const pqxx::row& row : tx.exec_params("SELECT group_name FROM user_groups WHERE "
                                             "user_id = $1 ORDER BY group_name COLLATE \"C\"",
                                             user_id)) {
    user.groups.emplace_back(row[0].c_str());
  }
  return user;
}

Result<User> PostgresStore::GetUser(int64_t org_id, int64_t user_id) {
  return db_->Transact("reading a user",
                       [&](pqxx::transaction_base& tx) { return ReadUser(tx, org_id, user_id); });
}

void PostgresStore::WriteGroupsAndLink(pqxx::transaction_base& tx, int64_t org_id, int64_t user_id,
                                       const std::vector<std::string>& groups,
                                       const std::string& email_key) {
  // One round trip: groups not listed go, listed ones come (once), and an account waiting for
  // the address links unless the user has one already.
  tx.exec_params(
      "WITH cleared AS (DELETE FROM user_groups WHERE user_id = $1 AND "
      "NOT (group_name = ANY ($2::text[]))), "
      "added AS (INSERT INTO user_groups (user_id, group_name) SELECT DISTINCT $1::bigint, g "
      "FROM unnest($2::text[]) g ON CONFLICT DO NOTHING) "
      "UPDATE elearning_accounts SET user_id = $1 WHERE org_id = $3 AND email_key = $4 AND "
      "user_id IS NULL AND NOT EXISTS (SELECT 1 FROM elearning_accounts o WHERE "
      "o.user_id = $1)",
      user_id, postgres::TextArray(groups), org_id, email_key);
}

Result<User> PostgresStore::UpdateUser(int64_t org_id, const User& user) {
  Result<User> updated =
      db_->Transact("updating a user", [&](pqxx::transaction_base& tx) -> Result<User> {
        pqxx::result changed =
            tx.exec_params("UPDATE users SET " + postgres::UserFieldAssignments(1) +
                               ", updated_at = $14 WHERE org_id = $15 AND id = $16",
                           pqxx::prepare::make_dynamic_params(postgres::UserFieldValues(user)),
                           clock_.NowSeconds(), org_id, user.id);
        if (changed.affected_rows() != 1) {
          return NotFound("no user with the id " + std::to_string(user.id));
        }
        WriteGroupsAndLink(tx, org_id, user.id, user.groups, user.email_key);
        return ReadUser(tx, org_id, user.id);
      });
  if (updated.status().code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("another user has the address " + user.email + " already");
  }
  if (!updated.ok()) return UserWriteError(updated.status(), user);
  return updated;
}

Status PostgresStore::DeleteUser(int64_t org_id, int64_t user_id, bool delete_elearning,
                                 const AuditEntry& audit) {
  return db_->Transact("deleting a user", [&](pqxx::transaction_base& tx) -> Status {
    if (delete_elearning) {
      tx.exec_params("DELETE FROM elearning_accounts WHERE org_id = $1 AND user_id = $2", org_id,
                     user_id);
    }
    pqxx::result deleted =
        tx.exec_params("DELETE FROM users WHERE org_id = $1 AND id = $2", org_id, user_id);
    if (deleted.affected_rows() != 1) {
      return NotFound("no user with the id " + std::to_string(user_id));
    }
    if (!audit.action.empty()) {
      tx.exec_params(
          "INSERT INTO audit_events (org_id, actor, action, at, details) "
          "VALUES ($1, $2, $3, $4, $5)",
          org_id, audit.actor, audit.action, clock_.NowSeconds(), audit.details);
    }
    return Status::Ok();
  });
}

Result<UserPage> PostgresStore::ListUsers(int64_t org_id, const UserQuery& query) {
  return db_->Transact("listing users", [&](pqxx::transaction_base& tx) -> Result<UserPage> {
    // $1 the organization, $2 the search pattern if there is a search; then limit, offset.
    std::vector<std::string> parameters = {std::to_string(org_id)};
    std::string where = " FROM users u WHERE u.org_id = $1";
    if (!query.search.empty()) {
      parameters.push_back(ContainsPattern(query.search));
      where +=
          " AND (u.email ILIKE $2 ESCAPE '\\' OR u.first_name ILIKE $2 ESCAPE '\\' "
          "OR u.last_name ILIKE $2 ESCAPE '\\' OR (u.first_name || ' ' || u.last_name) "
          "ILIKE $2 ESCAPE '\\')";
    }
    UserPage page;
    page.total = tx.exec_params1("SELECT count(*)" + where,
                                 pqxx::prepare::make_dynamic_params(parameters))[0]
                     .as<int64_t>();
    const std::string limit = "$" + std::to_string(parameters.size() + 1);
    const std::string offset = "$" + std::to_string(parameters.size() + 2);
    parameters.push_back(std::to_string(query.limit));
    parameters.push_back(std::to_string(query.offset));
    std::string sql = "SELECT " + std::string(kUserColumns) +
                      ", (SELECT a.id FROM elearning_accounts a WHERE a.user_id = u.id "
                      "ORDER BY a.id LIMIT 1)" +
                      where + " ORDER BY " + std::string(SortColumn(query.sort)) +
                      (query.descending ? " DESC" : " ASC") + ", u.id LIMIT " + limit + " OFFSET " +
                      offset;
    for (const pqxx::row& row :
         tx.exec_params(sql, pqxx::prepare::make_dynamic_params(parameters))) {
      page.users.push_back({UserFromRow(row), OptionalInt(row[kUserColumnCount])});
    }
    return page;
  });
}

Result<int64_t> PostgresStore::CountUsers(int64_t org_id) {
  return db_->Transact("counting users", [&](pqxx::transaction_base& tx) -> Result<int64_t> {
    return tx.exec_params1("SELECT count(*) FROM users WHERE org_id = $1", org_id)[0].as<int64_t>();
  });
}

Status PostgresStore::ForEachUserKey(int64_t org_id,
                                     const std::function<void(const UserKey&)>& visit) {
  return db_->Transact("reading the user keys", [&](pqxx::transaction_base& tx) -> Status {
    // One pass over both tables (a merge or hash join), never a lookup per user.
    const std::string org = std::to_string(org_id);
    UserKey key;
    postgres::ForEachRow(tx,
                         "SELECT u.id, u.email_key, a.user_id IS NOT NULL FROM users u LEFT JOIN "
                         "(SELECT DISTINCT user_id FROM elearning_accounts WHERE org_id = " +
                             org +
                             " AND user_id IS NOT NULL) a ON a.user_id = u.id WHERE "
                             "u.org_id = " +
                             org,
                         [&](const pqxx::row& row) {
                           key.user_id = row[0].as<int64_t>();
                           key.email_key.assign(View(row[1]));
                           key.has_elearning = View(row[2]) == "t";
                           visit(key);
                         });
    return Status::Ok();
  });
}

// --- E-learning accounts

Result<ElearningAccount> PostgresStore::CreateElearningAccount(int64_t org_id,
                                                               std::string_view email_key) {
  std::string key(email_key);
  ROSTER_ASSIGN_OR_RETURN(std::vector<ElearningAccount> created,
                          CreateElearningAccounts(org_id, std::span<const std::string>(&key, 1)));
  return created.front();
}

Result<std::vector<ElearningAccount>> PostgresStore::CreateElearningAccounts(
    int64_t org_id, std::span<const std::string> email_keys) {
  return db_->Transact(
      "creating e-learning accounts",
      [&](pqxx::transaction_base& tx) -> Result<std::vector<ElearningAccount>> {
        std::vector<ElearningAccount> created(email_keys.size());
        if (email_keys.empty()) return created;
        const int64_t now = clock_.NowSeconds();
        std::vector<int64_t> ids =
            postgres::ReserveIds(tx, "elearning_accounts", email_keys.size());
        ROSTER_RETURN_IF_ERROR(CopyRows(
            [&] {
              pqxx::stream_to copy(
                  tx, "elearning_accounts",
                  std::vector<std::string>{"id", "org_id", "email_key", "created_at"});
              for (size_t i = 0; i < email_keys.size(); ++i) {
                copy << std::make_tuple(ids[i], org_id, email_keys[i], now);
              }
              copy.complete();
            },
            [&](size_t row, const Status& status) {
              if (row >= email_keys.size() || status.code() != ErrorCode::kAlreadyExists) {
                return status;
              }
              return AlreadyExists("an e-learning account for " + email_keys[row] +
                                   " exists already");
            }));
        for (size_t i = 0; i < email_keys.size(); ++i) {
          created[i] = {ids[i], org_id, std::nullopt, email_keys[i], now, std::nullopt};
        }
        // Link to the users with these keys, in one statement.
        for (const pqxx::row& row :
             tx.exec_params("UPDATE elearning_accounts a SET user_id = u.id FROM users u WHERE "
                            "a.org_id = $1 AND a.id BETWEEN $2 AND $3 AND a.user_id IS NULL AND "
                            "u.org_id = $1 AND u.email_key = a.email_key RETURNING a.id, a.user_id",
                            org_id, ids.front(), ids.back())) {
          int64_t id = row[0].as<int64_t>();
          auto found = std::lower_bound(ids.begin(), ids.end(), id);
          if (found != ids.end() && *found == id) {
            created[static_cast<size_t>(found - ids.begin())].user_id = row[1].as<int64_t>();
          }
        }
        return created;
      });
}

Result<ElearningAccount> PostgresStore::GetElearningAccount(int64_t org_id, int64_t account_id) {
  return db_->Transact(
      "reading an e-learning account", [&](pqxx::transaction_base& tx) -> Result<ElearningAccount> {
        pqxx::result found =
            tx.exec_params("SELECT " + std::string(kAccountColumns) +
                               " FROM elearning_accounts WHERE org_id = $1 AND id = $2",
                           org_id, account_id);
        if (found.empty()) return NotFound(NoSuchAccount(account_id));
        return AccountFromRow(found[0]);
      });
}

Result<int64_t> PostgresStore::CountElearningAccounts(int64_t org_id) {
  return db_->Transact("counting e-learning accounts",
                       [&](pqxx::transaction_base& tx) -> Result<int64_t> {
                         return tx
                             .exec_params1(
                                 "SELECT count(*) FROM elearning_accounts WHERE "
                                 "org_id = $1",
                                 org_id)[0]
                             .as<int64_t>();
                       });
}

Status PostgresStore::AccountsBelongTo(pqxx::transaction_base& tx, int64_t org_id,
                                       const std::vector<int64_t>& account_ids) {
  // The first account, in the order given, that is not the organization's.
  std::vector<std::string> ids;
  ids.reserve(account_ids.size());
  for (int64_t id : account_ids) ids.push_back(std::to_string(id));
  pqxx::result foreign = tx.exec_params(
      "SELECT given.id FROM unnest($1::bigint[]) WITH ORDINALITY AS given (id, position) "
      "WHERE NOT EXISTS (SELECT 1 FROM elearning_accounts a WHERE a.id = given.id AND "
      "a.org_id = $2) ORDER BY given.position LIMIT 1",
      postgres::TextArray(ids), org_id);
  if (!foreign.empty()) return NotFound(NoSuchAccount(foreign[0][0].as<int64_t>()));
  return Status::Ok();
}

Status PostgresStore::RecordLearning(int64_t org_id, std::span<const LearningProgress> progress,
                                     std::span<const Certificate> certificates) {
  return db_->Transact("recording learning", [&](pqxx::transaction_base& tx) -> Status {
    // Each account once, in the order of first mention, checked in one statement.
    std::vector<int64_t> accounts;
    std::unordered_set<int64_t> seen;
    for (const LearningProgress& entry : progress) {
      if (seen.insert(entry.account_id).second) accounts.push_back(entry.account_id);
    }
    for (const Certificate& certificate : certificates) {
      if (seen.insert(certificate.account_id).second) accounts.push_back(certificate.account_id);
    }
    if (accounts.empty()) return Status::Ok();
    ROSTER_RETURN_IF_ERROR(AccountsBelongTo(tx, org_id, accounts));
    // COPY into temporary tables, then one upsert each; a later entry for the same account
    // and module wins, as it would written one after the other.
    if (!progress.empty()) {
      tx.exec(
          "CREATE TEMP TABLE roster_progress (seq BIGINT, account_id BIGINT, module TEXT, "
          "status TEXT, score INTEGER, completed_at BIGINT) ON COMMIT DROP");
      {
        pqxx::stream_to copy(tx, "roster_progress",
                             std::vector<std::string>{"seq", "account_id", "module", "status",
                                                      "score", "completed_at"});
        int64_t seq = 0;
        for (const LearningProgress& entry : progress) {
          std::optional<std::string> score;
          if (entry.score) score = std::to_string(*entry.score);
          std::optional<std::string> completed_at;
          if (entry.completed_at) completed_at = std::to_string(*entry.completed_at);
          copy << std::make_tuple(seq++, entry.account_id, entry.module,
                                  std::string(ProgressStatusName(entry.status)),
                                  postgres::OrNull(score), postgres::OrNull(completed_at));
        }
        copy.complete();
      }
      tx.exec(
          "INSERT INTO learning_progress (account_id, module, status, score, completed_at) "
          "SELECT DISTINCT ON (account_id, module) account_id, module, status, score, "
          "completed_at FROM roster_progress ORDER BY account_id, module, seq DESC "
          "ON CONFLICT (account_id, module) DO UPDATE SET status = excluded.status, "
          "score = excluded.score, completed_at = excluded.completed_at");
    }
    if (!certificates.empty()) {
      tx.exec(
          "CREATE TEMP TABLE roster_certificates (seq BIGINT, account_id BIGINT, module TEXT, "
          "issued_at BIGINT) ON COMMIT DROP");
      {
        pqxx::stream_to copy(tx, "roster_certificates",
                             std::vector<std::string>{"seq", "account_id", "module", "issued_at"});
        int64_t seq = 0;
        for (const Certificate& certificate : certificates) {
          copy << std::make_tuple(seq++, certificate.account_id, certificate.module,
                                  certificate.issued_at);
        }
        copy.complete();
      }
      tx.exec(
          "INSERT INTO certificates (account_id, module, issued_at) SELECT DISTINCT ON "
          "(account_id, module) account_id, module, issued_at FROM roster_certificates "
          "ORDER BY account_id, module, seq DESC ON CONFLICT (account_id, module) DO UPDATE "
          "SET issued_at = excluded.issued_at");
    }
    return Status::Ok();
  });
}

Result<std::vector<LearningProgress>> PostgresStore::ListProgress(int64_t org_id,
                                                                  int64_t account_id) {
  return db_->Transact(
      "listing learning progress",
      [&](pqxx::transaction_base& tx) -> Result<std::vector<LearningProgress>> {
        ROSTER_RETURN_IF_ERROR(AccountsBelongTo(tx, org_id, {account_id}));
        std::vector<LearningProgress> list;
        for (const pqxx::row& row :
             tx.exec_params("SELECT module, status, score, completed_at FROM learning_progress "
                            "WHERE account_id = $1 ORDER BY module COLLATE \"C\"",
                            account_id)) {
          LearningProgress progress{account_id, row[0].c_str(),
                                    ProgressStatusFromName(View(row[1])), std::nullopt,
                                    OptionalInt(row[3])};
          if (!row[2].is_null()) progress.score = row[2].as<int>();
          list.push_back(std::move(progress));
        }
        return list;
      });
}

Result<std::vector<Certificate>> PostgresStore::ListCertificates(int64_t org_id,
                                                                 int64_t account_id) {
  return db_->Transact(
      "listing certificates", [&](pqxx::transaction_base& tx) -> Result<std::vector<Certificate>> {
        ROSTER_RETURN_IF_ERROR(AccountsBelongTo(tx, org_id, {account_id}));
        std::vector<Certificate> list;
        for (const pqxx::row& row :
             tx.exec_params("SELECT module, issued_at FROM certificates WHERE account_id = $1 "
                            "ORDER BY module COLLATE \"C\"",
                            account_id)) {
          list.push_back({account_id, row[0].c_str(), row[1].as<int64_t>()});
        }
        return list;
      });
}

}  // namespace roster
