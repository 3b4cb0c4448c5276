#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "store/backend_common.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/sqlite_user_fields.h"

namespace roster {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

constexpr int kBusyTimeoutMs = 10'000;

// Read a table in its own order rather than through an organization's index once the
// organization holds at least this share of the table's rows.
constexpr int64_t kScanWhenShareTimesThisExceedsAll = 8;

User ReadUser(const Statement& row) {
  User user;
  user.id = row.Int(0);
  user.org_id = row.Int(1);
  user.email = row.Text(2);
  user.email_key = row.Text(3);
  user.first_name = row.Text(4);
  user.last_name = row.Text(5);
  user.gender = row.Text(6);
  user.academic_degree = row.Text(7);
  user.language = row.Text(8);
  user.address_type = row.Text(9);
  user.manager_email = row.Text(10);
  user.department = row.Text(11);
  user.location = row.Text(12);
  user.employee_id = row.Text(13);
  user.active = row.Int(14) != 0;
  user.created_at = row.Int(15);
  user.updated_at = row.Int(16);
  return user;
}

std::string_view SortColumn(UserSort sort) {
  switch (sort) {
    case UserSort::kEmail: return "u.email_key";
    case UserSort::kFirstName: return "u.first_name COLLATE NOCASE";
    case UserSort::kLastName: return "u.last_name COLLATE NOCASE";
    case UserSort::kDepartment: return "u.department COLLATE NOCASE";
    case UserSort::kLocation: return "u.location COLLATE NOCASE";
    case UserSort::kCreatedAt: return "u.created_at";
    case UserSort::kId: return "u.id";
  }
  return "u.id";
}

ElearningAccount ReadAccount(const Statement& row) {
  ElearningAccount account;
  account.id = row.Int(0);
  account.org_id = row.Int(1);
  account.user_id = row.OptionalInt(2);
  account.email_key = row.Text(3);
  account.created_at = row.Int(4);
  account.last_login_at = row.OptionalInt(5);
  return account;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const Clock& clock) {
  ROSTER_ASSIGN_OR_RETURN(auto db, sqlite::Db::Open(path));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db), clock));
  ROSTER_RETURN_IF_ERROR(store->Configure());
  ROSTER_RETURN_IF_ERROR(store->Migrate());
  return store;
}

Status SqliteStore::Configure() {
  sqlite3_busy_timeout(db_->handle(), kBusyTimeoutMs);
  // WAL: readers do not block the writer. synchronous=FULL: a committed import survives a
  // power loss too. secure_delete: deleted users' data is overwritten (DESIGN.md section 2).
  ROSTER_RETURN_IF_ERROR(
      db_->Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -" +
                std::to_string(kCacheKiB)));
  ROSTER_ASSIGN_OR_RETURN(Statement check, db_->Prepare("PRAGMA foreign_keys"));
  ROSTER_ASSIGN_OR_RETURN(bool has_row, check.Step());
  if (!has_row || check.Int(0) != 1) {
    return Internal("this SQLite library cannot enforce foreign keys");
  }
  return Status::Ok();
}

Status SqliteStore::Migrate() {
  ROSTER_RETURN_IF_ERROR(
      db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "description TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  ROSTER_ASSIGN_OR_RETURN(int current, SchemaVersion());
  int latest = 0;
  for (const sqlite::Migration& migration : sqlite::Migrations()) {
    latest = migration.version;
    if (migration.version <= current) continue;
    // Declared before the transaction, so that enforcement is back on only after its end.
    std::optional<sqlite::ForeignKeysOff> foreign_keys_off;
    if (migration.rebuilds_tables) {
      foreign_keys_off.emplace(*db_);
      ROSTER_RETURN_IF_ERROR(foreign_keys_off->status());
    }
    ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
    // Another process may have migrated while we waited for the write lock.
    ROSTER_ASSIGN_OR_RETURN(int now_current, SchemaVersion());
    if (migration.version <= now_current) continue;
    ROSTER_RETURN_IF_ERROR(db_->Exec(migration.sql));
    if (migration.rebuilds_tables) {
      ROSTER_ASSIGN_OR_RETURN(Statement check, db_->Prepare("PRAGMA foreign_key_check"));
      ROSTER_ASSIGN_OR_RETURN(bool dangling, check.Step());
      if (dangling) {
        return Internal("migration " + std::to_string(migration.version) +
                        " would leave a reference in table " + check.Text(0) +
                        " dangling; nothing was changed");
      }
    }
    ROSTER_ASSIGN_OR_RETURN(Statement record,
                            db_->Prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)"));
    record.Bind(1, int64_t{migration.version})
        .Bind(2, migration.description)
        .Bind(3, clock_.NowSeconds());
    ROSTER_RETURN_IF_ERROR(record.Run());
    ROSTER_RETURN_IF_ERROR(transaction.Commit());
  }
  if (current > latest) return SchemaTooNew(current, latest);
  return Status::Ok();
}

Result<int> SqliteStore::SchemaVersion() {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
  return has_row ? static_cast<int>(query.Int(0)) : 0;
}

// --- Organizations

Result<Organization> SqliteStore::CreateOrganization(const Organization& organization) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO organizations (slug, name, default_language, created_at) "
                   "VALUES (?, ?, ?, ?)"));
  insert.Bind(1, organization.slug)
      .Bind(2, organization.name)
      .Bind(3, organization.default_language)
      .Bind(4, clock_.NowSeconds());
  if (Status status = insert.Run(); !status.ok()) {
    if (status.code() == ErrorCode::kAlreadyExists) {
      return AlreadyExists("an organization with the slug '" + organization.slug +
                           "' exists already");
    }
    return status;
  }
  Organization created = organization;
  created.id = db_->LastInsertId();
  ROSTER_ASSIGN_OR_RETURN(Statement insert_domain,
                          db_->Prepare("INSERT OR IGNORE INTO organization_domains "
                                       "(org_id, domain) VALUES (?, ?)"));
  for (const std::string& domain : organization.domains) {
    ROSTER_RETURN_IF_ERROR(insert_domain.Bind(1, created.id).Bind(2, domain).Run());
  }
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return created;
}

Result<Organization> SqliteStore::FindOrganization(std::string_view slug) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT id, slug, name, default_language FROM "
                                       "organizations WHERE slug = ?"));
  query.Bind(1, slug);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound("no organization with the slug '" + std::string(slug) + "'");
  return ReadOrganization(query);
}

Result<Organization> SqliteStore::GetOrganization(int64_t org_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT id, slug, name, default_language FROM "
                                       "organizations WHERE id = ?"));
  query.Bind(1, org_id);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound("no organization with the id " + std::to_string(org_id));
  return ReadOrganization(query);
}

// The organization in the current row of `query` (id, slug, name, default_language), with
// its domains.
Result<Organization> SqliteStore::ReadOrganization(const Statement& query) {
  Organization organization{query.Int(0), query.Text(1), query.Text(2), query.Text(3), {}};
  ROSTER_ASSIGN_OR_RETURN(
      Statement domains,
      db_->Prepare("SELECT domain FROM organization_domains WHERE org_id = ? ORDER BY domain"));
  domains.Bind(1, organization.id);
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, domains.Step());
    if (!has_row) break;
    organization.domains.push_back(domains.Text(0));
  }
  return organization;
}

Result<std::vector<Organization>> SqliteStore::ListOrganizations() {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT slug FROM organizations ORDER BY slug"));
  std::vector<std::string> slugs;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    slugs.push_back(query.Text(0));
  }
  std::vector<Organization> organizations;
  for (const std::string& slug : slugs) {
    ROSTER_ASSIGN_OR_RETURN(Organization organization, FindOrganization(slug));
    organizations.push_back(std::move(organization));
  }
  return organizations;
}

// --- Users

Status SqliteStore::InsertUser(int64_t org_id, User& user, Statement& insert_user,
                               Statement& insert_group, Statement& link_account) {
  int64_t now = clock_.NowSeconds();
  insert_user.Bind(1, org_id);
  int next = sqlite::BindUserFields(insert_user, 2, user);
  insert_user.Bind(next, now).Bind(next + 1, now);
  if (Status status = insert_user.Run(); !status.ok()) {
    return UserWriteError(status, user);
  }
  user.id = db_->LastInsertId();
  user.org_id = org_id;
  user.created_at = now;
  user.updated_at = now;
  for (const std::string& group : user.groups) {
    ROSTER_RETURN_IF_ERROR(insert_group.Bind(1, user.id).Bind(2, group).Run());
  }
  return link_account.Bind(1, user.id).Bind(2, org_id).Bind(3, user.email_key).Run();
}

Status SqliteStore::CreateUsers(int64_t org_id, std::span<User> users) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert_user,
      db_->Prepare("INSERT INTO users (org_id, " + std::string(sqlite::kUserFieldColumns) +
                   ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?)"));
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert_group,
      db_->Prepare("INSERT OR IGNORE INTO user_groups (user_id, group_name) VALUES (?, ?)"));
  ROSTER_ASSIGN_OR_RETURN(Statement link_account,
                          db_->Prepare("UPDATE elearning_accounts SET user_id = ? "
                                       "WHERE org_id = ? AND email_key = ? AND user_id IS NULL"));
  for (User& user : users) {
    ROSTER_RETURN_IF_ERROR(InsertUser(org_id, user, insert_user, insert_group, link_account));
  }
  return transaction.Commit();
}

Result<User> SqliteStore::CreateUser(int64_t org_id, const User& user) {
  User created = user;
  ROSTER_RETURN_IF_ERROR(CreateUsers(org_id, std::span<User>(&created, 1)));
  return created;
}

Result<User> SqliteStore::GetUser(int64_t org_id, int64_t user_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT " + std::string(kUserColumns) +
                                       " FROM users u WHERE u.org_id = ? AND u.id = ?"));
  query.Bind(1, org_id).Bind(2, user_id);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound("no user with the id " + std::to_string(user_id));
  User user = ReadUser(query);
  ROSTER_ASSIGN_OR_RETURN(
      Statement groups,
      db_->Prepare("SELECT group_name FROM user_groups WHERE user_id = ? ORDER BY group_name"));
  groups.Bind(1, user_id);
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, groups.Step());
    if (!has_row) break;
    user.groups.push_back(groups.Text(0));
  }
  return user;
}

Result<User> SqliteStore::UpdateUser(int64_t org_id, const User& user) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(
      Statement update,
      db_->Prepare("UPDATE users SET " + std::string(sqlite::kUserFieldAssignments) +
                   ", updated_at = ? WHERE org_id = ? AND id = ?"));
  int next = sqlite::BindUserFields(update, 1, user);
  update.Bind(next, clock_.NowSeconds()).Bind(next + 1, org_id).Bind(next + 2, user.id);
  if (Status status = update.Run(); !status.ok()) {
    if (status.code() == ErrorCode::kAlreadyExists) {
      return AlreadyExists("another user has the address " + user.email + " already");
    }
    return UserWriteError(status, user);
  }
  if (db_->Changes() != 1) return NotFound("no user with the id " + std::to_string(user.id));
  ROSTER_ASSIGN_OR_RETURN(Statement clear,
                          db_->Prepare("DELETE FROM user_groups WHERE user_id = ?"));
  ROSTER_RETURN_IF_ERROR(clear.Bind(1, user.id).Run());
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert_group,
      db_->Prepare("INSERT OR IGNORE INTO user_groups (user_id, group_name) VALUES (?, ?)"));
  for (const std::string& group : user.groups) {
    ROSTER_RETURN_IF_ERROR(insert_group.Bind(1, user.id).Bind(2, group).Run());
  }
  // An account waiting for the new address links now; one linked to the old address stays.
  ROSTER_ASSIGN_OR_RETURN(
      Statement link_account,
      db_->Prepare("UPDATE elearning_accounts SET user_id = ? WHERE org_id = ? AND "
                   "email_key = ? AND user_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
                   "elearning_accounts WHERE user_id = ?)"));
  ROSTER_RETURN_IF_ERROR(
      link_account.Bind(1, user.id).Bind(2, org_id).Bind(3, user.email_key).Bind(4, user.id).Run());
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return GetUser(org_id, user.id);
}

Status SqliteStore::DeleteUser(int64_t org_id, int64_t user_id, bool delete_elearning,
                               const AuditEntry& audit) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  if (delete_elearning) {
    ROSTER_ASSIGN_OR_RETURN(
        Statement accounts,
        db_->Prepare("DELETE FROM elearning_accounts WHERE org_id = ? AND user_id = ?"));
    ROSTER_RETURN_IF_ERROR(accounts.Bind(1, org_id).Bind(2, user_id).Run());
  }
  ROSTER_ASSIGN_OR_RETURN(Statement user,
                          db_->Prepare("DELETE FROM users WHERE org_id = ? AND id = ?"));
  ROSTER_RETURN_IF_ERROR(user.Bind(1, org_id).Bind(2, user_id).Run());
  if (db_->Changes() != 1) return NotFound("no user with the id " + std::to_string(user_id));
  if (!audit.action.empty()) {
    ROSTER_ASSIGN_OR_RETURN(
        Statement insert_audit,
        db_->Prepare("INSERT INTO audit_events (org_id, actor, action, at, details) "
                     "VALUES (?, ?, ?, ?, ?)"));
    ROSTER_RETURN_IF_ERROR(insert_audit.Bind(1, org_id)
                               .Bind(2, audit.actor)
                               .Bind(3, audit.action)
                               .Bind(4, clock_.NowSeconds())
                               .Bind(5, audit.details)
                               .Run());
  }
  return transaction.Commit();
}

Result<UserPage> SqliteStore::ListUsers(int64_t org_id, const UserQuery& query) {
  std::string where = " FROM users u WHERE u.org_id = ?1";
  if (!query.search.empty()) {
    where +=
        " AND (u.email LIKE ?2 ESCAPE '\\' OR u.first_name LIKE ?2 ESCAPE '\\' "
        "OR u.last_name LIKE ?2 ESCAPE '\\' OR (u.first_name || ' ' || u.last_name) "
        "LIKE ?2 ESCAPE '\\')";
  }
  std::string pattern = ContainsPattern(query.search);
  UserPage page;
  {
    ROSTER_ASSIGN_OR_RETURN(Statement count, db_->Prepare("SELECT count(*)" + where));
    count.Bind(1, org_id);
    if (!query.search.empty()) count.Bind(2, pattern);
    ROSTER_ASSIGN_OR_RETURN(bool has_row, count.Step());
    page.total = has_row ? count.Int(0) : 0;
  }
  std::string sql = "SELECT " + std::string(kUserColumns) +
                    ", (SELECT a.id FROM elearning_accounts a WHERE a.user_id = u.id)" + where +
                    " ORDER BY " + std::string(SortColumn(query.sort)) +
                    (query.descending ? " DESC" : " ASC") + ", u.id LIMIT ?3 OFFSET ?4";
  ROSTER_ASSIGN_OR_RETURN(Statement list, db_->Prepare(sql));
  list.Bind(1, org_id).Bind(3, query.limit).Bind(4, query.offset);
  if (!query.search.empty()) list.Bind(2, pattern);
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, list.Step());
    if (!has_row) break;
    page.users.push_back({ReadUser(list), list.OptionalInt(kUserColumnCount)});
  }
  return page;
}

Result<int64_t> SqliteStore::CountUsers(int64_t org_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT count(*) FROM users WHERE org_id = ?"));
  query.Bind(1, org_id);
  ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
  return has_row ? query.Int(0) : 0;
}

Status SqliteStore::ForEachUserKey(int64_t org_id,
                                   const std::function<void(const UserKey&)>& visit) {
  // Two plain scans instead of a correlated EXISTS per user: the linked user ids first (a
  // sorted vector, 8 bytes an account), then the keys straight from the covering key index.
  std::vector<int64_t> linked;
  {
    // Through the organization's index, each account is a lookup in the table in random
    // order (0.5 s for 400,000); when the organization holds a large share of all accounts,
    // one pass over the table in its own order is quicker (0.03 s).
    ROSTER_ASSIGN_OR_RETURN(
        Statement shares,
        db_->Prepare("SELECT (SELECT count(*) FROM elearning_accounts WHERE org_id = ?1), "
                     "(SELECT coalesce(max(id), 0) FROM elearning_accounts)"));
    shares.Bind(1, org_id);
    ROSTER_ASSIGN_OR_RETURN(bool counted, shares.Step());
    const bool scan_table =
        counted && shares.Int(0) * kScanWhenShareTimesThisExceedsAll > shares.Int(1);
    ROSTER_ASSIGN_OR_RETURN(
        Statement accounts,
        db_->Prepare(scan_table
                         ? "SELECT user_id FROM elearning_accounts NOT INDEXED WHERE org_id = ? "
                           "AND user_id IS NOT NULL"
                         : "SELECT user_id FROM elearning_accounts INDEXED BY "
                           "elearning_accounts_by_key WHERE org_id = ? AND user_id IS NOT NULL"));
    accounts.Bind(1, org_id);
    while (true) {
      ROSTER_ASSIGN_OR_RETURN(bool has_row, accounts.Step());
      if (!has_row) break;
      linked.push_back(accounts.Int(0));
    }
  }
  std::sort(linked.begin(), linked.end());
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT id, email_key FROM users INDEXED BY users_by_key WHERE org_id = ?"));
  query.Bind(1, org_id);
  UserKey key;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    key.user_id = query.Int(0);
    key.email_key.assign(query.TextView(1));
    key.has_elearning = std::binary_search(linked.begin(), linked.end(), key.user_id);
    visit(key);
  }
  return Status::Ok();
}

// --- E-learning accounts

Result<ElearningAccount> SqliteStore::CreateElearningAccount(int64_t org_id,
                                                             std::string_view email_key) {
  std::string key(email_key);
  ROSTER_ASSIGN_OR_RETURN(std::vector<ElearningAccount> created,
                          CreateElearningAccounts(org_id, std::span<const std::string>(&key, 1)));
  return created.front();
}

Result<std::vector<ElearningAccount>> SqliteStore::CreateElearningAccounts(
    int64_t org_id, std::span<const std::string> email_keys) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(
      Statement insert,
      db_->Prepare("INSERT INTO elearning_accounts (org_id, user_id, email_key, created_at) "
                   "VALUES (?1, (SELECT id FROM users WHERE org_id = ?1 AND email_key = ?2), "
                   "?2, ?3) RETURNING id, org_id, user_id, email_key, created_at, "
                   "last_login_at"));
  std::vector<ElearningAccount> created;
  created.reserve(email_keys.size());
  for (const std::string& email_key : email_keys) {
    insert.Bind(1, org_id).Bind(2, email_key).Bind(3, clock_.NowSeconds());
    Result<bool> row = insert.Step();
    if (row.ok() && *row) created.push_back(ReadAccount(insert));
    insert.Reset();
    if (!row.ok()) {
      if (row.status().code() == ErrorCode::kAlreadyExists) {
        return AlreadyExists("an e-learning account for " + email_key + " exists already");
      }
      return row.status();
    }
  }
  ROSTER_RETURN_IF_ERROR(transaction.Commit());
  return created;
}

Result<ElearningAccount> SqliteStore::GetElearningAccount(int64_t org_id, int64_t account_id) {
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT id, org_id, user_id, email_key, created_at, last_login_at "
                   "FROM elearning_accounts WHERE org_id = ? AND id = ?"));
  query.Bind(1, org_id).Bind(2, account_id);
  ROSTER_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return NotFound("no e-learning account with the id " + std::to_string(account_id));
  return ReadAccount(query);
}

Result<int64_t> SqliteStore::CountElearningAccounts(int64_t org_id) {
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT count(*) FROM elearning_accounts WHERE org_id = ?"));
  query.Bind(1, org_id);
  ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
  return has_row ? query.Int(0) : 0;
}

Status SqliteStore::AccountBelongsTo(int64_t org_id, int64_t account_id) {
  return GetElearningAccount(org_id, account_id).status();
}

Status SqliteStore::RecordLearning(int64_t org_id, std::span<const LearningProgress> progress,
                                   std::span<const Certificate> certificates) {
  ROSTER_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*db_));
  ROSTER_ASSIGN_OR_RETURN(
      Statement upsert_progress,
      db_->Prepare("INSERT INTO learning_progress (account_id, module, status, score, "
                   "completed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, module) DO "
                   "UPDATE SET status = excluded.status, score = excluded.score, "
                   "completed_at = excluded.completed_at"));
  // Each account is checked once, however many entries name it.
  std::unordered_set<int64_t> checked;
  auto belongs = [&](int64_t account_id) -> Status {
    if (checked.contains(account_id)) return Status::Ok();
    ROSTER_RETURN_IF_ERROR(AccountBelongsTo(org_id, account_id));
    checked.insert(account_id);
    return Status::Ok();
  };
  for (const LearningProgress& entry : progress) {
    ROSTER_RETURN_IF_ERROR(belongs(entry.account_id));
    std::optional<int64_t> score;
    if (entry.score) score = *entry.score;
    ROSTER_RETURN_IF_ERROR(upsert_progress.Bind(1, entry.account_id)
                               .Bind(2, entry.module)
                               .Bind(3, ProgressStatusName(entry.status))
                               .Bind(4, score)
                               .Bind(5, entry.completed_at)
                               .Run());
  }
  ROSTER_ASSIGN_OR_RETURN(
      Statement upsert_certificate,
      db_->Prepare("INSERT OR REPLACE INTO certificates (account_id, module, issued_at) "
                   "VALUES (?, ?, ?)"));
  for (const Certificate& certificate : certificates) {
    ROSTER_RETURN_IF_ERROR(belongs(certificate.account_id));
    ROSTER_RETURN_IF_ERROR(upsert_certificate.Bind(1, certificate.account_id)
                               .Bind(2, certificate.module)
                               .Bind(3, certificate.issued_at)
                               .Run());
  }
  return transaction.Commit();
}

Result<std::vector<LearningProgress>> SqliteStore::ListProgress(int64_t org_id,
                                                                int64_t account_id) {
  ROSTER_RETURN_IF_ERROR(AccountBelongsTo(org_id, account_id));
  ROSTER_ASSIGN_OR_RETURN(
      Statement query,
      db_->Prepare("SELECT module, status, score, completed_at FROM learning_progress "
                   "WHERE account_id = ? ORDER BY module"));
  query.Bind(1, account_id);
  std::vector<LearningProgress> list;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    LearningProgress progress{account_id, query.Text(0), ProgressStatusFromName(query.TextView(1)),
                              std::nullopt, query.OptionalInt(3)};
    if (auto score = query.OptionalInt(2)) progress.score = static_cast<int>(*score);
    list.push_back(std::move(progress));
  }
  return list;
}

Result<std::vector<Certificate>> SqliteStore::ListCertificates(int64_t org_id, int64_t account_id) {
  ROSTER_RETURN_IF_ERROR(AccountBelongsTo(org_id, account_id));
  ROSTER_ASSIGN_OR_RETURN(Statement query,
                          db_->Prepare("SELECT module, issued_at FROM certificates "
                                       "WHERE account_id = ? ORDER BY module"));
  query.Bind(1, account_id);
  std::vector<Certificate> list;
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    list.push_back({account_id, query.Text(0), query.Int(1)});
  }
  return list;
}

}  // namespace roster
