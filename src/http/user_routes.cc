// The user list and single users, and e-learning accounts as the e-learning platform
// registers them.

#include <filesystem>
#include <fstream>

#include "core/email.h"
#include "core/user_rules.h"
#include "http/routes.h"
#include "http/upload.h"
#include "import/user_export.h"
#include "json/json_shapes.h"

namespace roster::http {
namespace {

constexpr std::string_view kUser = R"(/api/v1/users/(\d{1,18}))";

// Copies the fields `body` names into `user`; kInvalidArgument naming a field of the wrong
// type or one that cannot be set.
ApiStatus ApplyFields(const nlohmann::json& body, User& user) {
  for (const auto& [key, value] : body.items()) {
    if (key == "active") {
      if (!value.is_boolean())
        return ApiStatus(InvalidArgument("active must be true or false"), key);
      user.active = value.get<bool>();
      continue;
    }
    if (key == "groups") {
      if (!value.is_array())
        return ApiStatus(InvalidArgument("groups must be a list of names"), key);
      user.groups.clear();
      for (const auto& group : value) {
        if (!group.is_string())
          return ApiStatus(InvalidArgument("groups must be a list of names"), key);
        user.groups.push_back(group.get<std::string>());
      }
      continue;
    }
    std::string* field = key == "email"             ? &user.email
                         : key == "first_name"      ? &user.first_name
                         : key == "last_name"       ? &user.last_name
                         : key == "gender"          ? &user.gender
                         : key == "academic_degree" ? &user.academic_degree
                         : key == "language"        ? &user.language
                         : key == "address_type"    ? &user.address_type
                         : key == "manager_email"   ? &user.manager_email
                         : key == "department"      ? &user.department
                         : key == "location"        ? &user.location
                         : key == "employee_id"     ? &user.employee_id
                                                    : nullptr;
    if (field == nullptr)
      return ApiStatus(InvalidArgument("there is no field '" + key + "' to set"), key);
    if (!value.is_string()) return ApiStatus(InvalidArgument(key + " must be text"), key);
    *field = value.get<std::string>();
  }
  return Status::Ok();
}

ApiStatus Prepare(const Organization& organization, User& user) {
  std::vector<UserProblem> problems = PrepareUser(organization, user);
  if (problems.empty()) return Status::Ok();
  const std::string key(SpecOf(problems[0].attribute).key);
  return ApiStatus(InvalidArgument(problems[0].message), key);
}

Result<UserListEntry> EntryOf(Store& store, int64_t org_id, int64_t user_id) {
  ROSTER_ASSIGN_OR_RETURN(User user, store.GetUser(org_id, user_id));
  UserQuery query;
  query.search = user.email_key;
  query.limit = 50;
  ROSTER_ASSIGN_OR_RETURN(UserPage page, store.ListUsers(org_id, query));
  UserListEntry entry{std::move(user), std::nullopt};
  for (const UserListEntry& listed : page.users) {
    if (listed.user.id == user_id) entry.elearning_account_id = listed.elearning_account_id;
  }
  return entry;
}

}  // namespace

void AddUserRoutes(Api& api) {
  api.Get(
      "/api/v1/users", AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        UserQuery query;
        query.search = request.get_param_value("search");
        if (request.has_param("sort")) {
          std::optional<UserSort> sort = UserSortFromName(request.get_param_value("sort"));
          if (!sort) {
            return ApiStatus(InvalidArgument("sort must be one of email, first_name, last_name, "
                                             "department, location, created_at, id"),
                             "sort");
          }
          query.sort = *sort;
        }
        const std::string order =
            request.has_param("order") ? request.get_param_value("order") : "asc";
        if (order != "asc" && order != "desc") {
          return ApiStatus(InvalidArgument("order must be asc or desc"), "order");
        }
        query.descending = order == "desc";
        Result<int64_t> limit = IntParam(request, "limit", 50, 1, 500);
        if (!limit.ok()) return ApiStatus(limit.status(), "limit");
        Result<int64_t> offset = IntParam(request, "offset", 0, 0, INT32_MAX);
        if (!offset.ok()) return ApiStatus(offset.status(), "offset");
        query.limit = *limit;
        query.offset = *offset;
        Result<UserPage> page = call.store.ListUsers(call.caller.organization.id, query);
        if (!page.ok()) return page.status();
        nlohmann::json users = nlohmann::json::array();
        for (const UserListEntry& entry : page->users) users.push_back(ToJson(entry));
        SendJson(response, {{"total", page->total}, {"users", users}});
        return Status::Ok();
      });

  api.Get(
      "/api/v1/users/export", AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<std::string> format = SpreadsheetFormat(request);
        if (!format.ok()) return ApiStatus(format.status(), "format");
        std::filesystem::path path = call.context.files.NewIncomingPath(call.context.random);
        path += "." + *format;
        RemovedAtScopeEnd remove_afterwards(path);
        Result<int64_t> exported =
            import::ExportUsers(call.store, call.caller.organization.id, path.string());
        if (!exported.ok()) return exported.status();
        if (!SendSpreadsheet(response, path, call.caller.organization.slug + "-users." + *format)) {
          return Internal("the export written to " + path.string() + " cannot be read");
        }
        return Status::Ok();
      });

  api.Get(
      std::string(kUser), AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<UserListEntry> entry =
            EntryOf(call.store, call.caller.organization.id, IdParam(request));
        if (!entry.ok()) return entry.status();
        SendJson(response, ToJson(*entry));
        return Status::Ok();
      });

  api.Post(
      "/api/v1/users", AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        User user;
        if (ApiStatus applied = ApplyFields(*body, user); !applied.status.ok()) return applied;
        if (ApiStatus prepared = Prepare(call.caller.organization, user); !prepared.status.ok()) {
          return prepared;
        }
        Result<User> created = call.store.CreateUser(call.caller.organization.id, user);
        if (!created.ok()) return ApiStatus(created.status(), "email");
        Result<UserListEntry> entry = EntryOf(call.store, call.caller.organization.id, created->id);
        if (!entry.ok()) return entry.status();
        SendJson(response, ToJson(*entry), 201);
        return Status::Ok();
      });

  api.Patch(
      std::string(kUser), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        const int64_t org_id = call.caller.organization.id;
        Result<User> user = call.store.GetUser(org_id, IdParam(request));
        if (!user.ok()) return user.status();
        if (ApiStatus applied = ApplyFields(*body, *user); !applied.status.ok()) return applied;
        if (ApiStatus prepared = Prepare(call.caller.organization, *user); !prepared.status.ok()) {
          return prepared;
        }
        Result<User> updated = call.store.UpdateUser(org_id, *user);
        if (!updated.ok()) return ApiStatus(updated.status(), "email");
        Result<UserListEntry> entry = EntryOf(call.store, org_id, updated->id);
        if (!entry.ok()) return entry.status();
        SendJson(response, ToJson(*entry));
        return Status::Ok();
      });

  api.Delete(
      std::string(kUser), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        const std::string cascade = request.has_param("delete_elearning")
                                        ? request.get_param_value("delete_elearning")
                                        : "false";
        if (cascade != "true" && cascade != "false") {
          return ApiStatus(InvalidArgument("delete_elearning must be true or false"),
                           "delete_elearning");
        }
        // The audit keeps the id, never the address or the name of the user.
        const nlohmann::json details = {{"user_id", IdParam(request)},
                                        {"delete_elearning", cascade == "true"}};
        ROSTER_RETURN_IF_ERROR(
            call.store.DeleteUser(call.caller.organization.id, IdParam(request), cascade == "true",
                                  {call.caller.admin.email, "user.delete", details.dump()}));
        response.status = 204;
        return Status::Ok();
      });

  api.Post(
      "/api/v1/elearning-accounts", AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        auto email = body->find("email");
        if (email == body->end() || !email->is_string()) {
          return ApiStatus(InvalidArgument("email must be the learner's address"), "email");
        }
        EmailCheck check = CheckEmail(email->get<std::string>());
        if (!check.ok()) return ApiStatus(InvalidArgument(check.message), "email");
        Result<ElearningAccount> account =
            call.store.CreateElearningAccount(call.caller.organization.id, check.key);
        if (!account.ok()) return ApiStatus(account.status(), "email");
        SendJson(response, ToJson(*account), 201);
        return Status::Ok();
      });
}

}  // namespace roster::http
