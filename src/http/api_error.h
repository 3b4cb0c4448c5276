#pragma once

// How a Status becomes an HTTP answer: one place maps error codes to statuses, and every
// error body has the same shape, {"error": {"code", "message", "field"}} (docs/api.md).

#include <httplib.h>

#include <string>

#include "core/status.h"

namespace roster::http {

// What a handler returns: a Status, and the request field at fault when one is.
struct ApiStatus {
  ApiStatus(Status status) : status(std::move(status)) {}  // NOLINT: implicit on purpose
  ApiStatus(Status status, std::string field)
      : status(std::move(status)), field(std::move(field)) {}
  Status status;
  std::string field;
};

int HttpStatusOf(ErrorCode code);

// Writes the error body with the status HttpStatusOf gives (or `http_status` when set, for
// the codes the API has beyond Status: csrf_required, payload_too_large, too_many_requests).
void SendError(httplib::Response& response, const ApiStatus& error);
void SendError(httplib::Response& response, int http_status, std::string_view code,
               const std::string& message);

}  // namespace roster::http
