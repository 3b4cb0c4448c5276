// roster inspect: what Roster sees in a file, before any import: the detected type, the
// sheets, the sheet an import would read, the encoding and delimiter of a CSV file, the size
// of the sheet and its first rows. Reads the file only; no database is needed.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/progress.h"
#include "core/text.h"
#include "import/sheet_choice.h"
#include "json/json_shapes.h"
#include "sheet/workbook_reader.h"

namespace roster::cli {

namespace {

constexpr int64_t kMaxHead = 10'000;

struct InspectOptions {
  std::string file;
  std::string sheet;
  int64_t head = 10;
  bool json = false;
};

// What inspect found in the chosen sheet.
struct SheetSummary {
  std::optional<std::string> name;  // none when no visible sheet has data
  int64_t rows = 0;                 // the number of the last row that has a cell
  int64_t columns = 0;  // the cell count of the widest row (trailing empty cells dropped)
  // Rows 1 to min(head, rows): head[i] holds the cells of row i + 1, empty for a gap.
  std::vector<std::vector<std::string>> head;
};

Result<SheetSummary> Summarize(sheet::WorkbookReader& reader, std::optional<size_t> index,
                               int64_t head) {
  SheetSummary summary;
  if (!index) return summary;
  summary.name = reader.sheets()[*index].name;
  Progress progress("reading rows");
  ROSTER_RETURN_IF_ERROR(reader.ReadRows(*index, [&](const sheet::Row& row) {
    summary.rows = row.number;
    summary.columns = std::max(summary.columns, static_cast<int64_t>(row.cells.size()));
    if (row.number <= head) {
      summary.head.resize(static_cast<size_t>(row.number));
      std::vector<std::string>& cells = summary.head.back();
      for (const sheet::Cell& cell : row.cells) cells.push_back(cell.text);
    }
    if (row.number % 100'000 == 0) progress.Update(row.number, -1);
    return true;
  }));
  return summary;
}

std::string DelimiterName(char delimiter) {
  return delimiter == '\t' ? std::string("tab") : "'" + std::string(1, delimiter) + "'";
}

// A cell on one line of a terminal: tabs and line breaks inside it become spaces.
std::string OneLine(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\t' || c == '\r' || c == '\n'; }, ' ');
  return text;
}

void PrintText(const std::string& file, const sheet::WorkbookReader& reader,
               const SheetSummary& summary, std::ostream& out) {
  out << file << ": " << sheet::FileTypeName(reader.type());
  if (std::optional<sheet::TextFormat> format = reader.text_format()) {
    out << ", " << format->encoding << ", delimiter " << DelimiterName(format->delimiter);
  }
  out << '\n';
  out << "sheets:\n";
  for (size_t i = 0; i < reader.sheets().size(); ++i) {
    const sheet::SheetInfo& info = reader.sheets()[i];
    out << "  " << i + 1 << "  " << info.name << (info.visible ? "" : "  (hidden)") << '\n';
  }
  if (!summary.name) {
    out << "no visible sheet has any data\n";
    return;
  }
  out << "sheet '" << *summary.name << "': " << WithThousands(summary.rows) << " rows, "
      << WithThousands(summary.columns) << " columns\n";
  for (size_t i = 0; i < summary.head.size(); ++i) {
    out << "  " << i + 1 << "\t";
    if (summary.head[i].empty()) out << "(empty)";
    for (size_t c = 0; c < summary.head[i].size(); ++c) {
      out << (c == 0 ? "" : "\t") << OneLine(summary.head[i][c]);
    }
    out << '\n';
  }
}

nlohmann::json ToJson(const sheet::WorkbookReader& reader, const SheetSummary& summary) {
  nlohmann::json sheets = nlohmann::json::array();
  for (const sheet::SheetInfo& info : reader.sheets()) {
    sheets.push_back({{"name", info.name}, {"visible", info.visible}});
  }
  std::optional<sheet::TextFormat> format = reader.text_format();
  return {{"type", sheet::FileTypeName(reader.type())},
          {"sheets", sheets},
          {"sheet", summary.name ? nlohmann::json(*summary.name) : nlohmann::json(nullptr)},
          {"encoding", format ? nlohmann::json(format->encoding) : nlohmann::json(nullptr)},
          {"delimiter",
           format ? nlohmann::json(std::string(1, format->delimiter)) : nlohmann::json(nullptr)},
          {"rows", summary.rows},
          {"columns", summary.columns},
          {"head", summary.head}};
}

void RunInspect(const InspectOptions& options, Context& context) {
  if (options.head < 0 || options.head > kMaxHead) {
    return context.Fail(InvalidArgument("--head must be 0 to 10000"));
  }
  const std::string display_name = std::filesystem::path(options.file).filename().string();
  Result<std::unique_ptr<sheet::WorkbookReader>> opened =
      sheet::OpenWorkbook(options.file, sheet::Limits(), display_name);
  if (!opened.ok()) return context.Fail(opened.status());
  sheet::WorkbookReader& reader = **opened;

  std::optional<size_t> index;
  if (!options.sheet.empty()) {
    Result<size_t> found = import::FindSheet(reader.sheets(), options.sheet, display_name);
    if (!found.ok()) return context.Fail(found.status());
    index = *found;
  } else {
    Result<std::optional<size_t>> first = import::FirstSheetWithData(reader);
    if (!first.ok()) return context.Fail(first.status());
    index = *first;
  }
  Result<SheetSummary> summary = Summarize(reader, index, options.head);
  if (!summary.ok()) return context.Fail(summary.status());
  if (options.json) {
    context.out << Dump(ToJson(reader, *summary)) << '\n';
  } else {
    PrintText(display_name, reader, *summary, context.out);
  }
}

}  // namespace

void AddInspectCommand(CLI::App& app, Context& context) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* command = app.add_subcommand("inspect", "Show what Roster sees in a spreadsheet");
  command->add_option("file", options->file, "The spreadsheet: .xlsx, .xls, .ods or .csv")
      ->required();
  command->add_option("--sheet", options->sheet,
                      "Sheet name or number (default: the first visible sheet with data)");
  command->add_option("--head", options->head, "How many of the first rows to show (0 to 10000)");
  command->add_flag("--json", options->json, "Print one JSON object");
  command->callback([options, &context] { RunInspect(*options, context); });
}

}  // namespace roster::cli
