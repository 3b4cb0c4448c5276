// What is particular to the SQLite backend: pragmas, migrations, reopening.

#include "store/sqlite/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "core/key_hash.h"
#include "store/backends/open_store.h"
#include "store/job_codec.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_migrations.h"
#include "support/checked_jobs.h"
#include "support/temp_dir.h"

namespace roster {
namespace {

using testing::TempDir;

int64_t Pragma(const std::string& path, const std::string& pragma) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, ("PRAGMA " + pragma).c_str(), -1, &stmt, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

TEST(SqliteStoreTest, AppliesEveryMigrationOnceAndReopens) {
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  {
    auto store = SqliteStore::Open(path, clock);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ(*(*store)->SchemaVersion(), sqlite::Migrations().back().version);
    ASSERT_TRUE((*store)->CreateOrganization({0, "acme", "Acme", "en", {}}).ok());
  }
  auto reopened = SqliteStore::Open(path, clock);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_TRUE((*reopened)->FindOrganization("acme").ok());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The text of each row of a one-column query.
std::vector<std::string> Texts(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::vector<std::string> texts;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    texts.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return texts;
}

// A database file as an older Roster left it: the migrations up to `version` applied, and
// what `exec` then writes into it with foreign keys enforced, as Roster's connections do.
class OldDatabase {
 public:
  OldDatabase(const std::string& path, int version) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    Exec("PRAGMA foreign_keys = ON");
    Exec(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at INTEGER NOT NULL)");
    for (const sqlite::Migration& migration : sqlite::Migrations()) {
      if (migration.version > version) break;
      Exec(std::string(migration.sql));
      Exec("INSERT INTO schema_migrations VALUES (" + std::to_string(migration.version) +
           ", 'old', 0)");
    }
  }
  ~OldDatabase() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error ? error : "");
    sqlite3_free(error);
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(SqliteStoreTest, APlanStoredBeforeVersionFiveIsKeptInItsOwnTable) {
  // A database as Roster left it before migration 5: the plan inside the job's row.
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  auto old = std::make_unique<OldDatabase>(path, 4);
  auto exec = [&](const std::string& sql) { old->Exec(sql); };
  std::vector<PlannedDeletion> plan = {{7, KeyHash("a@acme.example"), 2, {1, 2, 3}},
                                       {9, KeyHash("b@acme.example"), 3, {4, 5, 6}}};
  std::string blob = EncodePlan(plan);
  std::string hex;
  for (unsigned char byte : blob) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  exec("INSERT INTO organizations VALUES (1, 'acme', 'Acme', 'en', 0)");
  exec(
      "INSERT INTO import_jobs (id, org_id, mode, state, actor, file_name, file_sha256, "
      "file_size, plan, created_at, updated_at) VALUES (5, 1, 'delete', 'interrupted', 'cli', "
      "'leavers.xlsx', '00', 10, x'" +
      hex + "', 0, 0)");
  old.reset();

  auto store = SqliteStore::Open(path, clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), sqlite::Migrations().back().version);
  Result<std::vector<PlannedDeletion>> loaded = (*store)->LoadPlan(1, 5);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[1].user_id, 9);
  EXPECT_EQ((*loaded)[1].key_hash, KeyHash("b@acme.example"));
  EXPECT_EQ((*loaded)[1].audit_hash[2], 6);
  Result<ImportJob> job = (*store)->GetJob(1, 5);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, JobState::kInterrupted);
  EXPECT_EQ(job->version, 1);
  // A plan from before version 7 records nothing of what it was made from: it runs only
  // once the job is checked again.
  Status claimed = (*store)->ClaimJob(1, 5, job->version, "w");
  EXPECT_EQ(claimed.code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(claimed.message(), ::testing::HasSubstr("has no plan made by this version"));
}

TEST(SqliteStoreTest, UsersAndAccountsFromBeforeVersionSixKeepTheirIdsAndReferences) {
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  {
    OldDatabase old(path, 5);
    old.Exec("INSERT INTO organizations VALUES (1, 'acme', 'Acme', 'en', 0)");
    old.Exec(
        "INSERT INTO users (id, org_id, email, email_key, first_name, created_at, updated_at) "
        "VALUES (3, 1, 'Anna@acme.example', 'anna@acme.example', 'Anna', 0, 0), "
        "(8, 1, 'bob@acme.example', 'bob@acme.example', 'Bob', 0, 0)");
    old.Exec("INSERT INTO user_groups VALUES (8, 'Sales')");
    old.Exec(
        "INSERT INTO elearning_accounts (id, org_id, user_id, email_key, created_at) VALUES "
        "(4, 1, 8, 'bob@acme.example', 0), (5, 1, NULL, 'carla@acme.example', 0)");
    old.Exec("INSERT INTO learning_progress VALUES (4, 'phishing', 'completed', 90, 1)");
    old.Exec("INSERT INTO certificates VALUES (4, 'phishing', 1)");
  }
  auto store = SqliteStore::Open(path, clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), sqlite::Migrations().back().version);
  Result<User> bob = (*store)->GetUser(1, 8);
  ASSERT_TRUE(bob.ok()) << bob.status().ToString();
  EXPECT_EQ(bob->first_name, "Bob");
  EXPECT_THAT(bob->groups, ::testing::ElementsAre("Sales"));
  EXPECT_EQ((*store)->ListProgress(1, 4)->size(), 1u);
  EXPECT_EQ((*store)->ListCertificates(1, 4)->size(), 1u);
  EXPECT_THAT(Texts(path, "PRAGMA foreign_key_check"), ::testing::IsEmpty());
  EXPECT_THAT(Texts(path, "PRAGMA integrity_check"), ::testing::ElementsAre("ok"));
  // The references still act: deleting Bob unlinks his account.
  ASSERT_TRUE(
      (*store)->DeleteUser(1, 8, /*delete_elearning=*/false, {"t", "user.delete", "{}"}).ok());
  EXPECT_THAT(Texts(path, "SELECT count(*) FROM elearning_accounts WHERE user_id IS NULL"),
              ::testing::ElementsAre("2"));
  EXPECT_THAT(Texts(path, "SELECT count(*) FROM user_groups"), ::testing::ElementsAre("0"));
  // Bob had the highest id; the next user does not get it.
  User dora;
  dora.email = dora.email_key = "dora@acme.example";
  Result<User> created = (*store)->CreateUser(1, dora);
  ASSERT_TRUE(created.ok());
  EXPECT_GT(created->id, 8);
  // Foreign keys are enforced again after the migration: no user of an organization that
  // does not exist.
  User nobody;
  nobody.email = nobody.email_key = "nobody@nowhere.example";
  EXPECT_FALSE((*store)->CreateUser(99, nobody).ok());
}

TEST(SqliteStoreTest, UsesWriteAheadLogging) {
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  auto store = SqliteStore::Open(path, clock);
  ASSERT_TRUE(store.ok());
  // journal_mode is persistent in the file: a second connection sees it.
  EXPECT_THAT(Texts(path, "PRAGMA journal_mode"), ::testing::ElementsAre("wal"));
  EXPECT_EQ(Pragma(path, "user_version"), 0);  // versions live in schema_migrations
}

TEST(SqliteStoreTest, RefusesADatabaseFromANewerRoster) {
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  ASSERT_TRUE(SqliteStore::Open(path, clock).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 'future', 0)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = SqliteStore::Open(path, clock);
  EXPECT_EQ(store.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer than this Roster knows"), std::string::npos);
}

TEST(SqliteStoreTest, ExecutionKeepsForeignKeysConsistentAndEnforcedAfterwards) {
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  auto store = SqliteStore::Open(path, clock);
  ASSERT_TRUE(store.ok());
  Organization acme = *(*store)->CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
  User user;
  user.email = user.email_key = "anna@acme.example";
  user.first_name = user.last_name = "A";
  user.groups = {"G"};
  User anna = *(*store)->CreateUser(acme.id, user);
  ASSERT_TRUE((*store)->CreateElearningAccount(acme.id, "anna@acme.example").ok());
  std::vector<PlannedDeletion> plan = {{anna.id, KeyHash(anna.email_key), 2, {}}};
  ImportJob created = testing::CheckedJob(**store, acme.id, plan);
  ASSERT_TRUE((*store)->ClaimJob(acme.id, created.id, created.version, "w").ok());
  DeletionRequest request{acme.id, created.id, "w", plan, false, {"t", "import.delete", "{}"},
                          {},      ""};
  ASSERT_TRUE((*store)->ExecuteDeletion(request).ok());

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &stmt, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE) << "a dangling reference is left";
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  // The store's own connection enforces foreign keys again.
  ElearningAccount orphan;
  LearningProgress progress{9999, "m", ProgressStatus::kCompleted, 1, 1};
  EXPECT_EQ((*store)->RecordLearning(acme.id, {&progress, 1}, {}).code(), ErrorCode::kNotFound);
  EXPECT_EQ(Pragma(path, "foreign_keys"), 0);  // a new connection's default, for reference
}

// The CREATE statements of the indexes of the users and their accounts.
std::vector<std::string> IndexDefinitions(const std::string& path) {
  return Texts(path,
               "SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND "
               "tbl_name IN ('users', 'elearning_accounts') ORDER BY name");
}

// SQLite counts every change of the schema (PRAGMA schema_version): dropping and building an
// index again shows there.
int64_t SchemaVersion(const std::string& path) { return Pragma(path, "schema_version"); }

// Deletes the planned users in one import job, with or without their e-learning accounts.
Result<DeletionOutcome> DeleteUsers(Store& store, int64_t org_id, std::span<const User> users,
                                    bool delete_elearning) {
  std::vector<PlannedDeletion> plan;
  for (const User& user : users) plan.push_back({user.id, KeyHash(user.email_key), 2, {}});
  ImportJob created = testing::CheckedJob(store, org_id, plan);
  ROSTER_RETURN_IF_ERROR(store.ClaimJob(org_id, created.id, created.version, "w"));
  DeletionRequest request{
      org_id, created.id, "w", plan, delete_elearning, {"t", "import.delete", "{}"}, {}, ""};
  return store.ExecuteDeletion(request);
}

// A deletion of most of a table's rows drops its indexes and builds them again in the same
// transaction (see sqlite_deletion.cc); afterwards they must be the same indexes, enforce the
// same uniqueness and hold no trace of the deleted users.
class SqliteMostUsersDeletionTest : public ::testing::TestWithParam<bool> {};

TEST_P(SqliteMostUsersDeletionTest, BuildsTheIndexesAgainAndLeavesNoTrace) {
  const bool delete_elearning = GetParam();
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  auto store = SqliteStore::Open(path, clock);
  ASSERT_TRUE(store.ok());
  const std::vector<std::string> indexes_before = IndexDefinitions(path);
  ASSERT_EQ(indexes_before.size(), 3u);
  Organization acme = *(*store)->CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
  Organization globex =
      *(*store)->CreateOrganization({0, "globex", "Globex", "en", {"globex.example"}});
  std::vector<User> users;
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) {
    User user;
    user.email = user.email_key = "leaver" + std::to_string(i) + ".quixotic@acme.example";
    user.first_name = user.last_name = "L";
    users.push_back(*(*store)->CreateUser(acme.id, user));
    if (i % 2 == 0) keys.push_back(user.email_key);
  }
  User stayer;
  stayer.email = stayer.email_key = "stayer@globex.example";
  stayer = *(*store)->CreateUser(globex.id, stayer);
  ASSERT_TRUE((*store)->CreateElearningAccounts(acme.id, keys).ok());
  ASSERT_TRUE((*store)->CreateElearningAccount(globex.id, "stayer@globex.example").ok());

  // One user going is no reason to rebuild.
  const int64_t schema_before = SchemaVersion(path);
  Result<DeletionOutcome> first =
      DeleteUsers(**store, acme.id, std::span<const User>(users).first(1), delete_elearning);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(SchemaVersion(path), schema_before);
  // All of acme's other users but the last two go: the indexes are built again.
  Result<DeletionOutcome> outcome =
      DeleteUsers(**store, acme.id, std::span<const User>(users).subspan(1, 37), delete_elearning);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->deleted, 37);
  EXPECT_EQ(delete_elearning ? outcome->elearning_deleted : outcome->elearning_unlinked, 18);
  EXPECT_GT(SchemaVersion(path), schema_before) << "the indexes were not built again";

  EXPECT_EQ(IndexDefinitions(path), indexes_before);
  EXPECT_THAT(Texts(path, "PRAGMA integrity_check"), ::testing::ElementsAre("ok"));
  // The rebuilt indexes find and refuse as before.
  User again;
  again.email = again.email_key = users[39].email_key;
  EXPECT_EQ((*store)->CreateUser(acme.id, again).status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ((*store)->CreateElearningAccount(globex.id, "stayer@globex.example").status().code(),
            ErrorCode::kAlreadyExists);
  std::vector<std::string> seen;
  ASSERT_TRUE(
      (*store)
          ->ForEachUserKey(acme.id, [&](const UserKey& key) { seen.push_back(key.email_key); })
          .ok());
  EXPECT_THAT(seen, ::testing::UnorderedElementsAre(users[38].email_key, users[39].email_key));
  EXPECT_EQ(*(*store)->CountElearningAccounts(acme.id), delete_elearning ? 1 : 20);

  store->reset();  // the last connection checkpoints the WAL into the file
  std::string bytes = ReadFile(path) + ReadFile(path + "-wal");
  for (int i = 0; i < 38; ++i) {
    if (!delete_elearning && i % 2 == 0) continue;  // a kept account keeps its address
    std::string address = users[static_cast<size_t>(i)].email_key;
    EXPECT_EQ(bytes.find(address), std::string::npos) << address << " is still in the file";
  }
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutAccounts, SqliteMostUsersDeletionTest, ::testing::Bool());

TEST(SqliteStoreTest, ABusyDatabaseSaysWhoHoldsIt) {
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  ASSERT_TRUE(SqliteStore::Open(path, clock).ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto db = sqlite::Db::Open(path);
  ASSERT_TRUE(db.ok());
  sqlite3_busy_timeout((*db)->handle(), 50);  // the store waits 10 s; the message is the same
  Status begin = (*db)->Exec("BEGIN IMMEDIATE");
  EXPECT_EQ(begin.code(), ErrorCode::kAborted);
  EXPECT_NE(begin.message().find("busy with another writer"), std::string::npos);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

TEST(SqliteStoreTest, AnIdleWorkerDoesNotWaitForAnotherProcesssWriteLock) {
  // The worker of `roster serve` looks for queued jobs every second and for jobs of dead
  // workers every 30 s; a CLI import in another process holds the write lock meanwhile.
  TempDir dir;
  FixedClock clock(1);
  std::string path = dir.File("roster.db");
  auto store = SqliteStore::Open(path, clock);
  ASSERT_TRUE(store.ok());
  sqlite3* other = nullptr;  // another process's long import
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto start = std::chrono::steady_clock::now();
  Result<std::optional<ImportJob>> next = (*store)->ClaimNextJob("w");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(next.ok()) << next.status().ToString();  // not "busy with another writer"
  EXPECT_FALSE(next->has_value());
  EXPECT_LT(seconds, 1.0) << "it waited for the write lock";
  // Nor does looking for jobs of dead workers when there are none.
  start = std::chrono::steady_clock::now();
  Result<int64_t> recovered =
      (*store)->RecoverInterruptedJobs([](std::string_view) { return WorkerLiveness::kGone; });
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  EXPECT_EQ(*recovered, 0);
  EXPECT_LT(seconds, 1.0) << "recovery waited for the write lock";
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

TEST(SqliteStoreTest, AnUnopenableFileIsUnavailable) {
  FixedClock clock(1);
  auto store = OpenStore("sqlite:/nonexistent-dir/roster.db", clock);
  EXPECT_EQ(store.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(store.status().message().find("/nonexistent-dir/roster.db"), std::string::npos);
}

TEST(SqliteStoreTest, UnknownUrlSchemesAreRefused) {
  FixedClock clock(1);
  EXPECT_EQ(OpenStore("mysql://localhost/roster", clock).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite:", clock).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace roster
