#include "sheet/xlsx_workbook.h"

#include <cstring>
#include <unordered_map>

#include "sheet/advice.h"
#include "sheet/cell_reference.h"
#include "sheet/expat_parser.h"

namespace roster::sheet {
namespace {

constexpr std::string_view kDefaultWorkbookPart = "xl/workbook.xml";

bool TypeIs(std::string_view type, std::string_view suffix) {
  return type.size() > suffix.size() && type.ends_with(suffix) &&
         type[type.size() - suffix.size() - 1] == '/';
}

bool IsTrue(const char* value) {
  return value != nullptr && (std::strcmp(value, "1") == 0 || std::strcmp(value, "true") == 0);
}

struct Relationship {
  std::string type;
  std::string target;      // resolved part name; empty when it points outside the package
  std::string raw_target;  // as written, for messages
};

class RelationshipsHandler final : public XmlHandler {
 public:
  RelationshipsHandler(std::string source_part, std::string context)
      : source_part_(std::move(source_part)), context_(std::move(context)) {}

  Status OnStart(std::string_view name, const XmlAttributes& attributes) override {
    if (name != "Relationship") return Status::Ok();
    const char* id = attributes.Find("Id");
    const char* type = attributes.Find("Type");
    const char* target = attributes.Find("Target");
    const char* mode = attributes.Find("TargetMode");
    if (id == nullptr || type == nullptr || target == nullptr) return Status::Ok();
    if (mode != nullptr && std::strcmp(mode, "External") == 0) return Status::Ok();
    if (relationships_.size() >= kMaxWorkbookEntries) {
      return ResourceExhausted(context_ + " has more than " + FormatCount(kMaxWorkbookEntries) +
                               " relationships");
    }
    relationships_[id] = {type, ResolvePartName(source_part_, target), target};
    return Status::Ok();
  }
  Status OnEnd(std::string_view) override { return Status::Ok(); }
  Status OnText(std::string_view) override { return Status::Ok(); }

  std::unordered_map<std::string, Relationship>& relationships() { return relationships_; }

 private:
  std::string source_part_;
  std::string context_;
  std::unordered_map<std::string, Relationship> relationships_;
};

struct SheetDeclaration {
  std::string name;
  bool visible = true;
  std::string relationship_id;
};

class WorkbookHandler final : public XmlHandler {
 public:
  explicit WorkbookHandler(std::string context) : context_(std::move(context)) {}

  Status OnStart(std::string_view name, const XmlAttributes& attributes) override {
    if (name == "workbookPr") {
      date1904_ = IsTrue(attributes.Find("date1904"));
    } else if (name == "sheet") {
      if (sheets_.size() >= kMaxWorkbookEntries) {
        return ResourceExhausted(context_ + " has more than " + FormatCount(kMaxWorkbookEntries) +
                                 " sheets");
      }
      const char* sheet_name = attributes.Find("name");
      const char* state = attributes.Find("state");
      const char* id = attributes.Find("id");
      if (sheet_name == nullptr || id == nullptr) {
        return InvalidArgument(context_ + " declares a sheet without a name or relationship id");
      }
      sheets_.push_back({sheet_name,
                         state == nullptr || (std::strcmp(state, "hidden") != 0 &&
                                              std::strcmp(state, "veryHidden") != 0),
                         id});
    }
    return Status::Ok();
  }
  Status OnEnd(std::string_view) override { return Status::Ok(); }
  Status OnText(std::string_view) override { return Status::Ok(); }

  bool date1904() const { return date1904_; }
  const std::vector<SheetDeclaration>& sheets() const { return sheets_; }

 private:
  std::string context_;
  bool date1904_ = false;
  std::vector<SheetDeclaration> sheets_;
};

Status ParsePart(ZipArchive& zip, const std::string& part, const std::string& context,
                 XmlHandler& handler) {
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<ByteReader> reader, zip.OpenMember(part));
  return ExpatParser::Parse(*reader, context, handler);
}

Result<std::unordered_map<std::string, Relationship>> ReadRelationships(
    ZipArchive& zip, const std::string& source_part) {
  const std::string part = RelationshipsPartName(source_part);
  RelationshipsHandler handler(source_part,
                               zip.display_name() + ": the relationships (" + part + ")");
  if (!zip.Contains(part)) return std::move(handler.relationships());
  ROSTER_RETURN_IF_ERROR(
      ParsePart(zip, part, zip.display_name() + ": the relationships (" + part + ")", handler));
  return std::move(handler.relationships());
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string RelationshipsPartName(std::string_view source_part) {
  const size_t slash = source_part.rfind('/');
  const std::string_view directory =
      slash == std::string_view::npos ? std::string_view() : source_part.substr(0, slash + 1);
  const std::string_view file =
      slash == std::string_view::npos ? source_part : source_part.substr(slash + 1);
  return std::string(directory) + "_rels/" + std::string(file) + ".rels";
}

std::string ResolvePartName(std::string_view source_part, std::string_view target) {
  std::string decoded;
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == '%' && i + 2 < target.size() && HexDigit(target[i + 1]) >= 0 &&
        HexDigit(target[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(HexDigit(target[i + 1]) * 16 + HexDigit(target[i + 2])));
      i += 2;
    } else {
      decoded.push_back(target[i] == '\\' ? '/' : target[i]);
    }
  }
  std::string path;
  if (!decoded.empty() && decoded[0] == '/') {
    path = decoded;
  } else {
    const size_t slash = source_part.rfind('/');
    if (slash != std::string_view::npos) path = std::string(source_part.substr(0, slash + 1));
    path += decoded;
  }
  std::vector<std::string_view> segments;
  std::string_view rest = path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (segments.empty()) return "";
      segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  std::string result;
  for (const std::string_view segment : segments) {
    if (!result.empty()) result.push_back('/');
    result.append(segment);
  }
  return result;
}

Result<XlsxWorkbook> ReadXlsxWorkbook(ZipArchive& zip) {
  XlsxWorkbook workbook;
  ROSTER_ASSIGN_OR_RETURN(auto package_relationships, ReadRelationships(zip, ""));
  for (const auto& [id, relationship] : package_relationships) {
    if (TypeIs(relationship.type, "officeDocument") && !relationship.target.empty()) {
      workbook.workbook_part = relationship.target;
    }
  }
  if (workbook.workbook_part.empty()) workbook.workbook_part = kDefaultWorkbookPart;
  if (!zip.Contains(workbook.workbook_part)) {
    return InvalidArgument(zip.display_name() + " has no workbook part (" + workbook.workbook_part +
                           " is missing); it is not an Excel workbook or it is damaged");
  }
  const std::string context =
      zip.display_name() + ": the workbook (" + workbook.workbook_part + ")";
  WorkbookHandler handler(context);
  ROSTER_RETURN_IF_ERROR(ParsePart(zip, workbook.workbook_part, context, handler));
  workbook.date1904 = handler.date1904();

  ROSTER_ASSIGN_OR_RETURN(auto relationships, ReadRelationships(zip, workbook.workbook_part));
  for (const auto& [id, relationship] : relationships) {
    if (TypeIs(relationship.type, "sharedStrings")) {
      workbook.shared_strings_part = relationship.target;
    } else if (TypeIs(relationship.type, "styles")) {
      workbook.styles_part = relationship.target;
    }
  }
  // Writers that forget the relationship still put the parts in their usual place.
  if (workbook.shared_strings_part.empty() && zip.Contains("xl/sharedStrings.xml")) {
    workbook.shared_strings_part = "xl/sharedStrings.xml";
  }
  if (workbook.styles_part.empty() && zip.Contains("xl/styles.xml")) {
    workbook.styles_part = "xl/styles.xml";
  }

  for (const SheetDeclaration& sheet : handler.sheets()) {
    const auto found = relationships.find(sheet.relationship_id);
    if (found == relationships.end()) {
      return InvalidArgument(context + " lists the sheet '" + sheet.name +
                             "' with the relationship " + sheet.relationship_id + ", which " +
                             RelationshipsPartName(workbook.workbook_part) +
                             " does not define; the file is damaged" + std::string(kSaveAgain));
    }
    // Chart sheets, dialog sheets and macro sheets hold no rows.
    if (!TypeIs(found->second.type, "worksheet")) continue;
    if (found->second.target.empty()) {
      return InvalidArgument(zip.display_name() + ": the sheet '" + sheet.name + "' points to " +
                             found->second.raw_target +
                             ", outside the file; the file is damaged or was made to mislead" +
                             std::string(kSaveAgain));
    }
    if (!zip.Contains(found->second.target)) {
      return InvalidArgument(
          zip.display_name() + ": the sheet '" + sheet.name + "' (" + found->second.target +
          ") is missing from the file; the file is damaged" + std::string(kSaveAgain));
    }
    workbook.sheets.push_back({sheet.name, sheet.visible, found->second.target});
  }
  if (workbook.sheets.empty()) {
    return InvalidArgument(
        zip.display_name() +
        ": the workbook has no sheets with cells; there is nothing to read: check that this is the "
        "file with the list, or add the list to its first sheet and upload again");
  }
  return workbook;
}

}  // namespace roster::sheet
