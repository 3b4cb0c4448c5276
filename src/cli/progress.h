#pragma once

// Progress on a terminal: a line on standard error that rewrites itself ("deleting users
// 45 % (450,000 of 1,000,000)"), shown only when standard error is a terminal, so logs and
// scripts never see it. One thread at a time.

#include <cstdint>
#include <string>

#include "store/store.h"

namespace roster::cli {

class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();  // ends the line
  // total < 0: unknown, only the count is shown.
  void Update(int64_t done, int64_t total);
  ProgressCallback Callback() {
    return [this](int64_t done, int64_t total) { Update(done, total); };
  }

 private:
  std::string label_;
  bool enabled_;
  bool shown_ = false;
};

}  // namespace roster::cli
