#pragma once

// The endpoints of /api/v1 (docs/api.md), one function per subject.

#include "http/api.h"

namespace roster::http {

void AddSessionRoutes(Api& api);
void AddUserRoutes(Api& api);
void AddImportRoutes(Api& api);
void AddAdminRoutes(Api& api);
void AddReferenceRoutes(Api& api);  // attributes, template, audit

}  // namespace roster::http
