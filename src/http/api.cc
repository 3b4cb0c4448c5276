#include "http/api.h"

#include <sodium.h>

#include <fstream>
#include <iterator>

#include "json/json_shapes.h"

namespace roster::http {
namespace {

bool SameToken(const std::string& given, const std::string& expected) {
  return !expected.empty() && given.size() == expected.size() &&
         sodium_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

std::string CookieValue(const httplib::Request& request, std::string_view name) {
  const std::string cookies = request.get_header_value("Cookie");
  size_t at = 0;
  while (at < cookies.size()) {
    size_t end = cookies.find(';', at);
    if (end == std::string::npos) end = cookies.size();
    std::string_view pair(cookies.data() + at, end - at);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    at = end + 1;
  }
  return "";
}

Result<nlohmann::json> JsonBody(const httplib::Request& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return InvalidArgument("the request body must be a JSON object");
  return body;
}

Result<int64_t> IntParam(const httplib::Request& request, const std::string& name, int64_t fallback,
                         int64_t min, int64_t max) {
  if (!request.has_param(name.c_str())) return fallback;
  const std::string text = request.get_param_value(name.c_str());
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < min || value > max) {
    return InvalidArgument(name + " must be a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max));
  }
  return static_cast<int64_t>(value);
}

int64_t IdParam(const httplib::Request& request, size_t group) {
  const std::string text = request.matches[static_cast<int>(group)].str();
  // The patterns capture at most 18 digits, so this cannot overflow.
  return text.empty() ? 0 : std::stoll(text);
}

void SendJson(httplib::Response& response, const nlohmann::json& body, int status) {
  response.status = status;
  response.set_content(Dump(body), "application/json");
}

Result<std::string> SpreadsheetFormat(const httplib::Request& request) {
  const std::string format =
      request.has_param("format") ? request.get_param_value("format") : "xlsx";
  if (format != "xlsx" && format != "csv") return InvalidArgument("format must be xlsx or csv");
  return format;
}

bool SendSpreadsheet(httplib::Response& response, const std::filesystem::path& path,
                     const std::string& download_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  response.set_header("Content-Disposition", "attachment; filename=\"" + download_name + "\"");
  response.set_content(bytes,
                       download_name.ends_with(".csv")
                           ? "text/csv; charset=utf-8"
                           : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  return true;
}

void Api::Guard(const httplib::Request& request, httplib::Response& response, AdminRole role,
                bool changes, const std::function<ApiStatus(Call&)>& body) {
  Result<StorePool::Lease> store = context_.pool.Acquire();
  if (!store.ok()) return SendError(response, store.status());
  Result<Caller> caller = context_.auth.Authenticate(**store, CookieValue(request, kSessionCookie));
  if (!caller.ok()) return SendError(response, caller.status());
  if (changes && !SameToken(request.get_header_value("X-CSRF-Token"), caller->session.csrf_token)) {
    return SendError(response, 403, "csrf_required",
                     "this request needs the X-CSRF-Token header of the session; reload the page");
  }
  if (!RoleAllows(caller->admin.role, role)) {
    return SendError(response, PermissionDenied(std::string("this needs the role ") +
                                                std::string(AdminRoleName(role)) + "; you are " +
                                                std::string(AdminRoleName(caller->admin.role))));
  }
  Call call{*caller, **store, context_};
  ApiStatus result = body(call);
  if (!result.status.ok()) SendError(response, result);
}

httplib::Server::Handler Api::Guarded(AdminRole role, bool changes, Handler handler) {
  return
      [this, role, changes, handler](const httplib::Request& request, httplib::Response& response) {
        Guard(request, response, role, changes,
              [&](Call& call) { return handler(request, response, call); });
      };
}

httplib::Server::HandlerWithContentReader Api::GuardedUpload(AdminRole role,
                                                             UploadHandler handler) {
  return [this, role, handler](const httplib::Request& request, httplib::Response& response,
                               const httplib::ContentReader& reader) {
    Guard(request, response, role, /*changes=*/true,
          [&](Call& call) { return handler(request, response, reader, call); });
  };
}

void Api::Get(const std::string& pattern, AdminRole role, Handler handler) {
  server_.Get(pattern, Guarded(role, false, std::move(handler)));
}
void Api::Post(const std::string& pattern, AdminRole role, Handler handler) {
  server_.Post(pattern, Guarded(role, true, std::move(handler)));
}
void Api::Put(const std::string& pattern, AdminRole role, Handler handler) {
  server_.Put(pattern, Guarded(role, true, std::move(handler)));
}
void Api::Patch(const std::string& pattern, AdminRole role, Handler handler) {
  server_.Patch(pattern, Guarded(role, true, std::move(handler)));
}
void Api::Delete(const std::string& pattern, AdminRole role, Handler handler) {
  server_.Delete(pattern, Guarded(role, true, std::move(handler)));
}
void Api::PostUpload(const std::string& pattern, AdminRole role, UploadHandler handler) {
  server_.Post(pattern, GuardedUpload(role, std::move(handler)));
}
void Api::PutUpload(const std::string& pattern, AdminRole role, UploadHandler handler) {
  server_.Put(pattern, GuardedUpload(role, std::move(handler)));
}

Result<Page> PageParams(const httplib::Request& request, int64_t default_limit, int64_t max_limit,
                        std::string* field) {
  Page page;
  *field = "offset";
  ROSTER_ASSIGN_OR_RETURN(page.offset, IntParam(request, "offset", 0, 0, INT32_MAX));
  *field = "limit";
  ROSTER_ASSIGN_OR_RETURN(page.limit, IntParam(request, "limit", default_limit, 1, max_limit));
  field->clear();
  return page;
}

}  // namespace roster::http
