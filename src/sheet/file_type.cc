#include "sheet/file_type.h"

#include <zip.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include "sheet/advice.h"
#include "sheet/compound_file.h"
#include "sheet/text_decoding.h"

namespace roster::sheet {
namespace {

// The start of the file that magic numbers and the text check look at.
constexpr size_t kHeadBytes = size_t{64} << 10;
// More than 1 % control bytes (other than tab, line ends, form feed) is binary, not text.
constexpr size_t kMaxControlPercent = 1;
constexpr std::string_view kZipMagic = "PK\x03\x04";
constexpr std::string_view kEmptyZipMagic = "PK\x05\x06";
constexpr std::string_view kOle2Magic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
constexpr std::string_view kOdsMimeType = "application/vnd.oasis.opendocument.spreadsheet";
constexpr std::string_view kExportHint = "export the list from Excel as .xlsx or .csv";

Status NotASpreadsheet(const std::string& display_name, std::string_view what) {
  return InvalidArgument(display_name + ": this is " + std::string(what) +
                         ", not a spreadsheet: " + std::string(kExportHint));
}

Status Damaged(const std::string& display_name, std::string_view container) {
  return InvalidArgument(display_name + ": the file is damaged or incomplete (its " +
                         std::string(container) +
                         " structure cannot be read): save it again and upload it again");
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && StartsWithNoCase(a, b);
}

// Binary formats that are uploaded by mistake, recognized by their first bytes.
struct Magic {
  std::string_view prefix;
  std::string_view what;
};
constexpr std::array<Magic, 9> kMagics = {{
    {"%PDF", "a PDF document"},
    {"\x89PNG\r\n\x1A\n", "a PNG image"},
    {"\xFF\xD8\xFF", "a JPEG image"},
    {"GIF87a", "a GIF image"},
    {"GIF89a", "a GIF image"},
    {"\x1F\x8B", "a gzip archive"},
    {"Rar!\x1A\x07", "a RAR archive"},
    {"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
    {"{\\rtf", "an RTF document"},
}};

struct ZipDeleter {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};

Result<FileType> DetectZip(const std::string& path, const std::string& display_name) {
  int error = 0;
  std::unique_ptr<zip_t, ZipDeleter> archive(zip_open(path.c_str(), ZIP_RDONLY, &error));
  if (archive == nullptr) return Damaged(display_name, "zip");
  const zip_int64_t entries = zip_get_num_entries(archive.get(), 0);
  bool xlsx = false;
  bool xlsb = false;
  bool content_xml = false;
  bool mimetype = false;
  bool word = false;
  bool powerpoint = false;
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* raw_name =
        zip_get_name(archive.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    if (raw_name == nullptr) continue;
    const std::string_view name(raw_name);
    if (name == "xl/workbook.xml") xlsx = true;
    if (name == "xl/workbook.bin") xlsb = true;
    if (name == "content.xml") content_xml = true;
    if (name == "mimetype") mimetype = true;
    if (name.starts_with("word/")) word = true;
    if (name.starts_with("ppt/")) powerpoint = true;
  }
  if (xlsx) return FileType::kXlsx;
  if (xlsb) {
    return InvalidArgument(display_name +
                           ": this is an Excel binary workbook (.xlsb), which Roster does not "
                           "read: save it in Excel as .xlsx and upload it again");
  }
  if (mimetype) {
    // The OpenDocument mimetype member is a few dozen bytes, stored uncompressed.
    std::string type;
    if (zip_file_t* file = zip_fopen(archive.get(), "mimetype", 0)) {
      std::array<char, 128> buffer{};
      const zip_int64_t n = zip_fread(file, buffer.data(), buffer.size());
      zip_fclose(file);
      if (n > 0) type.assign(buffer.data(), static_cast<size_t>(n));
    }
    while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back()))) type.pop_back();
    if (type == kOdsMimeType) return FileType::kOds;
    if (type.starts_with("application/vnd.oasis.opendocument.text")) {
      return NotASpreadsheet(display_name, "an OpenDocument text document (Writer)");
    }
    if (type.starts_with("application/vnd.oasis.opendocument.presentation")) {
      return NotASpreadsheet(display_name, "an OpenDocument presentation (Impress)");
    }
  }
  if (content_xml) return FileType::kOds;
  if (word) return NotASpreadsheet(display_name, "a Word document");
  if (powerpoint) return NotASpreadsheet(display_name, "a PowerPoint presentation");
  return NotASpreadsheet(display_name, "a zip archive");
}

Result<FileType> DetectOle2(const std::string& path, const std::string& display_name) {
  ROSTER_ASSIGN_OR_RETURN(const std::vector<std::string> names,
                          ListCompoundFileEntries(path, display_name));
  auto has = [&](std::string_view wanted) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& name) { return EqualsNoCase(name, wanted); });
  };
  if (has("EncryptedPackage") || has("EncryptionInfo")) {
    return InvalidArgument(PasswordProtectedMessage(display_name));
  }
  if (has("Workbook") || has("Book")) return FileType::kXls;
  if (has("WordDocument")) return NotASpreadsheet(display_name, "a Word document");
  if (has("PowerPoint Document")) return NotASpreadsheet(display_name, "a PowerPoint presentation");
  return NotASpreadsheet(display_name, "an Office file of an unknown kind");
}

// Text formats that are not CSV: web pages and XML, often saved with an .xls name.
std::optional<Status> DetectMarkup(std::string_view head, const std::string& display_name) {
  while (!head.empty() && std::isspace(static_cast<unsigned char>(head.front()))) {
    head.remove_prefix(1);
  }
  if (StartsWithNoCase(head, "<!doctype html") || StartsWithNoCase(head, "<html")) {
    return InvalidArgument(display_name +
                           ": this is a web page (HTML), not a spreadsheet, even if its name "
                           "says otherwise: open it in Excel and save it as .xlsx");
  }
  if (StartsWithNoCase(head, "<?xml")) {
    if (head.find("urn:schemas-microsoft-com:office:spreadsheet") != std::string_view::npos) {
      return InvalidArgument(display_name +
                             ": this is an Excel 2003 XML spreadsheet, which Roster does not "
                             "read: open it in Excel and save it as .xlsx");
    }
    return NotASpreadsheet(display_name, "an XML document");
  }
  return std::nullopt;
}

bool LooksBinary(std::string_view head) {
  size_t control = 0;
  for (const char c : head) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r' && byte != '\f' &&
        byte != 0x1A) {  // 0x1A: the end-of-file mark of old DOS tools
      ++control;
    }
  }
  return control * 100 > head.size() * kMaxControlPercent;
}

}  // namespace

std::string PasswordProtectedMessage(const std::string& display_name) {
  return display_name +
         ": this workbook is password-protected: remove the password in Excel and upload it "
         "again";
}

Result<FileType> DetectFileType(const std::string& path, const std::string& display_name) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFound(display_name + ": the file cannot be opened");
  std::string head(kHeadBytes, '\0');
  file.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(file.gcount()));
  if (head.empty())
    return InvalidArgument(display_name + ": the file is empty" + std::string(kSaveAgain));

  if (head.starts_with(kZipMagic) || head.starts_with(kEmptyZipMagic)) {
    return DetectZip(path, display_name);
  }
  if (head.starts_with(kOle2Magic)) return DetectOle2(path, display_name);
  for (const Magic& magic : kMagics) {
    if (head.starts_with(magic.prefix)) return NotASpreadsheet(display_name, magic.what);
  }

  std::string_view text = head;
  if (const std::optional<ByteOrderMark> bom = DetectByteOrderMark(head)) {
    if (bom->encoding != TextEncoding::kUtf8Bom) return FileType::kCsv;  // UTF-16
    text.remove_prefix(bom->length);
  } else if (DetectUtf16WithoutBom(head)) {
    return FileType::kCsv;
  }
  if (std::optional<Status> markup = DetectMarkup(text, display_name)) return *std::move(markup);
  if (LooksBinary(text)) {
    return InvalidArgument(display_name +
                           ": this is not a spreadsheet (it holds binary data of a kind Roster "
                           "does not know): " +
                           std::string(kExportHint));
  }
  return FileType::kCsv;
}

}  // namespace roster::sheet
