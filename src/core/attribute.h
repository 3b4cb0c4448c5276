#pragma once

// The user attributes an import can carry, in one table: the single place that drives the
// downloadable template, the automatic column mapping, validation and exports. Adding an
// attribute here adds it everywhere.

#include <optional>
#include <span>
#include <string_view>

namespace roster {

enum class Attribute {
  kRosterId,
  kEmail,
  kFirstName,
  kLastName,
  kGender,
  kAcademicDegree,
  kLanguage,
  kAddressType,
  kManagerEmail,
  kDepartment,
  kLocation,
  kEmployeeId,
  kGroups,
};

struct AttributeSpec {
  Attribute attribute;
  std::string_view key;              // stable name in JSON, CLI and the database: "first_name"
  std::string_view template_header;  // the exact header of the template: "First name"
  bool required_for_add_update;
  bool required_for_delete;
  // Values the attribute may take, empty when free text (language: ISO 639-1 codes).
  std::span<const std::string_view> allowed_values;
  // Header spellings in English, German and French that map to the attribute automatically,
  // compared after folding case, accents, spaces and punctuation (see import/mapping).
  std::span<const std::string_view> header_spellings;
  std::string_view note;  // one sentence for the template and the console
};

// Every attribute, in template column order.
std::span<const AttributeSpec> AttributeTable();

const AttributeSpec& SpecOf(Attribute attribute);

// The attribute whose key is `key` ("email"), if any.
std::optional<Attribute> AttributeFromKey(std::string_view key);

// True for the ISO 639-1 two-letter codes.
bool IsIsoLanguageCode(std::string_view code);

}  // namespace roster
