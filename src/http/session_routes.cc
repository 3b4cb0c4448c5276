// Signing in and out.

#include "http/routes.h"
#include "json/json_shapes.h"

namespace roster::http {
namespace {

nlohmann::json SessionJson(const Caller& caller) {
  return {{"admin",
           {{"id", caller.admin.id},
            {"email", caller.admin.email},
            {"role", AdminRoleName(caller.admin.role)}}},
          {"organization", ToJson(caller.organization)},
          {"csrf_token", caller.session.csrf_token}};
}

std::string SessionCookie(const std::string& token, int64_t max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

}  // namespace

void AddSessionRoutes(Api& api) {
  ApiContext& context = api.context();
  // Signing in is the one change without a session (and so without a CSRF token); SameSite
  // cookies keep other sites from using it to plant a session.
  api.server().Post("/api/v1/session", [&context](const httplib::Request& request,
                                                  httplib::Response& response) {
    Result<nlohmann::json> body = JsonBody(request);
    if (!body.ok()) return SendError(response, body.status());
    auto email = body->find("email");
    auto password = body->find("password");
    if (email == body->end() || !email->is_string() || email->get<std::string>().empty()) {
      return SendError(response, {InvalidArgument("enter your email address"), "email"});
    }
    if (password == body->end() || !password->is_string() || password->get<std::string>().empty()) {
      return SendError(response, {InvalidArgument("enter your password"), "password"});
    }
    Result<StorePool::Lease> store = context.pool.Acquire();
    if (!store.ok()) return SendError(response, store.status());
    Result<NewSession> session = context.auth.Login(
        **store, email->get<std::string>(), password->get<std::string>(), request.remote_addr);
    if (!session.ok()) {
      if (session.status().code() == ErrorCode::kResourceExhausted) {
        return SendError(response, 429, "too_many_requests", session.status().message());
      }
      return SendError(response, session.status());
    }
    response.set_header("Set-Cookie", SessionCookie(session->token, context.auth.session_seconds(),
                                                    context.secure_cookies));
    SendJson(response, SessionJson(session->caller));
  });

  api.Get("/api/v1/session", AdminRole::kViewer,
          [](const httplib::Request&, httplib::Response& response, Call& call) -> ApiStatus {
            SendJson(response, SessionJson(call.caller));
            return Status::Ok();
          });

  api.Delete(
      "/api/v1/session", AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        ROSTER_RETURN_IF_ERROR(
            call.context.auth.Logout(call.store, CookieValue(request, kSessionCookie)));
        response.set_header("Set-Cookie", SessionCookie("", 0, call.context.secure_cookies));
        response.status = 204;
        return Status::Ok();
      });
}

}  // namespace roster::http
