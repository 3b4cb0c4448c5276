// The import wizard over HTTP: each endpoint translates one step of import::Wizard.

#include <charconv>
#include <filesystem>

#include "http/routes.h"
#include "http/upload.h"
#include "json/json_shapes.h"
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
  // This server's own run or check knows its progress best; another server's published its
  // own.
  std::optional<ExecutionProgress> progress;
  if (job.state == JobState::kRunning || job.state == JobState::kChecking) {
    progress = executions.ProgressOf(
        job.id, job.state == JobState::kChecking ? WorkKind::kCheck : WorkKind::kRun);
    if (!progress) progress = ExecutionProgress{job.progress_done, job.progress_total};
  }
  const bool validated = job.state != JobState::kUploaded && job.state != JobState::kChecking &&
                         job.state != JobState::kCancelled;
  // A check: "checking" while rows are read (of about the rows the job expects), "saving"
  // once all are read (their number is the total); a run: "writing".
  std::string_view phase = "writing";
  if (job.state == JobState::kChecking) {
    phase = progress && progress->total > 0 ? "saving" : "checking";
    if (phase == "checking" && progress) progress->total = view.expected_rows;
  }
  nlohmann::json json = {
      {"id", job.id},
      {"version", job.version},
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
      {"progress",
       {{"phase", phase},
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

// Answers the job as it is now, with its version as the ETag (what If-Match names).
ApiStatus SendJob(Call& call, httplib::Response& response, int64_t job_id, int status = 200) {
  import::Wizard wizard = WizardFor(call);
  Result<import::WizardView> view = wizard.View(job_id);
  if (!view.ok()) return view.status();
  SendJson(response, JobJson(*view, call.context.executions, true), status);
  response.set_header("ETag", "\"" + std::to_string(view->job.version) + "\"");
  return Status::Ok();
}

// The job a step is about, as the client saw it: the version its If-Match header names
// ("7" or 7), or none when it sent none.
Result<import::JobRef> JobRefOf(const httplib::Request& request) {
  import::JobRef ref{IdParam(request), std::nullopt};
  if (!request.has_header("If-Match")) return ref;
  const std::string header = request.get_header_value("If-Match");  // a copy: keep it alive
  std::string_view text = header;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  int64_t version = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || version < 1) {
    return InvalidArgument("If-Match must name the version of the job, as in \"7\"");
  }
  ref.version = version;
  return ref;
}

// Runs one wizard step, then answers the job. A step refused because the job changed since
// the client saw it (or since the step read it), or because of the state it is in, answers 409
// with the job as it is now, so the console can show what changed.
ApiStatus Step(Call& call, httplib::Response& response, const httplib::Request& request,
               const std::function<Result<ImportJob>(import::Wizard&, import::JobRef)>& step,
               int status = 200) {
  Result<import::JobRef> ref = JobRefOf(request);
  if (!ref.ok()) return ApiStatus(ref.status(), "If-Match");
  import::Wizard wizard = WizardFor(call);
  Result<ImportJob> done = step(wizard, *ref);
  if (!done.ok() && (done.status().code() == ErrorCode::kAborted ||
                     done.status().code() == ErrorCode::kFailedPrecondition)) {
    Result<import::WizardView> view = wizard.View(ref->id);
    if (!view.ok()) return done.status();
    SendError(response, ApiStatus(done.status()));
    nlohmann::json body = nlohmann::json::parse(response.body);
    body["job"] = JobJson(*view, call.context.executions, true);
    SendJson(response, body, 409);
    response.set_header("ETag", "\"" + std::to_string(view->job.version) + "\"");
    return Status::Ok();
  }
  if (!done.ok()) return done.status();
  // A check may wait now, or one running may have become stale: the worker looks at once.
  call.context.dispatcher.Wake();
  return SendJob(call, response, ref->id, status);
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
          Result<import::WizardView> view = wizard.ViewOf(job);
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
        return Step(call, response, request, [&](import::Wizard& wizard, import::JobRef job) {
          return wizard.ChooseSheet(job, sheet->get<std::string>(), header_row->get<int64_t>());
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
        ApiStatus done =
            Step(call, response, request, [&](import::Wizard& wizard, import::JobRef job) {
              return wizard.SetMapping(job, changes);
            });
        if (!done.status.ok() && done.status.code() == ErrorCode::kInvalidArgument) {
          done.field = field;
        }
        return done;
      });

  // The check runs in the background (JobDispatcher): the job answers "checking" at once.
  api.Post(
      JobPath("/validate"), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) {
        return Step(
            call, response, request,
            [&](import::Wizard& wizard, import::JobRef job) { return wizard.RequestCheck(job); },
            202);
      });

  api.Delete(JobPath("/check"), AdminRole::kAdmin,
             [](const httplib::Request& request, httplib::Response& response, Call& call) {
               return Step(call, response, request,
                           [&](import::Wizard& wizard, import::JobRef job) {
                             return wizard.CancelCheck(job);
                           });
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
        return Step(call, response, request, [&](import::Wizard& wizard, import::JobRef job) {
          return wizard.Fix(job, *row, value->get<std::string>());
        });
      });

  api.Post(
      JobPath("/exclusions"), AdminRole::kAdmin,
      [](const httplib::Request& request, httplib::Response& response, Call& call) -> ApiStatus {
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return body.status();
        if (body->value("all_errors", false)) {
          return Step(call, response, request, [&](import::Wizard& wizard, import::JobRef job) {
            return wizard.ExcludeErrors(job);
          });
        }
        Result<int64_t> row = RowField(*body);
        if (!row.ok()) return ApiStatus(row.status(), "row");
        return Step(call, response, request, [&](import::Wizard& wizard, import::JobRef job) {
          return wizard.Exclude(job, *row);
        });
      });

  api.Delete(JobPath(R"(/exclusions/(\d{1,18}))"), AdminRole::kAdmin,
             [](const httplib::Request& request, httplib::Response& response, Call& call) {
               return Step(call, response, request,
                           [&](import::Wizard& wizard, import::JobRef job) {
                             return wizard.Include(job, IdParam(request, 2));
                           });
             });

  api.PutUpload(JobPath("/file"), AdminRole::kAdmin,
                [](const httplib::Request& request, httplib::Response& response,
                   const httplib::ContentReader& reader, Call& call) -> ApiStatus {
                  Result<Upload> upload = Receive(request, reader, call);
                  if (!upload.ok()) return UploadError(response, upload.status());
                  RemovedAtScopeEnd guard(upload->path);
                  ApiStatus replaced = Step(
                      call, response, request, [&](import::Wizard& wizard, import::JobRef job) {
                        return wizard.ReplaceFile(job, upload->path, upload->file_name);
                      });
                  if (!replaced.status.ok()) replaced.field = "file";
                  return replaced;
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
        // Nothing runs that the admin did not see: the confirmation names the version of the
        // job its summary showed.
        if (!request.has_header("If-Match")) {
          SendError(response, 428, "precondition_required",
                    "If-Match must name the version of the job that was confirmed (its "
                    "\"version\"), so that nothing runs that changed since it was shown");
          return Status::Ok();
        }
        return Step(
            call, response, request,
            [&](import::Wizard& wizard, import::JobRef job) {
              return wizard.Confirm(job.id, *job.version, cascade->get<bool>(),
                                    call.caller.admin.email);
            },
            202);
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
               return Step(
                   call, response, request,
                   [&](import::Wizard& wizard, import::JobRef job) { return wizard.Cancel(job); });
             });
}

}  // namespace roster::http
