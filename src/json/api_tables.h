#pragma once

// ApiTablesTypeScript: the names the HTTP API sends for the domain's enums (job modes and
// states, issue codes, severities, admin roles, error codes) and the attribute table's keys,
// written as the TypeScript module web/src/generated/api_tables.ts, so that the console's types
// come from the C++ tables: tests/json/api_tables_test.cc fails while the committed module
// differs, and the console's label maps are typed over these unions, so a name without a label
// fails its type check. A pure function of constant tables; safe from any thread.

#include <string>

namespace roster {

// The whole module, byte for byte as committed (LF line ends, a final newline).
std::string ApiTablesTypeScript();

}  // namespace roster
