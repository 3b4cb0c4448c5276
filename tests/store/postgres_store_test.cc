// What is particular to the PostgreSQL backend: migrations shared by processes, claims raced by
// two connections, a connection lost in the middle of an execution, the bulk paths past one
// cursor batch. Each test gets a fresh schema on the server named by ROSTER_TEST_PG (see
// support/store_backends.h).

#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <pqxx/pqxx>
#include <thread>
#include <type_traits>
#include <utility>

#include "core/key_hash.h"
#include "store/backends/open_store.h"
#include "store/postgres/postgres_migrations.h"
#include "support/checked_jobs.h"
#include "support/store_backends.h"

namespace roster {
namespace {

constexpr int64_t kNow = 1'764'000'000;

// Runs `a` and `b` on two threads released at the same moment; returns what each returned.
template <typename A, typename B>
auto Race(A&& a, B&& b) {
  std::latch start(2);
  std::invoke_result_t<A> first = Internal("did not run");
  std::invoke_result_t<B> second = Internal("did not run");
  std::thread one([&] {
    start.arrive_and_wait();
    first = a();
  });
  std::thread two([&] {
    start.arrive_and_wait();
    second = b();
  });
  one.join();
  two.join();
  return std::make_pair(std::move(first), std::move(second));
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::PostgresTestsOff()) GTEST_SKIP() << testing::kPostgresOff;
    Result<std::string> url = testing::FreshPostgresUrl();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    Result<Organization> acme =
        store_->CreateOrganization({0, "acme", "Acme", "en", {"acme.example"}});
    ASSERT_TRUE(acme.ok()) << acme.status().ToString();
    acme_ = *acme;
  }

  std::unique_ptr<PostgresStore> Open() {
    Result<std::unique_ptr<PostgresStore>> opened = PostgresStore::Open(url_, clock_);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  // Runs `sql` on a connection of its own (same schema), outside the store.
  pqxx::result Sql(const std::string& sql) {
    pqxx::connection connection(url_);
    pqxx::work work(connection);
    pqxx::result result = work.exec(sql);
    work.commit();
    return result;
  }

  // Ends the store's server process, as an operator's pg_terminate_backend or a crashed
  // server would; waits until it is gone. The store's connections carry the schema's name as
  // application_name; this helper's own connection is spared.
  int64_t TerminateStoreConnections() {
    const std::string name = url_.substr(url_.rfind("application_name=") + 17);
    return Sql("SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE "
               "application_name = '" +
               name + "' AND pid <> pg_backend_pid()")[0][0]
        .as<int64_t>();
  }

  std::vector<User> AddUsers(int count, int with_accounts_every = 0) {
    std::vector<User> users(static_cast<size_t>(count));
    std::vector<std::string> learners;
    for (int i = 0; i < count; ++i) {
      User& user = users[static_cast<size_t>(i)];
      user.email = user.email_key = "user" + std::to_string(i) + "@acme.example";
      user.first_name = "F";
      user.last_name = "L";
      user.groups = {"staff"};
      if (with_accounts_every > 0 && i % with_accounts_every == 0) {
        learners.push_back(user.email_key);
      }
    }
    EXPECT_TRUE(store_->CreateUsers(acme_.id, users).ok());
    EXPECT_TRUE(store_->CreateElearningAccounts(acme_.id, learners).ok());
    return users;
  }

  int64_t ValidatedJob(std::span<const PlannedDeletion> plan = {}) {
    return testing::CheckedJob(*store_, acme_.id, plan).id;
  }

  static std::vector<PlannedDeletion> PlanFor(const std::vector<User>& users) {
    std::vector<PlannedDeletion> plan;
    int64_t row = 2;
    for (const User& user : users) plan.push_back({user.id, KeyHash(user.email_key), row++, {}});
    return plan;
  }

  std::string url_;
  FixedClock clock_{kNow};
  std::unique_ptr<PostgresStore> store_;
  Organization acme_;
};

TEST_F(PostgresStoreTest, AppliesEveryMigrationOnceAndReopens) {
  EXPECT_EQ(*store_->SchemaVersion(), postgres::Migrations().back().version);
  std::unique_ptr<PostgresStore> again = Open();
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(again->FindOrganization("acme").ok());
  EXPECT_EQ(Sql("SELECT count(*) FROM schema_migrations")[0][0].as<int64_t>(),
            static_cast<int64_t>(postgres::Migrations().size()));
}

TEST_F(PostgresStoreTest, ProcessesOpeningAnEmptyDatabaseTogetherMigrateItOnce) {
  Result<std::string> url = testing::FreshPostgresUrl();
  ASSERT_TRUE(url.ok());
  auto open = [&] { return PostgresStore::Open(*url, clock_).status(); };
  auto [first, second] = Race(open, open);
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_TRUE(second.ok()) << second.ToString();
  pqxx::connection connection(*url);
  pqxx::work work(connection);
  EXPECT_EQ(work.exec("SELECT count(*) FROM schema_migrations")[0][0].as<int64_t>(),
            static_cast<int64_t>(postgres::Migrations().size()));
}

TEST_F(PostgresStoreTest, RefusesADatabaseFromANewerRoster) {
  Sql("INSERT INTO schema_migrations VALUES (999, 'future', 0)");
  Result<std::unique_ptr<PostgresStore>> newer = PostgresStore::Open(url_, clock_);
  EXPECT_EQ(newer.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(newer.status().message(),
            "the database has schema version 999, newer than this Roster knows (" +
                std::to_string(postgres::Migrations().back().version) + "): upgrade Roster");
}

TEST_F(PostgresStoreTest, OpenStoreSelectsPostgresForBothSchemes) {
  std::string rest = url_.substr(url_.find("://"));
  EXPECT_TRUE(OpenStore("postgresql" + rest, clock_).ok());
  EXPECT_TRUE(OpenStore("postgres" + rest, clock_).ok());
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailableAndItsPasswordIsNotShown) {
  // Port 1 on the loopback: nothing listens there.
  Result<std::unique_ptr<Store>> store =
      OpenStore("postgresql://roster:s3cret@127.0.0.1:1/roster?connect_timeout=5", clock_);
  EXPECT_EQ(store.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(store.status().message().find("postgresql://roster:***@127.0.0.1:1/roster"),
            std::string::npos)
      << store.status().message();
  EXPECT_EQ(store.status().message().find("s3cret"), std::string::npos);
}

TEST_F(PostgresStoreTest, ABulkCreateNamesTheRowWhoseAddressIsTaken) {
  std::vector<User> users(3);
  for (int i = 0; i < 3; ++i) users[static_cast<size_t>(i)].first_name = "F";
  users[0].email = users[0].email_key = "a@acme.example";
  users[1].email = users[1].email_key = "b@acme.example";
  users[2].email = "A@acme.example";
  users[2].email_key = "a@acme.example";
  Status status = store_->CreateUsers(acme_.id, users);
  EXPECT_EQ(status.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(status.message(), "a user with the address A@acme.example exists already");
  users[2].email = users[2].email_key = "c@acme.example";
  users[2].gender = "robot";
  status = store_->CreateUsers(acme_.id, users);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "the user c@acme.example has a value the database refuses (gender or address type)");
  EXPECT_EQ(*store_->CountUsers(acme_.id), 0);
}

// More rows than one cursor batch (50,000) and COPY batches, through every bulk path.
TEST_F(PostgresStoreTest, BulkPathsHandleMoreRowsThanOneBatch) {
  constexpr int kUsers = 60'001;
  std::vector<User> users = AddUsers(kUsers, /*with_accounts_every=*/3);
  int64_t visited = 0;
  int64_t linked = 0;
  ASSERT_TRUE(store_
                  ->ForEachUserKey(acme_.id,
                                   [&](const UserKey& key) {
                                     ++visited;
                                     if (key.has_elearning) ++linked;
                                   })
                  .ok());
  EXPECT_EQ(visited, kUsers);
  EXPECT_EQ(linked, (kUsers + 2) / 3);

  std::vector<PlannedDeletion> plan = PlanFor(users);
  plan[7].key_hash = KeyHash("changed@acme.example");
  int64_t job = ValidatedJob(plan);
  ASSERT_EQ(store_->LoadPlan(acme_.id, job)->size(), plan.size());
  ASSERT_TRUE(testing::ClaimAsItIs(*store_, acme_.id, job, "w").ok());
  int64_t last_done = 0;
  DeletionRequest request{acme_.id,
                          job,
                          "w",
                          plan,
                          /*delete_elearning=*/true,
                          {"test", "import.delete", "{}"},
                          [&](int64_t done, int64_t total) {
                            EXPECT_GE(done, last_done);
                            EXPECT_LE(done, total);
                            last_done = done;
                          },
                          ""};
  Result<DeletionOutcome> outcome = store_->ExecuteDeletion(request);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->deleted, kUsers - 1);
  EXPECT_EQ(outcome->already_gone, 1);
  EXPECT_EQ(outcome->gone_rows, std::vector<int64_t>{9});
  EXPECT_EQ(outcome->elearning_deleted, (kUsers + 2) / 3);  // user 7, who stays, has none
  EXPECT_EQ(last_done, static_cast<int64_t>(plan.size()) * 2);
  EXPECT_EQ(*store_->CountUsers(acme_.id), 1);
  EXPECT_EQ(*store_->CountElearningAccounts(acme_.id), 0);
  EXPECT_EQ(Sql("SELECT count(*) FROM user_groups")[0][0].as<int64_t>(), 1);
  EXPECT_EQ(Sql("SELECT count(*) FROM learning_progress")[0][0].as<int64_t>(), 0);
  Result<std::vector<AuditEvent>> audit = store_->ListAuditEvents(acme_.id, 0, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].address_hash_count, kUsers - 1);
}

// Two stores (two connections, as two `roster serve` processes would have) claim at the same
// moment, many times: exactly one wins each race.
TEST_F(PostgresStoreTest, RacingClaimsOfOneJobLetExactlyOneWin) {
  std::unique_ptr<PostgresStore> other = Open();
  ASSERT_NE(other, nullptr);
  constexpr int kRaces = 100;
  for (int race = 0; race < kRaces; ++race) {
    int64_t job = ValidatedJob();
    auto [first, second] =
        Race([&] { return testing::ClaimAsItIs(*store_, acme_.id, job, "worker-a"); },
             [&] { return testing::ClaimAsItIs(*other, acme_.id, job, "worker-b"); });
    ASSERT_NE(first.ok(), second.ok())
        << "race " << race << ": " << first.ToString() << " / " << second.ToString();
    const Status& loser = first.ok() ? second : first;
    EXPECT_EQ(loser.code(), ErrorCode::kFailedPrecondition) << loser.ToString();
    EXPECT_EQ(loser.message(),
              "import job " + std::to_string(job) + " is running: it runs only once");
    Result<ImportJob> claimed = store_->GetJob(acme_.id, job);
    EXPECT_EQ(claimed->worker, first.ok() ? "worker-a" : "worker-b");
    ASSERT_TRUE(store_->InterruptJob(acme_.id, job, "next race").ok());
  }
}

TEST_F(PostgresStoreTest, RacingClaimsOfTwoJobsOfOneOrganizationLetExactlyOneRun) {
  std::unique_ptr<PostgresStore> other = Open();
  ASSERT_NE(other, nullptr);
  constexpr int kRaces = 100;
  for (int race = 0; race < kRaces; ++race) {
    int64_t job_a = ValidatedJob();
    int64_t job_b = ValidatedJob();
    auto [first, second] =
        Race([&] { return testing::ClaimAsItIs(*store_, acme_.id, job_a, "worker-a"); },
             [&] { return testing::ClaimAsItIs(*other, acme_.id, job_b, "worker-b"); });
    ASSERT_NE(first.ok(), second.ok())
        << "race " << race << ": " << first.ToString() << " / " << second.ToString();
    const Status& loser = first.ok() ? second : first;
    int64_t winner = first.ok() ? job_a : job_b;
    EXPECT_EQ(loser.code(), ErrorCode::kAborted) << loser.ToString();
    EXPECT_EQ(loser.message(), "another import of this organization (job " +
                                   std::to_string(winner) +
                                   ") is running; wait until it is done and try again");
    ASSERT_TRUE(store_->InterruptJob(acme_.id, winner, "next race").ok());
  }
}

// Both processes try to run the same import; it deletes once.
TEST_F(PostgresStoreTest, RacingExecutionsOfOneJobDeleteOnce) {
  std::unique_ptr<PostgresStore> other = Open();
  ASSERT_NE(other, nullptr);
  std::vector<User> users = AddUsers(500, 2);
  int64_t job = ValidatedJob();
  std::vector<PlannedDeletion> plan = PlanFor(users);
  auto run = [&](PostgresStore& store, const std::string& worker) -> Result<DeletionOutcome> {
    ROSTER_RETURN_IF_ERROR(testing::ClaimAsItIs(store, acme_.id, job, worker));
    return store.ExecuteDeletion(
        {acme_.id, job, worker, plan, true, {worker, "import.delete", "{}"}, {}, ""});
  };
  auto [first, second] =
      Race([&] { return run(*store_, "worker-a"); }, [&] { return run(*other, "worker-b"); });
  ASSERT_NE(first.ok(), second.ok())
      << first.status().ToString() << " / " << second.status().ToString();
  EXPECT_EQ((first.ok() ? first : second)->deleted, 500);
  EXPECT_EQ((first.ok() ? second : first).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store_->ListAuditEvents(acme_.id, 0, 10)->size(), 1u);
  EXPECT_EQ(*store_->CountUsers(acme_.id), 0);
}

// A lost connection in the middle of the execution: PostgreSQL rolls everything back, the
// store says kUnavailable and connects again on the next call, so the caller can mark the job
// interrupted and run it again.
TEST_F(PostgresStoreTest, ALostConnectionDuringExecutionRollsBackAndTheJobRunsAgain) {
  std::vector<User> users = AddUsers(30, 2);
  int64_t job = ValidatedJob();
  std::vector<PlannedDeletion> plan = PlanFor(users);
  ASSERT_TRUE(testing::ClaimAsItIs(*store_, acme_.id, job, "w").ok());
  int64_t terminated = -1;
  DeletionRequest request{acme_.id,
                          job,
                          "w",
                          plan,
                          true,
                          {"t", "import.delete", "{}"},
                          [&](int64_t done, int64_t total) {
                            // Once, after the first statements ran inside the transaction.
                            if (terminated < 0 && done > 0 && done < total) {
                              terminated = TerminateStoreConnections();
                            }
                          },
                          ""};
  Result<DeletionOutcome> lost = store_->ExecuteDeletion(request);
  EXPECT_EQ(terminated, 1);
  EXPECT_EQ(lost.status().code(), ErrorCode::kUnavailable) << lost.status().ToString();

  // Nothing of it was committed; the next calls reconnect.
  EXPECT_EQ(*store_->CountUsers(acme_.id), 30);
  EXPECT_EQ(*store_->CountElearningAccounts(acme_.id), 15);
  EXPECT_EQ(store_->GetJob(acme_.id, job)->state, JobState::kRunning);
  EXPECT_TRUE(store_->ListAuditEvents(acme_.id, 0, 10)->empty());
  ASSERT_TRUE(store_->InterruptJob(acme_.id, job, lost.status().message()).ok());
  EXPECT_EQ(store_->GetJob(acme_.id, job)->state, JobState::kInterrupted);

  ASSERT_TRUE(testing::ClaimAsItIs(*store_, acme_.id, job, "w2").ok());
  request.worker = "w2";
  request.progress = nullptr;
  Result<DeletionOutcome> again = store_->ExecuteDeletion(request);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->deleted, 30);
  EXPECT_EQ(*store_->CountUsers(acme_.id), 0);
  EXPECT_EQ(store_->GetJob(acme_.id, job)->state, JobState::kDone);
}

TEST_F(PostgresStoreTest, AConnectionLostBeforeExecutionIsUnavailableThenReconnects) {
  std::vector<User> users = AddUsers(10);
  int64_t job = ValidatedJob();
  std::vector<PlannedDeletion> plan = PlanFor(users);
  ASSERT_TRUE(testing::ClaimAsItIs(*store_, acme_.id, job, "w").ok());
  ASSERT_EQ(TerminateStoreConnections(), 1);
  DeletionRequest request{acme_.id, job, "w", plan, false, {"t", "import.delete", "{}"}, {}, ""};
  Result<DeletionOutcome> lost = store_->ExecuteDeletion(request);
  EXPECT_EQ(lost.status().code(), ErrorCode::kUnavailable) << lost.status().ToString();
  EXPECT_EQ(*store_->CountUsers(acme_.id), 10);
  ASSERT_TRUE(store_->InterruptJob(acme_.id, job, "lost").ok());
  ASSERT_TRUE(testing::ClaimAsItIs(*store_, acme_.id, job, "w").ok());
  Result<DeletionOutcome> again = store_->ExecuteDeletion(request);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->deleted, 10);
}

// An execution whose job stopped running for it meanwhile (interrupted by another process, for
// instance) commits nothing: the job's state is checked again under its row lock at the end.
TEST_F(PostgresStoreTest, AnExecutionWhoseJobWasInterruptedMeanwhileCommitsNothing) {
  std::unique_ptr<PostgresStore> other = Open();
  ASSERT_NE(other, nullptr);
  std::vector<User> users = AddUsers(20);
  int64_t job = ValidatedJob();
  std::vector<PlannedDeletion> plan = PlanFor(users);
  ASSERT_TRUE(testing::ClaimAsItIs(*store_, acme_.id, job, "w").ok());
  bool interrupted = false;
  DeletionRequest request{acme_.id,
                          job,
                          "w",
                          plan,
                          false,
                          {"t", "import.delete", "{}"},
                          [&](int64_t done, int64_t total) {
                            if (!interrupted && done > 0 && done < total) {
                              interrupted = other->InterruptJob(acme_.id, job, "taken over").ok();
                            }
                          },
                          ""};
  Result<DeletionOutcome> outcome = store_->ExecuteDeletion(request);
  EXPECT_TRUE(interrupted);
  EXPECT_EQ(outcome.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(*store_->CountUsers(acme_.id), 20);
  EXPECT_EQ(store_->GetJob(acme_.id, job)->state, JobState::kInterrupted);
}

// Servers taking jobs from the queue at the same moment: each job goes to one of them, and
// two jobs of one organization never run at once (the second stays queued).
TEST_F(PostgresStoreTest, RacingServersTakeEachQueuedJobOnceAndOneJobPerOrganization) {
  std::unique_ptr<PostgresStore> other = Open();
  ASSERT_NE(other, nullptr);
  constexpr int kRaces = 50;
  for (int race = 0; race < kRaces; ++race) {
    const int64_t job_a = ValidatedJob();
    const int64_t job_b = ValidatedJob();
    ASSERT_TRUE(testing::EnqueueAsItIs(*store_, acme_.id, job_a, false, "a").ok());
    ASSERT_TRUE(testing::EnqueueAsItIs(*store_, acme_.id, job_b, false, "a").ok());
    auto [first, second] = Race([&] { return store_->ClaimNextJob("worker-a"); },
                                [&] { return other->ClaimNextJob("worker-b"); });
    ASSERT_TRUE(first.ok() && second.ok())
        << first.status().ToString() << " / " << second.status().ToString();
    ASSERT_NE(first->has_value(), second->has_value()) << "race " << race;
    const ImportJob& claimed = first->has_value() ? **first : **second;
    EXPECT_EQ(claimed.id, job_a) << "the older one first";
    ASSERT_TRUE(store_->InterruptJob(acme_.id, job_a, "next").ok());
    Result<std::optional<ImportJob>> next = other->ClaimNextJob("worker-b");
    ASSERT_TRUE(next.ok() && next->has_value())
        << "race " << race << ": " << next.status().ToString() << " "
        << JobStateName(store_->GetJob(acme_.id, job_b)->state);
    EXPECT_EQ((*next)->id, job_b);
    ASSERT_TRUE(store_->InterruptJob(acme_.id, job_b, "next").ok());
  }
  // Many organizations, many jobs: every job is taken exactly once.
  std::vector<int64_t> queued;
  for (int i = 0; i < 30; ++i) {
    Result<Organization> organization = store_->CreateOrganization(
        {0, "org" + std::to_string(i), "Org", "en", {"org" + std::to_string(i) + ".example"}});
    ASSERT_TRUE(organization.ok());
    queued.push_back(testing::CheckedJob(*store_, organization->id).id);
    ASSERT_TRUE(testing::EnqueueAsItIs(*store_, organization->id, queued.back(), false, "a").ok());
  }
  auto take_all = [](PostgresStore& store, const std::string& worker) {
    std::vector<int64_t> taken;
    while (true) {
      Result<std::optional<ImportJob>> next = store.ClaimNextJob(worker);
      if (!next.ok() || !next->has_value()) break;
      taken.push_back((*next)->id);
    }
    return Result<std::vector<int64_t>>(taken);
  };
  auto [mine, theirs] = Race([&] { return take_all(*store_, "worker-a"); },
                             [&] { return take_all(*other, "worker-b"); });
  std::vector<int64_t> all = *mine;
  all.insert(all.end(), theirs->begin(), theirs->end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, queued);
}

// A job claimed by a worker of another machine (its liveness unknown here) reads interrupted
// once it had time to start and no transaction executes it; never while one does.
TEST_F(PostgresStoreTest, AJobOfAVanishedMachineIsRecoveredOnlyWhenNothingExecutesIt) {
  std::unique_ptr<PostgresStore> recoverer = Open();
  ASSERT_NE(recoverer, nullptr);
  auto unknown = [](std::string_view) { return WorkerLiveness::kUnknown; };
  std::vector<User> users = AddUsers(20);
  const std::string far_worker = "far-host:4242:99";

  const int64_t executing = ValidatedJob();
  ASSERT_TRUE(testing::ClaimAsItIs(*store_, acme_.id, executing, far_worker).ok());
  EXPECT_EQ(*recoverer->RecoverInterruptedJobs(unknown), 0) << "within the grace period";
  clock_.Set(kNow + kClaimGraceSeconds + 1);
  Result<int64_t> recovered_meanwhile = Internal("not called");
  const std::vector<PlannedDeletion> plan = PlanFor(users);  // the request only views it
  DeletionRequest request{acme_.id,
                          executing,
                          far_worker,
                          plan,
                          false,
                          {"t", "import.delete", "{}"},
                          [&](int64_t done, int64_t total) {
                            if (done > 0 && done < total && !recovered_meanwhile.ok()) {
                              recovered_meanwhile = recoverer->RecoverInterruptedJobs(unknown);
                            }
                          },
                          ""};
  Result<DeletionOutcome> outcome = store_->ExecuteDeletion(request);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ASSERT_TRUE(recovered_meanwhile.ok()) << recovered_meanwhile.status().ToString();
  EXPECT_EQ(*recovered_meanwhile, 0) << "its execution holds the job's lock";
  EXPECT_EQ(store_->GetJob(acme_.id, executing)->state, JobState::kDone);

  std::vector<User> more = AddUsers(5);
  const int64_t abandoned = ValidatedJob();
  clock_.Set(kNow);
  ASSERT_TRUE(testing::ClaimAsItIs(*store_, acme_.id, abandoned, far_worker).ok());
  clock_.Set(kNow + kClaimGraceSeconds + 1);
  EXPECT_EQ(*recoverer->RecoverInterruptedJobs(unknown), 1);
  EXPECT_EQ(store_->GetJob(acme_.id, abandoned)->state, JobState::kInterrupted);
  // Should the far worker still start its execution, it finds the job taken from it.
  const std::vector<PlannedDeletion> late_plan = PlanFor(more);
  Result<DeletionOutcome> late = store_->ExecuteDeletion(
      {acme_.id, abandoned, far_worker, late_plan, false, {"t", "import.delete", "{}"}, {}, ""});
  EXPECT_EQ(late.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(*store_->CountUsers(acme_.id), 5);
}

// A check claimed by a worker of another machine shows that it lives by publishing progress:
// it goes back to the queue only once it published nothing for kClaimGraceSeconds. Should the
// far worker live after all, it and the one that took the check up computed the same
// findings: the first to save wins, the other is refused.
TEST_F(PostgresStoreTest, ACheckOfAVanishedMachineGoesBackToTheQueueWhenItStopsReporting) {
  auto unknown = [](std::string_view) { return WorkerLiveness::kUnknown; };
  ImportJob job = testing::CheckedJob(*store_, acme_.id);
  job.state = JobState::kChecking;
  ASSERT_TRUE(store_->SaveJob(job).ok());
  Result<std::optional<ImportJob>> claimed = store_->ClaimNextCheck("far-host:4242:99");
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  clock_.Set(kNow + kClaimGraceSeconds - 10);
  ASSERT_TRUE(store_->SaveProgress(acme_.id, job.id, 1000, 0).ok());
  clock_.Set(kNow + kClaimGraceSeconds + 1);
  EXPECT_EQ(*store_->RecoverInterruptedJobs(unknown), 0) << "it reported 11 s ago";
  clock_.Set(kNow + 2 * kClaimGraceSeconds);
  EXPECT_EQ(*store_->RecoverInterruptedJobs(unknown), 1);
  ImportJob waiting = *store_->GetJob(acme_.id, job.id);
  EXPECT_EQ(waiting.state, JobState::kChecking);
  EXPECT_EQ(waiting.worker, "");
  Result<std::optional<ImportJob>> again = store_->ClaimNextCheck("near-host:1:1");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->version, job.version + 1);  // taking a check up is no change of the job
  ImportJob late = **claimed;
  late.state = JobState::kValidated;
  EXPECT_TRUE(store_->SaveFindings(late, {}).ok());
  ImportJob near = **again;
  near.state = JobState::kValidated;
  EXPECT_EQ(store_->SaveFindings(near, {}).status().code(), ErrorCode::kAborted);
}

}  // namespace
}  // namespace roster
