// roster serve: the HTTP API and the web console (see http/server.h). Prints the address it
// listens on first, so that scripts and tests can start it on port 0. SIGTERM and SIGINT
// stop it gracefully: no new requests, running executions finish.

#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "auth/admins.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "http/server.h"
#include "random/system_random.h"

namespace roster::cli {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string web_root;
  std::string data_dir;
  bool secure_cookies = false;
  int64_t session_hours = 8;
  int workers = 2;
};

std::string EnvOr(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// "sqlite:roster.db" -> "roster.db-files"; a server database -> "roster-files".
std::string DefaultDataDir(const std::string& db_url) {
  std::string path = db_url;
  if (path.starts_with("sqlite:")) path = path.substr(7);
  if (path.find("://") != std::string::npos) return "roster-files";
  return path + "-files";
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size() ||
      listen.find_first_not_of("0123456789", colon + 1) != std::string::npos ||
      listen.size() - colon > 6) {
    return InvalidArgument("--listen '" + listen + "' must look like 127.0.0.1:8080");
  }
  int port = std::stoi(listen.substr(colon + 1));
  if (port > 65535)
    return InvalidArgument("--listen '" + listen + "': the port must be 0 to 65535");
  return std::make_pair(listen.substr(0, colon), port);
}

void RunServe(const ServeOptions& options, Context& context) {
  Result<std::pair<std::string, int>> address = ParseListen(options.listen);
  if (!address.ok()) return context.Fail(address.status());
  if (options.session_hours < 1 || options.session_hours > 24 * 30) {
    return context.Fail(InvalidArgument("--session-hours must be 1 to 720"));
  }
  if (options.workers < 0 || options.workers > 64) {
    return context.Fail(InvalidArgument("--workers must be 0 to 64"));
  }
  // Block the stop signals in every thread the server starts; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  SystemClock clock;
  SystemRandom random;
  std::mutex log_mutex;
  http::ServerOptions server_options;
  server_options.host = address->first;
  server_options.port = address->second;
  server_options.db_url = context.db_url;
  server_options.web_root = options.web_root;
  server_options.data_dir =
      options.data_dir.empty() ? DefaultDataDir(context.db_url) : options.data_dir;
  server_options.secure_cookies = options.secure_cookies;
  server_options.auth.session_seconds = options.session_hours * 3600;
  server_options.jobs.capacity = options.workers;
  // The same number of checks: a server that runs no imports (--workers 0) runs no checks
  // either, and leaves both to the other servers.
  server_options.jobs.check_capacity = options.workers;
  server_options.log = [&](const std::string& line) {
    std::lock_guard lock(log_mutex);
    context.err << "roster: " << line << '\n' << std::flush;
  };

  {
    std::unique_ptr<Store> store = context.OpenStoreOrFail();
    if (!store) return;
    Result<int64_t> owners = auth::EnsureOwners(
        *store, EnvOr("ROSTER_ADMIN_PASSWORD", ""), random,
        [&](const Admin& admin, const std::string& password) {
          context.out << "roster: created the owner " << admin.email << " with the password "
                      << password << " (shown only now)\n";
        });
    if (!owners.ok()) return context.Fail(owners.status());
  }

  http::Server server(server_options, clock, random);
  Result<int> port = server.Bind();
  if (!port.ok()) return context.Fail(port.status());
  context.out << "roster: listening on http://" << address->first << ":" << *port << '\n'
              << std::flush;
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    if (signal == SIGTERM || signal == SIGINT) server.Stop();
  });
  Status served = server.Listen();
  // Wake the stopper when the server ended by itself: it waits in sigwait for SIGTERM, so the
  // signal ends its wait, not the thread.
  pthread_kill(stopper.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  stopper.join();
  if (!served.ok()) return context.Fail(served);
  context.err << "roster: stopped\n";
}

}  // namespace

void AddServeCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<ServeOptions>();
  options->web_root = EnvOr("ROSTER_WEB_ROOT", ROSTER_DEFAULT_WEB_ROOT);
  options->data_dir = EnvOr("ROSTER_DATA_DIR", "");
  CLI::App* command = app.add_subcommand("serve", "Serve the HTTP API and the web console");
  command->add_option("--listen", options->listen, "Address and port (port 0: any free port)");
  command->add_option("--web-root", options->web_root,
                      "The built web console (web/dist; $ROSTER_WEB_ROOT)");
  command->add_option("--data-dir", options->data_dir,
                      "Uploads and reports (default: next to the SQLite file; $ROSTER_DATA_DIR)");
  command->add_flag("--secure-cookies", options->secure_cookies,
                    "Behind TLS: cookies only over HTTPS, and HSTS");
  command->add_option("--session-hours", options->session_hours, "How long a sign-in lasts");
  command->add_option("--workers", options->workers,
                      "Imports this server runs at once, and as many checks of uploaded files "
                      "(0: it only queues them for the other servers; SQLite runs one import)");
  command->callback([options, &context] { RunServe(*options, context); });
}

}  // namespace roster::cli
