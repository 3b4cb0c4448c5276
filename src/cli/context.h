#pragma once

// Context: what every subcommand needs: where the database is, where to print, the clock,
// and the exit code it decides. Owned by RunApp for the length of one command.

#include <iosfwd>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace roster::cli {

// Exit codes, spelled so that scripts can rely on them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnresolvedErrors = 3;

// The one place where a Status becomes an exit code: the caller's fault (bad input, unknown
// names, limits) is 2; everything else (database, bugs) is 1.
int ExitCodeFor(const Status& status);

struct Context {
  std::string db_url = "sqlite:roster.db";
  std::ostream& out;
  std::ostream& err;
  const Clock& clock;
  int exit_code = kExitOk;

  // Prints "roster: <message>" and records the exit code for `status` (which must fail).
  void Fail(const Status& status);
  // Opens the store named by db_url; reports and returns null when it cannot.
  std::unique_ptr<Store> OpenStoreOrFail();
};

}  // namespace roster::cli
