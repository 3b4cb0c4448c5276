#include "sheet/xlsx_reader.h"

#include <optional>

#include "sheet/prefetching_reader.h"
#include "sheet/shared_strings.h"
#include "sheet/xlsx_sheet_parser.h"
#include "sheet/xlsx_styles.h"
#include "sheet/xlsx_workbook.h"
#include "sheet/zip_archive.h"

namespace roster::sheet {
namespace {

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class XlsxReader final : public WorkbookReader {
 public:
  XlsxReader(std::unique_ptr<ZipArchive> zip, XlsxWorkbook workbook, XlsxStyles styles,
             const Limits& limits, const XlsxReaderOptions& options)
      : zip_(std::move(zip)),
        workbook_(std::move(workbook)),
        styles_(std::move(styles)),
        limits_(limits),
        options_(options) {
    for (const XlsxSheetEntry& entry : workbook_.sheets) {
      sheets_.push_back({entry.name, entry.visible});
    }
  }

  FileType type() const override { return FileType::kXlsx; }

  const std::vector<SheetInfo>& sheets() const override { return sheets_; }

  Status ReadRows(size_t sheet_index, const RowCallback& on_row) override {
    if (sheet_index >= sheets_.size()) {
      return InvalidArgument(zip_->display_name() + " has no sheet number " +
                             std::to_string(sheet_index + 1));
    }
    ROSTER_RETURN_IF_ERROR(LoadSharedStrings());
    const XlsxSheetEntry& entry = workbook_.sheets[sheet_index];
    XlsxSheetContext context;
    context.display_name = zip_->display_name();
    context.sheet_name = entry.name;
    context.part_context =
        zip_->display_name() + ": the sheet '" + entry.name + "' (" + entry.part + ")";
    context.shared_strings = workbook_.shared_strings_part.empty() ? nullptr : &*shared_strings_;
    context.styles = &styles_;
    context.date1904 = workbook_.date1904;
    context.limits = limits_;
    ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<ByteReader> reader, OpenPart(entry.part));
    return ReadXlsxSheet(*reader, context, on_row);
  }

 private:
  Result<std::unique_ptr<ByteReader>> OpenPart(const std::string& part) {
    ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<ByteReader> reader, zip_->OpenMember(part));
    if (!options_.prefetch) return reader;
    return std::unique_ptr<ByteReader>(std::make_unique<PrefetchingReader>(std::move(reader)));
  }

  Status LoadSharedStrings() {
    if (shared_strings_.has_value()) return shared_strings_status_;
    shared_strings_.emplace();
    if (workbook_.shared_strings_part.empty()) return Status::Ok();
    const std::string context =
        zip_->display_name() + ": the shared strings (" + workbook_.shared_strings_part + ")";
    Result<std::unique_ptr<ByteReader>> reader = OpenPart(workbook_.shared_strings_part);
    shared_strings_status_ =
        reader.ok() ? shared_strings_->Load(**reader, context, limits_) : reader.status();
    return shared_strings_status_;
  }

  std::unique_ptr<ZipArchive> zip_;
  XlsxWorkbook workbook_;
  XlsxStyles styles_;
  Limits limits_;
  XlsxReaderOptions options_;
  std::vector<SheetInfo> sheets_;
  std::optional<SharedStrings> shared_strings_;
  Status shared_strings_status_;
};

}  // namespace

Result<std::unique_ptr<WorkbookReader>> OpenXlsx(const std::string& path, const Limits& limits,
                                                 const std::string& display_name) {
  return OpenXlsx(path, limits, display_name, XlsxReaderOptions());
}

Result<std::unique_ptr<WorkbookReader>> OpenXlsx(const std::string& path, const Limits& limits,
                                                 const std::string& display_name,
                                                 const XlsxReaderOptions& options) {
  ROSTER_ASSIGN_OR_RETURN(
      std::unique_ptr<ZipArchive> zip,
      ZipArchive::Open(path, limits, display_name.empty() ? BaseName(path) : display_name));
  ROSTER_ASSIGN_OR_RETURN(XlsxWorkbook workbook, ReadXlsxWorkbook(*zip));
  ROSTER_ASSIGN_OR_RETURN(XlsxStyles styles, XlsxStyles::Read(*zip, workbook.styles_part));
  return std::unique_ptr<WorkbookReader>(std::make_unique<XlsxReader>(
      std::move(zip), std::move(workbook), std::move(styles), limits, options));
}

}  // namespace roster::sheet
