#pragma once

// Api: how every endpoint of /api/v1 is guarded, in one place. A route names the least role
// it needs; the wrapper leases a Store, recognizes the caller by the session cookie (401),
// checks the CSRF token on requests that change something (403 csrf_required) and the role
// (403 permission_denied), runs the handler and turns a failed Status into the JSON error.
// Handlers see only their own organization: the Caller carries it, and every Store call is
// scoped by it.

#include <httplib.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "http/api_error.h"
#include "http/auth.h"
#include "http/executions.h"
#include "http/job_dispatcher.h"
#include "http/store_pool.h"
#include "import/wizard.h"
#include "sheet/limits.h"

namespace roster::http {

// What the handlers share; lives as long as the server.
struct ApiContext {
  StorePool& pool;
  Authenticator& auth;
  Executions& executions;
  JobDispatcher& dispatcher;
  const import::JobFiles& files;
  const Clock& clock;
  RandomSource& random;
  sheet::Limits limits;
  std::string worker;  // this process, for claimed jobs (import/worker.h)
  bool secure_cookies = false;
};

// One guarded request.
struct Call {
  Caller& caller;
  Store& store;
  ApiContext& context;
};

class Api {
 public:
  using Handler = std::function<ApiStatus(const httplib::Request&, httplib::Response&, Call&)>;
  using UploadHandler = std::function<ApiStatus(const httplib::Request&, httplib::Response&,
                                                const httplib::ContentReader&, Call&)>;

  Api(httplib::Server& server, ApiContext& context) : server_(server), context_(context) {}

  void Get(const std::string& pattern, AdminRole role, Handler handler);
  void Post(const std::string& pattern, AdminRole role, Handler handler);
  void Put(const std::string& pattern, AdminRole role, Handler handler);
  void Patch(const std::string& pattern, AdminRole role, Handler handler);
  void Delete(const std::string& pattern, AdminRole role, Handler handler);
  // Uploads read the body as it arrives, after the caller was recognized.
  void PostUpload(const std::string& pattern, AdminRole role, UploadHandler handler);
  void PutUpload(const std::string& pattern, AdminRole role, UploadHandler handler);

  ApiContext& context() { return context_; }
  httplib::Server& server() { return server_; }

 private:
  httplib::Server::Handler Guarded(AdminRole role, bool changes, Handler handler);
  httplib::Server::HandlerWithContentReader GuardedUpload(AdminRole role, UploadHandler handler);
  // Runs `body` for a recognized caller with `role`, or answers the error.
  void Guard(const httplib::Request& request, httplib::Response& response, AdminRole role,
             bool changes, const std::function<ApiStatus(Call&)>& body);

  httplib::Server& server_;
  ApiContext& context_;
};

// The value of cookie `name` in the request, or empty.
std::string CookieValue(const httplib::Request& request, std::string_view name);

// The request body as a JSON object; kInvalidArgument when it is not one.
Result<nlohmann::json> JsonBody(const httplib::Request& request);
// An integer query parameter within [min, max]; `fallback` when absent.
Result<int64_t> IntParam(const httplib::Request& request, const std::string& name, int64_t fallback,
                         int64_t min, int64_t max);
struct Page {
  int64_t offset = 0;
  int64_t limit = 0;
};
// The offset and limit query parameters; on failure `field` names the one at fault.
Result<Page> PageParams(const httplib::Request& request, int64_t default_limit, int64_t max_limit,
                        std::string* field);

// The id captured by the pattern's group `group`.
int64_t IdParam(const httplib::Request& request, size_t group = 1);

void SendJson(httplib::Response& response, const nlohmann::json& body, int status = 200);

// The `format` query parameter of a spreadsheet download: "xlsx" (the default) or "csv".
Result<std::string> SpreadsheetFormat(const httplib::Request& request);
// Answers the spreadsheet at `path` as a download named `download_name`, typed by the
// name's ending; false when the file cannot be read.
bool SendSpreadsheet(httplib::Response& response, const std::filesystem::path& path,
                     const std::string& download_name);

}  // namespace roster::http
