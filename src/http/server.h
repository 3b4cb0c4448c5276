#pragma once

// Server: `roster serve`. The JSON API under /api/v1 (docs/api.md), the web console's files
// for every other path, /healthz, a log line per request, security headers on every answer,
// and the imports that run in the background (JobDispatcher). Bind() then Listen() (blocking) in
// one thread; Stop() from any other thread ends Listen() after the running executions have
// finished.

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/executions.h"
#include "http/job_dispatcher.h"
#include "http/store_pool.h"
#include "import/wizard.h"
#include "sheet/limits.h"

namespace roster::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (Bind says which)
  std::string db_url;
  std::string web_root;         // the built console (web/dist); empty: the API only
  std::string data_dir;         // uploads and reports
  bool secure_cookies = false;  // behind TLS: cookies only over HTTPS
  AuthOptions auth;
  sheet::Limits limits;
  int64_t keep_files_seconds = 24 * 3600;       // reports and abandoned uploads
  std::function<void(const std::string&)> log;  // one line per request, and the imports run
  DispatcherOptions jobs;                       // the imports this server runs (its log is `log`)
};

class Server {
 public:
  Server(ServerOptions options, const Clock& clock, RandomSource& random);
  ~Server();

  // Prepares the data folder, recovers jobs whose process is gone, and binds the address.
  // Returns the port.
  Result<int> Bind();
  // Serves until Stop().
  Status Listen();
  void Stop();

 private:
  void AddRoutes();

  ServerOptions options_;
  const Clock& clock_;
  RandomSource& random_;
  httplib::Server http_;
  StorePool pool_;
  Authenticator auth_;
  Executions executions_;
  import::JobFiles files_;
  std::unique_ptr<JobDispatcher> dispatcher_;
  std::unique_ptr<ApiContext> context_;
  std::unique_ptr<Api> api_;
};

}  // namespace roster::http
