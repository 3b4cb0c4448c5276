#include "import/column_mapping.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>
#include <unordered_map>

namespace roster::import {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// Folded spelling -> attribute, built once from the attribute table.
const std::unordered_map<std::string, Attribute>& SpellingIndex() {
  static const auto* index = [] {
    auto* map = new std::unordered_map<std::string, Attribute>();
    for (const AttributeSpec& spec : AttributeTable()) {
      map->emplace(FoldHeader(spec.template_header), spec.attribute);
      for (std::string_view spelling : spec.header_spellings) {
        map->emplace(FoldHeader(spelling), spec.attribute);
      }
    }
    return map;
  }();
  return *index;
}

std::string ColumnName(int column) {
  std::string name;
  for (int n = column + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

}  // namespace

std::string FoldHeader(std::string_view header) {
  utf8proc_uint8_t* mapped = nullptr;
  auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_STRIPCC);
  utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(header.data()),
                   static_cast<utf8proc_ssize_t>(header.size()), &mapped, options);
  if (length < 0) return "";  // not UTF-8: matches nothing
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(mapped);
  std::string folded;
  const utf8proc_uint8_t* cursor = mapped;
  const utf8proc_uint8_t* end = mapped + length;
  while (cursor < end) {
    utf8proc_int32_t codepoint = 0;
    utf8proc_ssize_t size = utf8proc_iterate(cursor, end - cursor, &codepoint);
    if (size <= 0) break;
    utf8proc_category_t category = utf8proc_category(codepoint);
    bool letter = category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO;
    bool digit = category == UTF8PROC_CATEGORY_ND;
    if (letter || digit) folded.append(reinterpret_cast<const char*>(cursor), size);
    cursor += size;
  }
  return folded;
}

std::optional<Attribute> AttributeForHeader(std::string_view header) {
  const auto& index = SpellingIndex();
  auto found = index.find(FoldHeader(header));
  if (found == index.end()) return std::nullopt;
  return found->second;
}

ColumnMapping ColumnMapping::Automatic(const std::vector<std::string>& headers) {
  ColumnMapping mapping;
  std::unordered_map<int, int> owner;  // attribute -> column that has it
  for (size_t i = 0; i < headers.size(); ++i) {
    mapping.columns_.push_back(
        {static_cast<int>(i), headers[i], std::nullopt, MappingSource::kNone, ""});
  }
  // Two passes so that an exact template header beats a spelling in an earlier column.
  for (bool exact_pass : {true, false}) {
    for (MappedColumn& column : mapping.columns_) {
      if (column.attribute || column.header.empty()) continue;
      std::optional<Attribute> attribute;
      if (exact_pass) {
        for (const AttributeSpec& spec : AttributeTable()) {
          if (spec.template_header == column.header) attribute = spec.attribute;
        }
      } else {
        attribute = AttributeForHeader(column.header);
      }
      if (!attribute) continue;
      auto [it, inserted] = owner.emplace(static_cast<int>(*attribute), column.column);
      if (!inserted) {
        column.note = std::string(SpecOf(*attribute).template_header) +
                      " is already mapped from column " + ColumnName(it->second);
        continue;
      }
      column.attribute = attribute;
      column.source = exact_pass ? MappingSource::kTemplate : MappingSource::kSpelling;
    }
  }
  for (MappedColumn& column : mapping.columns_) {
    if (!column.attribute && column.note.empty()) {
      column.note =
          column.header.empty() ? "the column has no header" : "no attribute has this header";
    }
  }
  return mapping;
}

Status ColumnMapping::Assign(std::string_view header, Attribute attribute) {
  MappedColumn* target = nullptr;
  for (MappedColumn& column : columns_) {
    if (column.header == header) {
      target = &column;
      break;
    }
  }
  if (target == nullptr) {
    std::string folded = FoldHeader(header);
    for (MappedColumn& column : columns_) {
      if (!folded.empty() && FoldHeader(column.header) == folded) {
        target = &column;
        break;
      }
    }
  }
  if (target == nullptr) {
    std::string known;
    for (const MappedColumn& column : columns_) {
      if (column.header.empty()) continue;
      known += (known.empty() ? "\"" : ", \"") + column.header + "\"";
    }
    return InvalidArgument("the header row has no column \"" + std::string(header) +
                           "\"; its columns are " + (known.empty() ? "none" : known));
  }
  Unassign(attribute);
  target->attribute = attribute;
  target->source = MappingSource::kManual;
  target->note.clear();
  return Status::Ok();
}

void ColumnMapping::Unassign(Attribute attribute) {
  for (MappedColumn& column : columns_) {
    if (column.attribute == attribute) {
      column.attribute.reset();
      column.source = MappingSource::kNone;
      column.note = "unassigned by the admin";
    }
  }
}

std::optional<int> ColumnMapping::ColumnOf(Attribute attribute) const {
  for (const MappedColumn& column : columns_) {
    if (column.attribute == attribute) return column.column;
  }
  return std::nullopt;
}

bool ColumnMapping::FromTemplate() const {
  if (columns_.empty()) return false;
  for (const MappedColumn& column : columns_) {
    if (column.source != MappingSource::kTemplate) return false;
  }
  return true;
}

}  // namespace roster::import
