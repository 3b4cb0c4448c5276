#pragma once

// ROSTER_FUZZ_CHECK: the harnesses' assertion. A broken invariant of the code under test
// prints what was expected and aborts, which libFuzzer reports as a crash and saves the input
// as the reproducer. Depends on nothing but the C++ library, so every harness can use it.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace roster::fuzz {

[[noreturn]] inline void InvariantBroken(const char* condition, std::string_view what, int line,
                                         const char* file) {
  std::fprintf(stderr, "\n==roster-fuzz== invariant broken at %s:%d: %s\n==roster-fuzz== %.*s\n",
               file, line, condition, static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace roster::fuzz

// Aborts when `condition` is false; `what` (a string) says which case, for the report.
#define ROSTER_FUZZ_CHECK(condition, what)                                                     \
  do {                                                                                         \
    if (!(condition)) ::roster::fuzz::InvariantBroken(#condition, (what), __LINE__, __FILE__); \
  } while (false)
