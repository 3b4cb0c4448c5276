#include "sheet/xlsx_styles.h"

#include <charconv>
#include <cstring>
#include <unordered_map>

#include "sheet/cell_format.h"
#include "sheet/cell_reference.h"
#include "sheet/expat_parser.h"

namespace roster::sheet {
namespace {

constexpr size_t kMaxCustomFormats = 100'000;

bool ParseInt(const char* text, int64_t* value) {
  if (text == nullptr) return false;
  const char* end = text + std::strlen(text);
  return std::from_chars(text, end, *value).ptr == end;
}

class StylesHandler final : public XmlHandler {
 public:
  explicit StylesHandler(std::string context) : context_(std::move(context)) {}

  Status OnStart(std::string_view name, const XmlAttributes& attributes) override {
    if (name == "numFmt") {
      int64_t id = 0;
      const char* code = attributes.Find("formatCode");
      if (ParseInt(attributes.Find("numFmtId"), &id) && code != nullptr) {
        if (custom_.size() >= kMaxCustomFormats) {
          return ResourceExhausted(context_ + " has more than " + FormatCount(kMaxCustomFormats) +
                                   " number formats");
        }
        custom_[id] = IsDateFormatCode(code);
      }
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      if (format_ids_.size() >= XlsxStyles::kMaxCellFormats) {
        return ResourceExhausted(context_ + " has more than " +
                                 FormatCount(XlsxStyles::kMaxCellFormats) + " cell formats");
      }
      int64_t id = 0;
      format_ids_.push_back(ParseInt(attributes.Find("numFmtId"), &id) ? id : 0);
    }
    return Status::Ok();
  }

  Status OnEnd(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
    return Status::Ok();
  }
  Status OnText(std::string_view) override { return Status::Ok(); }

  std::vector<bool> DateTable() const {
    std::vector<bool> is_date(format_ids_.size());
    for (size_t i = 0; i < format_ids_.size(); ++i) {
      const auto custom = custom_.find(format_ids_[i]);
      // A custom format may redefine a built-in id; the definition wins.
      is_date[i] =
          custom != custom_.end()
              ? custom->second
              : format_ids_[i] < 1000 && IsBuiltinDateFormat(static_cast<int>(format_ids_[i]));
    }
    return is_date;
  }

 private:
  std::string context_;
  bool in_cell_xfs_ = false;
  std::unordered_map<int64_t, bool> custom_;
  std::vector<int64_t> format_ids_;
};

}  // namespace

Result<XlsxStyles> XlsxStyles::Read(ZipArchive& zip, const std::string& part) {
  if (part.empty() || !zip.Contains(part)) return XlsxStyles();
  const std::string context = zip.display_name() + ": the styles (" + part + ")";
  StylesHandler handler(context);
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<ByteReader> reader, zip.OpenMember(part));
  ROSTER_RETURN_IF_ERROR(ExpatParser::Parse(*reader, context, handler));
  return XlsxStyles(handler.DateTable());
}

}  // namespace roster::sheet
