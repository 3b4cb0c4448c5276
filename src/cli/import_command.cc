// roster import: the delete-by-spreadsheet flow on the command line. Analyze (read-only),
// show the summary and the issues, confirm, then record the job and execute its plan once.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/progress.h"
#include "core/text.h"
#include "import/analyzer.h"
#include "import/job_runner.h"
#include "import/report_writer.h"
#include "import/worker.h"
#include "json/json_shapes.h"
#include "random/system_random.h"

namespace roster::cli {

namespace {

constexpr size_t kIssuesShown = 50;

struct ImportOptions {
  std::string file;
  std::string org;
  std::string mode;
  std::string sheet;
  int64_t header_row = 1;
  std::vector<std::string> maps;
  std::vector<std::string> fixes;
  std::vector<int64_t> excluded_rows;
  bool exclude_errors = false;
  bool delete_elearning = false;
  bool dry_run = false;
  bool yes = false;
  bool json = false;
  std::string report;
};

// "LEFT=RIGHT", split at the last '=' (`last`) or the first.
Result<std::pair<std::string, std::string>> SplitPair(const std::string& text,
                                                      const std::string& option, bool last) {
  size_t at = last ? text.rfind('=') : text.find('=');
  if (at == std::string::npos || at == 0) {
    return InvalidArgument(option + " '" + text + "' must look like " +
                           (option == "--fix" ? "ROW=VALUE" : "HEADER=attribute"));
  }
  return std::make_pair(text.substr(0, at), text.substr(at + 1));
}

Result<import::ImportSettings> SettingsFrom(const ImportOptions& options) {
  import::ImportSettings settings;
  std::optional<ImportMode> mode = ImportModeFromName(options.mode);
  if (!mode) return InvalidArgument("--mode must be delete or add-update");
  settings.mode = *mode;
  settings.sheet = options.sheet;
  settings.header_row = options.header_row;
  for (const std::string& map : options.maps) {
    ROSTER_ASSIGN_OR_RETURN(auto pair, SplitPair(map, "--map", /*last=*/true));
    settings.manual_mapping.push_back(pair);
  }
  for (const std::string& fix : options.fixes) {
    ROSTER_ASSIGN_OR_RETURN(auto pair, SplitPair(fix, "--fix", /*last=*/false));
    const std::string& row = pair.first;
    if (row.size() > 9 || row.find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgument("--fix '" + fix +
                             "': the row must be a number, as in 12=" + pair.second);
    }
    settings.decisions.fixes[std::stoll(row)] = pair.second;
  }
  settings.decisions.excluded_rows.insert(options.excluded_rows.begin(),
                                          options.excluded_rows.end());
  settings.decisions.exclude_errors = options.exclude_errors;
  return settings;
}

nlohmann::json IssueCounts(const import::Analysis& analysis) {
  std::map<std::string, int64_t> counts;
  for (const ImportIssue& issue : analysis.issues) ++counts[std::string(IssueCodeName(issue.code))];
  return counts;
}

nlohmann::json ResultJson(const import::Analysis& analysis, const ImportCounts& counts,
                          const std::optional<ImportJob>& job) {
  nlohmann::json mapping = nlohmann::json::object();
  for (const import::MappedColumn& column : analysis.mapping.columns()) {
    if (column.attribute) mapping[std::string(SpecOf(*column.attribute).key)] = column.header;
  }
  nlohmann::json issues = nlohmann::json::array();
  for (const ImportIssue& issue : analysis.issues) issues.push_back(ToJson(issue));
  return {{"file", analysis.file_name},
          {"sheet", analysis.sheet},
          {"header_row", analysis.header_row},
          {"mapping", mapping},
          {"rows", counts.rows},
          {"empty_rows", counts.empty_rows},
          {"excluded_rows", counts.excluded_rows},
          {"duplicates", counts.duplicates},
          {"issues", issues},
          {"counts", IssueCounts(analysis)},
          {"to_delete", counts.to_delete},
          {"elearning_linked", counts.elearning_linked},
          {"deleted", counts.deleted},
          {"already_gone", counts.already_gone},
          {"elearning_deleted", counts.elearning_deleted},
          {"elearning_unlinked", counts.elearning_unlinked},
          {"created", counts.created},
          {"updated", counts.updated},
          {"unchanged", counts.unchanged},
          {"job_id", job ? nlohmann::json(job->id) : nlohmann::json(nullptr)},
          {"state", job ? nlohmann::json(JobStateName(job->state)) : nlohmann::json(nullptr)}};
}

void PrintSummary(const import::Analysis& analysis, ImportMode mode, std::ostream& out) {
  const ImportCounts& counts = analysis.counts;
  out << analysis.file_name << ", sheet '" << analysis.sheet << "', header row "
      << analysis.header_row << '\n';
  for (const import::MappedColumn& column : analysis.mapping.columns()) {
    if (column.attribute) {
      out << "  column \"" << column.header << "\" -> " << SpecOf(*column.attribute).key << '\n';
    }
  }
  out << "rows: " << WithThousands(counts.rows) << ", empty: " << WithThousands(counts.empty_rows)
      << ", excluded: " << WithThousands(counts.excluded_rows)
      << ", duplicates: " << WithThousands(counts.duplicates)
      << ", errors: " << WithThousands(counts.errors) << '\n';
  size_t shown = 0;
  for (const ImportIssue& issue : analysis.issues) {
    if (shown++ == kIssuesShown) {
      out << "  ... and "
          << WithThousands(static_cast<int64_t>(analysis.issues.size() - kIssuesShown))
          << " more (--json lists them all)\n";
      break;
    }
    out << "  row " << issue.row << " " << SeverityName(issue.severity) << " "
        << IssueCodeName(issue.code) << ": " << issue.message;
    if (issue.suggestion) out << " Did you mean " << *issue.suggestion << "?";
    out << '\n';
  }
  if (mode == ImportMode::kDelete) {
    out << "users to delete: " << WithThousands(counts.to_delete)
        << ", of them with an e-learning account: " << WithThousands(counts.elearning_linked)
        << '\n';
  } else {
    out << "users to create: " << WithThousands(counts.to_create)
        << ", to update: " << WithThousands(counts.to_update)
        << ", unchanged: " << WithThousands(counts.unchanged) << '\n';
  }
}

bool AskYesNo(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "Yes";
}

std::string Actor() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user != nullptr ? user : std::to_string(getuid()));
}

// Writes the report (with what the execution did, when it ran) and the --json result.
void Finish(const ImportOptions& options, const import::Analysis& analysis,
            const ImportCounts& counts, const import::ExecutionResult* executed, Context& context) {
  if (!options.report.empty()) {
    std::optional<import::ReportOutcome> outcome;
    if (executed != nullptr) outcome = import::OutcomeOf(*executed);
    if (Status written = import::WriteReport(analysis.row_chunks, outcome, options.report);
        !written.ok()) {
      return context.Fail(written);
    }
  }
  const std::optional<ImportJob> job =
      executed != nullptr ? std::optional<ImportJob>(executed->job) : std::nullopt;
  if (options.json) context.out << Dump(ResultJson(analysis, counts, job)) << '\n';
}

void RunImport(const ImportOptions& options, Context& context) {
  Result<import::ImportSettings> settings = SettingsFrom(options);
  if (!settings.ok()) return context.Fail(settings.status());
  if (!options.report.empty() && !options.report.ends_with(".xlsx") &&
      !options.report.ends_with(".csv")) {
    return context.Fail(InvalidArgument("--report must name a .xlsx or .csv file"));
  }
  std::unique_ptr<Store> store = context.OpenStoreOrFail();
  if (!store) return;
  Result<Organization> organization = store->FindOrganization(options.org);
  if (!organization.ok()) return context.Fail(organization.status());
  // Jobs left running by a killed roster read interrupted from now on.
  if (Result<int64_t> recovered = store->RecoverInterruptedJobs(import::LivenessOf);
      !recovered.ok()) {
    return context.Fail(recovered.status());
  }

  SystemRandom random;
  import::AnalyzeRequest request{options.file,
                                 std::filesystem::path(options.file).filename().string(),
                                 *organization,
                                 *settings,
                                 "",
                                 !options.report.empty(),
                                 {},
                                 {},
                                 "",  // an operator at the command line is no admin
                                 {}};
  Result<import::Analysis> analyzed = [&] {
    Progress progress("reading rows");
    request.progress = progress.Callback();
    return import::AnalyzeFile(*store, request, random);
  }();
  if (!analyzed.ok()) return context.Fail(analyzed.status());
  import::Analysis& analysis = *analyzed;
  std::ostream& human = options.json ? context.err : context.out;
  if (!options.json) PrintSummary(analysis, settings->mode, human);

  if (analysis.HasErrors()) {
    human << "nothing was changed: fix the rows (--fix ROW=VALUE), exclude them "
             "(--exclude-row ROW, --exclude-errors) or correct the file\n";
    Finish(options, analysis, analysis.counts, nullptr, context);
    if (context.exit_code == kExitOk) context.exit_code = kExitUnresolvedErrors;
    return;
  }
  if (options.dry_run) {
    human << "dry run: nothing was changed\n";
    return Finish(options, analysis, analysis.counts, nullptr, context);
  }
  const bool deleting = settings->mode == ImportMode::kDelete;
  const int64_t changes =
      deleting ? analysis.counts.to_delete : analysis.counts.to_create + analysis.counts.to_update;
  bool delete_elearning = deleting && options.delete_elearning;
  if (!options.yes) {
    if (isatty(0) != 1) {
      return context.Fail(FailedPrecondition(
          std::string("nothing was ") + (deleting ? "deleted" : "changed") +
          ": confirm with --yes (standard input is not a terminal, so Roster cannot ask)"));
    }
    if (changes == 0) {
      human << "nothing to change\n";
      return Finish(options, analysis, analysis.counts, nullptr, context);
    }
    std::string question = deleting
                               ? "Delete " + WithThousands(analysis.counts.to_delete) +
                                     " users of " + organization->name + "?"
                               : "Create " + WithThousands(analysis.counts.to_create) +
                                     " and update " + WithThousands(analysis.counts.to_update) +
                                     " users of " + organization->name + "?";
    if (!AskYesNo(question)) {
      human << "nothing was changed\n";
      return Finish(options, analysis, analysis.counts, nullptr, context);
    }
    if (deleting && !delete_elearning && analysis.counts.elearning_linked > 0) {
      delete_elearning = AskYesNo(
          "Also delete their " + WithThousands(analysis.counts.elearning_linked) +
          " linked e-learning accounts, with learning progress and certificates? (No keeps "
          "them, unlinked.)");
    }
  }

  std::string actor = Actor();
  Result<ImportJob> job = import::RecordJob(*store, *organization, *settings, analysis, actor);
  if (!job.ok()) return context.Fail(job.status());
  Result<import::ExecutionResult> executed = [&] {
    Progress progress(deleting ? "deleting users" : "writing users");
    import::ExecuteRequest execute{job->id, delete_elearning,    import::ThisWorker(),
                                   actor,   progress.Callback(), job->version};
    return import::ExecuteJob(*store, *organization, execute);
  }();
  if (!executed.ok()) return context.Fail(executed.status());
  const ImportCounts& counts = executed->job.counts;
  if (deleting) {
    human << "deleted " << WithThousands(counts.deleted) << " users";
  } else {
    human << "created " << WithThousands(counts.created) << " and updated "
          << WithThousands(counts.updated) << " users";
  }
  if (counts.already_gone > 0) {
    human << " (" << WithThousands(counts.already_gone)
          << " were changed by someone else meanwhile and left alone)";
  }
  if (delete_elearning) {
    human << " and " << WithThousands(counts.elearning_deleted) << " e-learning accounts";
  } else if (counts.elearning_unlinked > 0) {
    human << "; " << WithThousands(counts.elearning_unlinked)
          << " e-learning accounts stay, unlinked";
  }
  human << " (job " << executed->job.id << ")\n";
  Finish(options, analysis, counts, &*executed, context);
}

}  // namespace

void AddImportCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* command =
      app.add_subcommand("import", "Delete (or add and update) users by spreadsheet");
  command->add_option("file", options->file, "The spreadsheet: .xlsx, .xls, .ods or .csv")
      ->required();
  command->add_option("--org", options->org, "Organization slug")->required();
  command->add_option("--mode", options->mode, "delete or add-update")->required();
  command->add_option("--sheet", options->sheet,
                      "Sheet name or number (default: the first "
                      "visible sheet with data)");
  command->add_option("--header-row", options->header_row, "The row with the headers");
  command->add_option("--map", options->maps, "\"HEADER=attribute\": map a column by hand");
  command->add_option("--fix", options->fixes, "ROW=VALUE: correct the email of a row");
  command->add_option("--exclude-row", options->excluded_rows, "Leave a row out");
  command->add_flag("--exclude-errors", options->exclude_errors,
                    "Leave out every row that has an error");
  command->add_flag("--delete-elearning", options->delete_elearning,
                    "Delete the linked e-learning accounts too");
  command->add_flag("--dry-run", options->dry_run, "Check and summarize; change nothing");
  command->add_flag("--yes", options->yes, "Confirm without asking");
  command->add_flag("--json", options->json, "Print the result as one JSON object");
  command->add_option("--report", options->report,
                      "Write the outcome of every row "
                      "(FILE.xlsx or FILE.csv)");
  command->callback([options, &context] { RunImport(*options, context); });
}

}  // namespace roster::cli
