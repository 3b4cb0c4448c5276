// make_seeds: writes the seed corpora of the fuzz harnesses, so that no binary seed is
// committed. Usage:
//
//   make_seeds <source dir> <corpus root> <target>...
//
// writes into <corpus root>/<target>/ (created when missing), for each target named:
//
//   xlsx_reader  tests/data/third_party and tests/data/golden .xlsx files (real writers:
//                LibreOffice, SheetJS, ExcelJS, xlsx-populate), each also in the member-list
//                form (harness.h) with the parts the reader reads; a workbook from Roster's own
//                XlsxWriter; the bad-files suite's .xlsx cases (tests/support/hostile_files.h)
//   ods_reader   the .ods files of tests/data, also as member lists; the suite's .ods cases
//   xls_reader   the .xls files of tests/data; the suite's .xls cases
//   csv_reader   the .csv files of tests/data golden cases; the suite's .csv cases; a few
//                encodings and dialects
//   email_rules  addresses of every kind email.h names, valid and not
//
// Seed names are fixed (the origin and the case), so running it again rewrites the same
// files and the persistent corpus around them keeps growing by libFuzzer's own additions
// only. Seeds above kMaxSeedBytes are left out: the harnesses run with -max_len at that size.
// Exits 0 on success, 2 on bad usage, 1 when a folder cannot be written.

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness.h"
#include "sheet/xlsx_writer.h"
#include "support/hostile_files.h"

namespace {

namespace fs = std::filesystem;

// The harnesses' -max_len (scripts/fuzz.sh).
constexpr size_t kMaxSeedBytes = size_t{64} << 10;

class SeedWriter {
 public:
  explicit SeedWriter(fs::path folder) : folder_(std::move(folder)) {
    fs::create_directories(folder_);
  }

  void Add(std::string_view name, std::string_view bytes) {
    if (bytes.size() > kMaxSeedBytes) {
      ++skipped_;
      return;
    }
    std::string file_name(name);
    std::replace_if(
        file_name.begin(), file_name.end(),
        [](char c) {
          return !(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-');
        },
        '_');
    std::ofstream out(folder_ / ("seed-" + file_name), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write into " + folder_.string());
    ++written_;
  }

  void Report(std::string_view target) const {
    std::printf("%-12s %3d seeds written, %d over %zu bytes left out\n",
                std::string(target).c_str(), written_, skipped_, kMaxSeedBytes);
  }

 private:
  fs::path folder_;
  int written_ = 0;
  int skipped_ = 0;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The files of tests/data/{third_party,golden} ending in `extension`, sorted.
std::vector<fs::path> TestDataFiles(const fs::path& source, std::string_view extension) {
  std::vector<fs::path> files;
  for (const char* folder : {"tests/data/third_party", "tests/data/golden"}) {
    if (!fs::is_directory(source / folder)) continue;
    for (const fs::directory_entry& entry : fs::directory_iterator(source / folder)) {
      if (entry.is_regular_file() && entry.path().extension() == extension) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};

// The members of the zip file at `path` that `keep` accepts, in the zip's order; empty when it
// is not a zip file (an encrypted workbook is an OLE2 file).
std::vector<std::pair<std::string, std::string>> ZipMembers(const fs::path& path,
                                                            bool (*keep)(std::string_view name)) {
  std::vector<std::pair<std::string, std::string>> members;
  int error = 0;
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open(path.c_str(), ZIP_RDONLY, &error));
  if (archive == nullptr) return members;
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const auto index = static_cast<zip_uint64_t>(i);
    const char* name = zip_get_name(archive.get(), index, 0);
    zip_stat_t stat;
    if (name == nullptr || !keep(name) || zip_stat_index(archive.get(), index, 0, &stat) != 0) {
      continue;
    }
    zip_file_t* file = zip_fopen_index(archive.get(), index, 0);
    if (file == nullptr) continue;
    std::string content(static_cast<size_t>(stat.size), '\0');
    const zip_int64_t read = zip_fread(file, content.data(), content.size());
    zip_fclose(file);
    if (read < 0) continue;
    content.resize(static_cast<size_t>(read));
    members.emplace_back(name, std::move(content));
  }
  return members;
}

// The parts the xlsx reader reads: the package map, workbook, styles, strings and sheets.
bool IsXlsxReaderPart(std::string_view name) {
  const bool xml = name.ends_with(".xml") || name.ends_with(".rels");
  return xml && !name.starts_with("docProps/") && !name.starts_with("xl/theme/") &&
         !name.starts_with("customXml/");
}

// The parts the ods reader reads.
bool IsOdsReaderPart(std::string_view name) { return name == "mimetype" || name == "content.xml"; }

// Real files of `extension` from tests/data, and their member lists when `keep` is given.
void AddTestData(SeedWriter& seeds, const fs::path& source, std::string_view extension,
                 bool (*keep)(std::string_view name)) {
  for (const fs::path& path : TestDataFiles(source, extension)) {
    const std::string name =
        path.parent_path().filename().string() + "-" + path.filename().string();
    seeds.Add(name, ReadFile(path));
    if (keep == nullptr) continue;
    const auto members = ZipMembers(path, keep);
    if (!members.empty()) seeds.Add(name + ".members", roster::fuzz::MemberList(members));
  }
}

// The bad-files suite's cases whose upload name ends in `extension`, built with limits small
// enough that the over-limit cases stay small; cases above the seed size are left out.
void AddHostileFiles(SeedWriter& seeds, const fs::path& scratch, std::string_view extension) {
  roster::sheet::Limits limits;
  limits.max_rows = 50;
  limits.max_columns = 100;
  limits.max_cell_chars = 1000;
  for (const roster::testing::HostileFile& file : roster::testing::HostileFiles(limits)) {
    if (!file.file_name.ends_with(extension)) continue;
    const fs::path path = scratch / file.file_name;
    try {
      file.write(path);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "make_seeds: %s left out: %s\n", file.name.c_str(), error.what());
      continue;
    }
    seeds.Add("hostile-" + file.name, ReadFile(path));
    fs::remove(path);
  }
}

// A workbook from Roster's own writer: two sheets, text, numbers, a gap, a note and a list.
void AddWrittenXlsx(SeedWriter& seeds, const fs::path& scratch) {
  const fs::path path = scratch / "written.xlsx";
  auto writer = roster::sheet::XlsxWriter::Create(path.string());
  if (!writer.ok()) return;
  roster::sheet::XlsxWriter& workbook = **writer;
  const auto staff = workbook.AddSheet("Staff");
  const auto archive = workbook.AddSheet("Archiv ü");
  if (!staff.ok() || !archive.ok()) return;
  using Cells = std::vector<roster::sheet::XlsxCellValue>;
  bool ok = workbook.WriteHeader(*staff, {"Email", "First name", "Id", "Start"}).ok();
  ok = ok &&
       workbook.WriteRow(*staff, 1, Cells{"anna@acme.example", "Anna", "00123", 45'352.0}).ok();
  ok = ok && workbook
                 .WriteRow(*staff, 3,
                           Cells{"Jörg.Müller@bücher.example", std::monostate(), -1.5e-3, "=1+1"})
                 .ok();
  ok = ok && workbook.AddNote(*staff, 0, 0, "The address people sign in with").ok();
  ok = ok && workbook.AddDropDown(*staff, 1, 1, 100, {"Anna", "Ben"}).ok();
  ok = ok && workbook.WriteRow(*archive, 0, Cells{"x", 1.0}).ok();
  if (!workbook.Close().ok() || !ok) return;
  seeds.Add("writer-staff.xlsx", ReadFile(path));
  seeds.Add("writer-staff.xlsx.members",
            roster::fuzz::MemberList(ZipMembers(path, IsXlsxReaderPart)));
  fs::remove(path);
}

void AddCsvDialects(SeedWriter& seeds) {
  const std::string text =
      "Email;Vorname;Nr\r\n\"müller@acme.example\";\"Jörg \"\"J\"\"\";007\r\n"
      "\"multi\nline\";;\r\n";
  seeds.Add("dialect-semicolon-crlf.csv", text);
  seeds.Add("dialect-tab.csv", "Email\tName\nanna@acme.example\tAnna\n\tonly second\n");
  seeds.Add("dialect-pipe-cr.csv", "Email|Name\ranna@acme.example|Anna\r");
  seeds.Add("dialect-bom.csv",
            "\xEF\xBB\xBF"
            "Email,Name\nanna@acme.example,Änne\n");
  seeds.Add("dialect-windows-1252.csv", "Email,Name\nren\xE9@acme.example,Ren\xE9 \x80\n");
  std::string utf16le = "\xFF\xFE";
  std::string utf16be = "\xFE\xFF";
  std::string utf16le_bare;
  for (const char c : std::string_view("Email,Name\r\nanna@acme.example,Anna\r\n")) {
    utf16le += c, utf16le += '\0';
    utf16be += '\0', utf16be += c;
    utf16le_bare += c, utf16le_bare += '\0';
  }
  utf16le += "\x3D\xD8\x00\xDE";  // U+1F600 as a surrogate pair
  seeds.Add("dialect-utf16le.csv", utf16le);
  seeds.Add("dialect-utf16be.csv", utf16be);
  seeds.Add("dialect-utf16le-without-bom.csv", utf16le_bare);
}

void AddAddresses(SeedWriter& seeds) {
  const std::vector<std::string_view> addresses = {
      "anna@acme.example",
      "  Anna.Schmidt+news@Example.COM \xC2\xA0",
      "M\xC3\xBCller@B\xC3\xBC"
      "cher.example",
      "mu\xCC\x88ller@xn--bcher-kva.example",
      "fa\xC3\x9F@fa\xC3\x9F.de",
      "STRASSE@stra\xC3\x9F"
      "e.de",
      "\xC4\xB0lker@acme.example",
      "\"anna schmidt\"@acme.example",
      "\"a\\\"b\"@acme.example",
      "mailto:anna@acme.example",
      "Anna Schmidt <anna@acme.example>",
      "<anna@acme.example>",
      "anna @ acme . example",
      "anna\xE2\x80\x8B@acme.example",
      "anna.acme.example",
      "anna@@acme.example",
      "anna@x@acme.example",
      "@acme.example",
      "anna@",
      ".anna@acme.example",
      "anna.@acme.example",
      "anna@acme.example.",
      "anna..schmidt@acme.example",
      "anna@acme..example",
      "anna,s@acme.example",
      "\"anna@acme.example",
      "anna@-acme.example",
      "anna@acme_x.example",
      "anna@localhost",
      "anna@[192.0.2.1]",
      "anna@192.0.2.1",
      "anna\xEF\xBC\xA0"
      "acme.example",
      "\xEF\xBD\x81nna@acme.example",
      "anna@acme\xE3\x80\x82"
      "example",
      "anna@i\xE2\x9D\xA4.ws",
      "anna@acme,example",
      "anna@acme.example;",
      "\xCE\xA3\xCE\xBF\xCF\x86\xCE\xAF\xCE\xB1@\xCE\xB5\xCE\xBB.example",
      "\xE7\x94\xB0\xE4\xB8\xAD@\xE4\xBE\x8B\xE3\x81\x88.jp",
      "user@xn--ls8h.la",
      "\xC2\xB5@acme.example",
      "\xEF\xAC\x80@acme.example",
      "anna\x01@acme.example",
      "\xFF\xFE",
      "",
  };
  std::string long_local(64, 'a');
  std::string long_label(63, 'b');
  int index = 0;
  for (const std::string_view address : addresses) {
    seeds.Add("address-" + std::to_string(index++), address);
  }
  seeds.Add("address-long-local", long_local + "@acme.example");
  seeds.Add("address-long-label", "anna@" + long_label + ".example");
  seeds.Add("address-long-domain",
            "anna@" + long_label + "." + long_label + "." + long_label + "." + long_label + ".de");
  seeds.Add("domain-idn",
            "B\xC3\xBC"
            "cher.Example");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <source dir> <corpus root> <target>...\n", argv[0]);
    return 2;
  }
  const fs::path source = argv[1];
  const fs::path root = argv[2];
  // The bad-files suite copies its password-protected cases from tests/data/third_party.
  ::setenv("ROSTER_SOURCE_DIR", source.c_str(), 1);
  try {
    const fs::path scratch = root / ".seeds-scratch";
    fs::create_directories(scratch);
    for (int i = 3; i < argc; ++i) {
      const std::string target = argv[i];
      SeedWriter seeds(root / target);
      if (target == "xlsx_reader") {
        AddTestData(seeds, source, ".xlsx", IsXlsxReaderPart);
        AddWrittenXlsx(seeds, scratch);
        AddHostileFiles(seeds, scratch, ".xlsx");
      } else if (target == "ods_reader") {
        AddTestData(seeds, source, ".ods", IsOdsReaderPart);
        AddHostileFiles(seeds, scratch, ".ods");
      } else if (target == "xls_reader") {
        AddTestData(seeds, source, ".xls", nullptr);
        AddHostileFiles(seeds, scratch, ".xls");
      } else if (target == "csv_reader") {
        AddTestData(seeds, source, ".csv", nullptr);
        AddHostileFiles(seeds, scratch, ".csv");
        AddCsvDialects(seeds);
      } else if (target == "email_rules") {
        AddAddresses(seeds);
      } else {
        std::fprintf(stderr, "make_seeds: unknown target %s\n", target.c_str());
        return 2;
      }
      seeds.Report(target);
    }
    fs::remove_all(scratch);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "make_seeds: %s\n", error.what());
    return 1;
  }
  return 0;
}
