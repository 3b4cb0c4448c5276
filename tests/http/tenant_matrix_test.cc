// The tenant and role matrix of issue 7 over every endpoint of docs/api.md, against a real
// Server on a free port with a temporary SQLite database (as in api_test.cc). Two
// organizations, acme (A) and globex (B), each with users, e-learning accounts, admins of
// every role, a validated import job with an excluded row, a job with issues and a done job
// with its report. Every endpoint is one row of Endpoints(), and each matrix is a TEST_P over
// those rows, so that every endpoint shows up by name:
//  - ForeignIdTest: A's owner using B's ids gets exactly the answer of a nonexistent id (404,
//    the same body apart from the id), and neither organization changes;
//  - ViewerTest / AdminRoleTest: refused roles get 403 permission_denied and change nothing;
//  - CsrfTest: a change without (or with another session's) X-CSRF-Token gets 403
//    csrf_required and changes nothing;
//  - NoSessionTest: everything but /healthz and signing in answers 401;
//  - every answer of every test carries Content-Security-Policy and X-Content-Type-Options.
// TenantAddressTest covers what takes addresses instead of ids (search, lists, export, new
// users, accounts and admins, import files, signing in) and the headers of static files;
// SessionTest the lifetime, the cookie attributes and the sign-in throttle.
// RegisteredRoutesTest keeps Endpoints(), the routes src/http registers and docs/api.md in
// step.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "auth/passwords.h"
#include "http/server.h"
#include "import/wizard.h"
#include "json/json_shapes.h"
#include "random/system_random.h"
#include "store/backends/open_store.h"
#include "store/job_codec.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "support/test_users.h"

namespace roster::http {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr std::string_view kPassword = "correct-horse-battery";
constexpr int64_t kStart = 1'764'115'200;
// An id no organization has; the answers for other organizations' ids are compared to its.
constexpr int64_t kMissingId = 987'654'321;
// The sheet of every uploaded CSV file (named after the file).
constexpr std::string_view kFileName = "staff.csv";

// ---------------------------------------------------------------------------------------
// The endpoints.

enum class Access { kPublic, kViewer, kAdmin, kOwner };
enum class Payload { kNone, kJson, kUpload };

// One endpoint of docs/api.md with a request that would pass its own checks, so that the
// guards and the id lookup are what answers. Placeholders in `path`: {user}, {job}, {row}
// (an excluded row of {job}), {admin}, {sheet}.
struct Endpoint {
  std::string name;  // the test's name
  std::string method;
  std::string path;
  Access access = Access::kViewer;
  Payload payload = Payload::kNone;
  std::string body{};      // JSON, or the uploaded CSV file
  std::string mode{};      // the multipart field "mode" of an upload, when it has one
  std::string if_match{};  // the If-Match header, when the endpoint needs one

  bool Changes() const { return method != "GET"; }
  bool TakesId() const {
    return path.find("{user}") != std::string::npos || path.find("{job}") != std::string::npos ||
           path.find("{admin}") != std::string::npos;
  }
};

void PrintTo(const Endpoint& endpoint, std::ostream* out) {
  *out << endpoint.method << " " << endpoint.path;
}

const std::vector<Endpoint>& Endpoints() {
  static const std::vector<Endpoint> endpoints = {
      {"GET_healthz", "GET", "/healthz", Access::kPublic},
      {"POST_session", "POST", "/api/v1/session", Access::kPublic, Payload::kJson,
       R"({"email":"owner@acme.example","password":"correct-horse-battery"})"},
      {"GET_session", "GET", "/api/v1/session"},
      {"DELETE_session", "DELETE", "/api/v1/session"},
      {"GET_users", "GET", "/api/v1/users?search=a&sort=email&order=asc&limit=50&offset=0"},
      {"GET_users_export", "GET", "/api/v1/users/export?format=csv"},
      {"GET_users_id", "GET", "/api/v1/users/{user}"},
      {"POST_users", "POST", "/api/v1/users", Access::kAdmin, Payload::kJson,
       R"({"email":"new.person@acme.example","first_name":"New","last_name":"Person"})"},
      {"PATCH_users_id", "PATCH", "/api/v1/users/{user}", Access::kAdmin, Payload::kJson,
       R"({"first_name":"Mallory","department":"Takeover"})"},
      {"DELETE_users_id", "DELETE", "/api/v1/users/{user}?delete_elearning=true", Access::kAdmin},
      {"POST_elearning_accounts", "POST", "/api/v1/elearning-accounts", Access::kAdmin,
       Payload::kJson, R"({"email":"new.learner@acme.example"})"},
      {"GET_attributes", "GET", "/api/v1/attributes"},
      {"GET_template", "GET", "/api/v1/template?mode=delete"},
      {"POST_imports", "POST", "/api/v1/imports", Access::kAdmin, Payload::kUpload,
       "E-Mail\nanna.schmidt@acme.example\n", "delete"},
      {"GET_imports", "GET", "/api/v1/imports?offset=0&limit=20"},
      {"GET_imports_id", "GET", "/api/v1/imports/{job}"},
      {"GET_imports_id_preview", "GET", "/api/v1/imports/{job}/preview?sheet={sheet}"},
      {"PUT_imports_id_sheet", "PUT", "/api/v1/imports/{job}/sheet", Access::kAdmin, Payload::kJson,
       R"({"sheet":"{sheet}","header_row":1})"},
      {"PUT_imports_id_mapping", "PUT", "/api/v1/imports/{job}/mapping", Access::kAdmin,
       Payload::kJson, R"({"mapping":{"email":"E-Mail"}})"},
      {"POST_imports_id_validate", "POST", "/api/v1/imports/{job}/validate", Access::kAdmin,
       Payload::kJson, ""},
      {"DELETE_imports_id_check", "DELETE", "/api/v1/imports/{job}/check", Access::kAdmin},
      {"GET_imports_id_issues", "GET", "/api/v1/imports/{job}/issues?offset=0&limit=100"},
      {"POST_imports_id_fixes", "POST", "/api/v1/imports/{job}/fixes", Access::kAdmin,
       Payload::kJson, R"({"row":2,"value":"carla.diaz@acme.example"})"},
      {"POST_imports_id_exclusions_row", "POST", "/api/v1/imports/{job}/exclusions", Access::kAdmin,
       Payload::kJson, R"({"row":2})"},
      {"POST_imports_id_exclusions_all_errors", "POST", "/api/v1/imports/{job}/exclusions",
       Access::kAdmin, Payload::kJson, R"({"all_errors":true})"},
      {"DELETE_imports_id_exclusions_row", "DELETE", "/api/v1/imports/{job}/exclusions/{row}",
       Access::kAdmin},
      {"PUT_imports_id_file", "PUT", "/api/v1/imports/{job}/file", Access::kAdmin, Payload::kUpload,
       "E-Mail\ncarla.diaz@acme.example\n"},
      {"POST_imports_id_execute", "POST", "/api/v1/imports/{job}/execute", Access::kAdmin,
       Payload::kJson, R"({"delete_elearning_accounts":true})", "", "\"2\""},
      {"GET_imports_id_report_csv", "GET", "/api/v1/imports/{job}/report?format=csv"},
      {"GET_imports_id_report_xlsx", "GET", "/api/v1/imports/{job}/report?format=xlsx"},
      {"DELETE_imports_id", "DELETE", "/api/v1/imports/{job}", Access::kAdmin},
      {"GET_audit", "GET", "/api/v1/audit?offset=0&limit=50"},
      {"GET_admins", "GET", "/api/v1/admins", Access::kOwner},
      {"POST_admins", "POST", "/api/v1/admins", Access::kOwner, Payload::kJson,
       R"({"email":"new.admin@acme.example","password":"long-enough-secret","role":"admin"})"},
      {"DELETE_admins_id", "DELETE", "/api/v1/admins/{admin}", Access::kOwner},
  };
  return endpoints;
}

std::vector<Endpoint> EndpointsWhere(const std::function<bool(const Endpoint&)>& keep) {
  std::vector<Endpoint> kept;
  std::copy_if(Endpoints().begin(), Endpoints().end(), std::back_inserter(kept), keep);
  return kept;
}

std::string EndpointName(const ::testing::TestParamInfo<Endpoint>& info) { return info.param.name; }

// "METHOD /path" with every id (placeholder or pattern group) as {id} and no query string.
std::string RouteKey(const std::string& method, std::string path) {
  path = path.substr(0, path.find('?'));
  path = std::regex_replace(path, std::regex(R"(\{(user|job|row|admin|id)\})"), "{id}");
  path = std::regex_replace(path, std::regex(R"(\(\\d\{1,18\}\))"), "{id}");
  return method + " " + path;
}

// ---------------------------------------------------------------------------------------
// Servers.

// A password hash at libsodium's lowest cost: the matrix signs in a dozen times per process,
// and what it tests is who may do what, not how expensive a guess is.
std::string CheapHash(std::string_view password) {
  EXPECT_GE(sodium_init(), 0);
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  EXPECT_EQ(crypto_pwhash_str_alg(hash.data(), password.data(), password.size(),
                                  crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
                                  crypto_pwhash_ALG_ARGON2ID13),
            0);
  return std::string(hash.data());
}

// One signed-in browser.
struct Session {
  std::string cookie;  // "roster_session=..."
  std::string csrf;
};

struct Request {
  std::string method;
  std::string path;
  Payload payload = Payload::kNone;
  std::string body{};
  std::string mode{};
  std::string if_match{};
};

// A clock the test sets while the server's threads read it (the job dispatcher polls the
// queue every second), so atomic, unlike FixedClock.
class SettableClock final : public Clock {
 public:
  explicit SettableClock(int64_t now) : now_(now) {}
  int64_t NowSeconds() const override { return now_.load(); }
  void Set(int64_t now) { now_.store(now); }

 private:
  std::atomic<int64_t> now_;
};

// A Server on a free port, its database and data folder, and the clock it reads.
class TestServer {
 public:
  explicit TestServer(int64_t now = kStart) : clock_(now) {
    db_url_ = "sqlite:" + (dir_.path() / "roster.db").string();
  }
  ~TestServer() { Stop(); }

  Store& store() {
    if (!store_) store_ = std::move(OpenStore(db_url_, clock_)).value();
    return *store_;
  }
  SettableClock& clock() { return clock_; }
  const fs::path& dir() const { return dir_.path(); }
  fs::path data_dir() const { return dir_.path() / "files"; }
  int port() const { return port_; }

  // Options for Start(), with the test's folders and database filled in.
  ServerOptions Options() const {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.db_url = db_url_;
    options.data_dir = data_dir().string();
    options.limits.max_file_bytes = 256 * 1024;
    return options;
  }

  void Start(ServerOptions options) {
    server_ = std::make_unique<Server>(std::move(options), clock_, random_);
    Result<int> port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Listen(); });
  }

  void Stop() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  Organization AddOrganization(const std::string& slug, std::vector<std::string> domains) {
    return *store().CreateOrganization({0, slug, slug + " Corp", "en", std::move(domains)});
  }
  int64_t AddUser(const Organization& org, const std::string& email, const std::string& first,
                  const std::string& last) {
    Result<User> created = store().CreateUser(org.id, testing::TestUser(email, first, last));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }
  int64_t AddAdmin(const Organization& org, const std::string& email, AdminRole role,
                   const std::string& hash) {
    Result<Admin> created = store().CreateAdmin({0, org.id, email, hash, role, 0});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  // Sends `request` with the cookie and, when `csrf` is not empty, the CSRF header. Every
  // answer must carry the security headers.
  httplib::Result Send(const Request& request, const std::string& cookie, const std::string& csrf) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(30, 0);
    httplib::Headers headers;
    if (!cookie.empty()) headers.emplace("Cookie", cookie);
    if (!csrf.empty()) headers.emplace("X-CSRF-Token", csrf);
    if (!request.if_match.empty()) headers.emplace("If-Match", request.if_match);
    httplib::MultipartFormDataItems items;
    if (request.payload == Payload::kUpload) {
      if (!request.mode.empty()) items.push_back({"mode", request.mode, "", ""});
      items.push_back({"file", request.body, std::string(kFileName), "text/csv"});
    }
    const std::string& path = request.path;
    const std::string type = "application/json";
    httplib::Result result = [&] {
      if (request.method == "GET") return client.Get(path, headers);
      if (request.method == "DELETE") return client.Delete(path, headers);
      if (request.method == "PATCH") return client.Patch(path, headers, request.body, type);
      if (request.payload == Payload::kUpload) {
        return request.method == "POST" ? client.Post(path, headers, items)
                                        : client.Put(path, headers, items);
      }
      return request.method == "POST" ? client.Post(path, headers, request.body, type)
                                      : client.Put(path, headers, request.body, type);
    }();
    EXPECT_TRUE(result) << request.method << " " << path << ": "
                        << httplib::to_string(result.error());
    if (result) ExpectSecurityHeaders(*result, request.method + " " + path);
    return result;
  }
  httplib::Result Send(const Request& request, const Session& session) {
    return Send(request, session.cookie, session.csrf);
  }
  httplib::Result Get(const std::string& path, const Session& session) {
    return Send({"GET", path}, session);
  }

  static void ExpectSecurityHeaders(const httplib::Response& response, const std::string& what) {
    EXPECT_THAT(response.get_header_value("Content-Security-Policy"),
                HasSubstr("default-src 'self'"))
        << what << " answered " << response.status;
    EXPECT_THAT(response.get_header_value("Content-Security-Policy"),
                HasSubstr("frame-ancestors 'none'"))
        << what;
    EXPECT_EQ(response.get_header_value("X-Content-Type-Options"), "nosniff")
        << what << " answered " << response.status;
  }

  // Signs in through the API; the full Set-Cookie header in *set_cookie when asked.
  Session SignIn(const std::string& email, std::string* set_cookie = nullptr) {
    httplib::Result response = Send({"POST", "/api/v1/session", Payload::kJson,
                                     json{{"email", email}, {"password", kPassword}}.dump()},
                                    "", "");
    if (!response || response->status != 200) {
      ADD_FAILURE() << "cannot sign in as " << email << ": "
                    << (response ? response->body : std::string("no answer"));
      return {};
    }
    const std::string cookie = response->get_header_value("Set-Cookie");
    if (set_cookie != nullptr) *set_cookie = cookie;
    return {cookie.substr(0, cookie.find(';')),
            json::parse(response->body)["csrf_token"].get<std::string>()};
  }

 private:
  testing::TempDir dir_;
  SettableClock clock_;
  SystemRandom random_;
  std::string db_url_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

json Body(const httplib::Result& response) {
  if (!response) return json();
  return json::parse(response->body, nullptr, false);
}

std::string ErrorCodeOf(const httplib::Result& response) {
  json body = Body(response);
  if (!body.is_object() || !body.contains("error")) return "(no error: " + body.dump() + ")";
  return body["error"]["code"].get<std::string>();
}

// ---------------------------------------------------------------------------------------
// The two organizations.

// What one organization has, by the names the tests use.
// Polls the job at `path` until its check has ended (checks run in the background); fails the
// test when it has not within two minutes (a busy machine passes).
json AwaitChecked(TestServer& server, const std::string& path, const Session& session) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  json job = json::parse(server.Get(path, session)->body, nullptr, false);
  while (job["state"] == "checking" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    job = json::parse(server.Get(path, session)->body, nullptr, false);
  }
  EXPECT_NE(job["state"], "checking") << path << " was still being checked after 120 s";
  return job;
}

struct Tenant {
  Organization org;
  std::map<std::string, int64_t> users;  // by first name
  std::vector<int64_t> accounts;
  std::map<AdminRole, int64_t> admins;
  std::map<AdminRole, std::string> admin_emails;
  std::map<AdminRole, Session> sessions;
  int64_t validated_job = 0;  // validated, with excluded_row excluded
  int64_t mapped_job = 0;     // B only: with a not_found issue at row 2
  int64_t done_job = 0;       // ran; has its report
  int64_t excluded_row = 3;
  std::string sheet;

  std::vector<int64_t> Jobs() const { return {validated_job, mapped_job, done_job}; }
};

// Both organizations behind one server, made once per test process (CTest runs every test in
// a process of its own; a direct run shares it). Tests must leave it as they found it: the
// matrices only send requests that must change nothing, and the address tests remove what
// they created.
class World {
 public:
  static World& Get() {
    if (!instance_) {
      instance_.reset(new World);
      instance_->Build();
    }
    return *instance_;
  }
  static void Destroy() { instance_.reset(); }

  TestServer& server() { return server_; }
  Tenant& a() { return a_; }
  Tenant& b() { return b_; }
  bool ready() const { return ready_; }

  // Everything the store holds of one organization, and its files: what "changes nothing"
  // compares.
  json Dump(const Tenant& tenant) {
    Store& store = server_.store();
    const int64_t org = tenant.org.id;
    json dump;
    UserQuery query;
    query.sort = UserSort::kId;
    query.limit = 100'000;
    const UserPage users = store.ListUsers(org, query).value();
    for (const UserListEntry& entry : users.users) dump["users"].push_back(ToJson(entry));
    dump["account_count"] = store.CountElearningAccounts(org).value();
    for (int64_t account : tenant.accounts) {
      Result<ElearningAccount> found = store.GetElearningAccount(org, account);
      dump["accounts"].push_back(found.ok() ? ToJson(*found) : json(found.status().ToString()));
    }
    import::JobFiles files(server_.data_dir());
    const std::vector<ImportJob> jobs = store.ListJobs(org, 0, 10'000).value();
    for (const ImportJob& job : jobs) {
      json stored = ToJson(job);
      stored["sheet"] = job.sheet;
      stored["header_row"] = job.header_row;
      stored["mapping"] = job.mapping;
      stored["decisions"] = job.decisions;
      stored["delete_elearning"] = job.delete_elearning;
      stored["file_sha256"] = job.file_sha256;
      stored["counts"] = json::parse(CountsToJson(job.counts));
      const std::vector<ImportIssue> issues = store.ListIssues(org, job.id, 0, 100'000).value();
      for (const ImportIssue& issue : issues) stored["issues"].push_back(ToJson(issue));
      const std::vector<PlannedDeletion> plan = store.LoadPlan(org, job.id).value();
      for (const PlannedDeletion& planned : plan) {
        stored["plan"].push_back({planned.user_id, planned.row});
      }
      for (const fs::path& path :
           {files.UploadOf(job), files.ReportOf(job.id, "xlsx"), files.ReportOf(job.id, "csv")}) {
        std::error_code error;
        stored["files"].push_back(fs::exists(path, error) ? int64_t(fs::file_size(path, error))
                                                          : int64_t(-1));
      }
      dump["jobs"].push_back(stored);
    }
    const std::vector<Admin> admins = store.ListAdmins(org).value();
    for (const Admin& admin : admins) {
      json stored = ToJson(admin);
      stored["password_hash"] = admin.password_hash;
      dump["admins"].push_back(stored);
    }
    const std::vector<AuditEvent> events = store.ListAuditEvents(org, 0, 10'000).value();
    for (const AuditEvent& event : events) {
      dump["audit"].push_back(ToJson(event));
    }
    return dump;
  }

 private:
  World() = default;

  void Build() {
    // acme and globex share one domain, so that addresses alone cannot keep them apart.
    a_.org = server_.AddOrganization("acme", {"acme.example", "shared.example"});
    b_.org = server_.AddOrganization("globex", {"globex.example", "shared.example"});
    for (auto [tenant, users] :
         std::vector<std::pair<Tenant*, std::vector<std::array<std::string, 3>>>>{
             {&a_,
              {{"anna.schmidt@acme.example", "Anna", "Schmidt"},
               {"bob.jones@acme.example", "Bob", "Jones"},
               {"carla.diaz@acme.example", "Carla", "Diaz"},
               {"alex.adams@shared.example", "Alex", "Adams"},
               {"leaver@acme.example", "Leaver", "Acme"}}},
             {&b_,
              {{"gina.globex@globex.example", "Gina", "Globex"},
               {"hans.huber@globex.example", "Hans", "Huber"},
               {"sam.shared@shared.example", "Sam", "Shared"},
               {"leaver@globex.example", "Leaver", "Globex"}}}}) {
      for (const auto& [email, first, last] : users) {
        tenant->users[first] = server_.AddUser(tenant->org, email, first, last);
      }
    }
    for (auto [tenant, emails] : std::vector<std::pair<Tenant*, std::vector<std::string>>>{
             {&a_, {"anna.schmidt@acme.example", "bob.jones@acme.example"}},
             {&b_, {"gina.globex@globex.example", "sam.shared@shared.example"}}}) {
      for (const std::string& email : emails) {
        tenant->accounts.push_back(
            server_.store().CreateElearningAccount(tenant->org.id, email).value().id);
      }
    }
    const std::string hash = CheapHash(kPassword);
    for (Tenant* tenant : {&a_, &b_}) {
      const std::string& domain = tenant->org.domains[0];
      for (AdminRole role : {AdminRole::kOwner, AdminRole::kAdmin, AdminRole::kViewer}) {
        const std::string email = std::string(AdminRoleName(role)) + "@" + domain;
        tenant->admins[role] = server_.AddAdmin(tenant->org, email, role, hash);
        tenant->admin_emails[role] = email;
      }
    }

    // A web console to serve, for the headers of static files.
    const fs::path web = server_.dir() / "web";
    fs::create_directories(web);
    std::ofstream(web / "index.html") << "<!doctype html><title>Roster</title>";
    std::ofstream(web / "app.js") << "console.log('roster');";
    ServerOptions options = server_.Options();
    options.web_root = web.string();
    options.auth.max_failures = 1000;  // the address tests sign in wrongly on purpose
    server_.Start(options);
    if (::testing::Test::HasFatalFailure()) return;

    for (Tenant* tenant : {&a_, &b_}) {
      for (AdminRole role : {AdminRole::kOwner, AdminRole::kAdmin, AdminRole::kViewer}) {
        tenant->sessions[role] = server_.SignIn(tenant->admin_emails[role]);
      }
      MakeJobs(*tenant);
    }
    // From now on every write would show in updated_at and created_at.
    server_.clock().Set(kStart + 3600);
    ready_ = !::testing::Test::HasFailure();
  }

  json Upload(const Tenant& tenant, const std::string& csv) {
    httplib::Result uploaded =
        server_.Send({"POST", "/api/v1/imports", Payload::kUpload, csv, "delete"},
                     tenant.sessions.at(AdminRole::kAdmin));
    EXPECT_EQ(uploaded->status, 201) << uploaded->body;
    return Body(uploaded);
  }
  json Step(const Tenant& tenant, const std::string& method, const std::string& path,
            const std::string& body = "") {
    httplib::Result answered =
        server_.Send({method, path, Payload::kJson, body}, tenant.sessions.at(AdminRole::kAdmin));
    EXPECT_LT(answered->status, 300) << method << " " << path << ": " << answered->body;
    return Body(answered);
  }

  // Asks for the job's check and waits for it to end (it runs in the background).
  json Validate(const Tenant& tenant, const std::string& path) {
    Step(tenant, "POST", path + "/validate");
    return AwaitChecked(tenant, path);
  }
  json AwaitChecked(const Tenant& tenant, const std::string& path) {
    return roster::http::AwaitChecked(server_, path, tenant.sessions.at(AdminRole::kAdmin));
  }

  void MakeJobs(Tenant& tenant) {
    const std::string domain = tenant.org.domains[0];
    const std::string jobs = "/api/v1/imports/";
    // Validated, with row 3 (an unknown address) excluded.
    json job =
        Upload(tenant, "E-Mail\n" +
                           std::string(tenant.org.slug == "acme" ? "bob.jones@acme.example"
                                                                 : "hans.huber@globex.example") +
                           "\nnobody@" + domain + "\n");
    tenant.validated_job = job["id"];
    tenant.sheet = job["sheet"];
    const std::string validated = jobs + std::to_string(tenant.validated_job);
    Validate(tenant, validated);
    Step(tenant, "POST", validated + "/exclusions", json{{"row", tenant.excluded_row}}.dump());
    job = AwaitChecked(tenant, validated);
    EXPECT_EQ(job["state"], "validated") << job.dump();

    // Mapped, with a not_found issue (B's only: A's requests use A's validated job).
    if (&tenant == &b_) {
      job = Upload(tenant, "E-Mail\nnobody.else@" + domain + "\n");
      tenant.mapped_job = job["id"];
      job = Validate(tenant, jobs + std::to_string(tenant.mapped_job));
      EXPECT_EQ(job["state"], "mapped") << job.dump();
    }

    // Done, with its report: deletes the leaver.
    job = Upload(tenant, "E-Mail\nleaver@" + domain + "\n");
    tenant.done_job = job["id"];
    const std::string done = jobs + std::to_string(tenant.done_job);
    job = Validate(tenant, done);
    httplib::Result executed = server_.Send({"POST", done + "/execute", Payload::kJson,
                                             json{{"delete_elearning_accounts", false}}.dump(), "",
                                             "\"" + job["version"].dump() + "\""},
                                            tenant.sessions.at(AdminRole::kAdmin));
    EXPECT_EQ(executed->status, 202) << executed->body;
    // The reports are written after the job reads done, and the upload is removed last.
    import::JobFiles files(server_.data_dir());
    const ImportJob stored = server_.store().GetJob(tenant.org.id, tenant.done_job).value();
    auto finished = [&] {
      std::error_code error;
      return Body(server_.Get(done, tenant.sessions.at(AdminRole::kAdmin)))["state"] == "done" &&
             !fs::exists(files.UploadOf(stored), error) &&
             fs::exists(files.ReportOf(tenant.done_job, "csv"), error);
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!finished()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "the done job of " << tenant.org.slug << " did not finish";
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  static std::unique_ptr<World> instance_;
  TestServer server_;
  Tenant a_;
  Tenant b_;
  bool ready_ = false;
};

std::unique_ptr<World> World::instance_;

// Takes the world down before the test program's static objects go.
class WorldEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { World::Destroy(); }
};
[[maybe_unused]] ::testing::Environment* const kWorldEnvironment =
    ::testing::AddGlobalTestEnvironment(new WorldEnvironment);

// The ids a request's placeholders stand for.
struct Ids {
  int64_t user = 0;
  int64_t job = 0;
  int64_t row = 0;
  int64_t admin = 0;
  std::string sheet;
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

Request RequestFor(const Endpoint& endpoint, const Ids& ids) {
  auto fill = [&](std::string text) {
    text = Replace(text, "{user}", std::to_string(ids.user));
    text = Replace(text, "{job}", std::to_string(ids.job));
    text = Replace(text, "{row}", std::to_string(ids.row));
    text = Replace(text, "{admin}", std::to_string(ids.admin));
    return Replace(text, "{sheet}", ids.sheet);
  };
  return {
      endpoint.method,  fill(endpoint.path),
      endpoint.payload, endpoint.payload == Payload::kJson ? fill(endpoint.body) : endpoint.body,
      endpoint.mode,    endpoint.if_match};
}

// Ids of A's own records that a refused request would have changed.
Ids OwnIds(const Tenant& tenant) {
  return {tenant.users.at("Bob"), tenant.validated_job, tenant.excluded_row,
          tenant.admins.at(AdminRole::kAdmin), tenant.sheet};
}

class EndpointTest : public ::testing::TestWithParam<Endpoint> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(World::Get().ready()) << "the two organizations could not be set up";
  }
  World& world() { return World::Get(); }
  TestServer& server() { return world().server(); }
  Tenant& a() { return world().a(); }
  Tenant& b() { return world().b(); }
};

// ---------------------------------------------------------------------------------------
// Another organization's ids answer like nonexistent ones.

class ForeignIdTest : public EndpointTest {
 protected:
  // The answer with the id written as {id}: what may differ between two unknown ids.
  static std::string Normalized(const httplib::Result& response, int64_t id) {
    return std::regex_replace(response->body, std::regex("\\b" + std::to_string(id) + "\\b"),
                              "{id}");
  }
};

TEST_P(ForeignIdTest, AnswersLikeANonexistentIdAndChangesNothing) {
  const Endpoint& endpoint = GetParam();
  const Session& owner = a().sessions.at(AdminRole::kOwner);
  const json a_before = world().Dump(a());
  const json b_before = world().Dump(b());

  // Every id of B that the placeholder could stand for, each against a nonexistent id.
  std::vector<std::pair<std::string, Ids>> foreign;
  if (endpoint.path.find("{job}") != std::string::npos) {
    for (int64_t job : b().Jobs()) {
      foreign.push_back(
          {"B's job " + std::to_string(job), {0, job, b().excluded_row, 0, b().sheet}});
    }
  } else if (endpoint.path.find("{user}") != std::string::npos) {
    for (const auto& [name, user] : b().users) {
      foreign.push_back({"B's user " + name, {user, 0, 0, 0, ""}});
    }
  } else {
    for (const auto& [role, admin] : b().admins) {
      foreign.push_back({"B's " + std::string(AdminRoleName(role)), {0, 0, 0, admin, ""}});
    }
  }
  for (const auto& [what, ids] : foreign) {
    SCOPED_TRACE(what);
    const int64_t id = ids.job + ids.user + ids.admin;
    httplib::Result theirs = server().Send(RequestFor(endpoint, ids), owner);
    Ids missing = ids;
    (ids.job != 0 ? missing.job : ids.user != 0 ? missing.user : missing.admin) = kMissingId;
    httplib::Result nobodys = server().Send(RequestFor(endpoint, missing), owner);
    ASSERT_TRUE(theirs && nobodys);
    EXPECT_EQ(nobodys->status, 404) << nobodys->body;
    EXPECT_EQ(theirs->status, nobodys->status) << theirs->body;
    EXPECT_EQ(ErrorCodeOf(theirs), "not_found");
    // The handler's answer, not the router's: the route exists.
    EXPECT_THAT(theirs->body, Not(HasSubstr("nothing at this address")));
    EXPECT_EQ(Normalized(theirs, id), Normalized(nobodys, kMissingId));
    EXPECT_EQ(theirs->get_header_value("Content-Type"), nobodys->get_header_value("Content-Type"));
    EXPECT_FALSE(theirs->has_header("Content-Disposition"));
  }
  EXPECT_EQ(world().Dump(b()), b_before);
  EXPECT_EQ(world().Dump(a()), a_before);
}

INSTANTIATE_TEST_SUITE_P(Endpoints, ForeignIdTest,
                         ::testing::ValuesIn(EndpointsWhere([](const Endpoint& endpoint) {
                           return endpoint.TakesId();
                         })),
                         EndpointName);

// ---------------------------------------------------------------------------------------
// Roles.

class ViewerTest : public EndpointTest {};

// Signing out is the one change a viewer may make; signing in needs no role.
TEST_P(ViewerTest, IsRefusedAndChangesNothing) {
  const Endpoint& endpoint = GetParam();
  const json a_before = world().Dump(a());
  const json b_before = world().Dump(b());
  httplib::Result answer =
      server().Send(RequestFor(endpoint, OwnIds(a())), a().sessions.at(AdminRole::kViewer));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 403) << answer->body;
  EXPECT_EQ(ErrorCodeOf(answer), "permission_denied");
  EXPECT_THAT(Body(answer)["error"]["message"].get<std::string>(), HasSubstr("you are viewer"));
  EXPECT_EQ(world().Dump(a()), a_before);
  EXPECT_EQ(world().Dump(b()), b_before);
}

INSTANTIATE_TEST_SUITE_P(Endpoints, ViewerTest,
                         ::testing::ValuesIn(EndpointsWhere([](const Endpoint& endpoint) {
                           return endpoint.Changes() && endpoint.access != Access::kPublic &&
                                  endpoint.name != "DELETE_session";
                         })),
                         EndpointName);

class AdminRoleTest : public EndpointTest {};

TEST_P(AdminRoleTest, AdminsAndViewersCannotManageAdmins) {
  const Endpoint& endpoint = GetParam();
  const json a_before = world().Dump(a());
  for (AdminRole role : {AdminRole::kAdmin, AdminRole::kViewer}) {
    SCOPED_TRACE(AdminRoleName(role));
    Ids ids = OwnIds(a());
    ids.admin = a().admins.at(AdminRole::kViewer);  // one the owner could remove
    httplib::Result answer = server().Send(RequestFor(endpoint, ids), a().sessions.at(role));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 403) << answer->body;
    EXPECT_EQ(ErrorCodeOf(answer), "permission_denied");
  }
  EXPECT_EQ(world().Dump(a()), a_before);
}

INSTANTIATE_TEST_SUITE_P(Endpoints, AdminRoleTest,
                         ::testing::ValuesIn(EndpointsWhere([](const Endpoint& endpoint) {
                           return endpoint.access == Access::kOwner;
                         })),
                         EndpointName);

// ---------------------------------------------------------------------------------------
// CSRF and sessions.

class CsrfTest : public EndpointTest {};

TEST_P(CsrfTest, ChangesNeedTheSessionsTokenAndChangeNothingWithout) {
  const Endpoint& endpoint = GetParam();
  const Session& owner = a().sessions.at(AdminRole::kOwner);
  const json a_before = world().Dump(a());
  const json b_before = world().Dump(b());
  const Request request = RequestFor(endpoint, OwnIds(a()));
  // No token, a token of another session (B's owner's), and a near miss.
  std::string near_miss = owner.csrf;
  near_miss.back() = near_miss.back() == '0' ? '1' : '0';
  for (const std::string& token :
       {std::string(), b().sessions.at(AdminRole::kOwner).csrf, near_miss}) {
    SCOPED_TRACE("token '" + token + "'");
    httplib::Result answer = server().Send(request, owner.cookie, token);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 403) << answer->body;
    EXPECT_EQ(ErrorCodeOf(answer), "csrf_required");
  }
  EXPECT_EQ(world().Dump(a()), a_before);
  EXPECT_EQ(world().Dump(b()), b_before);
  // Signing out without the token did not end the session either.
  EXPECT_EQ(server().Get("/api/v1/session", owner)->status, 200);
}

INSTANTIATE_TEST_SUITE_P(Endpoints, CsrfTest,
                         ::testing::ValuesIn(EndpointsWhere([](const Endpoint& endpoint) {
                           return endpoint.Changes() && endpoint.access != Access::kPublic;
                         })),
                         EndpointName);

class NoSessionTest : public EndpointTest {};

TEST_P(NoSessionTest, IsUnauthenticatedAndChangesNothing) {
  const Endpoint& endpoint = GetParam();
  const json a_before = world().Dump(a());
  const json b_before = world().Dump(b());
  const Request request = RequestFor(endpoint, OwnIds(a()));
  // A session token is 64 hex digits; a forged one, another organization's CSRF token as a
  // cookie, and a signed-out cookie are no sessions either.
  const std::string forged = std::string(kSessionCookie) + "=" + std::string(64, 'a');
  const std::string csrf_as_cookie =
      std::string(kSessionCookie) + "=" + b().sessions.at(AdminRole::kOwner).csrf;
  for (const std::string& cookie : {std::string(), forged, csrf_as_cookie}) {
    SCOPED_TRACE("cookie '" + cookie + "'");
    // The CSRF token of a real session does not stand in for the cookie.
    httplib::Result answer =
        server().Send(request, cookie, a().sessions.at(AdminRole::kOwner).csrf);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 401) << answer->body;
    EXPECT_EQ(ErrorCodeOf(answer), "unauthenticated");
  }
  EXPECT_EQ(world().Dump(a()), a_before);
  EXPECT_EQ(world().Dump(b()), b_before);
}

INSTANTIATE_TEST_SUITE_P(Endpoints, NoSessionTest,
                         ::testing::ValuesIn(EndpointsWhere([](const Endpoint& endpoint) {
                           return endpoint.access != Access::kPublic;
                         })),
                         EndpointName);

// ---------------------------------------------------------------------------------------
// The table, the code and the documentation list the same endpoints.

fs::path SourceRoot() {
  const char* source = std::getenv("ROSTER_SOURCE_DIR");  // CTest runs from the source root
  return source != nullptr ? fs::path(source) : fs::current_path();
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The routes src/http registers: "METHOD /path" -> the least role ("public" for routes
// outside the Api guard). The patterns are written as literals, as kName constants of the
// same file, or as JobPath(suffix) (import_routes.cc).
std::map<std::string, std::string> RegisteredRoutes() {
  std::map<std::string, std::string> routes;
  for (const fs::directory_entry& entry : fs::directory_iterator(SourceRoot() / "src/http")) {
    if (entry.path().extension() != ".cc") continue;
    const std::string text = ReadText(entry.path());
    std::map<std::string, std::string> constants;
    const std::regex constant(R"re(constexpr std::string_view (k\w+) = R"\((.*)\)";)re");
    for (std::sregex_iterator it(text.begin(), text.end(), constant), end; it != end; ++it) {
      constants[(*it)[1]] = (*it)[2];
    }
    auto literal = [](const std::string& written) {
      std::smatch match;
      if (std::regex_match(written, match, std::regex(R"re(R"\(([\s\S]*)\)")re")))
        return match[1].str();
      if (std::regex_match(written, match, std::regex(R"re("([^"]*)")re"))) return match[1].str();
      return std::string();
    };
    auto resolve = [&](std::string written) -> std::string {
      written = std::regex_replace(written, std::regex(R"(^\s+|\s+$)"), "");
      std::smatch match;
      if (std::regex_match(written, match, std::regex(R"(std::string\((k\w+)\))"))) {
        return constants[match[1]];
      }
      if (std::regex_match(written, match, std::regex(R"(JobPath\(([\s\S]*)\))"))) {
        return constants["kJob"] + literal(match[1]);
      }
      const std::string path = literal(written);
      return path.empty() ? "(unresolved: " + written + ")" : path;
    };
    const std::regex guarded(
        R"(\bapi\.(Get|Post|Put|Patch|Delete|PostUpload|PutUpload)\(([\s\S]+?),\s*AdminRole::k(\w+))");
    for (std::sregex_iterator it(text.begin(), text.end(), guarded), end; it != end; ++it) {
      std::string method = (*it)[1];
      method = method.substr(0, method.find("Upload"));
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      std::string role = (*it)[3];
      std::transform(role.begin(), role.end(), role.begin(), ::tolower);
      routes[RouteKey(method, resolve((*it)[2]))] = role;
    }
    const std::regex unguarded(
        R"re(\b(?:server\(\)|http_)\.(Get|Post|Put|Patch|Delete)\(\s*"([^"]+)")re");
    for (std::sregex_iterator it(text.begin(), text.end(), unguarded), end; it != end; ++it) {
      std::string method = (*it)[1];
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      routes[RouteKey(method, (*it)[2])] = "public";
    }
  }
  return routes;
}

std::string AccessName(Access access) {
  switch (access) {
    case Access::kPublic: return "public";
    case Access::kViewer: return "viewer";
    case Access::kAdmin: return "admin";
    case Access::kOwner: return "owner";
  }
  return "?";
}

TEST(RegisteredRoutesTest, TheMatrixCoversEveryRouteWithTheRoleTheCodeRequires) {
  std::map<std::string, std::string> table;
  for (const Endpoint& endpoint : Endpoints()) {
    table[RouteKey(endpoint.method, endpoint.path)] = AccessName(endpoint.access);
  }
  const std::map<std::string, std::string> registered = RegisteredRoutes();
  ASSERT_GE(registered.size(), 30u) << "the route registrations of src/http were not found";
  EXPECT_EQ(table, registered) << "add the new endpoint to Endpoints() (and docs/api.md)";
}

TEST(RegisteredRoutesTest, TheDocumentationListsEveryRoute) {
  std::set<std::string> documented;
  const std::string doc = ReadText(SourceRoot() / "docs/api.md");
  const std::regex mention("`(GET|POST|PUT|PATCH|DELETE) (/[^`\\s?]*)");
  for (std::sregex_iterator it(doc.begin(), doc.end(), mention), end; it != end; ++it) {
    documented.insert(RouteKey((*it)[1], (*it)[2]));
  }
  std::set<std::string> table;
  for (const Endpoint& endpoint : Endpoints())
    table.insert(RouteKey(endpoint.method, endpoint.path));
  EXPECT_EQ(documented, table);
}

// ---------------------------------------------------------------------------------------
// Addresses and names of another organization.

class TenantAddressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(World::Get().ready()) << "the two organizations could not be set up";
    b_before_ = world().Dump(b());
  }
  void TearDown() override {
    if (!b_before_.is_null()) {
      EXPECT_EQ(world().Dump(b()), b_before_) << "B changed";
    }
  }

  World& world() { return World::Get(); }
  TestServer& server() { return world().server(); }
  Tenant& a() { return world().a(); }
  Tenant& b() { return world().b(); }
  const Session& owner() { return a().sessions.at(AdminRole::kOwner); }

  httplib::Result Post(const std::string& path, const json& body) {
    return server().Send({"POST", path, Payload::kJson, body.dump()}, owner());
  }
  json UploadAndValidate(const std::string& mode, const std::string& csv) {
    httplib::Result uploaded =
        server().Send({"POST", "/api/v1/imports", Payload::kUpload, csv, mode}, owner());
    EXPECT_EQ(uploaded->status, 201) << uploaded->body;
    const std::string path = "/api/v1/imports/" + Body(uploaded)["id"].dump();
    created_jobs_.push_back(Body(uploaded)["id"].get<int64_t>());
    EXPECT_EQ(Post(path + "/validate", json::object())->status, 202);
    AwaitChecked(server(), path, owner());
    return Body(server().Get(path + "/issues?limit=1000", owner()));
  }
  // Cancels the jobs the test uploaded (A's own; they would show in A's lists).
  void CancelJobs() {
    for (int64_t job : created_jobs_) {
      server().Send({"DELETE", "/api/v1/imports/" + std::to_string(job)}, owner());
    }
    created_jobs_.clear();
  }

  // B's addresses and names, and a nonexistent counterpart of each in the same domain.
  static std::vector<std::pair<std::string, std::string>> BAddresses() {
    return {{"gina.globex@globex.example", "nora.nobody@globex.example"},
            {"hans.huber@globex.example", "otto.nobody@globex.example"},
            {"sam.shared@shared.example", "ned.nobody@shared.example"},
            {"owner@globex.example", "ghost@globex.example"}};
  }

  json b_before_;
  std::vector<int64_t> created_jobs_;
};

TEST_F(TenantAddressTest, SearchingForAnotherOrganizationsNamesAndAddressesFindsNothing) {
  for (const char* term : {"Gina", "globex", "Huber", "sam.shared", "sam.shared@shared.example",
                           "Sam", "leaver@globex.example", "hans.huber@globex.example"}) {
    json page = Body(server().Get(std::string("/api/v1/users?search=") + term, owner()));
    EXPECT_EQ(page["total"], 0) << term;
    EXPECT_EQ(page["users"], json::array()) << term;
  }
  // A's own user in the shared domain is found, and only she.
  json shared = Body(server().Get("/api/v1/users?search=shared.example&limit=500", owner()));
  ASSERT_EQ(shared["total"], 1);
  EXPECT_EQ(shared["users"][0]["id"], a().users.at("Alex"));
}

TEST_F(TenantAddressTest, ListsExportsAndTheAuditHoldNothingOfAnotherOrganization) {
  std::set<int64_t> b_users;
  for (const auto& [name, id] : b().users) b_users.insert(id);
  json users = Body(server().Get("/api/v1/users?limit=500&sort=id", owner()));
  for (const json& user : users["users"]) {
    EXPECT_FALSE(b_users.contains(user["id"].get<int64_t>())) << user.dump();
  }
  httplib::Result exported = server().Get("/api/v1/users/export?format=csv", owner());
  ASSERT_EQ(exported->status, 200);
  EXPECT_THAT(exported->body, Not(HasSubstr("globex")));
  EXPECT_THAT(exported->body, Not(HasSubstr("sam.shared")));
  EXPECT_THAT(exported->body, HasSubstr("anna.schmidt@acme.example"));

  std::set<int64_t> b_jobs;
  for (int64_t job : b().Jobs()) b_jobs.insert(job);
  json jobs = Body(server().Get("/api/v1/imports?limit=100", owner()));
  ASSERT_FALSE(jobs["jobs"].empty());
  for (const json& job : jobs["jobs"]) {
    EXPECT_FALSE(b_jobs.contains(job["id"].get<int64_t>())) << job.dump();
  }
  json audit = Body(server().Get("/api/v1/audit?limit=500", owner()));
  ASSERT_FALSE(audit["events"].empty());
  for (const json& event : audit["events"]) {
    EXPECT_THAT(event["actor"].get<std::string>(), HasSubstr("@acme.example")) << event.dump();
    EXPECT_THAT(event.dump(), Not(HasSubstr("globex"))) << event.dump();
    if (event["details"].contains("job_id")) {
      EXPECT_FALSE(b_jobs.contains(event["details"]["job_id"].get<int64_t>())) << event.dump();
    }
  }
  json admins = Body(server().Get("/api/v1/admins", owner()));
  ASSERT_EQ(admins["admins"].size(), 3u) << admins.dump();
  for (const json& admin : admins["admins"]) {
    EXPECT_THAT(admin["email"].get<std::string>(), HasSubstr("@acme.example"));
  }
}

// The user's answer with what legitimately differs between two new users blanked out.
json Comparable(json user) {
  for (const char* key : {"id", "email", "created_at", "updated_at"}) user.erase(key);
  return user;
}

TEST_F(TenantAddressTest, AUserWithAnotherOrganizationsAddressIsCreatedLikeAnyNewOne) {
  // In the domain both share: created, exactly like a new address; B's user stays B's.
  httplib::Result theirs = Post(
      "/api/v1/users",
      {{"email", "sam.shared@shared.example"}, {"first_name", "Sam"}, {"last_name", "Shared"}});
  httplib::Result fresh = Post(
      "/api/v1/users",
      {{"email", "ned.nobody@shared.example"}, {"first_name", "Sam"}, {"last_name", "Shared"}});
  ASSERT_EQ(theirs->status, 201) << theirs->body;
  ASSERT_EQ(fresh->status, 201) << fresh->body;
  EXPECT_EQ(Comparable(Body(theirs)), Comparable(Body(fresh)));
  EXPECT_TRUE(Body(theirs)["elearning_account_id"].is_null()) << "linked to B's account";

  // Changing A's user to B's address: the same.
  const std::string alex = "/api/v1/users/" + std::to_string(a().users.at("Alex"));
  httplib::Result patched_theirs = server().Send(
      {"PATCH", alex, Payload::kJson, json{{"email", "gina.globex@shared.example"}}.dump()},
      owner());
  EXPECT_EQ(patched_theirs->status, 200) << patched_theirs->body;
  httplib::Result patched_back = server().Send(
      {"PATCH", alex, Payload::kJson, json{{"email", "alex.adams@shared.example"}}.dump()},
      owner());
  EXPECT_EQ(patched_back->status, 200) << patched_back->body;

  // In B's own domain: refused exactly like a new address there.
  for (const auto& [b_address, new_address] : BAddresses()) {
    if (b_address.ends_with("@shared.example")) continue;
    httplib::Result refused =
        Post("/api/v1/users", {{"email", b_address}, {"first_name", "X"}, {"last_name", "Y"}});
    httplib::Result refused_too =
        Post("/api/v1/users", {{"email", new_address}, {"first_name", "X"}, {"last_name", "Y"}});
    EXPECT_EQ(refused->status, 400) << refused->body;
    EXPECT_EQ(Replace(refused->body, b_address, "{address}"),
              Replace(refused_too->body, new_address, "{address}"));
  }
  for (const httplib::Result* created : {&theirs, &fresh}) {
    ASSERT_TRUE(server()
                    .store()
                    .DeleteUser(a().org.id, Body(*created)["id"].get<int64_t>(), false, {})
                    .ok());
  }
}

TEST_F(TenantAddressTest, AnAccountForAnotherOrganizationsAddressIsLinkedToNobody) {
  httplib::Result theirs =
      Post("/api/v1/elearning-accounts", {{"email", "gina.globex@globex.example"}});
  httplib::Result fresh =
      Post("/api/v1/elearning-accounts", {{"email", "nora.nobody@globex.example"}});
  ASSERT_EQ(theirs->status, 201) << theirs->body;
  ASSERT_EQ(fresh->status, 201) << fresh->body;
  EXPECT_TRUE(Body(theirs)["user_id"].is_null()) << theirs->body;
  EXPECT_EQ(Body(theirs).size(), Body(fresh).size());
  // A second time: "exists" only because A has it now, as for the new address.
  httplib::Result again =
      Post("/api/v1/elearning-accounts", {{"email", "gina.globex@globex.example"}});
  httplib::Result again_fresh =
      Post("/api/v1/elearning-accounts", {{"email", "nora.nobody@globex.example"}});
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(Replace(again->body, "gina.globex@globex.example", "{address}"),
            Replace(again_fresh->body, "nora.nobody@globex.example", "{address}"));
}

// An issue with what `pattern` matches in its value and message written as {x}: the address
// or id it is about.
json IssueWithout(json issue, const std::regex& pattern) {
  for (const char* key : {"value", "message"}) {
    issue[key] = std::regex_replace(issue[key].get<std::string>(), pattern, "{x}");
  }
  return issue;
}

const std::regex kAnyAddress(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)");

TEST_F(TenantAddressTest, ADeleteImportFindsNoneOfAnotherOrganizationsUsers) {
  // B's addresses and near misses of them, against nonexistent ones of the same shapes.
  std::vector<std::pair<std::string, std::string>> rows = BAddresses();
  rows.push_back({"gina.globx@globex.example", "nora.nobdy@globex.example"});
  rows.push_back({"sam.sharde@shared.example", "ned.nobdoy@shared.example"});
  rows.push_back({"Hans.Huber@GLOBEX.example", "Otto.Nobody@GLOBEX.example"});
  std::string theirs_file = "E-Mail\n";
  std::string fresh_file = "E-Mail\n";
  for (const auto& [theirs, fresh] : rows) {
    theirs_file += theirs + "\n";
    fresh_file += fresh + "\n";
  }
  json theirs = UploadAndValidate("delete", theirs_file);
  json fresh = UploadAndValidate("delete", fresh_file);
  ASSERT_EQ(theirs["total"], rows.size()) << theirs.dump();
  ASSERT_EQ(fresh["total"], rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const json& issue = theirs["issues"][i];
    EXPECT_EQ(issue["code"], "not_found") << issue.dump();
    EXPECT_TRUE(issue["suggestion"].is_null()) << "points at B: " << issue.dump();
    EXPECT_EQ(IssueWithout(issue, kAnyAddress), IssueWithout(fresh["issues"][i], kAnyAddress));
    EXPECT_THAT(issue["value"].get<std::string>(), HasSubstr(rows[i].first.substr(0, 4)));
  }
  // Typed in as a fix, B's address is not found either.
  const std::string job = "/api/v1/imports/" + std::to_string(created_jobs_[1]);
  httplib::Result fixed =
      Post(job + "/fixes", {{"row", 2}, {"value", "sam.shared@shared.example"}});
  ASSERT_EQ(fixed->status, 200) << fixed->body;
  EXPECT_EQ(AwaitChecked(server(), job, owner())["counts"]["to_delete"], 0);
  json issues = Body(server().Get(job + "/issues?limit=1000", owner()));
  EXPECT_EQ(issues["issues"][0]["code"], "not_found");
  EXPECT_TRUE(issues["issues"][0]["suggestion"].is_null());
  CancelJobs();
}

TEST_F(TenantAddressTest, AnAddUpdateImportTreatsAnotherOrganizationsIdsAsUnknown) {
  const std::string header = "Roster ID,E-Mail,First name,Last name\n";
  const std::string b_user = std::to_string(b().users.at("Gina"));
  const std::string missing = std::to_string(kMissingId);
  json theirs =
      UploadAndValidate("add-update", header + b_user + ",gina@acme.example,Gina,Globex\n");
  json fresh =
      UploadAndValidate("add-update", header + missing + ",gina@acme.example,Gina,Globex\n");
  ASSERT_GE(theirs["total"], 1) << theirs.dump();
  EXPECT_EQ(theirs["issues"][0]["code"], "not_found");
  EXPECT_EQ(theirs["issues"][0]["value"], b_user);
  ASSERT_EQ(theirs["total"], fresh["total"]) << fresh.dump();
  for (size_t i = 0; i < theirs["issues"].size(); ++i) {
    EXPECT_EQ(IssueWithout(theirs["issues"][i], std::regex("\\b" + b_user + "\\b")),
              IssueWithout(fresh["issues"][i], std::regex("\\b" + missing + "\\b")));
  }

  // B's address in the shared domain is a new user for A, like any new address.
  json created = UploadAndValidate(
      "add-update", "E-Mail,First name,Last name\nsam.shared@shared.example,Sam,Shared\n");
  EXPECT_EQ(created["total"], 0) << created.dump();
  httplib::Result job =
      server().Get("/api/v1/imports/" + std::to_string(created_jobs_.back()), owner());
  EXPECT_EQ(Body(job)["counts"]["to_create"], 1) << job->body;
  CancelJobs();
}

TEST_F(TenantAddressTest, SigningInWithAnotherOrganizationsAdminAddressAnswersLikeAnUnknownOne) {
  for (const auto& [b_address, new_address] : BAddresses()) {
    httplib::Result theirs =
        server().Send({"POST", "/api/v1/session", Payload::kJson,
                       json{{"email", b_address}, {"password", "not-the-password"}}.dump()},
                      "", "");
    httplib::Result fresh =
        server().Send({"POST", "/api/v1/session", Payload::kJson,
                       json{{"email", new_address}, {"password", "not-the-password"}}.dump()},
                      "", "");
    EXPECT_EQ(theirs->status, 401);
    EXPECT_EQ(theirs->body, fresh->body);
    EXPECT_FALSE(theirs->has_header("Set-Cookie"));
  }
}

// Admin addresses are unique over all organizations (an address signs in to one), so an
// owner may only add addresses at the organization's own domains: another organization's
// admin is then refused exactly like any address of that domain, not as "taken".
TEST_F(TenantAddressTest, AnAdminWithAnotherOrganizationsAddressAnswersLikeANewOne) {
  for (const auto& [b_address, new_address] : BAddresses()) {
    SCOPED_TRACE(b_address);
    httplib::Result theirs =
        Post("/api/v1/admins",
             {{"email", b_address}, {"password", "long-enough-secret"}, {"role", "viewer"}});
    httplib::Result fresh =
        Post("/api/v1/admins",
             {{"email", new_address}, {"password", "long-enough-secret"}, {"role", "viewer"}});
    // At a domain both own (shared.example) the address is added like a new one; the
    // address of an admin of both would still be refused as taken there.
    EXPECT_EQ(theirs->status, b_address.ends_with("@shared.example") ? 201 : 400) << theirs->body;
    EXPECT_EQ(theirs->status, fresh->status) << fresh->body;
    json theirs_body = Body(theirs);
    json fresh_body = Body(fresh);
    for (json* body : {&theirs_body, &fresh_body}) {
      for (const char* key : {"id", "email", "created_at"}) body->erase(key);
    }
    EXPECT_EQ(theirs_body, fresh_body);
    for (const httplib::Result* created : {&theirs, &fresh}) {
      if ((*created)->status == 201) {
        EXPECT_EQ(server()
                      .Send({"DELETE", "/api/v1/admins/" + Body(*created)["id"].dump()}, owner())
                      ->status,
                  204);
      }
    }
  }
}

TEST_F(TenantAddressTest, SecurityHeadersAreOnStaticFilesHealthAndErrors) {
  for (const char* path : {"/healthz", "/app.js", "/index.html", "/users/7", "/",
                           "/api/v1/nothing-here", "/api/v1/users/x"}) {
    httplib::Result answer = server().Get(path, {});
    ASSERT_TRUE(answer) << path;
    EXPECT_NE(answer->status, 500) << path;
  }
  EXPECT_EQ(server().Get("/app.js", {})->body, "console.log('roster');");
  EXPECT_EQ(server().Get("/api/v1/nothing-here", {})->status, 404);
  EXPECT_EQ(server().Send({"PATCH", "/api/v1/admins", Payload::kJson, "{}"}, owner())->status, 404);
}

// ---------------------------------------------------------------------------------------
// Session lifetime, cookies and the sign-in throttle, each on a server of its own.

constexpr int64_t kLifetime = 3600;

class SessionTest : public ::testing::Test {
 protected:
  void StartServer(bool secure_cookies, AuthOptions auth = {}) {
    Organization acme = server_.AddOrganization("acme", {"acme.example"});
    const std::string hash = CheapHash(kPassword);
    for (const char* email : {"owner@acme.example", "admin@acme.example", "viewer@acme.example"}) {
      server_.AddAdmin(acme, email, AdminRole::kOwner, hash);
    }
    ServerOptions options = server_.Options();
    options.secure_cookies = secure_cookies;
    auth.session_seconds = kLifetime;
    options.auth = auth;
    server_.Start(options);
  }
  httplib::Result SignInAs(const std::string& email, const std::string& password) {
    return server_.Send({"POST", "/api/v1/session", Payload::kJson,
                         json{{"email", email}, {"password", password}}.dump()},
                        "", "");
  }

  TestServer server_;
};

TEST_F(SessionTest, ASessionEndsAfterItsLifetimeAndItsCookieStaysRefused) {
  ASSERT_NO_FATAL_FAILURE(StartServer(false));
  std::string set_cookie;
  Session session = server_.SignIn("owner@acme.example", &set_cookie);
  EXPECT_THAT(set_cookie, HasSubstr("Max-Age=" + std::to_string(kLifetime)));
  server_.clock().Set(kStart + kLifetime - 1);
  EXPECT_EQ(server_.Get("/api/v1/session", session)->status, 200);
  server_.clock().Set(kStart + kLifetime + 1);
  for (const char* path : {"/api/v1/session", "/api/v1/users", "/api/v1/imports"}) {
    httplib::Result expired = server_.Get(path, session);
    EXPECT_EQ(expired->status, 401) << path;
    EXPECT_EQ(ErrorCodeOf(expired), "unauthenticated");
    EXPECT_THAT(Body(expired)["error"]["message"].get<std::string>(), HasSubstr("expired"));
  }
  httplib::Result change = server_.Send(
      {"POST", "/api/v1/users", Payload::kJson,
       json{{"email", "x@acme.example"}, {"first_name", "X"}, {"last_name", "Y"}}.dump()},
      session);
  EXPECT_EQ(change->status, 401);
  // The next sign-in forgets expired sessions: the old cookie stays refused for good, even
  // for a clock that was set back.
  Session fresh = server_.SignIn("admin@acme.example");
  EXPECT_EQ(server_.Get("/api/v1/session", fresh)->status, 200);
  server_.clock().Set(kStart);
  EXPECT_EQ(server_.Get("/api/v1/session", session)->status, 401);
}

TEST_F(SessionTest, BehindTlsTheCookieIsSecureHttpOnlyStrictAndHstsIsSent) {
  ASSERT_NO_FATAL_FAILURE(StartServer(true));
  std::string set_cookie;
  Session session = server_.SignIn("owner@acme.example", &set_cookie);
  EXPECT_THAT(set_cookie, HasSubstr("; Secure"));
  EXPECT_THAT(set_cookie, HasSubstr("; HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("; SameSite=Strict"));
  EXPECT_THAT(set_cookie, HasSubstr("; Path=/"));
  for (const char* path : {"/healthz", "/api/v1/session", "/api/v1/nothing"}) {
    EXPECT_EQ(server_.Get(path, session)->get_header_value("Strict-Transport-Security"),
              "max-age=31536000")
        << path;
  }
  httplib::Result signed_out = server_.Send({"DELETE", "/api/v1/session"}, session);
  EXPECT_EQ(signed_out->status, 204);
  EXPECT_THAT(signed_out->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  EXPECT_THAT(signed_out->get_header_value("Set-Cookie"), HasSubstr("; Secure"));
  EXPECT_EQ(server_.Get("/api/v1/session", session)->status, 401);
}

TEST_F(SessionTest, WithoutTlsTheCookieIsNotSecureAndNoHstsIsSent) {
  ASSERT_NO_FATAL_FAILURE(StartServer(false));
  std::string set_cookie;
  Session session = server_.SignIn("owner@acme.example", &set_cookie);
  EXPECT_THAT(set_cookie, Not(HasSubstr("Secure")));
  EXPECT_THAT(set_cookie, HasSubstr("; HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("; SameSite=Strict"));
  EXPECT_FALSE(server_.Get("/api/v1/session", session)->has_header("Strict-Transport-Security"));
}

// POSTs `body` to the server from the local address `source` (127.0.0.x), which the
// throttle counts as a client of its own; answers the status.
int PostFrom(const std::string& source, int port, const std::string& path,
             const std::string& body) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    close(fd);
    return -1;
  }
  const std::string request =
      "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
      "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body;
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, 0);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;)
    answer.append(buffer, static_cast<size_t>(n));
  close(fd);
  std::smatch status;
  if (!std::regex_search(answer, status, std::regex(R"(^HTTP/1\.[01] (\d{3}))"))) return -1;
  return std::stoi(status[1]);
}

TEST_F(SessionTest, FailedSignInsAreThrottledPerAddressAcrossClients) {
  AuthOptions auth;
  auth.max_failures = 3;
  auth.failure_window_seconds = 900;
  ASSERT_NO_FATAL_FAILURE(StartServer(false, auth));
  auto sign_in = [&](const std::string& client, const std::string& email,
                     std::string_view password) {
    return PostFrom(client, server_.port(), "/api/v1/session",
                    json{{"email", email}, {"password", password}}.dump());
  };
  // Three clients guess the owner's password once each ...
  for (const char* client : {"127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
    ASSERT_EQ(sign_in(client, "owner@acme.example", "guess"), 401) << client;
  }
  // ... so the address waits, even for a fourth client with the right password; other
  // addresses from that client do not.
  EXPECT_EQ(sign_in("127.0.0.5", "owner@acme.example", kPassword), 429);
  EXPECT_EQ(sign_in("127.0.0.5", "admin@acme.example", kPassword), 200);
  server_.clock().Set(kStart + 900);
  EXPECT_EQ(sign_in("127.0.0.5", "owner@acme.example", kPassword), 200);
}

TEST_F(SessionTest, FailedSignInsAreThrottledPerClientAcrossAddresses) {
  AuthOptions auth;
  auth.max_failures = 3;
  auth.failure_window_seconds = 900;
  ASSERT_NO_FATAL_FAILURE(StartServer(false, auth));
  auto sign_in = [&](const std::string& client, const std::string& email,
                     std::string_view password) {
    return PostFrom(client, server_.port(), "/api/v1/session",
                    json{{"email", email}, {"password", password}}.dump());
  };
  // One client tries three addresses ...
  for (const char* email : {"a@acme.example", "b@acme.example", "owner@acme.example"}) {
    ASSERT_EQ(sign_in("127.0.0.2", email, "guess"), 401) << email;
  }
  // ... and waits, whatever address it tries next; another client does not.
  EXPECT_EQ(sign_in("127.0.0.2", "viewer@acme.example", kPassword), 429);
  EXPECT_EQ(sign_in("127.0.0.3", "viewer@acme.example", kPassword), 200);
}

// Signing in with an unknown address costs a password check too: were it refused at once,
// the time of the answer would tell which addresses, of any organization, are admins'.
// Compares the quickest of five tries each, taken in turns so that a busy machine slows both
// alike (noise only ever adds time); without the check an unknown address is refused about
// a hundred times quicker than a known one.
TEST_F(SessionTest, AnUnknownAddressIsRefusedAsSlowlyAsAWrongPassword) {
  Organization acme = server_.AddOrganization("acme", {"acme.example"});
  Result<std::string> real_hash = auth::HashPassword(kPassword);  // the real cost, unlike CheapHash
  ASSERT_TRUE(real_hash.ok());
  server_.AddAdmin(acme, "owner@acme.example", AdminRole::kOwner, *real_hash);
  ServerOptions options = server_.Options();
  options.auth.max_failures = 100;
  ASSERT_NO_FATAL_FAILURE(server_.Start(options));
  auto refusal_time = [&](const std::string& email) {
    const auto start = std::chrono::steady_clock::now();
    httplib::Result refused = SignInAs(email, "not-the-password");
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(refused->status, 401);
    return took;
  };
  (void)refusal_time("warm-up@acme.example");
  auto known = std::chrono::steady_clock::duration::max();
  auto unknown = known;
  for (int round = 0; round < 5; ++round) {
    known = std::min(known, refusal_time("owner@acme.example"));
    unknown = std::min(unknown, refusal_time("nobody" + std::to_string(round) + "@acme.example"));
  }
  EXPECT_GE(unknown * 4, known) << "unknown: "
                                << std::chrono::duration<double, std::milli>(unknown).count()
                                << " ms, known: "
                                << std::chrono::duration<double, std::milli>(known).count()
                                << " ms";
}

}  // namespace
}  // namespace roster::http
