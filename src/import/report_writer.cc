#include "import/report_writer.h"

#include <fstream>
#include <memory>

#include "import/formula_guard.h"
#include "sheet/xlsx_writer.h"

namespace roster::import {
namespace {

const std::vector<std::string> kReportHeader = {"Row", "Email", "Outcome", "Message"};
constexpr double kEmailWidth = 36;
constexpr double kMessageWidth = 80;

std::string CsvField(std::string_view text) {
  std::string field = NeutralizeFormula(text);
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

Status WriteCsv(const Analysis& analysis, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return InvalidArgument("the report " + path + " cannot be written");
  out << "\xEF\xBB\xBF";  // a BOM, so that Excel reads the file as UTF-8
  out << "Row,Email,Outcome,Message\r\n";
  for (const RowOutcome& row : analysis.rows) {
    out << row.row << ',' << CsvField(row.value) << ',' << RowStatusName(row.status) << ','
        << CsvField(row.message) << "\r\n";
  }
  out.close();
  if (!out) return InvalidArgument("the report " + path + " could not be written completely");
  return Status::Ok();
}

Status WriteXlsx(const Analysis& analysis, const std::string& path) {
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<sheet::XlsxWriter> writer,
                          sheet::XlsxWriter::Create(path));
  ROSTER_ASSIGN_OR_RETURN(size_t sheet, writer->AddSheet("Result"));
  ROSTER_RETURN_IF_ERROR(writer->WriteHeader(sheet, kReportHeader));
  ROSTER_RETURN_IF_ERROR(writer->SetColumnWidth(sheet, 1, 1, kEmailWidth));
  ROSTER_RETURN_IF_ERROR(writer->SetColumnWidth(sheet, 3, 3, kMessageWidth));
  int64_t line = 1;
  for (const RowOutcome& row : analysis.rows) {
    ROSTER_RETURN_IF_ERROR(
        writer->WriteRow(sheet, line++,
                         {static_cast<double>(row.row), NeutralizeFormula(row.value),
                          std::string(RowStatusName(row.status)), NeutralizeFormula(row.message)}));
  }
  return writer->Close();
}

}  // namespace

Status WriteReport(const Analysis& analysis, const std::string& path) {
  if (path.ends_with(".xlsx")) return WriteXlsx(analysis, path);
  if (path.ends_with(".csv")) return WriteCsv(analysis, path);
  return InvalidArgument("the report " + path + " must end in .xlsx or .csv");
}

}  // namespace roster::import
