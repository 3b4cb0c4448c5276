#include "http/api_error.h"

#include "json/json_shapes.h"

namespace roster::http {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAborted: return 409;
    case ErrorCode::kResourceExhausted: return 422;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

void SendError(httplib::Response& response, int http_status, std::string_view code,
               const std::string& message) {
  response.status = http_status;
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}, {"field", nullptr}}}};
  response.set_content(Dump(body), "application/json");
}

void SendError(httplib::Response& response, const ApiStatus& error) {
  response.status = HttpStatusOf(error.status.code());
  nlohmann::json body = {
      {"error",
       {{"code", ErrorCodeName(error.status.code())},
        {"message", error.status.message()},
        {"field", error.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.field)}}}};
  response.set_content(Dump(body), "application/json");
}

}  // namespace roster::http
