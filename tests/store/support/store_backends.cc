#include "support/store_backends.h"

namespace roster::testing {

std::vector<StoreBackend> StoreBackends() {
  return {
      {"sqlite",
       [](const TempDir& dir, const Clock& clock) {
         return OpenStore("sqlite:" + dir.File("roster.db"), clock);
       }},
  };
}

}  // namespace roster::testing
