// The 1,000,000-row delete benchmark (issue 4): a delete import of every user of an
// organization of 1,000,000, 40 % of them with e-learning accounts (deleted too), from the
// spreadsheet to the commit, with the time of every phase and the peak memory.
//
//   delete_bench setup DB CSV   builds the organization from the benchmark's CSV (not timed)
//   delete_bench migrate DB     brings DB to the current schema (not timed)
//   delete_bench run DB FILE    runs the import and prints one line per phase
//
// DB is a SQLite file or any store URL (sqlite:PATH, postgresql://...). scripts/bench-delete.sh
// runs both on SQLite and on PostgreSQL, and the sqlite3 and psql shells doing the same
// deletion by address, and prints the table.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/email.h"
#include "import/analyzer.h"
#include "import/job_runner.h"
#include "import/worker.h"
#include "random/system_random.h"
#include "sheet/workbook_reader.h"
#include "store/backends/open_store.h"
#include "store/store.h"

namespace roster {
namespace {

constexpr int kElearningEveryFive = 2;  // rows n with n % 5 < 2: 40 %
constexpr size_t kBatch = 100'000;

// A path is a SQLite file; a URL names its backend.
std::string StoreUrl(const std::string& db) {
  return db.find("://") != std::string::npos || db.starts_with("sqlite:") ? db : "sqlite:" + db;
}

int Fail(const Status& status) {
  std::cerr << "delete_bench: " << status.ToString() << '\n';
  return 1;
}

int Setup(const std::string& db, const std::string& csv) {
  SystemClock clock;
  auto store = OpenStore(StoreUrl(db), clock);
  if (!store.ok()) return Fail(store.status());
  auto organization =
      (*store)->CreateOrganization({0, "bench", "Benchmark Inc.", "en", {"example.com"}});
  if (!organization.ok()) return Fail(organization.status());
  auto reader = sheet::OpenWorkbook(csv, sheet::Limits());
  if (!reader.ok()) return Fail(reader.status());
  std::vector<User> users;
  std::vector<std::string> learners;
  Status status;
  auto flush = [&] {
    if (status.ok() && !users.empty()) status = (*store)->CreateUsers(organization->id, users);
    users.clear();
  };
  int64_t n = 0;
  status = (*reader)->ReadRows(0, [&](const sheet::Row& row) {
    if (row.number == 1 || row.cells.size() < 3) return true;
    User user;
    user.email = row.cells[0].text;
    user.email_key = *EmailKey(user.email);
    user.first_name = row.cells[1].text;
    user.last_name = row.cells[2].text;
    user.language = row.cells.size() > 3 ? row.cells[3].text : "en";
    if (row.cells.size() > 4) user.department = row.cells[4].text;
    if (row.cells.size() > 5) user.location = row.cells[5].text;
    if (n++ % 5 < kElearningEveryFive) learners.push_back(user.email_key);
    users.push_back(std::move(user));
    if (users.size() == kBatch) flush();
    return status.ok();
  });
  flush();
  if (!status.ok()) return Fail(status);
  for (size_t start = 0; start < learners.size(); start += kBatch) {
    size_t count = std::min(kBatch, learners.size() - start);
    auto accounts = (*store)->CreateElearningAccounts(
        organization->id, std::span<const std::string>(learners).subspan(start, count));
    if (!accounts.ok()) return Fail(accounts.status());
    std::vector<LearningProgress> progress;
    std::vector<Certificate> certificates;
    for (const ElearningAccount& account : *accounts) {
      progress.push_back({account.id, "phishing-basics", ProgressStatus::kCompleted, 90, 1});
      certificates.push_back({account.id, "phishing-basics", 1});
    }
    if (Status recorded = (*store)->RecordLearning(organization->id, progress, certificates);
        !recorded.ok()) {
      return Fail(recorded);
    }
  }
  std::cout << "users=" << n << " elearning=" << learners.size() << '\n';
  return 0;
}

// Opening a store brings it to the current schema.
int Migrate(const std::string& db) {
  SystemClock clock;
  auto store = OpenStore(StoreUrl(db), clock);
  return store.ok() ? 0 : Fail(store.status());
}

double Since(std::chrono::steady_clock::time_point& start) {
  auto now = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(now - start).count();
  start = now;
  return seconds;
}

int Run(const std::string& db, const std::string& file) {
  SystemClock clock;
  auto start = std::chrono::steady_clock::now();
  auto total_start = start;
  auto store = OpenStore(StoreUrl(db), clock);
  if (!store.ok()) return Fail(store.status());
  auto organization = (*store)->FindOrganization("bench");
  if (!organization.ok()) return Fail(organization.status());
  std::printf("phase=open_store seconds=%.3f\n", Since(start));

  SystemRandom random;
  import::AnalyzeRequest request;
  request.path = file;
  request.display_name = file;
  request.organization = *organization;
  auto analysis = import::AnalyzeFile(**store, request, random);
  if (!analysis.ok()) return Fail(analysis.status());
  Since(start);
  for (const import::PhaseTiming& timing : analysis->timings) {
    std::printf("phase=%s seconds=%.3f\n", timing.phase.c_str(), timing.seconds);
  }
  if (analysis->HasErrors()) return Fail(FailedPrecondition("the file has errors"));

  auto job = import::RecordJob(**store, *organization, {}, *analysis, "bench");
  if (!job.ok()) return Fail(job.status());
  std::printf("phase=record_job seconds=%.3f\n", Since(start));
  import::ExecuteRequest execute;
  execute.job_id = job->id;
  execute.delete_elearning = true;
  execute.worker = import::ThisWorker();
  execute.actor = "bench";
  auto claimed =
      import::ClaimForExecution(**store, *organization, job->id, job->version, execute.worker);
  if (!claimed.ok()) return Fail(claimed.status());
  std::printf("phase=claim seconds=%.3f\n", Since(start));
  auto result = import::ExecuteClaimedJob(**store, *organization, execute);
  if (!result.ok()) return Fail(result.status());
  std::printf("phase=execute_and_commit seconds=%.3f\n", Since(start));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("total seconds=%.3f deleted=%lld elearning_deleted=%lld maxrss_kb=%ld\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - total_start).count(),
              static_cast<long long>(result->outcome.deleted),
              static_cast<long long>(result->outcome.elearning_deleted), usage.ru_maxrss);
  return 0;
}

}  // namespace
}  // namespace roster

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "setup") return roster::Setup(argv[2], argv[3]);
  if (argc == 3 && std::string(argv[1]) == "migrate") return roster::Migrate(argv[2]);
  if (argc == 4 && std::string(argv[1]) == "run") return roster::Run(argv[2], argv[3]);
  std::cerr << "usage: delete_bench setup DB CSV | delete_bench migrate DB | delete_bench run DB "
               "FILE\n";
  return 2;
}
