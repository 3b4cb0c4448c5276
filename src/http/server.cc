#include "http/server.h"

#include <chrono>

#include "http/routes.h"
#include "import/worker.h"
#include "json/json_shapes.h"

namespace roster::http {
namespace {

// The console loads only its own scripts and styles; nothing may frame it.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// Multipart framing around the file, beyond the upload limit itself.
constexpr size_t kMultipartOverhead = 64 * 1024;

}  // namespace

Server::Server(ServerOptions options, const Clock& clock, RandomSource& random)
    : options_(std::move(options)),
      clock_(clock),
      random_(random),
      pool_(options_.db_url, clock),
      auth_(clock, random, options_.auth),
      files_(options_.data_dir) {
  const std::string worker = import::ThisWorker();
  DispatcherOptions jobs = options_.jobs;
  jobs.log = options_.log;
  dispatcher_ = std::make_unique<JobDispatcher>(jobs, pool_, executions_, files_, options_.limits,
                                                random_, worker);
  context_ = std::make_unique<ApiContext>(ApiContext{pool_, auth_, executions_, *dispatcher_,
                                                     files_, clock_, random_, options_.limits,
                                                     worker, options_.secure_cookies});
  api_ = std::make_unique<Api>(http_, *context_);
  AddRoutes();
}

Server::~Server() {
  Stop();
  dispatcher_->Stop();
}

void Server::AddRoutes() {
  http_.set_payload_max_length(static_cast<size_t>(options_.limits.max_file_bytes) +
                               kMultipartOverhead);
  http_.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    SendJson(response, {{"status", "ok"}});
  });
  AddSessionRoutes(*api_);
  AddUserRoutes(*api_);
  AddImportRoutes(*api_);
  AddAdminRoutes(*api_);
  AddReferenceRoutes(*api_);

  if (!options_.web_root.empty()) {
    http_.set_mount_point("/", options_.web_root);
    // Paths of the console's own routes load its page; the console reads the path itself.
    const std::string index = options_.web_root + "/index.html";
    http_.Get(R"(/(?!api/).*)", [index](const httplib::Request&, httplib::Response& response) {
      std::ifstream in(index, std::ios::binary);
      if (!in) {
        return SendError(response, NotFound("the web console is not built (run scripts/web.sh)"));
      }
      std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      response.set_content(page, "text/html; charset=utf-8");
    });
  }

  // Whatever went wrong before a handler could answer gets the API's error shape too.
  http_.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return;
    switch (response.status) {
      case 404: return SendError(response, NotFound("there is nothing at this address"));
      case 413:
        return SendError(response, 413, "payload_too_large",
                         "the upload is larger than the limit; split the file");
      case 405:
        return SendError(response, 405, "method_not_allowed", "this method is not allowed here");
      default:
        return SendError(response, response.status, "bad_request", "the request could not be read");
    }
  });
  http_.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        SendError(response, Internal("an unexpected error occurred; the server log may say more"));
      });
  http_.set_post_routing_handler([this](const httplib::Request&, httplib::Response& response) {
    response.set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Referrer-Policy", "no-referrer");
    if (!response.has_header("Cache-Control")) response.set_header("Cache-Control", "no-store");
    if (options_.secure_cookies) {
      response.set_header("Strict-Transport-Security", "max-age=31536000");
    }
  });
  // The path only: query strings can hold names and addresses (searches), which must not
  // linger in logs.
  http_.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    if (options_.log) {
      options_.log(request.method + " " + request.path + " " + std::to_string(response.status));
    }
  });
}

Result<int> Server::Bind() {
  ROSTER_RETURN_IF_ERROR(files_.Prepare());
  files_.RemoveExpired(options_.keep_files_seconds);
  {
    ROSTER_ASSIGN_OR_RETURN(StorePool::Lease store, pool_.Acquire());
    ROSTER_RETURN_IF_ERROR(store->RecoverInterruptedJobs(import::LivenessOf).status());
    ROSTER_RETURN_IF_ERROR(store->DeleteExpiredSessions(clock_.NowSeconds()).status());
  }
  int port = options_.port == 0
                 ? http_.bind_to_any_port(options_.host)
                 : (http_.bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port < 0) {
    return Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                       " (in use, or not an address of this machine)");
  }
  return port;
}

Status Server::Listen() {
  dispatcher_->Start();
  const bool listened = http_.listen_after_bind();
  // Queued jobs stay queued for the other servers (or the next start); running ones finish.
  dispatcher_->Stop();
  if (!listened) return Unavailable("the server stopped listening");
  return Status::Ok();
}

void Server::Stop() { http_.stop(); }

}  // namespace roster::http
