#include "import/report_writer.h"

#include <filesystem>
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
  if (!path.ends_with(".xlsx") && !path.ends_with(".csv")) {
    return InvalidArgument("the report " + path + " must end in .xlsx or .csv");
  }
  // Written aside and renamed into place: a download (perhaps served by another server) or a
  // crash never meets a half-written report.
  const std::string partial = path + ".part";
  Status written =
      path.ends_with(".xlsx") ? WriteXlsx(analysis, partial) : WriteCsv(analysis, partial);
  std::error_code error;
  if (written.ok()) std::filesystem::rename(partial, path, error);
  if (!written.ok() || error) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    return written.ok()
               ? InvalidArgument("cannot write the report " + path + ": " + error.message())
               : written;
  }
  return Status::Ok();
}

}  // namespace roster::import
