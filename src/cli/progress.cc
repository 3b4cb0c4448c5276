#include "cli/progress.h"

#include <unistd.h>

#include <iostream>

#include "core/text.h"

namespace roster::cli {

Progress::Progress(std::string label) : label_(std::move(label)), enabled_(isatty(2) == 1) {}

Progress::~Progress() {
  if (shown_) std::cerr << '\n';
}

void Progress::Update(int64_t done, int64_t total) {
  if (!enabled_) return;
  shown_ = true;
  std::cerr << '\r' << label_ << ' ';
  if (total > 0) {
    std::cerr << done * 100 / total << " % (" << WithThousands(done) << " of "
              << WithThousands(total) << ")";
  } else {
    std::cerr << WithThousands(done);
  }
  std::cerr << std::flush;
}

}  // namespace roster::cli
