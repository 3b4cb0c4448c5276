// Sealed tenants on the command line: the real `roster` binary, with --org naming one
// organization (acme, A) and ids, job ids and addresses of another (globex, B), answers
// exactly as for ids and addresses nobody has (the same exit code, the same output apart
// from the id or address), and B's users, accounts, jobs, admins and audit stay as they were.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "core/clock.h"
#include "core/key_hash.h"
#include "json/json_shapes.h"
#include "store/backends/open_store.h"
#include "store/job_codec.h"
#include "store/store.h"
#include "support/run_roster.h"
#include "support/temp_dir.h"
#include "support/test_users.h"

namespace roster {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunOutput;
using json = nlohmann::json;

constexpr int64_t kMissingId = 987'654'321;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` with whatever `pattern` matches written as {x}.
std::string Without(const std::string& text, const std::regex& pattern) {
  return std::regex_replace(text, pattern, "{x}");
}
std::regex Word(const std::string& word) { return std::regex("\\b" + word + "\\b"); }
const std::regex kAnyAddress(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)");

class TenantCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_url_ = "sqlite:" + dir_.File("roster.db");
    store_ = std::move(OpenStore(db_url_, clock_)).value();
    // Both organizations own shared.example, so that addresses alone cannot keep them apart.
    a_ = store_->CreateOrganization({0, "acme", "Acme", "en", {"acme.example", "shared.example"}})
             .value();
    b_ = store_
             ->CreateOrganization(
                 {0, "globex", "Globex", "en", {"globex.example", "shared.example"}})
             .value();
    for (const char* email : {"anna@acme.example", "bob@acme.example", "alex@shared.example"}) {
      AddUser(a_, email);
    }
    for (const char* email : {"gina.globex@globex.example", "hans.huber@globex.example",
                              "sam.shared@shared.example", "leaver@globex.example"}) {
      b_users_[email] = AddUser(b_, email);
    }
    for (const char* email : {"gina.globex@globex.example", "sam.shared@shared.example"}) {
      b_accounts_.push_back(store_->CreateElearningAccount(b_.id, email).value().id);
    }
    // Admins are never signed in here: any hash will do.
    ASSERT_TRUE(
        store_->CreateAdmin({0, a_.id, "owner@acme.example", "x", AdminRole::kOwner, 0}).ok());
    ASSERT_TRUE(
        store_->CreateAdmin({0, b_.id, "owner@globex.example", "x", AdminRole::kOwner, 0}).ok());

    // B's jobs: one done by `roster import`, one validated that plans to delete Hans, one with
    // an unresolved error.
    RunOutput done = Roster({"import", Write("leavers.csv", "E-Mail\nleaver@globex.example\n"),
                             "--org", "globex", "--mode", "delete", "--yes", "--json"});
    ASSERT_EQ(done.exit_code, 0) << done.err;
    b_jobs_.push_back(json::parse(done.out)["job_id"].get<int64_t>());
    b_validated_job_ = AddJob(
        b_, JobState::kValidated,
        {{b_users_["hans.huber@globex.example"], KeyHash("hans.huber@globex.example"), 2, {}}}, {});
    b_jobs_.push_back(b_validated_job_);
    b_jobs_.push_back(
        AddJob(b_, JobState::kMapped, {},
               {{2, "E-Mail", "nobody@globex.example", IssueCode::kNotFound, Severity::kError,
                 "No user of this organization has the address "
                 "nobody@globex.example.",
                 std::nullopt}}));
  }

  int64_t AddUser(const Organization& org, const std::string& email) {
    Result<User> created = store_->CreateUser(
        org.id, testing::TestUser(email, email.substr(0, email.find('.')), "Tenant"));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  // A delete job as the wizard leaves it once checked.
  int64_t AddJob(const Organization& org, JobState state, std::vector<PlannedDeletion> plan,
                 std::vector<ImportIssue> issues) {
    ImportJob job;
    job.org_id = org.id;
    job.mode = ImportMode::kDelete;
    job.state = JobState::kUploaded;
    job.actor = "owner@" + org.domains[0];
    job.file_name = "staff.csv";
    job.sheet = "staff";
    job.mapping = {{"email", "E-Mail"}};
    job.counts.rows = 1;
    job.counts.to_delete = static_cast<int64_t>(plan.size());
    job.counts.errors = static_cast<int64_t>(issues.size());
    ImportJob created = store_->CreateJob(job).value();
    created.state = state;
    EXPECT_TRUE(store_->SaveFindings(created, {issues, plan, {}, {}}).ok());
    return created.id;
  }

  RunOutput Roster(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_url_});
    return testing::RunRoster(args);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Everything the store holds of B.
  json DumpB() {
    json dump;
    UserQuery query;
    query.sort = UserSort::kId;
    query.limit = 100'000;
    const UserPage users = store_->ListUsers(b_.id, query).value();
    for (const UserListEntry& entry : users.users) dump["users"].push_back(ToJson(entry));
    dump["account_count"] = store_->CountElearningAccounts(b_.id).value();
    for (int64_t account : b_accounts_) {
      dump["accounts"].push_back(ToJson(store_->GetElearningAccount(b_.id, account).value()));
    }
    const std::vector<ImportJob> jobs = store_->ListJobs(b_.id, 0, 1000).value();
    for (const ImportJob& job : jobs) {
      json stored = ToJson(job);
      stored["decisions"] = job.decisions;
      stored["delete_elearning"] = job.delete_elearning;
      stored["counts"] = json::parse(CountsToJson(job.counts));
      const std::vector<ImportIssue> issues = store_->ListIssues(b_.id, job.id, 0, 1000).value();
      for (const ImportIssue& issue : issues) stored["issues"].push_back(ToJson(issue));
      const std::vector<PlannedDeletion> plan = store_->LoadPlan(b_.id, job.id).value();
      for (const PlannedDeletion& planned : plan) {
        stored["plan"].push_back({planned.user_id, planned.row});
      }
      dump["jobs"].push_back(stored);
    }
    const std::vector<Admin> admins = store_->ListAdmins(b_.id).value();
    for (const Admin& admin : admins) dump["admins"].push_back(ToJson(admin));
    const std::vector<AuditEvent> events = store_->ListAuditEvents(b_.id, 0, 1000).value();
    for (const AuditEvent& event : events) dump["audit"].push_back(ToJson(event));
    return dump;
  }

  // B's addresses, each with a nonexistent one of the same domain.
  static std::vector<std::pair<std::string, std::string>> BAddresses() {
    return {{"gina.globex@globex.example", "nora.nobody@globex.example"},
            {"hans.huber@globex.example", "otto.nobody@globex.example"},
            {"sam.shared@shared.example", "ned.nobody@shared.example"},
            {"owner@globex.example", "ghost@globex.example"},
            {"gina.globx@globex.example", "nora.nobdy@globex.example"},
            {"sam.sharde@shared.example", "ned.nobdoy@shared.example"}};
  }

  testing::TempDir dir_;
  SystemClock clock_;
  std::string db_url_;
  std::unique_ptr<Store> store_;
  Organization a_;
  Organization b_;
  std::map<std::string, int64_t> b_users_;
  std::vector<int64_t> b_accounts_;
  std::vector<int64_t> b_jobs_;
  int64_t b_validated_job_ = 0;
};

TEST_F(TenantCliTest, RunningAnotherOrganizationsJobAnswersLikeANonexistentOne) {
  const json before = DumpB();
  for (const std::vector<std::string>& flags : std::vector<std::vector<std::string>>{
           {}, {"--yes"}, {"--yes", "--delete-elearning", "--json"}}) {
    for (int64_t job : b_jobs_) {
      SCOPED_TRACE("job " + std::to_string(job) + " " + ::testing::PrintToString(flags));
      std::vector<std::string> theirs_args{"jobs", "run", std::to_string(job), "--org", "acme"};
      std::vector<std::string> missing_args{"jobs", "run", std::to_string(kMissingId), "--org",
                                            "acme"};
      theirs_args.insert(theirs_args.end(), flags.begin(), flags.end());
      missing_args.insert(missing_args.end(), flags.begin(), flags.end());
      RunOutput theirs = Roster(theirs_args);
      RunOutput missing = Roster(missing_args);
      EXPECT_EQ(missing.exit_code, 2) << missing.err;
      EXPECT_EQ(theirs.exit_code, missing.exit_code) << theirs.err;
      EXPECT_EQ(theirs.out, missing.out);
      EXPECT_EQ(Without(theirs.err, Word(std::to_string(job))),
                Without(missing.err, Word(std::to_string(kMissingId))));
      EXPECT_THAT(theirs.err, HasSubstr("no import job with the id " + std::to_string(job)));
    }
  }
  EXPECT_EQ(DumpB(), before);
  // The validated job was B's to run all along, untouched.
  RunOutput own =
      Roster({"jobs", "run", std::to_string(b_validated_job_), "--org", "globex", "--yes"});
  EXPECT_EQ(own.exit_code, 0) << own.err;
  EXPECT_THAT(own.out, HasSubstr("deleted 1 users"));
}

TEST_F(TenantCliTest, ListsAndExportsOfAnOrganizationShowNothingOfAnother) {
  const json before = DumpB();
  RunOutput users = Roster({"users", "list", "--org", "acme", "--json", "--limit", "10000"});
  ASSERT_EQ(users.exit_code, 0) << users.err;
  EXPECT_EQ(json::parse(users.out)["total"], 3);
  EXPECT_THAT(users.out, Not(HasSubstr("globex")));
  EXPECT_THAT(users.out, Not(HasSubstr("sam.shared")));
  for (const char* term : {"gina", "Globex", "sam.shared", "hans.huber@globex.example", "leaver"}) {
    RunOutput found = Roster({"users", "list", "--org", "acme", "--json", "--search", term});
    ASSERT_EQ(found.exit_code, 0) << found.err;
    EXPECT_EQ(json::parse(found.out), json({{"total", 0}, {"users", json::array()}})) << term;
  }
  RunOutput jobs = Roster({"jobs", "list", "--org", "acme", "--json"});
  ASSERT_EQ(jobs.exit_code, 0) << jobs.err;
  EXPECT_EQ(json::parse(jobs.out)["jobs"], json::array());
  RunOutput admins = Roster({"admin", "list", "--org", "acme"});
  ASSERT_EQ(admins.exit_code, 0) << admins.err;
  EXPECT_THAT(admins.out, HasSubstr("owner@acme.example"));
  EXPECT_THAT(admins.out, Not(HasSubstr("globex")));
  const std::string exported = dir_.File("acme.csv");
  RunOutput exporting = Roster({"users", "export", "--org", "acme", "--output", exported});
  ASSERT_EQ(exporting.exit_code, 0) << exporting.err;
  EXPECT_THAT(ReadFile(exported), HasSubstr("anna@acme.example"));
  EXPECT_THAT(ReadFile(exported), Not(HasSubstr("globex")));
  EXPECT_THAT(ReadFile(exported), Not(HasSubstr("sam.shared")));
  EXPECT_EQ(DumpB(), before);
}

TEST_F(TenantCliTest, AnotherOrganizationsAddressesAreAddedLikeNewOnes) {
  const json before = DumpB();
  for (const auto& [theirs_address, new_address] : BAddresses()) {
    SCOPED_TRACE(theirs_address);
    RunOutput theirs = Roster({"users", "add", "--org", "acme", "--email", theirs_address,
                               "--first-name", "T", "--last-name", "U", "--json"});
    RunOutput fresh = Roster({"users", "add", "--org", "acme", "--email", new_address,
                              "--first-name", "T", "--last-name", "U", "--json"});
    // Added in the shared domain, refused in B's own, and alike either way.
    EXPECT_EQ(theirs.exit_code, theirs_address.ends_with("@shared.example") ? 0 : 2) << theirs.err;
    EXPECT_EQ(theirs.exit_code, fresh.exit_code);
    EXPECT_EQ(Without(theirs.err, kAnyAddress), Without(fresh.err, kAnyAddress));
    if (theirs.exit_code == 0) {
      json added = json::parse(theirs.out);
      json added_fresh = json::parse(fresh.out);
      EXPECT_TRUE(added["elearning_account_id"].is_null()) << "linked to B's account";
      for (const char* key : {"id", "email", "created_at", "updated_at"}) {
        added.erase(key);
        added_fresh.erase(key);
      }
      EXPECT_EQ(added, added_fresh);
    }

    RunOutput account = Roster({"elearning", "create", "--org", "acme", "--email", theirs_address});
    RunOutput fresh_account =
        Roster({"elearning", "create", "--org", "acme", "--email", new_address});
    EXPECT_EQ(account.exit_code, 0) << account.err;
    EXPECT_EQ(fresh_account.exit_code, 0) << fresh_account.err;
    // Linked to the user A just added in the shared domain, to nobody otherwise: never to B's.
    EXPECT_EQ(Without(Without(account.out, kAnyAddress), std::regex(R"(\d+)")),
              Without(Without(fresh_account.out, kAnyAddress), std::regex(R"(\d+)")));
    for (const auto& [address, id] : b_users_) {
      // (The leaver's id is free again once B deleted them: SQLite reuses the highest id.)
      if (address == "leaver@globex.example") continue;
      EXPECT_THAT(account.out, Not(HasSubstr("linked to user " + std::to_string(id) + "\n")));
    }
  }
  EXPECT_EQ(DumpB(), before);
}

TEST_F(TenantCliTest, ImportsFindNoneOfAnotherOrganizationsUsersOrIds) {
  const json before = DumpB();
  std::string theirs_file = "E-Mail\n";
  std::string fresh_file = "E-Mail\n";
  for (const auto& [theirs_address, new_address] : BAddresses()) {
    theirs_file += theirs_address + "\n";
    fresh_file += new_address + "\n";
  }
  for (const char* flag : {"--dry-run", "--yes"}) {
    SCOPED_TRACE(flag);
    RunOutput theirs = Roster({"import", Write("staff.csv", theirs_file), "--org", "acme", "--mode",
                               "delete", flag, "--json"});
    RunOutput fresh = Roster({"import", Write("staff.csv", fresh_file), "--org", "acme", "--mode",
                              "delete", flag, "--json"});
    EXPECT_EQ(theirs.exit_code, 3) << theirs.err;
    EXPECT_EQ(fresh.exit_code, 3) << fresh.err;
    json result = json::parse(theirs.out);
    ASSERT_EQ(result["issues"].size(), BAddresses().size()) << theirs.out;
    for (const json& issue : result["issues"]) {
      EXPECT_EQ(issue["code"], "not_found") << issue.dump();
      EXPECT_TRUE(issue["suggestion"].is_null()) << "points at B: " << issue.dump();
    }
    EXPECT_EQ(result["to_delete"], 0);
    EXPECT_EQ(Without(theirs.out, kAnyAddress), Without(fresh.out, kAnyAddress));
  }

  // A Roster ID of B's user in an add/update file is unknown, like an id nobody has.
  const std::string b_user = std::to_string(b_users_["gina.globex@globex.example"]);
  const std::string header = "Roster ID,E-Mail,First name,Last name\n";
  RunOutput theirs =
      Roster({"import", Write("staff.csv", header + b_user + ",gina@acme.example,G,H\n"), "--org",
              "acme", "--mode", "add-update", "--yes", "--json"});
  RunOutput fresh =
      Roster({"import",
              Write("staff.csv", header + std::to_string(kMissingId) + ",gina@acme.example,G,H\n"),
              "--org", "acme", "--mode", "add-update", "--yes", "--json"});
  EXPECT_EQ(theirs.exit_code, 3) << theirs.err;
  EXPECT_EQ(fresh.exit_code, 3) << fresh.err;
  EXPECT_EQ(json::parse(theirs.out)["issues"][0]["code"], "not_found") << theirs.out;
  EXPECT_EQ(Without(theirs.out, Word(b_user)),
            Without(fresh.out, Word(std::to_string(kMissingId))));
  EXPECT_EQ(DumpB(), before);
}

}  // namespace
}  // namespace roster
