#include "import/file_head.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace roster::import {
namespace {

using nlohmann::json;

// `text` cut to at most `bytes` bytes, not inside a UTF-8 sequence.
std::string Cut(const std::string& text, size_t bytes) {
  if (text.size() <= bytes) return text;
  size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::optional<sheet::FileType> FileTypeFromName(std::string_view name) {
  for (sheet::FileType type : {sheet::FileType::kXlsx, sheet::FileType::kXls, sheet::FileType::kOds,
                               sheet::FileType::kCsv}) {
    if (sheet::FileTypeName(type) == name) return type;
  }
  return std::nullopt;
}

}  // namespace

std::string FileHead::ToJson() const {
  json sheet_list = json::array();
  for (const sheet::SheetInfo& info : sheets) {
    sheet_list.push_back({{"name", info.name}, {"visible", info.visible}});
  }
  json rows = json::array();
  for (const PreviewRow& row : preview)
    rows.push_back({{"number", row.number}, {"cells", row.cells}});
  return json{{"type", sheet::FileTypeName(type)},
              {"sheets", sheet_list},
              {"preview", rows},
              {"headers", headers},
              {"expected_rows", expected_rows},
              {"file_lines", file_lines}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<FileHead> FileHead::FromJson(std::string_view text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto corrupt = [] { return Internal("the stored head of an import job is corrupt"); };
  if (!parsed.is_object()) return corrupt();
  FileHead head;
  try {
    std::optional<sheet::FileType> type = FileTypeFromName(parsed.at("type").get<std::string>());
    if (!type) return corrupt();
    head.type = *type;
    for (const json& info : parsed.at("sheets")) {
      head.sheets.push_back({info.at("name").get<std::string>(), info.at("visible").get<bool>()});
    }
    for (const json& row : parsed.at("preview")) {
      head.preview.push_back(
          {row.at("number").get<int64_t>(), row.at("cells").get<std::vector<std::string>>()});
    }
    head.headers = parsed.at("headers").get<std::vector<std::string>>();
    head.expected_rows = parsed.value("expected_rows", int64_t{0});
    head.file_lines = parsed.value("file_lines", int64_t{0});
  } catch (const json::exception&) {
    return corrupt();
  }
  return head;
}

Result<std::vector<PreviewRow>> ReadPreview(sheet::WorkbookReader& reader, size_t sheet_index,
                                            int64_t count) {
  std::vector<PreviewRow> rows;
  ROSTER_RETURN_IF_ERROR(reader.ReadRows(sheet_index, [&](const sheet::Row& row) {
    if (row.number > count) return false;
    PreviewRow& preview = rows.emplace_back();
    preview.number = row.number;
    for (const sheet::Cell& cell : row.cells) {
      preview.cells.push_back(Cut(cell.text, kPreviewCellBytes));
    }
    return true;
  }));
  return rows;
}

Result<FileHead> ReadFileHead(sheet::WorkbookReader& reader, size_t sheet_index, int64_t header_row,
                              int64_t file_lines, const std::string& display_name) {
  FileHead head;
  if (reader.type() == sheet::FileType::kCsv) {
    head.file_lines = file_lines;
    head.expected_rows = std::max<int64_t>(file_lines - header_row, 0);
  }
  head.type = reader.type();
  head.sheets = reader.sheets();
  const int64_t last = std::max(header_row, kPreviewRows);
  size_t bytes = 0;
  bool too_large = false;
  ROSTER_RETURN_IF_ERROR(reader.ReadRows(sheet_index, [&](const sheet::Row& row) {
    if (row.number > last) return false;
    if (row.number == header_row) {
      for (const sheet::Cell& cell : row.cells) {
        head.headers.emplace_back(Trim(cell.text));
        bytes += head.headers.back().size() + 8;
      }
    }
    if (row.number <= kPreviewRows) {
      PreviewRow& preview = head.preview.emplace_back();
      preview.number = row.number;
      for (const sheet::Cell& cell : row.cells) {
        preview.cells.push_back(Cut(cell.text, kPreviewCellBytes));
        bytes += preview.cells.back().size() + 8;
      }
    }
    too_large = bytes > kMaxHeadBytes;
    return !too_large;
  }));
  if (too_large) {
    return ResourceExhausted(
        display_name + ": the first rows of the sheet are too large to show (more than " +
        std::to_string(kMaxHeadBytes >> 20) + " MB of cells): is the header row a row of data?");
  }
  return head;
}

}  // namespace roster::import
