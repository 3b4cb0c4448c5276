// The users export: every user of an organization with the template's columns (Roster ID
// first, then every attribute in table order), as .xlsx or .csv, so that the file can be
// edited and imported back in add-update mode. Users are read page by page and written as
// they come, so memory stays bounded: the CSV is streamed, the workbook is written in
// libxlsxwriter's constant-memory mode.

#include "import/user_export.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/attribute.h"
#include "core/text.h"
#include "import/formula_guard.h"
#include "sheet/xlsx_writer.h"

namespace roster::import {
namespace {

constexpr int64_t kPageSize = 5'000;
constexpr std::string_view kSheetName = "Users";
constexpr std::string_view kGroupSeparator = ", ";
constexpr double kEmailColumnWidth = 32;
constexpr double kColumnWidth = 16;

// The text of one attribute of `user`, as the import reads it back.
std::string ValueOf(const User& user, Attribute attribute) {
  switch (attribute) {
    case Attribute::kRosterId: return std::to_string(user.id);
    case Attribute::kEmail: return user.email;
    case Attribute::kFirstName: return user.first_name;
    case Attribute::kLastName: return user.last_name;
    case Attribute::kGender: return user.gender;
    case Attribute::kAcademicDegree: return user.academic_degree;
    case Attribute::kLanguage: return user.language;
    case Attribute::kAddressType: return user.address_type;
    case Attribute::kManagerEmail: return user.manager_email;
    case Attribute::kDepartment: return user.department;
    case Attribute::kLocation: return user.location;
    case Attribute::kEmployeeId: return user.employee_id;
    case Attribute::kGroups: {
      std::string joined;
      for (const std::string& group : user.groups) {
        if (!joined.empty()) joined += kGroupSeparator;
        joined += group;
      }
      return joined;
    }
  }
  return "";
}

// Where the rows go: one header, then one row per user, then Close().
class ExportSink {
 public:
  virtual ~ExportSink() = default;
  virtual Status WriteHeader(const std::vector<std::string>& headers) = 0;
  // `cells[0]` is the Roster ID; the other cells are neutralized already.
  virtual Status WriteUser(int64_t id, const std::vector<std::string>& cells) = 0;
  virtual Status Close() = 0;
};

// UTF-8 with a BOM (so that Excel reads it as UTF-8), RFC 4180 quoting, CRLF line ends.
class CsvSink : public ExportSink {
 public:
  explicit CsvSink(std::string path) : path_(std::move(path)) {}

  Status Open() {
    out_.open(path_, std::ios::binary | std::ios::trunc);
    if (!out_) return InvalidArgument(path_ + " cannot be written");
    out_ << "\xEF\xBB\xBF";
    return Status::Ok();
  }
  Status WriteHeader(const std::vector<std::string>& headers) override { return Line(headers); }
  Status WriteUser(int64_t, const std::vector<std::string>& cells) override { return Line(cells); }
  Status Close() override {
    out_.close();
    if (!out_) return Internal(path_ + " could not be written completely");
    return Status::Ok();
  }

 private:
  Status Line(const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out_ << ',';
      WriteField(cells[i]);
    }
    out_ << "\r\n";
    if (!out_) return Internal(path_ + " could not be written (disk full?)");
    return Status::Ok();
  }
  void WriteField(const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) {
      out_ << field;
      return;
    }
    out_ << '"';
    for (char c : field) {
      if (c == '"') out_ << '"';
      out_ << c;
    }
    out_ << '"';
  }

  std::string path_;
  std::ofstream out_;
};

// One sheet "Users", the Roster ID as a number, everything else as text.
class XlsxSink : public ExportSink {
 public:
  static Result<std::unique_ptr<XlsxSink>> Create(const std::string& path) {
    ROSTER_ASSIGN_OR_RETURN(
        std::unique_ptr<sheet::XlsxWriter> writer,
        sheet::XlsxWriter::Create(path, sheet::XlsxWriter::Options{.constant_memory = true}));
    ROSTER_ASSIGN_OR_RETURN(size_t sheet, writer->AddSheet(std::string(kSheetName)));
    return std::unique_ptr<XlsxSink>(new XlsxSink(std::move(writer), sheet));
  }

  Status WriteHeader(const std::vector<std::string>& headers) override {
    const auto last = static_cast<int64_t>(headers.size()) - 1;
    ROSTER_RETURN_IF_ERROR(writer_->SetColumnWidth(sheet_, 0, last, kColumnWidth));
    for (int64_t column = 0; column <= last; ++column) {
      const Attribute attribute = AttributeTable()[static_cast<size_t>(column)].attribute;
      if (attribute == Attribute::kEmail || attribute == Attribute::kManagerEmail) {
        ROSTER_RETURN_IF_ERROR(writer_->SetColumnWidth(sheet_, column, column, kEmailColumnWidth));
      }
    }
    return writer_->WriteHeader(sheet_, headers);
  }
  Status WriteUser(int64_t id, const std::vector<std::string>& cells) override {
    std::vector<sheet::XlsxCellValue> values;
    values.reserve(cells.size());
    values.emplace_back(static_cast<double>(id));
    for (size_t i = 1; i < cells.size(); ++i) values.emplace_back(cells[i]);
    return writer_->WriteRow(sheet_, ++row_, values);
  }
  Status Close() override { return writer_->Close(); }

 private:
  XlsxSink(std::unique_ptr<sheet::XlsxWriter> writer, size_t sheet)
      : writer_(std::move(writer)), sheet_(sheet) {}

  std::unique_ptr<sheet::XlsxWriter> writer_;
  size_t sheet_;
  int64_t row_ = 0;
};

// Writes every user of `org_id` into `sink`; returns how many.
Result<int64_t> WriteUsers(Store& store, int64_t org_id, ExportSink& sink,
                           const ProgressCallback& progress) {
  std::vector<std::string> headers;
  for (const AttributeSpec& spec : AttributeTable()) headers.emplace_back(spec.template_header);
  ROSTER_RETURN_IF_ERROR(sink.WriteHeader(headers));
  UserQuery query;
  query.sort = UserSort::kId;
  query.limit = kPageSize;
  int64_t written = 0;
  std::vector<std::string> cells(headers.size());
  while (true) {
    ROSTER_ASSIGN_OR_RETURN(UserPage page, store.ListUsers(org_id, query));
    for (const UserListEntry& entry : page.users) {
      // The list leaves out the groups; the full user has them.
      Result<User> user = store.GetUser(org_id, entry.user.id);
      if (user.status().code() == ErrorCode::kNotFound) continue;  // deleted meanwhile
      if (!user.ok()) return user.status();
      for (size_t i = 0; i < cells.size(); ++i) {
        cells[i] = NeutralizeFormula(ValueOf(*user, AttributeTable()[i].attribute));
      }
      ROSTER_RETURN_IF_ERROR(sink.WriteUser(user->id, cells));
      ++written;
    }
    if (progress) progress(written, page.total);
    if (static_cast<int64_t>(page.users.size()) < kPageSize) break;
    query.offset += kPageSize;
  }
  ROSTER_RETURN_IF_ERROR(sink.Close());
  return written;
}

}  // namespace

Result<int64_t> ExportUsers(Store& store, int64_t org_id, const std::string& path,
                            const ProgressCallback& progress) {
  const std::string lowered = AsciiLower(path);
  const bool csv = lowered.ends_with(".csv");
  if (!csv && !lowered.ends_with(".xlsx")) {
    return InvalidArgument("'" + path + "' must name a .xlsx or .csv file");
  }
  std::unique_ptr<ExportSink> sink;
  if (csv) {
    auto csv_sink = std::make_unique<CsvSink>(path);
    ROSTER_RETURN_IF_ERROR(csv_sink->Open());
    sink = std::move(csv_sink);
  } else {
    ROSTER_ASSIGN_OR_RETURN(sink, XlsxSink::Create(path));
  }
  Result<int64_t> exported = WriteUsers(store, org_id, *sink, progress);
  if (!exported.ok()) {
    sink.reset();                        // a workbook is discarded unwritten
    if (csv) std::remove(path.c_str());  // no half-written CSV left behind
  }
  return exported;
}

}  // namespace roster::import
