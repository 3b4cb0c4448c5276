#include "import/import_settings.h"

#include <nlohmann/json.hpp>

namespace roster::import {

std::string ImportDecisions::ToJson(const std::string& audit_salt_hex) const {
  nlohmann::json fixes_json = nlohmann::json::object();
  for (const auto& [row, value] : fixes) fixes_json[std::to_string(row)] = value;
  nlohmann::json json = {{"fixes", fixes_json},
                         {"excluded_rows", excluded_rows},
                         {"exclude_errors", exclude_errors},
                         {"audit_salt", audit_salt_hex}};
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<ImportDecisions> ImportDecisions::FromJson(std::string_view text,
                                                  std::string* audit_salt_hex) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  Status corrupt = InvalidArgument("the stored decisions of this import are not readable");
  if (!json.is_object()) return corrupt;
  ImportDecisions decisions;
  auto fixes = json.find("fixes");
  auto excluded = json.find("excluded_rows");
  auto exclude_errors = json.find("exclude_errors");
  auto salt = json.find("audit_salt");
  if (fixes == json.end() || !fixes->is_object() || excluded == json.end() ||
      !excluded->is_array() || exclude_errors == json.end() || !exclude_errors->is_boolean() ||
      salt == json.end() || !salt->is_string()) {
    return corrupt;
  }
  for (const auto& [row, value] : fixes->items()) {
    if (!value.is_string()) return corrupt;
    char* end = nullptr;
    long long number = std::strtoll(row.c_str(), &end, 10);
    if (end == row.c_str() || *end != '\0') return corrupt;
    decisions.fixes[number] = value.get<std::string>();
  }
  for (const auto& row : *excluded) {
    if (!row.is_number_integer()) return corrupt;
    decisions.excluded_rows.insert(row.get<int64_t>());
  }
  decisions.exclude_errors = exclude_errors->get<bool>();
  if (audit_salt_hex != nullptr) *audit_salt_hex = salt->get<std::string>();
  return decisions;
}

}  // namespace roster::import
