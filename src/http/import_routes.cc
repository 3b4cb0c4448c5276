// The import wizard over HTTP: each endpoint translates one step of import::Wizard.

#include <filesystem>

#include "http/json_output.h"
#include "http/routes.h"
#include "http/upload.h"
#include "store/job_codec.h"

namespace roster::http {
namespace {

constexpr std::string_view kJob = R"(/api/v1/imports/(\d{1,18}))";

std::string JobPath(std::string_view suffix = "") {
  return std::string(kJob) + std::string(suffix);
}

// The counts as the store keeps them: one list of names for both.
nlohmann::json CountsJson(const ImportCounts& counts) {
  return nlohmann::json::parse(CountsToJson(counts));
}

nlohmann::json PreviewJson(const std::vector<import::PreviewRow>& rows) {
  nlohmann::json json = nlohmann::json::array();
  for (const import::PreviewRow& row : rows) {
    json.push_back({{"number", row.number}, {"cells", row.cells}});
  }
  return json;
}

std::string ColumnLetter(int index) {
  std::string letters;
  for (int n = index + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

nlohmann::json JobJson(const import::WizardView& view, const Executions& executions,
                       bool with_preview) {
  const ImportJob& job = view.job;
  nlohmann::json sheets = nlohmann::json::array();
  for (const sheet::SheetInfo& info : view.sheets) {
    sheets.push_back({{"name", info.name}, {"visible", info.visible}});
  }
  nlohmann::json columns = nlohmann::json::array();
  for (const import::WizardColumn& column : view.columns) {
    columns.push_back(
        {{"index", column.index},
         {"letter", ColumnLetter(column.index)},
         {"header", column.header},
         {"attribute", column.attribute ? nlohmann::json(SpecOf(*column.attribute).key)
                                        : nlohmann::json(nullptr)},
         {"automatic", column.automatic}});
  }
  nlohmann::json fixes = nlohmann::json::object();
  for (const auto& [row, value] : view.decisions.fixes) fixes[std::to_string(row)] = value;
  // This server's own run knows its progress best; another server's run published its own.
  std::optional<ExecutionProgress> progress = executions.ProgressOf(job.id);
  if (!progress && job.state == JobState::kRunning) {
    progress = ExecutionProgress{job.progress_done, job.progress_total};
  }
  const bool validated = job.state != JobState::kUploaded && job.state != JobState::kCancelled;
  nlohmann::json json = {
      {"id", job.id},
      {"mode", ImportModeName(job.mode)},
      {"state", JobStateName(job.state)},
      {"file_name", job.file_name},
      {"file_size", job.file_size},
      {"file_type", view.file_type ? nlohmann::json(sheet::FileTypeName(*view.file_type))
                                   : nlohmann::json(nullptr)},
      {"sheets", sheets},
      {"sheet", job.sheet},
      {"header_row", job.header_row},
      {"columns", columns},
      {"mapping", job.mapping},
      {"counts", CountsJson(job.counts)},
      {"issue_counts", view.issue_counts},
      {"excluded", view.decisions.excluded_rows},
      {"fixes", fixes},
      {"validated", validated},
      {"delete_elearning_accounts", job.delete_elearning},
      // "checking" while the file is read again (rows so far, total unknown), then "writing".
      {"progress",
       {{"phase", progress && progress->total < 0 ? "checking" : "writing"},
        {"done", progress ? progress->done : 0},
        {"total", progress ? std::max<int64_t>(progress->total, 0) : 0}}},
      {"error", job.error},
      {"report_available", view.report_available},
      {"created_at", job.created_at},
      {"updated_at", job.updated_at}};
  if (with_preview) json["preview"] = PreviewJson(view.preview);
  return json;
}

roster::import::Wizard WizardFor(Call& call) {
  return import::Wizard(call.store, call.caller.organization, call.context.files,
                        call.context.limits, call.context.random);
}

// Answers the job as it is now.
ApiStatus SendJob(Call& call, httplib::Response& response, int64_t job_id, int status = 200) {
  import::Wizard wizard = WizardFor(call);
  Result<import::WizardView> view = wizard.View(job_id, import::Wizard::Detail::kPreview);
  if (!view.ok()) return view.status();
  SendJson(response, JobJson(*view, call.context.executions, true), status);
  return Status::Ok();
}

// Runs one wizard step, then answers the job.
ApiStatus Step(Call& call, httplib::Response& response, int64_t job_id,
               const std::function<Status(import::Wizard&)>& step) {
  import::Wizard wizard = WizardFor(call);
  if (Status done = step(wizard); !done.ok()) return done;
  return SendJob(call, response, job_id);
}

Result<int64_t> RowField(const nlohmann::json& body) {
  auto row = body.find("row");
  if (row == body.end() || !row->is_number_integer() || row->get<int64_t>() < 1) {
    return InvalidArgument("row must be a row number, 1 or more");
  }
  return row->get<int64_t>();
}

// The uploaded file, in the data folder, within the upload limit.
Result<Upload> Receive(const httplib::Request& request, const httplib::ContentReader& reader,
                       Call& call) {
  return ReceiveUpload(request, reader, call.context.files, call.context.random,
                       call.context.limits.max_file_bytes);
}

ApiStatus UploadError(httplib::Response& response, const Status& status) {
  if (status.code() == ErrorCode::kResourceExhausted &&
      status.message().find("upload limit") != std::string::npos) {
    SendError(response, 413, "payload_too_large", status.message());
    return Status::Ok();
  }
  return ApiStatus(status, "file");
}

}  // namespace

void AddImportRoutes(Api& api) {
  api.PostUpload("/api/v1/imports", AdminRole::kAdmin,
                 [](const httplib::Request& request, httplib::Response& response,
                    const httplib::ContentReader& reader, Call& call) -> ApiStatus {
                   Result<Upload> upload = Receive(request, reader, call);
                   if (!upload.ok()) return UploadError(response, upload.status());
                   RemovedAtScopeEnd guard(upload->path);
                   std::optional<ImportMode> mode = ImportModeFromName(upload->fields["mode"]);
                   if (!mode)
                     return ApiStatus(InvalidArgument("mode must be delete or add-update"), "mode");
                   import::Wizard wizard = WizardFor(call);
                   Result<ImportJob> job = wizard.Start(*mode, upload->path, upload->file_name,
                                                        call.caller.admin.email);
                   if (!job.ok()) return ApiStatus(job.status(), "file");
                   return SendJob(call, response, job->id, 201);
                 });

  api.Get(
      "/api/v1/imports", AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        std::string field;
        Result<Page> page = PageParams(request, 20, 100, &field);
        if (!page.ok()) return ApiStatus(page.status(), field);
        Result<std::vector<ImportJob>> jobs =
            call.store.ListJobs(call.caller.organization.id, page->offset, page->limit);
        if (!jobs.ok()) return jobs.status();
        nlohmann::json list = nlohmann::json::array();
        import::Wizard wizard = WizardFor(call);
        for (const ImportJob& job : *jobs) {
          // The stored job only: a list does not open every job's file.
          Result<import::WizardView> view = wizard.View(job.id, import::Wizard::Detail::kJob);
          if (!view.ok()) return view.status();
          list.push_back(JobJson(*view, call.context.executions, false));
        }
        SendJson(response, {{"jobs", list}});
        return Status::Ok();
      });

  api.Get(JobPath(), AdminRole::kViewer,
          [](const httplib::Request& request, httplib::Response& response, Call& call) {
            return SendJob(call, response, IdParam(request));
          });

  api.Get(
      JobPath("/preview"), AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        import::Wizard wizard = WizardFor(call);
        const std::string sheet = request.get_param_value("sheet");
        Result<std::vector<import::PreviewRow>> rows = wizard.Preview(IdParam(request), sheet);
        if (!rows.ok()) return ApiStatus(rows.status(), "sheet");
        SendJson(response, {{"sheet", sheet}, {"rows", PreviewJson(*rows)}});
        return Status::Ok();
      });

  api.Put(
      JobPath("/sheet"), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        auto sheet = body->find("sheet");
        auto header_row = body->find("header_row");
        if (sheet == body->end() || !sheet->is_string()) {
          return ApiStatus(InvalidArgument("sheet must be the name of a sheet"), "sheet");
        }
        if (header_row == body->end() || !header_row->is_number_integer()) {
          return ApiStatus(InvalidArgument("header_row must be a row number"), "header_row");
        }
        return Step(call, response, IdParam(request), [&](import::Wizard& wizard) {
          return wizard.ChooseSheet(IdParam(request), sheet->get<std::string>(),
                                    header_row->get<int64_t>());
        });
      });

  api.Put(
      JobPath("/mapping"), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        auto mapping = body->find("mapping");
        if (mapping == body->end() || !mapping->is_object()) {
          return ApiStatus(InvalidArgument("mapping must map attributes to headers"), "mapping");
        }
        std::vector<std::pair<std::string, std::optional<std::string>>> changes;
        for (const auto& [key, header] : mapping->items()) {
          if (header.is_null()) {
            changes.emplace_back(key, std::nullopt);
          } else if (header.is_string()) {
            changes.emplace_back(key, header.get<std::string>());
          } else {
            return ApiStatus(InvalidArgument("the column of " + key + " must be a header or null"),
                             key);
          }
        }
        // The field at fault: the attribute, when one was changed.
        const std::string field = changes.size() == 1 ? changes[0].first : "mapping";
        ApiStatus done = Step(call, response, IdParam(request), [&](import::Wizard& wizard) {
          return wizard.SetMapping(IdParam(request), changes);
        });
        if (!done.status.ok() && done.status.code() == ErrorCode::kInvalidArgument) {
          done.field = field;
        }
        return done;
      });

  api.Post(JobPath("/validate"), AdminRole::kAdmin,
           [](const httplib::Request& request, httplib::Response& response, Call& call) {
             return Step(call, response, IdParam(request),
                         [&](import::Wizard& wizard) { return wizard.Validate(IdParam(request)); });
           });

  api.Get(
      JobPath("/issues"), AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        std::string field;
        Result<Page> page = PageParams(request, 100, 1000, &field);
        if (!page.ok()) return ApiStatus(page.status(), field);
        const int64_t org_id = call.caller.organization.id;
        Result<std::map<std::string, int64_t>> counts =
            call.store.CountIssues(org_id, IdParam(request));
        if (!counts.ok()) return counts.status();
        Result<std::vector<ImportIssue>> issues =
            call.store.ListIssues(org_id, IdParam(request), page->offset, page->limit);
        if (!issues.ok()) return issues.status();
        int64_t total = 0;
        for (const auto& [code, count] : *counts) total += count;
        nlohmann::json list = nlohmann::json::array();
        for (const ImportIssue& issue : *issues) list.push_back(ToJson(issue));
        SendJson(response, {{"total", total}, {"issues", list}});
        return Status::Ok();
      });

  api.Post(
      JobPath("/fixes"), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        Result<int64_t> row = RowField(*body);
        if (!row.ok()) return ApiStatus(row.status(), "row");
        auto value = body->find("value");
        if (value == body->end() || !value->is_string()) {
          return ApiStatus(InvalidArgument("value must be the corrected text"), "value");
        }
        return Step(call, response, IdParam(request), [&](import::Wizard& wizard) {
          return wizard.Fix(IdParam(request), *row, value->get<std::string>());
        });
      });

  api.Post(
      JobPath("/exclusions"), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        if (body->value("all_errors", false)) {
          return Step(call, response, IdParam(request), [&](import::Wizard& wizard) {
            return wizard.ExcludeErrors(IdParam(request));
          });
        }
        Result<int64_t> row = RowField(*body);
        if (!row.ok()) return ApiStatus(row.status(), "row");
        return Step(call, response, IdParam(request),
                    [&](import::Wizard& wizard) { return wizard.Exclude(IdParam(request), *row); });
      });

  api.Delete(JobPath(R"(/exclusions/(\d{1,18}))"), AdminRole::kAdmin,
             [](const httplib::Request& request, httplib::Response& response, Call& call) {
               return Step(call, response, IdParam(request), [&](import::Wizard& wizard) {
                 return wizard.Include(IdParam(request), IdParam(request, 2));
               });
             });

  api.PutUpload(
      JobPath("/file"), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response,
         const httplib::ContentReader& reader, Call& call) -> ApiStatus {
        Result<Upload> upload = Receive(request, reader, call);
        if (!upload.ok()) return UploadError(response, upload.status());
        RemovedAtScopeEnd guard(upload->path);
        import::Wizard wizard = WizardFor(call);
        if (Status replaced = wizard.ReplaceFile(IdParam(request), upload->path, upload->file_name);
            !replaced.ok()) {
          return ApiStatus(replaced, "file");
        }
        return SendJob(call, response, IdParam(request));
      });

  api.Post(
      JobPath("/execute"), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        auto cascade = body->find("delete_elearning_accounts");
        if (cascade == body->end() || !cascade->is_boolean()) {
          return ApiStatus(InvalidArgument("delete_elearning_accounts must be true or false: "
                                           "say whether the linked e-learning accounts go too"),
                           "delete_elearning_accounts");
        }
        const int64_t job_id = IdParam(request);
        import::Wizard wizard = WizardFor(call);
        Result<ImportJob> queued =
            wizard.Confirm(job_id, cascade->get<bool>(), call.caller.admin.email);
        if (!queued.ok()) return queued.status();
        call.context.dispatcher.Wake();
        return SendJob(call, response, job_id, 202);
      });

  api.Get(
      JobPath("/report"), AdminRole::kViewer,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<std::string> format = SpreadsheetFormat(request);
        if (!format.ok()) return ApiStatus(format.status(), "format");
        const int64_t job_id = IdParam(request);
        Result<ImportJob> job = call.store.GetJob(call.caller.organization.id, job_id);
        if (!job.ok()) return job.status();
        if (!SendSpreadsheet(response, call.context.files.ReportOf(job_id, *format),
                             "roster-import-" + std::to_string(job_id) + "-report." + *format)) {
          return NotFound("import job " + std::to_string(job_id) +
                          " has no report (it has not run, or the report expired)");
        }
        return Status::Ok();
      });

  api.Delete(JobPath(), AdminRole::kAdmin,
             [](const httplib::Request& request, httplib::Response& response, Call& call) {
               return Step(call, response, IdParam(request),
                           [&](import::Wizard& wizard) { return wizard.Cancel(IdParam(request)); });
             });
}

}  // namespace roster::http
