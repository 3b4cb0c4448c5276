#pragma once

// An import job's steps over HTTP, as a client of `roster serve` takes them: a check runs in
// the background, so a client asks for it and polls until it ends; a confirmation names the
// version of the job it confirms (If-Match). For tests whose client carries its session in its
// default headers (cookie and CSRF token).

#include <httplib.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace roster::testing {

// How long a test waits for a state: long enough for a busy machine (or a sanitizer build).
inline constexpr int kJobDeadlineSeconds = 120;

// Polls GET `job_path` until `done` says yes; fails the test with the states seen when it does
// not within kJobDeadlineSeconds. Returns the last job read.
nlohmann::json AwaitJob(httplib::Client& client, const std::string& job_path,
                        const std::function<bool(const nlohmann::json&)>& done);
// Until the job's check has ended (its state is no longer "checking").
nlohmann::json AwaitChecked(httplib::Client& client, const std::string& job_path);
// POST .../validate (202), then AwaitChecked.
nlohmann::json ValidateJob(httplib::Client& client, const std::string& job_path);
// POST `job_path` + `suffix` with `body` and, when the step queued a check, waits for it.
nlohmann::json StepAndCheck(httplib::Client& client, const std::string& job_path,
                            const std::string& suffix, const nlohmann::json& body);
// POST .../execute for the job as it is now: If-Match names its current version.
httplib::Result ExecuteJob(httplib::Client& client, const std::string& job_path,
                           bool delete_elearning);

}  // namespace roster::testing
