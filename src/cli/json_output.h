#pragma once

// JSON shapes the CLI prints with --json, one function per shape so that scripts see the same
// fields wherever an object appears.

#include <nlohmann/json.hpp>
#include <string>

#include "core/elearning_account.h"
#include "core/import_job.h"
#include "core/organization.h"
#include "store/store.h"

namespace roster::cli {

nlohmann::json ToJson(const Organization& organization);
nlohmann::json ToJson(const UserListEntry& entry);
nlohmann::json ToJson(const ElearningAccount& account);
nlohmann::json ToJson(const ImportIssue& issue);
nlohmann::json ToJson(const ImportJob& job);  // the fields `roster jobs` shows

// Serializes with invalid UTF-8 replaced rather than thrown on.
std::string Dump(const nlohmann::json& value);

}  // namespace roster::cli
