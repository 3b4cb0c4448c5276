// Bad input gets a clear error and changes nothing (DESIGN.md section 2), at the command line:
// every hostile file of tests/support/hostile_files through the real `roster import FILE --org
// acme --mode delete --yes`, under an address-space limit and a clock. Each is refused with
// exit code 2 and a message on stderr that names the file and what is wrong, within the time
// and memory bounds below, and the database is the same afterwards, row for row. The roster
// binary runs with the readers' default limits, so the over-limit files are the real thing
// (2,000,001 data rows, a sheet that inflates to 2 GiB, a file over 100 MiB).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>

#include "core/clock.h"
#include "sheet/limits.h"
#include "store/backends/open_store.h"
#include "store/store.h"
#include "support/hostile_files.h"
#include "support/run_roster.h"
#include "support/temp_dir.h"
#include "support/test_users.h"

namespace roster {
namespace {

using testing::BoundedRunOutput;
using ::testing::HasSubstr;
using testing::HostileFile;
using ::testing::Not;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// The bounds of one refusal. ASan reserves terabytes of address space and runs several times
// slower, so a sanitizer build gets no address-space limit and more time; its memory is still
// measured.
constexpr int64_t kMebibyte = int64_t{1} << 20;
constexpr int64_t kAddressSpaceBytes = kSanitized ? 0 : 1024 * kMebibyte;
constexpr double kMaxSeconds = kSanitized ? 40 : 10;
constexpr int64_t kMaxRssKilobytes = (kSanitized ? 768 : 256) * 1024;

// Every row of every table, in storage order: equal dumps mean an unchanged database.
struct DatabaseDump {
  std::map<std::string, int64_t> rows;  // table -> row count
  std::string content;
};

DatabaseDump Dump(const std::string& path) {
  DatabaseDump dump;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return dump;
  }
  std::vector<std::string> tables;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                     &stmt, nullptr);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  for (const std::string& table : tables) {
    sqlite3_prepare_v2(db, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &stmt, nullptr);
    int64_t& count = dump.rows[table];
    dump.content += "[" + table + "]\n";
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      ++count;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, i));
        dump.content.append(
            text != nullptr ? text : "NULL",
            text != nullptr ? static_cast<size_t>(sqlite3_column_bytes(stmt, i)) : 4);
        dump.content += '|';
      }
      dump.content += '\n';
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return dump;
}

class BadFilesCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SystemClock clock;
    std::unique_ptr<Store> store = std::move(OpenStore(db_url_, clock)).value();
    Organization acme = *store->CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
    for (const char* email : {"anna@acme.example", "bob@acme.example", "carla@acme.example"}) {
      ASSERT_TRUE(store->CreateUser(acme.id, testing::TestUser(email)).ok());
    }
    ASSERT_TRUE(store->CreateElearningAccount(acme.id, "anna@acme.example").ok());
    before_ = Dump(db_path_);
    ASSERT_EQ(before_.rows["users"], 3);
  }

  // `roster import FILE --org acme --mode delete --yes`, bounded and measured.
  BoundedRunOutput Import(const HostileFile& file) {
    const std::string path = testing::WriteHostileFile(file, dir_.path()).string();
    testing::RunBounds bounds;
    bounds.address_space_bytes = kAddressSpaceBytes;
    bounds.timeout_seconds = 4 * kMaxSeconds;
    BoundedRunOutput run = testing::RunRosterBounded(
        {"--db", db_url_, "import", path, "--org", "acme", "--mode", "delete", "--yes"}, bounds);
    EXPECT_FALSE(run.timed_out);
    EXPECT_LT(run.seconds, kMaxSeconds);
    EXPECT_LT(run.max_rss_kilobytes, kMaxRssKilobytes);
    return run;
  }

  void ExpectDatabaseUnchanged() {
    const DatabaseDump after = Dump(db_path_);
    EXPECT_EQ(after.rows, before_.rows);
    EXPECT_TRUE(after.content == before_.content) << "the database changed";
  }

  testing::TempDir dir_;
  std::string db_path_ = dir_.File("roster.db");
  std::string db_url_ = "sqlite:" + db_path_;
  DatabaseDump before_;
};

class RefusedFileCliTest : public BadFilesCliTest,
                           public ::testing::WithParamInterface<HostileFile> {};

TEST_P(RefusedFileCliTest, ExitsTwoNamingTheFileAndChangesNothing) {
  const HostileFile& file = GetParam();
  const BoundedRunOutput run = Import(file);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_THAT(run.err, HasSubstr("roster: "));
  EXPECT_THAT(run.err, HasSubstr(file.file_name));
  for (const std::string& word : file.words) EXPECT_THAT(run.err, HasSubstr(word));
  EXPECT_THAT(run.err, Not(HasSubstr("root:")));  // nothing of /etc/passwd
  EXPECT_THAT(run.out, Not(HasSubstr("deleted")));
  ExpectDatabaseUnchanged();
}

std::vector<HostileFile> RefusedFiles() {
  std::vector<HostileFile> refused;
  for (HostileFile& file : testing::HostileFiles(sheet::Limits())) {
    if (file.code != ErrorCode::kOk) refused.push_back(std::move(file));
  }
  return refused;
}

INSTANTIATE_TEST_SUITE_P(BadFiles, RefusedFileCliTest, ::testing::ValuesIn(RefusedFiles()),
                         [](const ::testing::TestParamInfo<HostileFile>& info) {
                           return info.param.name;
                         });

// The readable files of the suite: what the import says about them, and still nothing changes.

HostileFile Named(std::string_view name) {
  return testing::HostileFileNamed(name, sheet::Limits());
}

// With --yes, an import with nothing to delete still records its job (done, 0 deleted) and an
// audit event, as any confirmed import does; the users stay.
void ExpectAnEmptyJobRecorded(const DatabaseDump& before, const DatabaseDump& after,
                              const std::string& name) {
  EXPECT_EQ(after.rows.at("users"), before.rows.at("users")) << name;
  EXPECT_EQ(after.rows.at("elearning_accounts"), before.rows.at("elearning_accounts")) << name;
  EXPECT_EQ(after.rows.at("import_jobs"), before.rows.at("import_jobs") + 1) << name;
  EXPECT_EQ(after.rows.at("audit_events"), before.rows.at("audit_events") + 1) << name;
}

TEST_F(BadFilesCliTest, AHeaderWithoutRowsDeletesNothing) {
  for (const char* name : {"xlsx_header_only", "csv_header_only"}) {
    const DatabaseDump before = Dump(db_path_);
    const BoundedRunOutput run = Import(Named(name));
    EXPECT_EQ(run.exit_code, 0) << name << "\n" << run.err;
    EXPECT_THAT(run.out, HasSubstr("rows: 0, empty: 0, excluded: 0, duplicates: 0, errors: 0"))
        << name;
    EXPECT_THAT(run.out, HasSubstr("users to delete: 0")) << name;
    EXPECT_THAT(run.out, HasSubstr("deleted 0 users")) << name;
    ExpectAnEmptyJobRecorded(before, Dump(db_path_), name);
  }
}

TEST_F(BadFilesCliTest, ASheetOfExactlyTheRowLimitIsRead) {
  for (const char* name : {"xlsx_rows_at_limit", "csv_rows_at_limit"}) {
    const DatabaseDump before = Dump(db_path_);
    const BoundedRunOutput run = Import(Named(name));
    EXPECT_EQ(run.exit_code, 0) << name << "\n" << run.err;
    EXPECT_THAT(run.out, HasSubstr("rows: 2,000,000, empty: 2,000,000")) << name;
    EXPECT_THAT(run.out, HasSubstr("deleted 0 users")) << name;
    ExpectAnEmptyJobRecorded(before, Dump(db_path_), name);
  }
}

TEST_F(BadFilesCliTest, TheLastCellExcelAllowsUnderAGiganticDimensionIsOneRowWithoutAnAddress) {
  const BoundedRunOutput run = Import(Named("xlsx_far_corner_cell"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_THAT(run.out, HasSubstr("row 1048576 error missing_email"));
  EXPECT_THAT(run.out, HasSubstr("nothing was changed"));
  ExpectDatabaseUnchanged();
}

TEST_F(BadFilesCliTest, TextThatIsNotUtf8IsReadAsWindows1252) {
  const BoundedRunOutput run = Import(Named("csv_not_utf8"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_THAT(run.out, HasSubstr("ren\xC3\xA9@acme.example"));  // é, not mojibake
  EXPECT_THAT(run.out, HasSubstr("not_found"));
  ExpectDatabaseUnchanged();
}

}  // namespace
}  // namespace roster
