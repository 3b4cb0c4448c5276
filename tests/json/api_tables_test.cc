// The console's types come from the C++ tables: web/src/generated/api_tables.ts must be what
// ApiTablesTypeScript() writes, byte for byte, and every enum the module lists must have its
// all-values array complete. With ROSTER_UPDATE_GOLDEN=1 the module is rewritten instead, to be
// reviewed with the console's type check (`npm run build` in web/ fails on a code without label).

#include "json/api_tables.h"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>

#include "core/admin.h"
#include "core/attribute.h"
#include "core/import_job.h"
#include "core/status.h"

namespace roster {
namespace {

namespace fs = std::filesystem;

// One case per enumerator and no default: an enumerator added to one of these enums stops this
// file from compiling (-Wswitch, an error with -Werror) until it has a case here, and then the
// static_asserts below fail until the enum's kAll... array lists it.
constexpr bool IsEnumerator(ImportMode mode) {
  switch (mode) {
    case ImportMode::kDelete:
    case ImportMode::kAddUpdate: return true;
  }
  return false;
}

constexpr bool IsEnumerator(JobState state) {
  switch (state) {
    case JobState::kUploaded:
    case JobState::kChecking:
    case JobState::kMapped:
    case JobState::kValidated:
    case JobState::kQueued:
    case JobState::kRunning:
    case JobState::kDone:
    case JobState::kFailed:
    case JobState::kInterrupted:
    case JobState::kCancelled: return true;
  }
  return false;
}

constexpr bool IsEnumerator(IssueCode code) {
  switch (code) {
    case IssueCode::kInvalidEmail:
    case IssueCode::kMissingEmail:
    case IssueCode::kDuplicateEmail:
    case IssueCode::kNotFound:
    case IssueCode::kDomainNotAllowed:
    case IssueCode::kMissingRequired:
    case IssueCode::kInvalidValue:
    case IssueCode::kColumnNotMapped:
    case IssueCode::kCellTooLong:
    case IssueCode::kOwnAddress: return true;
  }
  return false;
}

constexpr bool IsEnumerator(Severity severity) {
  switch (severity) {
    case Severity::kError:
    case Severity::kWarning: return true;
  }
  return false;
}

constexpr bool IsEnumerator(AdminRole role) {
  switch (role) {
    case AdminRole::kViewer:
    case AdminRole::kAdmin:
    case AdminRole::kOwner: return true;
  }
  return false;
}

constexpr bool IsEnumerator(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kAborted:
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal: return true;
  }
  return false;
}

// `all` holds the values 0, 1, ... N-1 in order, and N is no enumerator. These enums give
// their enumerators no values of their own, so this means every enumerator is listed once.
template <typename Enum, size_t N>
constexpr bool ListsEveryEnumerator(const std::array<Enum, N>& all) {
  for (size_t i = 0; i < N; ++i) {
    if (all[i] != static_cast<Enum>(i)) return false;
  }
  return !IsEnumerator(static_cast<Enum>(N));
}

static_assert(ListsEveryEnumerator(kAllImportModes), "kAllImportModes misses a mode");
static_assert(ListsEveryEnumerator(kAllJobStates), "kAllJobStates misses a state");
static_assert(ListsEveryEnumerator(kAllIssueCodes), "kAllIssueCodes misses a code");
static_assert(ListsEveryEnumerator(kAllSeverities), "kAllSeverities misses a severity");
static_assert(ListsEveryEnumerator(kAllAdminRoles), "kAllAdminRoles misses a role");
static_assert(ListsEveryEnumerator(kAllErrorCodes), "kAllErrorCodes misses a code");

// Each value's name is its own: a value whose name function has no entry for it says
// "unknown" (ImportModeName, ...), and the module would list that.
template <typename Enum, size_t N, typename NameOf>
void ExpectOwnNames(const std::array<Enum, N>& all, NameOf name_of, std::string_view what) {
  std::set<std::string_view> seen;
  for (Enum value : all) {
    std::string_view name = name_of(value);
    EXPECT_FALSE(name.empty()) << what << " " << static_cast<int>(value);
    EXPECT_NE(name, std::string_view("unknown")) << what << " " << static_cast<int>(value);
    EXPECT_TRUE(seen.insert(name).second) << what << " " << name << " is named twice";
  }
}

TEST(ApiTablesTest, EveryValueHasANameOfItsOwn) {
  ExpectOwnNames(kAllImportModes, ImportModeName, "ImportMode");
  ExpectOwnNames(kAllJobStates, JobStateName, "JobState");
  ExpectOwnNames(kAllIssueCodes, IssueCodeName, "IssueCode");
  ExpectOwnNames(kAllSeverities, SeverityName, "Severity");
  ExpectOwnNames(kAllAdminRoles, AdminRoleName, "AdminRole");
  ExpectOwnNames(kAllErrorCodes, ErrorCodeName, "ErrorCode");
}

TEST(ApiTablesTest, TheModuleListsEveryNameAndAttribute) {
  const std::string module = ApiTablesTypeScript();
  EXPECT_NE(module.find("  'own_address',\n"), std::string::npos);
  EXPECT_NE(module.find("  'add-update',\n"), std::string::npos);
  EXPECT_NE(module.find("  'aborted',\n"), std::string::npos);
  EXPECT_EQ(module.find("'ok'"), std::string::npos) << "kOk never reaches an error body";
  for (const AttributeSpec& spec : AttributeTable()) {
    EXPECT_NE(module.find("  '" + std::string(spec.key) + "',\n"), std::string::npos) << spec.key;
  }
  EXPECT_NE(module.find("  'delete': ['email'],\n"), std::string::npos);
  EXPECT_NE(module.find("  'add-update': ['email', 'first_name', 'last_name'],\n"),
            std::string::npos);
}

bool UpdateMode() {
  const char* update = std::getenv("ROSTER_UPDATE_GOLDEN");
  return update != nullptr && std::string_view(update) == "1";
}

// Under $ROSTER_SOURCE_DIR when set, else under the working directory (CTest runs the tests in
// the repository's root).
fs::path ModulePath() {
  const char* source = std::getenv("ROSTER_SOURCE_DIR");
  fs::path root = source != nullptr && *source != '\0' ? source : fs::current_path();
  return root / "web" / "src" / "generated" / "api_tables.ts";
}

TEST(ApiTablesTest, TheCommittedModuleIsWhatTheTablesGive) {
  const fs::path path = ModulePath();
  const std::string generated = ApiTablesTypeScript();
  if (UpdateMode()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << generated;
    out.close();
    ASSERT_TRUE(out) << "could not write " << path;
    GTEST_SKIP() << "rewrote " << path << "; review it and run `npm run build` in web/";
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing; make it with ROSTER_UPDATE_GOLDEN=1";
  const std::string committed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(committed, generated)
      << path << " is not what the C++ tables give: regenerate it from the repository's root with "
      << "ROSTER_UPDATE_GOLDEN=1 build/release/tests/json_api_tables_test, then give the "
      << "console's label maps what `npm run build` in web/ says is missing";
}

}  // namespace
}  // namespace roster
