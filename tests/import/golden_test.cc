// Golden files pin the import pipeline end to end (STYLE.md rule 10): for every input file of
// every case in tests/data/golden (the same cells written by LibreOffice, SheetJS, ExcelJS and
// as CSV), on every store backend (SQLite and PostgreSQL, see store/support/store_backends.h),
// a fresh store gets the case's users, the file is analyzed with the case's settings, the job is
// recorded and executed, and the mapping, issues, counts, row outcomes and the users left
// afterwards must equal <case>.expected.json: one expectation for both backends. With
// ROSTER_UPDATE_GOLDEN=1 the expected file is rewritten from the case's first variant on SQLite
// instead (see the README there).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "core/email.h"
#include "core/random.h"
#include "import/analyzer.h"
#include "import/job_runner.h"
#include "import/row_records.h"
#include "import/worker.h"
#include "store/store.h"
#include "store/support/store_backends.h"
#include "support/golden_case.h"
#include "support/temp_dir.h"

namespace roster {
namespace {

using Json = nlohmann::ordered_json;
using testing::GoldenVariant;
using testing::StoreBackend;

constexpr int64_t kNow = 1'764'000'000;
constexpr int64_t kManyUsers = 1000;

bool UpdateMode() {
  const char* update = std::getenv("ROSTER_UPDATE_GOLDEN");
  return update != nullptr && std::string_view(update) == "1";
}

Json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Json();
  std::stringstream text;
  text << in.rdbuf();
  Json json = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  return json.is_discarded() ? Json() : json;
}

// The organization's users, settings and decisions of one case, from <case>.setup.json.
struct GoldenSetup {
  Organization organization{0, "acme", "Acme", "en", {"acme.example"}};
  Json users = Json::array();
  std::vector<std::string> waiting_accounts;  // e-learning accounts without a user yet
  std::vector<std::string> other_organization_users;
  import::ImportSettings settings;
  bool delete_elearning = false;
  bool pin_messages = false;                      // the issues' messages
  bool pin_execution_message = false;             // why an execution was refused
  std::map<std::string, std::string> known_bugs;  // variant -> why it gives another result
};

::testing::AssertionResult ParseSetup(const Json& json, GoldenSetup& setup) {
  if (!json.is_object()) return ::testing::AssertionFailure() << "setup is not a JSON object";
  try {
    if (json.contains("organization")) {
      const Json& organization = json["organization"];
      setup.organization.default_language = organization.value("default_language", "en");
      setup.organization.domains = organization.at("domains").get<std::vector<std::string>>();
    }
    setup.users = json.value("users", Json::array());
    setup.waiting_accounts =
        json.value("elearning_accounts_without_user", std::vector<std::string>());
    setup.other_organization_users =
        json.value("other_organization_users", std::vector<std::string>());
    setup.pin_messages = json.value("pin_messages", false);
    setup.pin_execution_message = json.value("pin_execution_message", setup.pin_messages);
    setup.known_bugs = json.value("known_bugs", std::map<std::string, std::string>());
    const Json& settings = json.at("settings");
    std::optional<ImportMode> mode = ImportModeFromName(settings.at("mode").get<std::string>());
    if (!mode) return ::testing::AssertionFailure() << "unknown mode " << settings["mode"];
    setup.settings.mode = *mode;
    setup.settings.sheet = settings.value("sheet", "");
    setup.settings.header_row = settings.value("header_row", int64_t{1});
    for (const Json& pair : settings.value("manual_mapping", Json::array())) {
      setup.settings.manual_mapping.emplace_back(pair.at(0).get<std::string>(),
                                                 pair.at(1).get<std::string>());
    }
    const Json fixes = settings.value("fixes", Json::object());
    for (const auto& [row, value] : fixes.items()) {
      setup.settings.decisions.fixes[std::stoll(row)] = value.get<std::string>();
    }
    for (const Json& row : settings.value("excluded_rows", Json::array())) {
      setup.settings.decisions.excluded_rows.insert(row.get<int64_t>());
    }
    setup.settings.decisions.exclude_errors = settings.value("exclude_errors", false);
    setup.delete_elearning = settings.value("delete_elearning", false);
  } catch (const Json::exception& error) {
    return ::testing::AssertionFailure() << "malformed setup: " << error.what();
  }
  return ::testing::AssertionSuccess();
}

Json CountsJson(const ImportCounts& counts, ImportMode mode) {
  Json json = {{"rows", counts.rows},
               {"empty_rows", counts.empty_rows},
               {"excluded_rows", counts.excluded_rows},
               {"duplicates", counts.duplicates},
               {"errors", counts.errors},
               {"warnings", counts.warnings}};
  if (mode == ImportMode::kDelete) {
    json["to_delete"] = counts.to_delete;
    json["elearning_linked"] = counts.elearning_linked;
  } else {
    json["to_create"] = counts.to_create;
    json["to_update"] = counts.to_update;
    json["unchanged"] = counts.unchanged;
  }
  return json;
}

Json ExecutedCountsJson(const ImportCounts& counts, ImportMode mode) {
  if (mode == ImportMode::kDelete) {
    return {{"deleted", counts.deleted},
            {"elearning_deleted", counts.elearning_deleted},
            {"elearning_unlinked", counts.elearning_unlinked},
            {"already_gone", counts.already_gone}};
  }
  return {{"created", counts.created}, {"updated", counts.updated}};
}

Json UserJson(const User& user) {
  return {{"email", user.email},
          {"first_name", user.first_name},
          {"last_name", user.last_name},
          {"gender", user.gender},
          {"academic_degree", user.academic_degree},
          {"language", user.language},
          {"address_type", user.address_type},
          {"manager_email", user.manager_email},
          {"department", user.department},
          {"location", user.location},
          {"employee_id", user.employee_id},
          {"groups", user.groups}};
}

Json StatusJson(const Status& status, bool pin_message) {
  Json json = {{"error", std::string(ErrorCodeName(status.code()))}};
  if (pin_message) json["message"] = status.message();
  return json;
}

// One run of one input file against a fresh store: what the test compares. Failures of the
// pipeline are part of the result (as {"error": ...}), so a case can pin them too; failures of
// the test's own setup are test failures.
class GoldenRun {
 public:
  GoldenRun(const GoldenSetup& setup, const StoreBackend& backend)
      : setup_(setup), backend_(backend) {}

  Json Run(const GoldenVariant& variant) {
    Result<std::unique_ptr<Store>> opened = backend_.open(dir_, clock_);
    if (!opened.ok()) return Failed("open the store", opened.status());
    store_ = std::move(opened).value();
    Result<Organization> organization = store_->CreateOrganization(setup_.organization);
    if (!organization.ok()) return Failed("create the organization", organization.status());
    organization_ = *organization;
    Result<Organization> other =
        store_->CreateOrganization({0, "globex", "Globex", "en", {"globex.example"}});
    if (!other.ok()) return Failed("create the other organization", other.status());
    other_ = *other;
    if (Status status = AddUsers(); !status.ok()) return Failed("add the users", status);

    import::AnalyzeRequest request;
    request.path = variant.file.string();
    request.display_name = variant.file.filename().string();
    request.organization = organization_;
    request.settings = setup_.settings;
    request.keep_rows = true;
    Result<import::Analysis> analysis = import::AnalyzeFile(*store_, request, random_);
    if (!analysis.ok()) return {{"analysis", StatusJson(analysis.status(), true)}};

    Json result = AnalysisJson(*analysis);
    result["execution"] = Execute(*analysis);
    result["after"] = After();
    return result;
  }

 private:
  Json Failed(std::string_view what, const Status& status) {
    ADD_FAILURE() << "could not " << what << ": " << status.ToString();
    return {{"setup_failed", status.ToString()}};
  }

  Status AddUsers() {
    for (const Json& spec : setup_.users) {
      User user;
      user.email = spec.at("email").get<std::string>();
      std::optional<std::string> key = EmailKey(user.email);
      if (!key) return InvalidArgument("not a valid address: " + user.email);
      user.email_key = *key;
      user.first_name = spec.value("first_name", "First");
      user.last_name = spec.value("last_name", "Last");
      user.gender = spec.value("gender", "other");
      user.language = spec.value("language", setup_.organization.default_language);
      user.department = spec.value("department", "");
      user.employee_id = spec.value("employee_id", "");
      user.groups = spec.value("groups", std::vector<std::string>());
      ROSTER_RETURN_IF_ERROR(store_->CreateUser(organization_.id, user).status());
      if (spec.value("elearning", false)) ROSTER_RETURN_IF_ERROR(AddAccount(organization_, *key));
    }
    for (const std::string& email : setup_.waiting_accounts) {
      ROSTER_RETURN_IF_ERROR(
          store_->CreateElearningAccount(organization_.id, *EmailKey(email)).status());
    }
    for (const std::string& email : setup_.other_organization_users) {
      User user;
      user.email = email;
      user.email_key = *EmailKey(email);
      user.first_name = "First";
      user.last_name = "Last";
      user.language = "en";
      ROSTER_RETURN_IF_ERROR(store_->CreateUser(other_.id, user).status());
      ROSTER_RETURN_IF_ERROR(AddAccount(other_, user.email_key));
    }
    return Status::Ok();
  }

  // An account with learning history, as the e-learning platform makes it.
  Status AddAccount(const Organization& organization, const std::string& key) {
    ROSTER_ASSIGN_OR_RETURN(ElearningAccount account,
                            store_->CreateElearningAccount(organization.id, key));
    LearningProgress progress{account.id, "passwords", ProgressStatus::kCompleted, 90, 1};
    Certificate certificate{account.id, "passwords", 1};
    return store_->RecordLearning(organization.id, {&progress, 1}, {&certificate, 1});
  }

  Json AnalysisJson(const import::Analysis& analysis) const {
    Json sheets = Json::array();
    for (const sheet::SheetInfo& info : analysis.sheets) {
      sheets.push_back(info.visible ? info.name : info.name + " (hidden)");
    }
    Json mapping = Json::object();
    for (const import::MappedColumn& column : analysis.mapping.columns()) {
      if (column.attribute) mapping[std::string(SpecOf(*column.attribute).key)] = column.header;
    }
    Json issues = Json::array();
    for (const ImportIssue& issue : analysis.issues) {
      Json json = {{"row", issue.row},
                   {"column", issue.column},
                   {"value", issue.value},
                   {"code", std::string(IssueCodeName(issue.code))},
                   {"severity", std::string(SeverityName(issue.severity))},
                   {"suggestion", issue.suggestion ? Json(*issue.suggestion) : Json()}};
      if (setup_.pin_messages) json["message"] = issue.message;
      issues.push_back(std::move(json));
    }
    Json rows = Json::array();
    EXPECT_TRUE(import::ForEachRowRecord(analysis.row_chunks, [&](const import::RowRecord& row) {
                  rows.push_back(std::to_string(row.row) + " " +
                                 std::string(import::RowStatusName(row.status)));
                }).ok());
    return {{"sheet", analysis.sheet},
            {"sheets", sheets},
            {"header_row", analysis.header_row},
            {"mapping", mapping},
            {"counts", CountsJson(analysis.counts, setup_.settings.mode)},
            {"issues", issues},
            {"rows", rows}};
  }

  // Records the analysis as a job and executes it, the way the wizard's confirmation does; a
  // job with unresolved errors must be refused and change nothing.
  Json Execute(const import::Analysis& analysis) {
    Result<ImportJob> job =
        import::RecordJob(*store_, organization_, setup_.settings, analysis, "golden");
    if (!job.ok()) return {{"record", StatusJson(job.status(), true)}};
    import::ExecuteRequest request;
    request.job_id = job->id;
    request.delete_elearning = setup_.delete_elearning;
    request.worker = import::ThisWorker();
    request.actor = "golden";
    request.version = job->version;
    Result<import::ExecutionResult> run = import::ExecuteJob(*store_, organization_, request);
    if (!run.ok()) return StatusJson(run.status(), setup_.pin_execution_message);
    return {{"state", std::string(JobStateName(run->job.state))},
            {"counts", ExecutedCountsJson(run->job.counts, setup_.settings.mode)}};
  }

  // The organization's users after the run: their addresses (with every attribute in
  // add/update mode), and the e-learning accounts left and still linked.
  Json After() {
    Result<UserPage> page =
        store_->ListUsers(organization_.id, {"", UserSort::kEmail, false, kManyUsers, 0});
    if (!page.ok()) return Failed("list the users", page.status());
    std::vector<const UserListEntry*> entries;
    for (const UserListEntry& entry : page->users) entries.push_back(&entry);
    std::sort(entries.begin(), entries.end(), [](const UserListEntry* a, const UserListEntry* b) {
      return a->user.email < b->user.email;
    });
    Json users = Json::array();
    int64_t linked = 0;
    for (const UserListEntry* entry : entries) {
      if (entry->elearning_account_id) ++linked;
      if (setup_.settings.mode == ImportMode::kDelete) {
        users.push_back(entry->user.email);
        continue;
      }
      Result<User> user = store_->GetUser(organization_.id, entry->user.id);  // with groups
      if (!user.ok()) return Failed("read a user", user.status());
      users.push_back(UserJson(*user));
    }
    Result<int64_t> accounts = store_->CountElearningAccounts(organization_.id);
    if (!accounts.ok()) return Failed("count the accounts", accounts.status());
    Json after = {
        {"users", users}, {"elearning_accounts", *accounts}, {"elearning_linked", linked}};
    if (!setup_.other_organization_users.empty()) {
      Result<int64_t> others = store_->CountUsers(other_.id);
      Result<int64_t> other_accounts = store_->CountElearningAccounts(other_.id);
      if (!others.ok() || !other_accounts.ok()) {
        return Failed("count the other organization's users",
                      others.ok() ? other_accounts.status() : others.status());
      }
      after["other_organization"] = {{"users", *others}, {"elearning_accounts", *other_accounts}};
    }
    return after;
  }

  const GoldenSetup& setup_;
  const StoreBackend& backend_;
  testing::TempDir dir_;
  FixedClock clock_{kNow};
  CountingRandom random_;
  std::unique_ptr<Store> store_;
  Organization organization_;
  Organization other_;
};

// A CSV has one sheet, named after the file's stem, so the sheet names of the workbooks
// cannot hold for it; everything else must.
void DropSheetNames(Json& json) {
  json.erase("sheet");
  json.erase("sheets");
}

// The differences as JSON Patch operations (path: expected -> actual), then both documents.
std::string Diff(const Json& expected, const Json& actual) {
  const nlohmann::json old = nlohmann::json::parse(expected.dump());
  nlohmann::json patch = nlohmann::json::diff(old, nlohmann::json::parse(actual.dump()));
  std::string text = "differences (JSON Patch from expected to actual):\n";
  for (const nlohmann::json& operation : patch) {
    text += "  " + operation["op"].get<std::string>() + " " + operation["path"].get<std::string>();
    if (operation.contains("value")) text += ": " + operation["value"].dump();
    if (operation["op"] != "add") {
      nlohmann::json::json_pointer pointer(operation["path"].get<std::string>());
      if (old.contains(pointer)) text += "  (expected " + old.at(pointer).dump() + ")";
    }
    text += "\n";
  }
  text += "expected:\n" + expected.dump(2) + "\nactual:\n" + actual.dump(2) + "\n";
  return text;
}

class GoldenTest : public ::testing::TestWithParam<std::tuple<GoldenVariant, StoreBackend>> {};

TEST_P(GoldenTest, MatchesExpected) {
  const auto& [variant, backend] = GetParam();
  if (!backend.skip.empty()) GTEST_SKIP() << backend.skip;
  GoldenSetup setup;
  ASSERT_TRUE(ParseSetup(ReadJson(variant.SetupPath()), setup)) << variant.SetupPath();

  Json actual = GoldenRun(setup, backend).Run(variant);
  if (variant.is_csv && actual.contains("sheet")) {
    std::string stem = variant.file.stem().string();
    EXPECT_EQ(actual["sheet"], stem) << "a CSV's one sheet is named after the file";
    EXPECT_EQ(actual["sheets"], Json::array({stem}));
  }

  Json expected;
  if (UpdateMode()) {
    // The reference is the case's first variant on SQLite; every other variant and backend is
    // compared with it here, whatever order (or parallelism) they run in. Only SQLite writes.
    const StoreBackend reference = testing::StoreBackends().front();
    std::vector<GoldenVariant> all = testing::FindGoldenVariants(variant.file.parent_path());
    auto first = std::find_if(all.begin(), all.end(), [&](const GoldenVariant& other) {
      return other.case_name == variant.case_name;
    });
    ASSERT_NE(first, all.end());
    ASSERT_FALSE(setup.known_bugs.contains(first->variant))
        << first->file << " is the reference of its case but has a known bug";
    const bool is_reference = first->file == variant.file && backend.name == reference.name;
    expected = is_reference ? actual : GoldenRun(setup, reference).Run(*first);
    if (first->is_csv) DropSheetNames(expected);
    if (is_reference) {
      std::ofstream(variant.ExpectedPath()) << expected.dump(2) << "\n";
      std::cout << "wrote " << variant.ExpectedPath().string() << "\n";
    }
  } else {
    expected = ReadJson(variant.ExpectedPath());
    ASSERT_FALSE(expected.is_null())
        << variant.ExpectedPath() << " is missing or not JSON; make it with ROSTER_UPDATE_GOLDEN=1 "
        << "(see tests/data/golden/README.md) and review it by hand";
  }
  if (variant.is_csv || !expected.contains("sheet")) {
    DropSheetNames(actual);
    DropSheetNames(expected);
  }
  bool same = nlohmann::json::parse(expected.dump()) == nlohmann::json::parse(actual.dump());
  auto known_bug = setup.known_bugs.find(variant.variant);
  if (known_bug != setup.known_bugs.end()) {
    // A bug reported and not yet fixed: shown as skipped with its reason, and a failure once
    // the result is right, so that the entry is removed and the variant counts again.
    EXPECT_FALSE(same) << variant.file.filename().string()
                       << " gives the expected result now: remove it from known_bugs in "
                       << variant.SetupPath().filename().string();
    if (!same) GTEST_SKIP() << "known bug: " << known_bug->second << "\n" << Diff(expected, actual);
    return;
  }
  EXPECT_TRUE(same) << variant.file.filename().string() << " differs from "
                    << variant.ExpectedPath().filename().string() << "\n"
                    << Diff(expected, actual);
}

INSTANTIATE_TEST_SUITE_P(
    Files, GoldenTest,
    ::testing::Combine(::testing::ValuesIn(testing::FindGoldenVariants(testing::GoldenDir())),
                       ::testing::ValuesIn(testing::StoreBackends())),
    [](const ::testing::TestParamInfo<std::tuple<GoldenVariant, StoreBackend>>& info) {
      return std::get<0>(info.param).TestName() + "__" + std::get<1>(info.param).name;
    });

// The golden set itself: enough cases, each written by the suite and by at least two
// third-party writers, each with its expected result.
TEST(GoldenFilesTest, EveryCaseHasItsWritersAndAnExpectedResult) {
  constexpr size_t kMinCases = 6;
  std::vector<GoldenVariant> variants = testing::FindGoldenVariants(testing::GoldenDir());
  std::map<std::string, std::set<std::string>> writers;  // case -> writers
  for (const GoldenVariant& variant : variants) {
    writers[variant.case_name].insert(variant.variant.substr(0, variant.variant.find('.')));
    EXPECT_LT(std::filesystem::file_size(variant.file), 20u * 1024) << variant.file;
  }
  EXPECT_GE(writers.size(), kMinCases) << "in " << testing::GoldenDir();
  for (const auto& [case_name, names] : writers) {
    size_t third_party = names.size() - (names.contains("csv") ? 1 : 0);
    EXPECT_GE(third_party, 2u) << case_name << " needs files of two third-party writers";
    if (!UpdateMode()) {  // in update mode the variants' tests write them
      EXPECT_TRUE(std::filesystem::exists(testing::GoldenDir() / (case_name + ".expected.json")))
          << case_name;
    }
  }
}

}  // namespace
}  // namespace roster
