#include "http/support/job_api.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace roster::testing {

using nlohmann::json;

json AwaitJob(httplib::Client& client, const std::string& job_path,
              const std::function<bool(const json&)>& done) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(kJobDeadlineSeconds);
  std::string seen;
  json job;
  while (true) {
    httplib::Result response = client.Get(job_path);
    if (response && response->status == 200) {
      job = json::parse(response->body, nullptr, false);
      const std::string state = job.value("state", "?");
      if (seen.empty() || !seen.ends_with(" " + state)) seen += " " + state;
      if (done(job)) return job;
    } else {
      seen += response ? " HTTP " + std::to_string(response->status) : " no answer";
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << job_path << " did not reach the awaited state within " << kJobDeadlineSeconds
                    << " s; states seen:" << seen << "; last: " << job.dump();
      return job;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

json AwaitChecked(httplib::Client& client, const std::string& job_path) {
  return AwaitJob(client, job_path, [](const json& job) { return job["state"] != "checking"; });
}

json ValidateJob(httplib::Client& client, const std::string& job_path) {
  httplib::Result asked = client.Post(job_path + "/validate", "", "application/json");
  EXPECT_TRUE(asked);
  if (!asked) return json();
  EXPECT_EQ(asked->status, 202) << asked->body;
  return AwaitChecked(client, job_path);
}

json StepAndCheck(httplib::Client& client, const std::string& job_path, const std::string& suffix,
                  const json& body) {
  httplib::Result answered = client.Post(job_path + suffix, body.dump(), "application/json");
  EXPECT_TRUE(answered);
  if (!answered) return json();
  EXPECT_EQ(answered->status, 200) << answered->body;
  return AwaitChecked(client, job_path);
}

httplib::Result ExecuteJob(httplib::Client& client, const std::string& job_path,
                           bool delete_elearning) {
  httplib::Result job = client.Get(job_path);
  const std::string version =
      job && job->status == 200
          ? std::to_string(json::parse(job->body, nullptr, false).value("version", int64_t{0}))
          : "0";
  return client.Post(job_path + "/execute", {{"If-Match", "\"" + version + "\""}},
                     json{{"delete_elearning_accounts", delete_elearning}}.dump(),
                     "application/json");
}

}  // namespace roster::testing
