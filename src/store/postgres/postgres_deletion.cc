// PostgresStore::ExecuteDeletion: the delete import's one transaction, set-based.
//
// How: the plan goes into a temporary table by COPY; one pass over the planned users of the
// organization, through a cursor, locks them (FOR UPDATE: nobody changes or deletes them until
// the commit) and brings their current keys, whose KeyHash (core/key_hash.h, FNV-1a, which SQL
// cannot compute cheaply) decides here which still match the plan; those go back by COPY into
// a second temporary table, and each table then loses its rows in one statement, children
// first. The foreign keys stay enforced: PostgreSQL checks each deleted user's references
// (user_groups, elearning_accounts) and each deleted account's (progress, certificates) row
// by row, which the children-first order makes cheap lookups that find nothing.

#include <algorithm>
#include <string>
#include <vector>

#include "core/key_hash.h"
#include "store/backend_common.h"
#include "store/postgres/postgres_db.h"
#include "store/postgres/postgres_store.h"

namespace roster {
namespace {

using postgres::View;

constexpr int64_t kProgressEvery = 10'000;

// Memory for the hash joins over a million plan entries (PostgreSQL's default of 4 MB would
// spill them to disk); for this transaction only.
constexpr std::string_view kWorkMem = "SET LOCAL work_mem = '256MB'";

// The statements after the doomed users are known; `$1` is the organization.
constexpr std::string_view kFindAccounts =
    "CREATE TEMP TABLE roster_doomed_accounts ON COMMIT DROP AS SELECT a.id AS account_id "
    "FROM elearning_accounts a JOIN roster_doomed d ON d.user_id = a.user_id "
    "WHERE a.org_id = $1";
constexpr std::string_view kDeleteProgress =
    "DELETE FROM learning_progress WHERE account_id IN "
    "(SELECT account_id FROM roster_doomed_accounts)";
constexpr std::string_view kDeleteCertificates =
    "DELETE FROM certificates WHERE account_id IN (SELECT account_id FROM roster_doomed_accounts)";
constexpr std::string_view kDeleteAccounts =
    "DELETE FROM elearning_accounts WHERE org_id = $1 AND id IN "
    "(SELECT account_id FROM roster_doomed_accounts)";
constexpr std::string_view kUnlinkAccounts =
    "UPDATE elearning_accounts SET user_id = NULL WHERE org_id = $1 AND id IN "
    "(SELECT account_id FROM roster_doomed_accounts)";
constexpr std::string_view kDeleteGroups =
    "DELETE FROM user_groups WHERE user_id IN (SELECT user_id FROM roster_doomed)";
constexpr std::string_view kDeleteUsers =
    "DELETE FROM users WHERE org_id = $1 AND id IN (SELECT user_id FROM roster_doomed)";

}  // namespace

Result<DeletionOutcome> PostgresStore::ExecuteDeletion(const DeletionRequest& request) {
  // Progress: loading and checking the plan is the first half; the statements share the
  // second; the end is reported once committed.
  const int64_t planned = static_cast<int64_t>(request.plan.size());
  const int64_t total = planned * 2;
  auto report = [&](int64_t done) {
    if (request.progress) request.progress(done, total);
  };
  Result<DeletionOutcome> executed = db_->Transact(
      "executing a deletion", [&](pqxx::transaction_base& tx) -> Result<DeletionOutcome> {
        ROSTER_ASSIGN_OR_RETURN(ImportJob job,
                                RunningJob(tx, request.org_id, request.job_id, request.worker));
        tx.exec(std::string(kWorkMem));

        tx.exec(
            "CREATE TEMP TABLE roster_plan (user_id BIGINT NOT NULL, key_hash BIGINT NOT NULL) "
            "ON COMMIT DROP");
        {
          pqxx::stream_to copy(tx, "roster_plan", std::vector<std::string>{"user_id", "key_hash"});
          for (int64_t i = 0; i < planned; ++i) {
            const PlannedDeletion& entry = request.plan[static_cast<size_t>(i)];
            copy << std::make_tuple(entry.user_id, static_cast<int64_t>(entry.key_hash));
            if ((i + 1) % kProgressEvery == 0) report((i + 1) / 2);
          }
          copy.complete();
        }
        tx.exec("ANALYZE roster_plan");

        std::vector<int64_t> doomed;
        doomed.reserve(request.plan.size());
        int64_t checked = 0;
        postgres::ForEachRow(
            tx,
            "SELECT u.id, u.email_key, p.key_hash FROM roster_plan p JOIN users u ON "
            "u.id = p.user_id WHERE u.org_id = " +
                std::to_string(request.org_id) + " FOR UPDATE OF u",
            [&](const pqxx::row& row) {
              if (KeyHash(View(row[1])) == static_cast<uint64_t>(row[2].as<int64_t>())) {
                doomed.push_back(row[0].as<int64_t>());
              }
              if (++checked % kProgressEvery == 0) report(planned / 2 + checked / 2);
            });
        std::sort(doomed.begin(), doomed.end());
        doomed.erase(std::unique(doomed.begin(), doomed.end()), doomed.end());

        tx.exec("CREATE TEMP TABLE roster_doomed (user_id BIGINT NOT NULL) ON COMMIT DROP");
        {
          pqxx::stream_to copy(tx, "roster_doomed", std::vector<std::string>{"user_id"});
          for (int64_t user_id : doomed) copy << std::make_tuple(user_id);
          copy.complete();
        }
        tx.exec("ANALYZE roster_doomed");
        report(planned);

        std::vector<std::string_view> statements = {kFindAccounts};
        if (request.delete_elearning) {
          statements.insert(statements.end(),
                            {kDeleteProgress, kDeleteCertificates, kDeleteAccounts});
        } else {
          statements.push_back(kUnlinkAccounts);
        }
        statements.insert(statements.end(), {kDeleteGroups, kDeleteUsers});

        DeletionOutcome outcome;
        int64_t accounts = 0;
        for (size_t i = 0; i < statements.size(); ++i) {
          const std::string sql(statements[i]);
          pqxx::result done = sql.find("$1") != std::string::npos
                                  ? tx.exec_params(sql, request.org_id)
                                  : tx.exec(sql);
          if (statements[i] == kFindAccounts) {
            accounts = static_cast<int64_t>(done.affected_rows());
            tx.exec("ANALYZE roster_doomed_accounts");
          }
          if (statements[i] == kDeleteUsers)
            outcome.deleted = static_cast<int64_t>(done.affected_rows());
          report(planned +
                 planned * static_cast<int64_t>(i + 1) / static_cast<int64_t>(statements.size()));
        }
        (request.delete_elearning ? outcome.elearning_deleted : outcome.elearning_unlinked) =
            accounts;

        // What the plan named but no longer matches: deleted or changed since the plan was made.
        std::vector<bool> is_gone(request.plan.size());
        for (size_t i = 0; i < request.plan.size(); ++i) {
          is_gone[i] = !std::binary_search(doomed.begin(), doomed.end(), request.plan[i].user_id);
        }
        std::string audit_hashes = CollectDeletionOutcome(request.plan, is_gone, outcome);
        if (!request.decisions_after.empty()) job.decisions = request.decisions_after;
        ROSTER_RETURN_IF_ERROR(FinishJob(tx, job, request.worker, request.audit, audit_hashes,
                                         CountsAfterDeletion(job.counts, outcome),
                                         request.delete_elearning));
        return outcome;
      });
  if (executed.ok()) report(total);
  return executed;
}

}  // namespace roster
