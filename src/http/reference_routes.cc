// What the console needs besides users and imports: the attribute table, the templates and
// the audit log.

#include <filesystem>
#include <fstream>

#include "core/attribute.h"
#include "http/routes.h"
#include "http/upload.h"
#include "import/template_writer.h"
#include "json/json_shapes.h"

namespace roster::http {

void AddReferenceRoutes(Api& api) {
  api.Get("/api/v1/attributes", AdminRole::kViewer,
          [](const httplib::Request&, httplib::Response& response, Call&) -> ApiStatus {
            nlohmann::json list = nlohmann::json::array();
            for (const AttributeSpec& spec : AttributeTable()) {
              list.push_back({{"key", spec.key},
                              {"label", spec.template_header},
                              {"required_delete", spec.required_for_delete},
                              {"required_add_update", spec.required_for_add_update}});
            }
            SendJson(response, {{"attributes", list}});
            return Status::Ok();
          });

  api.Get(
      "/api/v1/template", AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        const std::string name =
            request.has_param("mode") ? request.get_param_value("mode") : "add-update";
        std::optional<ImportMode> mode = ImportModeFromName(name);
        if (!mode) return ApiStatus(InvalidArgument("mode must be delete or add-update"), "mode");
        std::filesystem::path path = call.context.files.NewIncomingPath(call.context.random);
        path += ".xlsx";
        RemovedAtScopeEnd remove_afterwards(path);
        ROSTER_RETURN_IF_ERROR(import::WriteTemplate(*mode, path.string()));
        if (!SendSpreadsheet(response, path, "roster-template-" + name + ".xlsx")) {
          return Internal("the template written to " + path.string() + " cannot be read");
        }
        return Status::Ok();
      });

  api.Get(
      "/api/v1/audit", AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        std::string field;
        Result<Page> page = PageParams(request, 50, 500, &field);
        if (!page.ok()) return ApiStatus(page.status(), field);
        Result<std::vector<AuditEvent>> events =
            call.store.ListAuditEvents(call.caller.organization.id, page->offset, page->limit);
        if (!events.ok()) return events.status();
        nlohmann::json list = nlohmann::json::array();
        for (const AuditEvent& event : *events) list.push_back(ToJson(event));
        SendJson(response, {{"events", list}});
        return Status::Ok();
      });
}

}  // namespace roster::http
