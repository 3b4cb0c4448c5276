#pragma once

// A real SQLite store in a temporary folder with the organization "acme" (domain
// acme.example) and a few users, some with e-learning accounts; plus helpers to write a file
// and run the pipeline the way the CLI and the server do.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "import/analyzer.h"
#include "import/job_runner.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace roster::testing {

class ImportFixture : public ::testing::Test {
 protected:
  void SetUp() override;

  // Adds a user of acme; with `elearning`, also a linked account with progress.
  User AddUser(const std::string& email, bool elearning = false);
  // Writes `text` to a file in the temporary folder and returns its path.
  std::string WriteFile(const std::string& name, const std::string& text);

  Result<import::Analysis> Analyze(const std::string& path,
                                   const import::ImportSettings& settings = {});
  // Records the analysis as a job and executes it.
  Result<import::ExecutionResult> Run(const import::Analysis& analysis,
                                      const import::ImportSettings& settings,
                                      bool delete_elearning);
  std::vector<std::string> RemainingEmails();
  // A request to execute `job_id` as it is now, from this process, without the e-learning
  // cascade.
  import::ExecuteRequest Request(int64_t job_id);

  TempDir dir_;
  FixedClock clock_{1'764'000'000};
  CountingRandom random_;
  std::unique_ptr<Store> store_;
  Organization acme_;
  Organization globex_;
};

}  // namespace roster::testing
