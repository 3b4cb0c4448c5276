#include "store/sqlite/sqlite_migrations.h"

#include <array>

namespace roster::sqlite {
namespace {

// Version 1: the data model of DESIGN.md section 4 (import jobs come with the pipeline).
// Users are matched by (org_id, email_key); accounts are found by user_id when their user is
// deleted, so both get an index. Child rows go with their parent through foreign keys.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE organizations (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  default_language TEXT NOT NULL DEFAULT 'en',
  created_at INTEGER NOT NULL
);
CREATE TABLE organization_domains (
  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  domain TEXT NOT NULL,
  PRIMARY KEY (org_id, domain)
) WITHOUT ROWID;
CREATE TABLE admins (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
  created_at INTEGER NOT NULL,
  UNIQUE (org_id, email)
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  gender TEXT NOT NULL DEFAULT 'other' CHECK (gender IN ('female', 'male', 'other')),
  academic_degree TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  address_type TEXT NOT NULL DEFAULT 'single' CHECK (address_type IN ('single', 'group')),
  manager_email TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  employee_id TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_by_key ON users (org_id, email_key);
CREATE TABLE user_groups (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  group_name TEXT NOT NULL,
  PRIMARY KEY (user_id, group_name)
) WITHOUT ROWID;
CREATE TABLE elearning_accounts (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  email_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_login_at INTEGER
);
CREATE UNIQUE INDEX elearning_accounts_by_key ON elearning_accounts (org_id, email_key);
CREATE INDEX elearning_accounts_by_user ON elearning_accounts (user_id)
  WHERE user_id IS NOT NULL;
CREATE TABLE learning_progress (
  account_id INTEGER NOT NULL REFERENCES elearning_accounts(id) ON DELETE CASCADE,
  module TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed')),
  score INTEGER,
  completed_at INTEGER,
  PRIMARY KEY (account_id, module)
) WITHOUT ROWID;
CREATE TABLE certificates (
  account_id INTEGER NOT NULL REFERENCES elearning_accounts(id) ON DELETE CASCADE,
  module TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, module)
) WITHOUT ROWID;
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  at INTEGER NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX audit_events_by_org ON audit_events (org_id, at);
)sql";

// Version 2: import jobs with their issues and plan. The plan is a blob of fixed-size
// entries (user id, key hash, row, audit hash) rather than a table: one write instead of a
// million inserts, and no address in clear. Audit events keep the salted address hashes of a
// deletion as one blob of 16-byte hashes.
constexpr std::string_view kImportJobs = R"sql(
CREATE TABLE import_jobs (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  mode TEXT NOT NULL CHECK (mode IN ('delete', 'add-update')),
  state TEXT NOT NULL,
  actor TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_size INTEGER NOT NULL,
  sheet TEXT NOT NULL DEFAULT '',
  header_row INTEGER NOT NULL DEFAULT 1,
  mapping TEXT NOT NULL DEFAULT '{}',
  decisions TEXT NOT NULL DEFAULT '',
  delete_elearning INTEGER NOT NULL DEFAULT 0,
  counts TEXT NOT NULL DEFAULT '{}',
  worker TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  plan BLOB,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX import_jobs_by_org_state ON import_jobs (org_id, state);
CREATE TABLE import_issues (
  job_id INTEGER NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  row INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  value TEXT NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  suggestion TEXT,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
ALTER TABLE audit_events ADD COLUMN address_hashes BLOB;
)sql";

// Version 3: signing in to the console. An address is an admin of one organization only, so
// that signing in needs no organization name; sessions keep a hash of their token.
constexpr std::string_view kAdminSessions = R"sql(
CREATE UNIQUE INDEX admins_by_email ON admins (email);
CREATE TABLE admin_sessions (
  token_hash TEXT PRIMARY KEY,
  admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
  org_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX admin_sessions_by_admin ON admin_sessions (admin_id);
)sql";

// Version 4: the job queue. A confirmed job waits "queued" until a server picks it (the
// oldest first); who confirmed it and how far its execution got are kept for whichever
// server the console asks.
constexpr std::string_view kJobQueue = R"sql(
ALTER TABLE import_jobs ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE import_jobs ADD COLUMN queued_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN progress_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN progress_total INTEGER NOT NULL DEFAULT 0;
CREATE INDEX import_jobs_queue ON import_jobs (queued_at, id) WHERE state = 'queued';
)sql";

// Version 5: a deletion plan in a table of its own. In the job's row, a plan (40 bytes an
// entry, 40 MB for a million) lay before the columns a job's every step reads and writes:
// reading them walked the plan's overflow pages, and every change of state rewrote all of it
// (measured: recording and claiming a million-entry job took 0.8 s, mostly that). PostgreSQL
// keeps such values out of line by itself (TOAST), so its schema stays as it is.
constexpr std::string_view kPlansApart = R"sql(
CREATE TABLE import_plans (
  job_id INTEGER PRIMARY KEY REFERENCES import_jobs(id) ON DELETE CASCADE,
  plan BLOB NOT NULL
);
INSERT INTO import_plans (job_id, plan) SELECT id, plan FROM import_jobs WHERE plan IS NOT NULL;
ALTER TABLE import_jobs DROP COLUMN plan;
)sql";

// Version 6: user and e-learning account ids are never given again. Without AUTOINCREMENT,
// SQLite gives a new row the highest id plus one, so deleting the user with the highest id
// let the next new user take it, and a Roster ID in an older export (an add/update import
// keyed by it) or in a log would name someone else. PostgreSQL's identity columns never give
// an id twice. SQLite cannot add AUTOINCREMENT to a table, so both are copied into new ones
// (ids kept; ids deleted before this version are not known and may still come again once).
constexpr std::string_view kIdsNeverAgain = R"sql(
CREATE TABLE users_v6 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  email TEXT NOT NULL,
  email_key TEXT NOT NULL,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  gender TEXT NOT NULL DEFAULT 'other' CHECK (gender IN ('female', 'male', 'other')),
  academic_degree TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  address_type TEXT NOT NULL DEFAULT 'single' CHECK (address_type IN ('single', 'group')),
  manager_email TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  employee_id TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO users_v6 SELECT * FROM users;
DROP TABLE users;
ALTER TABLE users_v6 RENAME TO users;
CREATE UNIQUE INDEX users_by_key ON users (org_id, email_key);
CREATE TABLE elearning_accounts_v6 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL REFERENCES organizations(id),
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  email_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_login_at INTEGER
);
INSERT INTO elearning_accounts_v6 SELECT * FROM elearning_accounts;
DROP TABLE elearning_accounts;
ALTER TABLE elearning_accounts_v6 RENAME TO elearning_accounts;
CREATE UNIQUE INDEX elearning_accounts_by_key ON elearning_accounts (org_id, email_key);
CREATE INDEX elearning_accounts_by_user ON elearning_accounts (user_id)
  WHERE user_id IS NOT NULL;
)sql";

// Version 7: jobs are written compare-and-set on a version, checks run in the background
// (state 'checking', picked by a worker in the order they were asked for), a check's worker
// shows it is alive by publishing progress (progress_at), a plan records what it was made
// from (JobBasis), so that an execution refuses a plan of another file or other settings, and
// a job keeps the head of its file (what the wizard shows), so that views and polls read the
// job, not the file, and its findings keep what the execution and the report need (the
// add/update plan, the records of every row), so that it never reads the file again. One
// row's findings can change without a check (a fix): the delete plan is kept in parts of
// neighbouring users, and issues are keyed by their row. Plans made before have no basis and
// must be checked again.
constexpr std::string_view kJobVersions = R"sql(
ALTER TABLE import_jobs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE import_jobs ADD COLUMN progress_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN head TEXT NOT NULL DEFAULT '';
ALTER TABLE import_plans ADD COLUMN basis TEXT NOT NULL DEFAULT '';
ALTER TABLE import_plans ADD COLUMN upserts BLOB;
CREATE TABLE import_rows (
  job_id INTEGER NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  first_row INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (job_id, first_row)
);
CREATE TABLE import_plan_parts (
  job_id INTEGER NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  first_user INTEGER NOT NULL,
  entries BLOB NOT NULL,
  PRIMARY KEY (job_id, first_user)
);
INSERT INTO import_plan_parts (job_id, first_user, entries)
  SELECT job_id, 0, plan FROM import_plans WHERE length(plan) > 0;
ALTER TABLE import_plans DROP COLUMN plan;
CREATE TABLE import_issues_v7 (
  job_id INTEGER NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  row INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  value TEXT NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  suggestion TEXT,
  PRIMARY KEY (job_id, row, seq)
) WITHOUT ROWID;
INSERT INTO import_issues_v7 SELECT job_id, seq, row, column_name, value, code, severity,
  message, suggestion FROM import_issues;
DROP TABLE import_issues;
ALTER TABLE import_issues_v7 RENAME TO import_issues;
CREATE INDEX import_jobs_checks ON import_jobs (updated_at, id) WHERE state = 'checking';
)sql";

constexpr std::array<Migration, 7> kMigrations{{
    {1, "initial schema", kInitialSchema, false},
    {2, "import jobs", kImportJobs, false},
    {3, "admin sessions", kAdminSessions, false},
    {4, "job queue", kJobQueue, false},
    {5, "plans apart from their jobs", kPlansApart, false},
    {6, "ids never given again", kIdsNeverAgain, true},
    {7, "job versions and background checks", kJobVersions, false},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace roster::sqlite
