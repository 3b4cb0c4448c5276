#pragma once

// JSON shapes of the HTTP API and of the CLI's --json output, one function per shape so that
// scripts see the same fields wherever an object appears. Below both layers, so the CLI does not
// borrow them from `http`. The ToJson overloads sit in namespace roster beside the types they
// write, where argument-dependent lookup finds them. Pure functions; safe from any thread.

#include <nlohmann/json.hpp>
#include <string>

#include "core/admin.h"
#include "core/elearning_account.h"
#include "core/import_job.h"
#include "core/organization.h"
#include "store/store.h"

namespace roster {

nlohmann::json ToJson(const Organization& organization);
nlohmann::json ToJson(const UserListEntry& entry);
nlohmann::json ToJson(const ElearningAccount& account);
nlohmann::json ToJson(const ImportIssue& issue);
nlohmann::json ToJson(const ImportJob& job);  // the fields `roster jobs` shows
nlohmann::json ToJson(const Admin& admin);    // never the password hash
nlohmann::json ToJson(const AuditEvent& event);

// Serializes with invalid UTF-8 replaced rather than thrown on.
std::string Dump(const nlohmann::json& value);

}  // namespace roster
