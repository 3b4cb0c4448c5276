#include "cli/context.h"

#include <ostream>

#include "store/backends/open_store.h"

namespace roster::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kOk: return kExitOk;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kUnauthenticated: return kExitUsage;
    case ErrorCode::kAborted:
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

void Context::Fail(const Status& status) {
  err << "roster: " << status.message() << '\n';
  exit_code = ExitCodeFor(status);
}

std::unique_ptr<Store> Context::OpenStoreOrFail() {
  Result<std::unique_ptr<Store>> store = OpenStore(db_url, clock);
  if (!store.ok()) {
    Fail(store.status());
    return nullptr;
  }
  return std::move(store).value();
}

}  // namespace roster::cli
