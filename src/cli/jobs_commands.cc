// roster jobs: the import jobs of an organization, and running a job again after it was
// interrupted (a killed process, a lost database). A job runs its stored plan, so a resumed
// delete deletes exactly what was confirmed, and never twice.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/progress.h"
#include "core/text.h"
#include "import/job_runner.h"
#include "import/worker.h"
#include "json/json_shapes.h"

namespace roster::cli {

namespace {

constexpr int64_t kJobsListed = 50;

struct ListOptions {
  std::string org;
  bool json = false;
};

struct RunOptions {
  int64_t job_id = 0;
  std::string org;
  bool yes = false;
  bool delete_elearning = false;
  bool json = false;
};

// Opens the store, finds the organization and marks jobs of dead processes interrupted.
std::unique_ptr<Store> OpenForJobs(const std::string& org, Context& context,
                                   Organization& organization) {
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return nullptr;
  Result<Organization> found = store->FindOrganization(org);
  if (!found.ok()) {
    context.Fail(found.status());
    return nullptr;
  }
  organization = *found;
  if (Result<int64_t> recovered = store->RecoverInterruptedJobs(import::LivenessOf);
      !recovered.ok()) {
    context.Fail(recovered.status());
    return nullptr;
  }
  return store;
}

void RunList(const ListOptions& options, Context& context) {
  Organization organization;
  std::unique_ptr<Store> store = OpenForJobs(options.org, context, organization);
  if (!store) return;
  Result<std::vector<ImportJob>> jobs = store->ListJobs(organization.id, 0, kJobsListed);
  if (!jobs.ok()) return context.Fail(jobs.status());
  if (options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const ImportJob& job : *jobs) list.push_back(ToJson(job));
    context.out << Dump({{"jobs", list}}) << '\n';
    return;
  }
  context.out << "ID\tMode\tState\tRows\tFile\n";
  for (const ImportJob& job : *jobs) {
    context.out << job.id << '\t' << ImportModeName(job.mode) << '\t' << JobStateName(job.state)
                << '\t' << job.counts.rows << '\t' << job.file_name << '\n';
  }
}

void RunJob(const RunOptions& options, Context& context) {
  Organization organization;
  std::unique_ptr<Store> store = OpenForJobs(options.org, context, organization);
  if (!store) return;
  Result<ImportJob> job = store->GetJob(organization.id, options.job_id);
  if (!job.ok()) return context.Fail(job.status());
  if (job->mode != ImportMode::kDelete) {
    return context.Fail(FailedPrecondition(
        "import job " + std::to_string(job->id) +
        " is an add/update import, which keeps no plan: import the file again (adding and "
        "updating twice gives the same result)"));
  }
  if (!options.yes) {
    return context.Fail(FailedPrecondition("nothing was deleted: job " + std::to_string(job->id) +
                                           " deletes " + WithThousands(job->counts.to_delete) +
                                           " users; confirm with --yes"));
  }
  Result<import::ExecutionResult> executed = [&] {
    Progress progress("deleting users");
    import::ExecuteRequest request;
    request.job_id = job->id;
    request.delete_elearning = options.delete_elearning;
    request.worker = import::ThisWorker();
    request.actor = "cli";
    request.progress = progress.Callback();
    // The job as read above: it does not run if it changed since.
    request.version = job->version;
    return import::ExecuteJob(*store, organization, request);
  }();
  if (!executed.ok()) return context.Fail(executed.status());
  if (options.json) {
    context.out << Dump(ToJson(executed->job)) << '\n';
    return;
  }
  context.out << "deleted " << WithThousands(executed->job.counts.deleted) << " users (job "
              << executed->job.id << ")\n";
}

}  // namespace

void AddJobsCommands(CLI::App& app, Context& context) {
  CLI::App* jobs = app.add_subcommand("jobs", "Import jobs: list them, run an interrupted one");
  jobs->require_subcommand(1);

  auto list_options = std::make_shared<ListOptions>();
  CLI::App* list = jobs->add_subcommand("list", "The latest import jobs of an organization");
  list->add_option("--org", list_options->org, "Organization slug")->required();
  list->add_flag("--json", list_options->json, "Print JSON");
  list->callback([list_options, &context] { RunList(*list_options, context); });

  auto run_options = std::make_shared<RunOptions>();
  CLI::App* run = jobs->add_subcommand("run", "Run a validated or interrupted delete job");
  run->add_option("job", run_options->job_id, "The job id")->required();
  run->add_option("--org", run_options->org, "Organization slug")->required();
  run->add_flag("--yes", run_options->yes, "Confirm without asking");
  run->add_flag("--delete-elearning", run_options->delete_elearning,
                "Delete the linked e-learning accounts too");
  run->add_flag("--json", run_options->json, "Print the job as JSON");
  run->callback([run_options, &context] { RunJob(*run_options, context); });
}

}  // namespace roster::cli
