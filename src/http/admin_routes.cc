// The organization's admins, managed by its owners.

#include "auth/admins.h"
#include "auth/passwords.h"
#include "core/user_rules.h"
#include "http/routes.h"
#include "json/json_shapes.h"

namespace roster::http {

void AddAdminRoutes(Api& api) {
  api.Get("/api/v1/admins", AdminRole::kOwner,
          [](const httplib::Request&, httplib::Response& response, Call& call) -> ApiStatus {
            Result<std::vector<Admin>> admins = call.store.ListAdmins(call.caller.organization.id);
            if (!admins.ok()) return admins.status();
            nlohmann::json list = nlohmann::json::array();
            for (const Admin& admin : *admins) list.push_back(ToJson(admin));
            SendJson(response, {{"admins", list}});
            return Status::Ok();
          });

  api.Post(
      "/api/v1/admins", AdminRole::kOwner,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        const std::string email = body->value("email", "");
        const std::string password = body->value("password", "");
        std::optional<AdminRole> role = AdminRoleFromName(body->value("role", ""));
        if (!role) return ApiStatus(InvalidArgument("role must be viewer, admin or owner"), "role");
        if (Status checked = auth::CheckNewPassword(password); !checked.ok()) {
          return ApiStatus(checked, "password");
        }
        Result<Admin> admin = auth::NewAdmin(call.caller.organization, email, password, *role);
        if (!admin.ok()) return ApiStatus(admin.status(), "email");
        // An address signs in to one organization only, so one of another organization
        // would be refused as taken: that answer must not tell an owner who is an admin
        // elsewhere, nor may an owner take the addresses of another organization's domain.
        if (!DomainAllowed(call.caller.organization, admin->email)) {
          std::string domains;
          for (const std::string& domain : call.caller.organization.domains) {
            domains += (domains.empty() ? "" : ", ") + domain;
          }
          return ApiStatus(InvalidArgument("an admin's address must be at a domain of the "
                                           "organization (" +
                                           domains + ")"),
                           "email");
        }
        Result<Admin> created = call.store.CreateAdmin(*admin);
        if (!created.ok()) return ApiStatus(created.status(), "email");
        SendJson(response, ToJson(*created), 201);
        return Status::Ok();
      });

  api.Delete(
      R"(/api/v1/admins/(\d{1,18}))", AdminRole::kOwner,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        if (IdParam(request) == call.caller.admin.id) {
          return FailedPrecondition("you cannot remove yourself; another owner can");
        }
        ROSTER_RETURN_IF_ERROR(
            call.store.DeleteAdmin(call.caller.organization.id, IdParam(request)));
        response.status = 204;
        return Status::Ok();
      });
}

}  // namespace roster::http
