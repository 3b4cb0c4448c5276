#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <random>

#include "auth/admins.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/demo_data.h"
#include "core/text.h"
#include "core/user_rules.h"
#include "random/system_random.h"

namespace roster::cli {
namespace {

constexpr int kDemoUsers = 1000;
constexpr uint64_t kDemoSeed = 20261125;
constexpr int kElearningPercent = 40;
constexpr int64_t kDay = 86'400;
constexpr auto kModules = std::to_array<std::string_view>(
    {"phishing-basics", "passwords", "social-engineering", "safe-browsing", "data-protection"});

// A plausible history: some modules completed with a score and a certificate, one perhaps
// still in progress.
void AddLearningHistory(int64_t account_id, int64_t now, std::mt19937_64& random,
                        std::vector<LearningProgress>& progress,
                        std::vector<Certificate>& certificates) {
  int modules = std::uniform_int_distribution<int>(0, static_cast<int>(kModules.size()))(random);
  for (int i = 0; i < modules; ++i) {
    bool completed = std::uniform_int_distribution<int>(0, 3)(random) != 0;
    int64_t when = now - std::uniform_int_distribution<int64_t>(1, 365)(random) * kDay;
    LearningProgress entry{account_id, std::string(kModules[static_cast<size_t>(i)]),
                           completed ? ProgressStatus::kCompleted : ProgressStatus::kInProgress,
                           std::nullopt, std::nullopt};
    if (completed) {
      entry.score = std::uniform_int_distribution<int>(60, 100)(random);
      entry.completed_at = when;
      certificates.push_back({account_id, entry.module, when});
    }
    progress.push_back(std::move(entry));
  }
}

Status CreateDemo(Store& store, const Clock& clock, std::ostream& out) {
  Result<Organization> existing = store.FindOrganization(DemoOrganization().slug);
  if (existing.ok()) {
    ROSTER_ASSIGN_OR_RETURN(int64_t users, store.CountUsers(existing->id));
    out << "the demo organization exists already, with " << WithThousands(users)
        << " users: roster users list --org demo\n";
    return Status::Ok();
  }
  if (existing.status().code() != ErrorCode::kNotFound) return existing.status();

  ROSTER_ASSIGN_OR_RETURN(Organization organization, store.CreateOrganization(DemoOrganization()));
  std::vector<User> users = MakeDemoUsers(kDemoUsers, kDemoSeed);
  for (User& user : users) {
    std::vector<UserProblem> problems = PrepareUser(organization, user);
    if (!problems.empty()) return Internal("demo user " + user.email + ": " + problems[0].message);
  }
  ROSTER_RETURN_IF_ERROR(store.CreateUsers(organization.id, users));

  std::mt19937_64 random(kDemoSeed);
  std::vector<std::string> learners;
  for (const User& user : users) {
    if (std::uniform_int_distribution<int>(1, 100)(random) <= kElearningPercent) {
      learners.push_back(user.email_key);
    }
  }
  ROSTER_ASSIGN_OR_RETURN(std::vector<ElearningAccount> accounts,
                          store.CreateElearningAccounts(organization.id, learners));
  std::vector<LearningProgress> progress;
  std::vector<Certificate> certificates;
  for (const ElearningAccount& account : accounts) {
    AddLearningHistory(account.id, clock.NowSeconds(), random, progress, certificates);
  }
  ROSTER_RETURN_IF_ERROR(store.RecordLearning(organization.id, progress, certificates));
  out << "created the demo organization 'demo' with " << WithThousands(kDemoUsers) << " users, "
      << WithThousands(static_cast<int64_t>(accounts.size()))
      << " of them with e-learning accounts\n";
  // Its owner, so that the console can be tried at once.
  SystemRandom password_random;
  const char* given = std::getenv("ROSTER_ADMIN_PASSWORD");
  return auth::EnsureOwners(store, given != nullptr ? given : "", password_random,
                            [&](const Admin& admin, const std::string& password) {
                              out << "sign in to the console (roster serve) as " << admin.email
                                  << " with the password " << password << '\n';
                            })
      .status();
}

}  // namespace

void AddDemoCommand(CLI::App& app, Context& context) {
  CLI::App* demo = app.add_subcommand(
      "demo", "Create the demo organization 'demo' (1,000 users, 40 % with e-learning)");
  demo->callback([&context] {
    std::unique_ptr<Store> store = context.OpenStoreOrFail();
    if (!store) return;
    if (Status status = CreateDemo(*store, context.clock, context.out); !status.ok()) {
      context.Fail(status);
    }
  });
}

}  // namespace roster::cli
