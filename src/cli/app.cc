#include "cli/app.h"

namespace roster::cli {

int RunApp(int, char**) { return 0; }

}  // namespace roster::cli
