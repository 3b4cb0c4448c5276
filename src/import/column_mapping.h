#pragma once

// ColumnMapping: which spreadsheet column holds which user attribute. Built automatically
// from the header row (the template's exact headers first, then English, German and French
// spellings compared after folding case, accents, spaces, punctuation and a stray BOM), then
// overridden by the admin's manual choices. Pure values; thread-compatible.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/attribute.h"
#include "core/result.h"

namespace roster::import {

// How a column came to be mapped.
enum class MappingSource { kNone, kTemplate, kSpelling, kManual };

struct MappedColumn {
  int column = 0;      // 0 = A
  std::string header;  // as written in the header row
  std::optional<Attribute> attribute;
  MappingSource source = MappingSource::kNone;
  // Why an unmapped column is ignored, e.g. "E-Mail is already mapped from column B".
  std::string note;
};

class ColumnMapping {
 public:
  // Maps `headers` (the header row's cells, column 0 first) automatically. When two columns
  // claim the same attribute, the first one wins and the other is ignored with a note.
  static ColumnMapping Automatic(const std::vector<std::string>& headers);

  // Assigns `attribute` to the column whose header is `header` (first match; compared
  // exactly, then folded), taking it from any column that had it. An empty-handed call
  // fails with kInvalidArgument naming the header and listing the file's columns.
  Status Assign(std::string_view header, Attribute attribute);

  // Removes `attribute` from the mapping.
  void Unassign(Attribute attribute);

  // The column that holds `attribute`, if any.
  std::optional<int> ColumnOf(Attribute attribute) const;

  const std::vector<MappedColumn>& columns() const { return columns_; }

  // True when every column the template would write is mapped from its exact header.
  bool FromTemplate() const;

 private:
  std::vector<MappedColumn> columns_;
};

// The folded form used for comparing headers: accents and case removed, only letters and
// digits kept ("E-Mail-Adresse " -> "emailadresse", "Prénom" -> "prenom", "Straße" ->
// "strasse").
std::string FoldHeader(std::string_view header);

// The attribute a header names by spelling, if any (no template-exactness check).
std::optional<Attribute> AttributeForHeader(std::string_view header);

}  // namespace roster::import
