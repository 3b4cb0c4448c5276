#include "support/hostile_files.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <ostream>
#include <random>
#include <stdexcept>

namespace roster::testing {
namespace hostile {
namespace {

constexpr uint16_t kStored = 0;
constexpr uint16_t kDeflated = 8;
constexpr uint16_t kUtf8Names = 0x0800;
constexpr uint16_t kDosDate1980 = 0x21;
constexpr size_t kMaxStoredBlock = 65'535;
constexpr uint32_t kCrcPolynomial = 0xEDB88320;

void Put16(std::string* out, uint32_t value) {
  out->push_back(static_cast<char>(value & 0xFF));
  out->push_back(static_cast<char>((value >> 8) & 0xFF));
}

void Put32(std::string* out, uint32_t value) {
  Put16(out, value & 0xFFFF);
  Put16(out, value >> 16);
}

const std::array<uint32_t, 256>& CrcTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> entries{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? kCrcPolynomial ^ (c >> 1) : c >> 1;
      entries[n] = c;
    }
    return entries;
  }();
  return table;
}

// GF(2) matrix helpers of zlib's crc32_combine: a matrix is 32 columns of 32 bits.
uint32_t MatrixTimes(const std::array<uint32_t, 32>& matrix, uint32_t vector) {
  uint32_t sum = 0;
  for (size_t i = 0; vector != 0; ++i, vector >>= 1) {
    if (vector & 1) sum ^= matrix[i];
  }
  return sum;
}

void MatrixSquare(std::array<uint32_t, 32>& square, const std::array<uint32_t, 32>& matrix) {
  for (size_t n = 0; n < 32; ++n) square[n] = MatrixTimes(matrix, matrix[n]);
}

// The CRC of `unit` repeated `copies` times, by doubling.
uint32_t RepeatedCrc(std::string_view unit, uint64_t copies) {
  uint32_t result = 0;
  uint64_t result_length = 0;
  uint32_t power = Crc32(unit);  // the CRC of unit * 2^k
  uint64_t power_length = unit.size();
  while (copies > 0) {
    if (copies & 1) {
      result = result_length == 0 ? power : Crc32Combine(result, power, power_length);
      result_length += power_length;
    }
    copies >>= 1;
    if (copies > 0) {
      power = Crc32Combine(power, power, power_length);
      power_length *= 2;
    }
  }
  return result;
}

// Deflate's bit order: values least significant bit first, Huffman codes most significant
// bit first.
class BitWriter {
 public:
  void Bits(uint32_t value, int count) {
    buffer_ |= static_cast<uint64_t>(value) << filled_;
    filled_ += count;
    while (filled_ >= 8) {
      out_.push_back(static_cast<char>(buffer_ & 0xFF));
      buffer_ >>= 8;
      filled_ -= 8;
    }
  }
  void Code(uint32_t code, int length) {
    uint32_t reversed = 0;
    for (int i = 0; i < length; ++i) reversed |= ((code >> i) & 1) << (length - 1 - i);
    Bits(reversed, length);
  }
  void AlignToByte() {
    if (filled_ > 0) Bits(0, 8 - filled_);
  }
  void Bytes(std::string_view bytes) { out_.append(bytes); }
  std::string Take() {
    AlignToByte();
    return std::move(out_);
  }

 private:
  std::string out_;
  uint64_t buffer_ = 0;
  int filled_ = 0;
};

void StoredBlocks(BitWriter& out, std::string_view content, bool final) {
  do {
    const size_t length = std::min(content.size(), kMaxStoredBlock);
    const bool last = final && length == content.size();
    out.Bits(last ? 1 : 0, 1);
    out.Bits(0, 2);  // BTYPE 00: stored
    out.AlignToByte();
    std::string header;
    Put16(&header, static_cast<uint32_t>(length));
    Put16(&header, static_cast<uint32_t>(~length & 0xFFFF));
    out.Bytes(header);
    out.Bytes(content.substr(0, length));
    content.remove_prefix(length);
  } while (!content.empty());
}

struct DeflateCode {
  uint32_t symbol;
  uint32_t base;
  int extra_bits;
};

// RFC 1951 section 3.2.5.
constexpr std::array<DeflateCode, 29> kLengthCodes = {{
    {257, 3, 0},   {258, 4, 0},   {259, 5, 0},   {260, 6, 0},   {261, 7, 0},   {262, 8, 0},
    {263, 9, 0},   {264, 10, 0},  {265, 11, 1},  {266, 13, 1},  {267, 15, 1},  {268, 17, 1},
    {269, 19, 2},  {270, 23, 2},  {271, 27, 2},  {272, 31, 2},  {273, 35, 3},  {274, 43, 3},
    {275, 51, 3},  {276, 59, 3},  {277, 67, 4},  {278, 83, 4},  {279, 99, 4},  {280, 115, 4},
    {281, 131, 5}, {282, 163, 5}, {283, 195, 5}, {284, 227, 5}, {285, 258, 0},
}};
constexpr std::array<DeflateCode, 30> kDistanceCodes = {{
    {0, 1, 0},      {1, 2, 0},      {2, 3, 0},       {3, 4, 0},       {4, 5, 1},
    {5, 7, 1},      {6, 9, 2},      {7, 13, 2},      {8, 17, 3},      {9, 25, 3},
    {10, 33, 4},    {11, 49, 4},    {12, 65, 5},     {13, 97, 5},     {14, 129, 6},
    {15, 193, 6},   {16, 257, 7},   {17, 385, 7},    {18, 513, 8},    {19, 769, 8},
    {20, 1025, 9},  {21, 1537, 9},  {22, 2049, 10},  {23, 3073, 10},  {24, 4097, 11},
    {25, 6145, 11}, {26, 8193, 12}, {27, 12289, 12}, {28, 16385, 13}, {29, 24577, 13},
}};

template <size_t N>
const DeflateCode& CodeFor(const std::array<DeflateCode, N>& codes, uint32_t value) {
  const DeflateCode* found = &codes[0];
  for (const DeflateCode& code : codes) {
    if (code.base <= value) found = &code;
  }
  return *found;
}

// One dynamic-Huffman block of `matches` back-references (`length` bytes at `distance`), then
// its end. The literal/length code has two symbols (end of block: 0, the length: 1), the
// distance code one (0), so a reference costs 2 bits plus the extra bits of both.
void RepeatBlock(BitWriter& out, uint32_t distance, uint32_t length, uint64_t matches) {
  const DeflateCode& length_code = CodeFor(kLengthCodes, length);
  const DeflateCode& distance_code = CodeFor(kDistanceCodes, distance);
  out.Bits(0, 1);  // not the final block
  out.Bits(2, 2);  // BTYPE 10: dynamic Huffman codes
  const uint32_t literal_codes = length_code.symbol + 1;
  const uint32_t distance_codes = distance_code.symbol + 1;
  out.Bits(literal_codes - 257, 5);
  out.Bits(distance_codes - 1, 5);
  // The code-length code: symbols 0, 1, 17 and 18, two bits each, sent in RFC order up to
  // symbol 1 (the 18th entry).
  constexpr std::array<uint32_t, 18> kOrder = {16, 17, 18, 0,  8, 7,  9, 6,  10,
                                               5,  11, 4,  12, 3, 13, 2, 14, 1};
  out.Bits(static_cast<uint32_t>(kOrder.size()) - 4, 4);
  for (uint32_t symbol : kOrder) {
    out.Bits(symbol == 0 || symbol == 1 || symbol == 17 || symbol == 18 ? 2 : 0, 3);
  }
  // Canonical codes of the code-length code, by symbol: 0 -> 00, 1 -> 01, 17 -> 10, 18 -> 11.
  std::vector<uint8_t> lengths(literal_codes + distance_codes, 0);
  lengths[256] = 1;
  lengths[length_code.symbol] = 1;
  lengths[literal_codes + distance_code.symbol] = 1;
  for (size_t i = 0; i < lengths.size();) {
    if (lengths[i] == 1) {
      out.Code(1, 2);
      ++i;
      continue;
    }
    size_t run = 0;
    while (i + run < lengths.size() && lengths[i + run] == 0) ++run;
    i += run;
    while (run > 0) {
      if (run >= 11) {
        const size_t n = std::min<size_t>(run, 138);
        out.Code(3, 2);
        out.Bits(static_cast<uint32_t>(n - 11), 7);
        run -= n;
      } else if (run >= 3) {
        out.Code(2, 2);
        out.Bits(static_cast<uint32_t>(run - 3), 3);
        run = 0;
      } else {
        out.Code(0, 2);
        --run;
      }
    }
  }
  for (uint64_t i = 0; i < matches; ++i) {
    out.Code(1, 1);
    out.Bits(length - length_code.base, length_code.extra_bits);
    out.Code(0, 1);
    out.Bits(distance - distance_code.base, distance_code.extra_bits);
  }
  out.Code(0, 1);  // end of block
}

}  // namespace

uint32_t Crc32(std::string_view data, uint32_t crc) {
  const std::array<uint32_t, 256>& table = CrcTable();
  crc = ~crc;
  for (const char c : data) crc = table[(crc ^ static_cast<uint8_t>(c)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

uint32_t Crc32Combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  if (length_b == 0) return crc_a;
  std::array<uint32_t, 32> even{};
  std::array<uint32_t, 32> odd{};
  odd[0] = kCrcPolynomial;  // the operator for one zero bit
  uint32_t row = 1;
  for (size_t n = 1; n < 32; ++n) {
    odd[n] = row;
    row <<= 1;
  }
  MatrixSquare(even, odd);  // two zero bits
  MatrixSquare(odd, even);  // four zero bits
  // Apply length_b zero bytes to crc_a, squaring the operator for each bit of the length.
  do {
    MatrixSquare(even, odd);
    if (length_b & 1) crc_a = MatrixTimes(even, crc_a);
    length_b >>= 1;
    if (length_b == 0) break;
    MatrixSquare(odd, even);
    if (length_b & 1) crc_a = MatrixTimes(odd, crc_a);
    length_b >>= 1;
  } while (length_b != 0);
  return crc_a ^ crc_b;
}

Deflated DeflateStored(std::string_view content) {
  BitWriter out;
  StoredBlocks(out, content, /*final=*/true);
  return {out.Take(), Crc32(content), content.size()};
}

Deflated DeflatePeriodic(std::string_view prefix, std::string_view unit, uint64_t copies,
                         std::string_view suffix, uint32_t match_length) {
  if (unit.empty() || unit.size() > 32'768 || copies == 0 || match_length < 3 ||
      match_length > 258) {
    throw std::invalid_argument(
        "DeflatePeriodic: unit of 1..32768 bytes, copies >= 1, "
        "match length 3..258");
  }
  BitWriter out;
  StoredBlocks(out, std::string(prefix) + std::string(unit), /*final=*/false);
  const uint64_t repeated = unit.size() * (copies - 1);
  const uint64_t matches = repeated / match_length;
  if (matches > 0) {
    RepeatBlock(out, static_cast<uint32_t>(unit.size()), match_length, matches);
  }
  // What is left of the copies (less than one match), then the suffix.
  std::string tail;
  for (uint64_t i = matches * match_length; i < repeated; ++i) tail += unit[i % unit.size()];
  tail += suffix;
  StoredBlocks(out, tail, /*final=*/true);

  Deflated deflated;
  deflated.data = out.Take();
  deflated.size = prefix.size() + unit.size() * copies + suffix.size();
  deflated.crc = Crc32(prefix);
  deflated.crc = Crc32Combine(deflated.crc, RepeatedCrc(unit, copies), unit.size() * copies);
  deflated.crc = Crc32Combine(deflated.crc, Crc32(suffix), suffix.size());
  return deflated;
}

ZipMember TrueMember(std::string name, std::string_view content, bool deflate) {
  ZipMember member;
  member.name = std::move(name);
  member.data = deflate ? DeflateStored(content).data : std::string(content);
  member.method = deflate ? kDeflated : kStored;
  member.crc = Crc32(content);
  member.declared_size = static_cast<uint32_t>(content.size());
  return member;
}

ZipMember DeflatedMember(std::string name, const Deflated& deflated) {
  if (deflated.size > UINT32_MAX) throw std::invalid_argument("no zip64: 4 GiB at most");
  ZipMember member;
  member.name = std::move(name);
  member.data = deflated.data;
  member.method = kDeflated;
  member.crc = deflated.crc;
  member.declared_size = static_cast<uint32_t>(deflated.size);
  return member;
}

namespace {

// The fields the local header and the central directory entry share, from the flags to the
// length of the (empty) extra field.
void PutSharedFields(std::string* out, const ZipMember& member) {
  Put16(out, kUtf8Names | member.flags);
  Put16(out, member.method);
  Put16(out, 0);  // time
  Put16(out, kDosDate1980);
  Put32(out, member.crc);
  Put32(out, static_cast<uint32_t>(member.data.size()));
  Put32(out, member.declared_size);
  Put16(out, static_cast<uint32_t>(member.name.size()));
  Put16(out, 0);  // extra field
}

}  // namespace

ZipBytes BuildZip(const std::vector<ZipMember>& members) {
  ZipBytes zip;
  std::string directory;
  for (const ZipMember& member : members) {
    const auto offset = static_cast<uint32_t>(zip.bytes.size());
    Put32(&zip.bytes, 0x04034b50);
    Put16(&zip.bytes, 20);  // version needed
    PutSharedFields(&zip.bytes, member);
    zip.bytes += member.name;
    zip.data_offsets.push_back(zip.bytes.size());
    zip.bytes += member.data;

    Put32(&directory, 0x02014b50);
    Put16(&directory, 20);  // version made by
    Put16(&directory, 20);  // version needed
    PutSharedFields(&directory, member);
    Put16(&directory, 0);  // comment
    Put16(&directory, 0);  // disk
    Put16(&directory, 0);  // internal attributes
    Put32(&directory, 0);  // external attributes
    Put32(&directory, offset);
    directory += member.name;
  }
  zip.directory_offset = zip.bytes.size();
  zip.bytes += directory;
  Put32(&zip.bytes, 0x06054b50);
  Put16(&zip.bytes, 0);
  Put16(&zip.bytes, 0);
  Put16(&zip.bytes, static_cast<uint32_t>(members.size()));
  Put16(&zip.bytes, static_cast<uint32_t>(members.size()));
  Put32(&zip.bytes, static_cast<uint32_t>(directory.size()));
  Put32(&zip.bytes, static_cast<uint32_t>(zip.directory_offset));
  Put16(&zip.bytes, 0);
  return zip;
}

}  // namespace hostile

namespace {

using hostile::BuildZip;
using hostile::DeflatedMember;
using hostile::DeflatePeriodic;
using hostile::TrueMember;
using hostile::ZipMember;
namespace fs = std::filesystem;

constexpr std::string_view kSheetPart = "xl/worksheets/sheet1.xml";
constexpr std::string_view kXmlDeclaration =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)";
constexpr std::string_view kWorksheetOpen =
    R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)";
// A header cell and one good row: the rows every xlsx case has before its fault, so that the
// fault is what the readers meet, not a missing email column.
constexpr std::string_view kHeaderRow =
    R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row>)";
constexpr std::string_view kGoodRow =
    R"(<row r="2"><c r="A2" t="inlineStr"><is><t>anna@acme.example</t></is></c></row>)";
constexpr uint64_t kGibibyte = uint64_t{1} << 30;
// The bomb's sheet: two gibibytes of spaces inside <sheetData> (whitespace between rows is
// legal XML, so only the size can stop a reader).
constexpr uint64_t kBombBytes = 2 * kGibibyte;
// Big enough for the ratio limit (which starts at 16 MiB), small enough to write in no time.
constexpr uint64_t kSmallBombBytes = uint64_t{64} << 20;
constexpr std::string_view kBillionLaughs =
    R"(<!DOCTYPE worksheet [<!ENTITY lol "lol">)"
    R"(<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">)"
    R"(<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">)"
    R"(<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">)"
    R"(<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">)"
    R"(<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">)"
    R"(<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">)"
    R"(<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">)"
    R"(<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>)";

// 1234567 -> "1,234,567", as the readers' messages write counts.
std::string WithCommas(uint64_t value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return digits;
}

void WriteBytes(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string Worksheet(std::string_view rows, std::string_view before_sheet_data = "") {
  return std::string(kXmlDeclaration) + std::string(kWorksheetOpen) +
         std::string(before_sheet_data) + "<sheetData>" + std::string(rows) +
         "</sheetData></worksheet>";
}

std::string SharedStrings(const std::vector<std::string>& texts) {
  std::string xml = std::string(kXmlDeclaration) +
                    R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)";
  for (const std::string& text : texts)
    xml += "<si><t xml:space=\"preserve\">" + text + "</t></si>";
  return xml + "</sst>";
}

std::string Workbook(std::string_view sheets) {
  return std::string(kXmlDeclaration) +
         R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
         R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
         "<sheets>" +
         std::string(sheets) + "</sheets></workbook>";
}

std::string WorkbookRelationships(std::string_view sheet_target, bool shared_strings) {
  std::string xml =
      std::string(kXmlDeclaration) +
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target=")" +
      std::string(sheet_target) + "\"/>";
  if (shared_strings) {
    xml +=
        R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)";
  }
  return xml + "</Relationships>";
}

// The parts of a one-sheet workbook (sheet "Staff"), with `sheet` as the worksheet member and
// `shared_strings` (when not empty) as xl/sharedStrings.xml.
std::vector<ZipMember> XlsxMembers(const ZipMember& sheet, std::string_view shared_strings = "") {
  std::vector<ZipMember> members;
  members.push_back(TrueMember(
      "[Content_Types].xml",
      std::string(kXmlDeclaration) +
          R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
          R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
          R"(<Default Extension="xml" ContentType="application/xml"/>)"
          R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
          R"(</Types>)"));
  members.push_back(TrueMember(
      "_rels/.rels",
      std::string(kXmlDeclaration) +
          R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
          R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
          R"(</Relationships>)"));
  members.push_back(
      TrueMember("xl/workbook.xml", Workbook(R"(<sheet name="Staff" sheetId="1" r:id="rId1"/>)")));
  members.push_back(
      TrueMember("xl/_rels/workbook.xml.rels",
                 WorkbookRelationships("worksheets/sheet1.xml", !shared_strings.empty())));
  members.push_back(sheet);
  if (!shared_strings.empty()) {
    members.push_back(TrueMember("xl/sharedStrings.xml", shared_strings));
  }
  return members;
}

std::vector<ZipMember> XlsxMembers(std::string_view sheet_xml,
                                   std::string_view shared_strings = "") {
  return XlsxMembers(TrueMember(std::string(kSheetPart), sheet_xml), shared_strings);
}

std::string Xlsx(std::string_view sheet_xml, std::string_view shared_strings = "") {
  return BuildZip(XlsxMembers(sheet_xml, shared_strings)).bytes;
}

size_t IndexOf(const std::vector<ZipMember>& members, std::string_view name) {
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i].name == name) return i;
  }
  throw std::out_of_range("no member " + std::string(name));
}

std::string ContentXml(std::string_view table, std::string_view doctype = "") {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>)") + std::string(doctype) +
         R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
         R"(xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" )"
         R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">)"
         R"(<office:body><office:spreadsheet><table:table table:name="Staff">)" +
         std::string(table) +
         "</table:table></office:spreadsheet></office:body></office:document-content>";
}

constexpr std::string_view kOdsHeaderRow =
    R"(<table:table-row><table:table-cell office:value-type="string"><text:p>Email</text:p>)"
    R"(</table:table-cell></table:table-row>)";

std::string Ods(const ZipMember& content) {
  return BuildZip({TrueMember("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                              /*deflate=*/false),
                   content})
      .bytes;
}

std::string Ods(std::string_view content_xml) {
  return Ods(TrueMember("content.xml", content_xml));
}

// Deterministic noise that no detector mistakes for text or a known format.
std::string RandomBytes(size_t size) {
  std::mt19937 random(20'251'125);
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(random() & 0xFF);
  bytes[0] = '\x01';
  bytes[1] = '\x02';
  return bytes;
}

fs::path FixturePath(std::string_view relative) {
  const char* source = std::getenv("ROSTER_SOURCE_DIR");  // CTest runs from the source root
  return fs::path(source != nullptr ? source : ".") / "tests/data/third_party" / relative;
}

std::string ReadFixture(std::string_view relative) {
  const fs::path path = FixturePath(relative);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

using Writer = std::function<void(const fs::path&)>;

Writer Bytes(std::string bytes) {
  return [bytes = std::move(bytes)](const fs::path& path) { WriteBytes(path, bytes); };
}

// Cases whose content is built when the case is written.
Writer Built(std::function<std::string()> build) {
  return [build = std::move(build)](const fs::path& path) { WriteBytes(path, build()); };
}

// The xlsx cases cut short: `where` picks the cut from where the sheet member's data starts
// and how long it is.
Writer Truncated(
    std::function<uint64_t(const hostile::ZipBytes&, uint64_t sheet_start, uint64_t sheet_size)>
        where) {
  return Built([where = std::move(where)] {
    const std::vector<ZipMember> members = XlsxMembers(Worksheet(
        std::string(kHeaderRow) + std::string(kGoodRow) +
        R"(<row r="3"><c r="A3" t="inlineStr"><is><t>bob@acme.example</t></is></c></row>)"));
    const hostile::ZipBytes zip = BuildZip(members);
    const size_t sheet = IndexOf(members, kSheetPart);
    return zip.bytes.substr(0, where(zip, zip.data_offsets[sheet], members[sheet].data.size()));
  });
}

// A good workbook whose sheet member's header fields are changed by `change`.
Writer WithSheetMember(std::function<void(ZipMember&)> change) {
  return Built([change = std::move(change)] {
    std::vector<ZipMember> members =
        XlsxMembers(Worksheet(std::string(kHeaderRow) + std::string(kGoodRow)));
    change(members[IndexOf(members, kSheetPart)]);
    return BuildZip(members).bytes;
  });
}

std::vector<HostileFile> MismatchedFiles() {
  const std::string random = RandomBytes(4096);
  return {
      {"empty_csv", "empty.csv", ErrorCode::kInvalidArgument, {"the file is empty"}, Bytes("")},
      {"empty_xlsx", "empty.xlsx", ErrorCode::kInvalidArgument, {"the file is empty"}, Bytes("")},
      {"random_bytes_xlsx",
       "random.xlsx",
       ErrorCode::kInvalidArgument,
       {"not a spreadsheet", "binary data"},
       Bytes(random)},
      {"random_bytes_csv",
       "random.csv",
       ErrorCode::kInvalidArgument,
       {"not a spreadsheet", "binary data"},
       Bytes(random)},
      {"random_bytes_xls",
       "random.xls",
       ErrorCode::kInvalidArgument,
       {"not a spreadsheet", "binary data"},
       Bytes(random)},
      {"random_bytes_ods",
       "random.ods",
       ErrorCode::kInvalidArgument,
       {"not a spreadsheet", "binary data"},
       Bytes(random)},
      {"pdf_as_xlsx",
       "report.xlsx",
       ErrorCode::kInvalidArgument,
       {"this is a PDF document, not a spreadsheet"},
       Bytes("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
             "trailer\n<< /Root 1 0 R >>\n%%EOF\n")},
      {"png_as_xlsx",
       "photo.xlsx",
       ErrorCode::kInvalidArgument,
       {"this is a PNG image"},
       Bytes(std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", 29) +
             random.substr(0, 200))},
      {"jpeg_as_xlsx",
       "scan.xlsx",
       ErrorCode::kInvalidArgument,
       {"this is a JPEG image"},
       Bytes(std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20) +
             random.substr(0, 200))},
      {"docx_as_xlsx",
       "letter.xlsx",
       ErrorCode::kInvalidArgument,
       {"this is a Word document"},
       Built([] {
         return BuildZip({TrueMember("[Content_Types].xml", "<Types/>"),
                          TrueMember("word/document.xml",
                                     "<w:document xmlns:w=\"w\"><w:body/></w:document>")})
             .bytes;
       })},
      {"text_zip_as_xlsx",
       "notes.xlsx",
       ErrorCode::kInvalidArgument,
       {"this is a zip archive"},
       Built([] {
         return BuildZip({TrueMember("notes.txt", "anna@acme.example\n"),
                          TrueMember("todo.txt", "delete the leavers\n")})
             .bytes;
       })},
      {"xlsb_as_xlsx",
       "binary.xlsx",
       ErrorCode::kInvalidArgument,
       {"Excel binary workbook (.xlsb)", "save it in Excel as .xlsx"},
       Built([] {
         return BuildZip({TrueMember("[Content_Types].xml", "<Types/>"),
                          TrueMember("xl/workbook.bin", std::string(64, '\0'))})
             .bytes;
       })},
      {"html_as_xls",
       "export.xls",
       ErrorCode::kInvalidArgument,
       {"this is a web page (HTML)"},
       Bytes("<!DOCTYPE html>\n<html><body><table><tr><td>Email</td></tr>"
             "<tr><td>anna@acme.example</td></tr></table></body></html>\n")},
      {"excel_2003_xml_as_xls",
       "export-2003.xls",
       ErrorCode::kInvalidArgument,
       {"Excel 2003 XML spreadsheet", "save it as .xlsx"},
       Bytes("<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:"
             "spreadsheet\"><Worksheet ss:Name=\"Staff\"/></Workbook>\n")},
  };
}

std::vector<HostileFile> BrokenContainers(const sheet::Limits& limits) {
  return {
      {"xlsx_cut_in_local_header",
       "cut-header.xlsx",
       ErrorCode::kInvalidArgument,
       {"damaged or incomplete"},
       Truncated([](const hostile::ZipBytes&, uint64_t, uint64_t) { return 20; })},
      {"xlsx_cut_in_central_directory",
       "cut-directory.xlsx",
       ErrorCode::kInvalidArgument,
       {"damaged or incomplete"},
       Truncated([](const hostile::ZipBytes& zip, uint64_t, uint64_t) {
         return zip.directory_offset + 30;
       })},
      {"xlsx_cut_in_sheet_member",
       "cut-sheet.xlsx",
       ErrorCode::kInvalidArgument,
       {"damaged or incomplete"},
       Truncated([](const hostile::ZipBytes&, uint64_t sheet_start, uint64_t sheet_size) {
         return sheet_start + sheet_size / 2;
       })},
      {"xlsx_sheet_stream_cut",
       "cut-stream.xlsx",
       ErrorCode::kInvalidArgument,
       {"xl/worksheets/sheet1.xml is truncated"},
       WithSheetMember([](ZipMember& sheet) {
         // The container is whole and agrees with itself; the deflate data ends early.
         sheet.data.resize(sheet.data.size() / 2);
       })},
      {"xlsx_declares_smaller_size",
       "size-smaller.xlsx",
       ErrorCode::kInvalidArgument,
       {"xl/worksheets/sheet1.xml is corrupt", "but the zip declares"},
       WithSheetMember([](ZipMember& sheet) { sheet.declared_size -= 10; })},
      {"xlsx_declares_larger_size",
       "size-larger.xlsx",
       ErrorCode::kInvalidArgument,
       {"xl/worksheets/sheet1.xml is corrupt", "but the zip declares"},
       WithSheetMember([](ZipMember& sheet) { sheet.declared_size += 1000; })},
      {"xlsx_wrong_crc",
       "bad-crc.xlsx",
       ErrorCode::kInvalidArgument,
       {"xl/worksheets/sheet1.xml is corrupt", "CRC"},
       WithSheetMember([](ZipMember& sheet) { sheet.crc ^= 0x1; })},
      {"xlsx_zip_encrypted_member",
       "zip-password.xlsx",
       ErrorCode::kInvalidArgument,
       {"is encrypted", "password-protected"},
       WithSheetMember([](ZipMember& sheet) { sheet.flags = 0x1; })},
      {"xlsx_unknown_compression",
       "lzma.xlsx",
       ErrorCode::kInvalidArgument,
       {"uses compression method 14"},
       WithSheetMember([](ZipMember& sheet) { sheet.method = 14; })},
      {"xlsx_zip_bomb",
       "bomb.xlsx",
       ErrorCode::kResourceExhausted,
       {"xl/worksheets/sheet1.xml inflates to more than " +
            WithCommas(static_cast<uint64_t>(limits.max_inflated_bytes)),
        "zip bomb"},
       Built([] {
         return BuildZip(XlsxMembers(DeflatedMember(
                             std::string(kSheetPart),
                             DeflatePeriodic(std::string(kXmlDeclaration) +
                                                 std::string(kWorksheetOpen) + "<sheetData>",
                                             " ", kBombBytes, "</sheetData></worksheet>", 258))))
             .bytes;
       })},
      {"xlsx_zip_bomb_declared_small",
       "bomb-small-size.xlsx",
       ErrorCode::kResourceExhausted,
       {"xl/worksheets/sheet1.xml inflates more than " +
            WithCommas(static_cast<uint64_t>(limits.max_inflate_ratio)) +
            " times its compressed size",
        "zip bomb"},
       Built([] {
         ZipMember sheet =
             DeflatedMember(std::string(kSheetPart),
                            DeflatePeriodic(std::string(kXmlDeclaration) +
                                                std::string(kWorksheetOpen) + "<sheetData>",
                                            " ", kBombBytes, "</sheetData></worksheet>", 258));
         sheet.declared_size = 4096;  // the lie: a small sheet
         return BuildZip(XlsxMembers(sheet)).bytes;
       })},
      {"xlsx_zip_bomb_in_shared_strings",
       "bomb-strings.xlsx",
       ErrorCode::kResourceExhausted,
       {"xl/sharedStrings.xml inflates more than", "zip bomb"},
       Built([] {
         std::vector<ZipMember> members =
             XlsxMembers(Worksheet(std::string(kHeaderRow) +
                                   R"(<row r="2"><c r="A2" t="s"><v>0</v></c></row>)"),
                         SharedStrings({"anna@acme.example"}));
         members[IndexOf(members, "xl/sharedStrings.xml")] = DeflatedMember(
             "xl/sharedStrings.xml", DeflatePeriodic(std::string(kXmlDeclaration) +
                                                         "<sst><si><t>anna@acme.example</t></si>",
                                                     " ", kSmallBombBytes, "</sst>", 258));
         return BuildZip(members).bytes;
       })},
      {"ods_zip_bomb",
       "bomb.ods",
       ErrorCode::kResourceExhausted,
       {"content.xml inflates more than", "zip bomb"},
       Built([] {
         return Ods(DeflatedMember(
             "content.xml",
             DeflatePeriodic(R"(<?xml version="1.0"?><office:document-content )"
                             R"(xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">)",
                             " ", kSmallBombBytes, "</office:document-content>", 258)));
       })},
  };
}

std::vector<HostileFile> HostileXml() {
  return {
      {"xlsx_doctype",
       "doctype.xlsx",
       ErrorCode::kInvalidArgument,
       {"the sheet 'Staff' (xl/worksheets/sheet1.xml) contains a DOCTYPE"},
       Built([] {
         return Xlsx("<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet>\n" +
                     Worksheet(kHeaderRow).substr(kXmlDeclaration.size()));
       })},
      {"xlsx_billion_laughs",
       "laughs.xlsx",
       ErrorCode::kInvalidArgument,
       {"contains a DOCTYPE", "expand"},
       Built([] {
         return Xlsx("<?xml version=\"1.0\"?>\n" + std::string(kBillionLaughs) +
                     std::string(kWorksheetOpen) + "<sheetData>" + std::string(kHeaderRow) +
                     R"(<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>)"
                     "</sheetData></worksheet>");
       })},
      {"xlsx_billion_laughs_in_workbook",
       "laughs-workbook.xlsx",
       ErrorCode::kInvalidArgument,
       {"the workbook (xl/workbook.xml) contains a DOCTYPE"},
       Built([] {
         std::vector<ZipMember> members = XlsxMembers(Worksheet(kHeaderRow));
         members[IndexOf(members, "xl/workbook.xml")] = TrueMember(
             "xl/workbook.xml", "<?xml version=\"1.0\"?>\n" +
                                    std::string(kBillionLaughs).replace(10, 9, "workbook") +
                                    Workbook(R"(<sheet name="&lol9;" sheetId="1" r:id="rId1"/>)")
                                        .substr(kXmlDeclaration.size()));
         return BuildZip(members).bytes;
       })},
      {"xlsx_external_entity",
       "passwd.xlsx",
       ErrorCode::kInvalidArgument,
       {"contains a DOCTYPE", "read other files"},
       Built([] {
         return Xlsx(
             "<?xml version=\"1.0\"?>\n"
             R"(<!DOCTYPE worksheet [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>)" +
             std::string(kWorksheetOpen) + "<sheetData>" + std::string(kHeaderRow) +
             R"(<row r="2"><c r="A2" t="inlineStr"><is><t>&passwd;</t></is></c></row>)"
             "</sheetData></worksheet>");
       })},
      {"xlsx_external_entity_in_shared_strings",
       "passwd-strings.xlsx",
       ErrorCode::kInvalidArgument,
       {"the shared strings (xl/sharedStrings.xml) contains a DOCTYPE"},
       Built([] {
         return Xlsx(Worksheet(std::string(kHeaderRow) +
                               R"(<row r="2"><c r="A2" t="s"><v>0</v></c></row>)"),
                     "<?xml version=\"1.0\"?>\n"
                     R"(<!DOCTYPE sst [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>)"
                     "<sst><si><t>&passwd;</t></si></sst>");
       })},
      {"xlsx_malformed_xml",
       "malformed.xlsx",
       ErrorCode::kInvalidArgument,
       {"the sheet 'Staff' (xl/worksheets/sheet1.xml) is not well-formed XML at line"},
       Built([] {
         return Xlsx(std::string(kXmlDeclaration) + "\n" + std::string(kWorksheetOpen) +
                     "\n<sheetData>" + std::string(kHeaderRow) +
                     "\n<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>anna@acme.example</is>"
                     "</c></row></sheetData></worksheet>");
       })},
      {"xlsx_sheet_in_utf16",
       "utf16.xlsx",
       ErrorCode::kInvalidArgument,
       {"is XML encoded in UTF-16"},
       Built([] {
         const std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>" +
                                 Worksheet(std::string(kHeaderRow) + std::string(kGoodRow))
                                     .substr(kXmlDeclaration.size());
         std::string utf16 = "\xFF\xFE";
         for (const char c : xml) {
           utf16 += c;
           utf16 += '\0';
         }
         return Xlsx(utf16);
       })},
      {"ods_doctype",
       "doctype.ods",
       ErrorCode::kInvalidArgument,
       {"content.xml) contains a DOCTYPE"},
       Built([] {
         return Ods(ContentXml(kOdsHeaderRow,
                               R"(<!DOCTYPE office:document-content [<!ENTITY passwd SYSTEM )"
                               R"("file:///etc/passwd">]>)"));
       })},
  };
}

std::vector<HostileFile> Protected() {
  return {
      {"xlsx_password_protected",
       "protected.xlsx",
       ErrorCode::kInvalidArgument,
       {"password-protected", "remove the password"},
       Built([] { return ReadFixture("xlsx_populate_encrypted.xlsx"); })},
      {"xls_password_protected",
       "protected.xls",
       ErrorCode::kInvalidArgument,
       {"password-protected", "remove the password"},
       Built([] { return ReadFixture("libreoffice_encrypted.xls"); })},
  };
}

// A header, then `data_rows` rows of a shared string that is a space: blank cells, so that an
// import keeps nothing per row, but cells all the same, so that every row counts. Rows without
// numbers follow each other, so the sheet is one unit repeated, in a deflate stream that stays
// under the readers' zip-bomb ratio (8 bits per 50-byte match).
std::string LongXlsx(uint64_t data_rows) {
  constexpr uint32_t kMatchLength = 50;
  return BuildZip(XlsxMembers(DeflatedMember(
                                  std::string(kSheetPart),
                                  DeflatePeriodic(std::string(kXmlDeclaration) +
                                                      std::string(kWorksheetOpen) + "<sheetData>" +
                                                      std::string(kHeaderRow),
                                                  R"(<row><c t="s"><v>0</v></c></row>)", data_rows,
                                                  "</sheetData></worksheet>", kMatchLength)),
                              SharedStrings({" "})))
      .bytes;
}

// A header, then `data_rows` rows holding a space.
std::string LongCsv(uint64_t data_rows) {
  std::string csv = "Email\n";
  csv.reserve(csv.size() + 2 * data_rows);
  for (uint64_t i = 0; i < data_rows; ++i) csv += " \n";
  return csv;
}

std::vector<HostileFile> OverLimits(const sheet::Limits& limits) {
  const auto max_rows = static_cast<uint64_t>(limits.max_rows);
  const auto max_columns = static_cast<uint64_t>(limits.max_columns);
  const std::string first_bad_row = WithCommas(max_rows + 2);  // a header, then the data rows
  const std::string rows_limit = "at most " + WithCommas(max_rows) + " data rows";
  const uint64_t long_cell = std::max<uint64_t>(100'000, limits.max_cell_chars + 1);
  std::string beyond_column;  // the column after the last allowed one, as a letter name
  for (uint64_t n = max_columns + 1; n > 0; n = (n - 1) / 26) {
    beyond_column.insert(beyond_column.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return {
      {"xlsx_column_beyond_limit",
       "wide.xlsx",
       ErrorCode::kResourceExhausted,
       {"Staff!" + beyond_column + "2 is beyond column", WithCommas(max_columns) + " columns"},
       Built([beyond_column] {
         return Xlsx(Worksheet(std::string(kHeaderRow) + R"(<row r="2"><c r=")" + beyond_column +
                               R"(2"><v>1</v></c></row>)"));
       })},
      {"csv_columns_over_limit",
       "wide.csv",
       ErrorCode::kResourceExhausted,
       {"row 1 has more than " + std::to_string(max_columns) + " columns"},
       Built([max_columns] {
         std::string csv = "Email";
         for (uint64_t i = 1; i <= max_columns; ++i) csv += ",c";
         return csv + "\nanna@acme.example\n";
       })},
      {"ods_columns_over_limit",
       "wide.ods",
       ErrorCode::kResourceExhausted,
       {"is beyond column", WithCommas(max_columns) + " columns"},
       Built([max_columns] {
         return Ods(
             ContentXml(std::string(kOdsHeaderRow) +
                        R"(<table:table-row><table:table-cell table:number-columns-repeated=")" +
                        std::to_string(max_columns + 1) +
                        R"(" office:value-type="string"><text:p>x</text:p></table:table-cell>)"
                        "</table:table-row>"));
       })},
      // Every data row really there, streamed (see LongXlsx).
      {"xlsx_rows_over_limit",
       "long.xlsx",
       ErrorCode::kResourceExhausted,
       {"the sheet 'Staff' has cells in row " + first_bad_row, rows_limit},
       Built([max_rows] { return LongXlsx(max_rows + 1); })},
      {"xlsx_row_number_beyond_limit",
       "far-row.xlsx",
       ErrorCode::kResourceExhausted,
       {"the sheet 'Staff' has cells in row " + first_bad_row, rows_limit},
       Built([max_rows] {
         const std::string row = std::to_string(max_rows + 2);
         return Xlsx(Worksheet(std::string(kHeaderRow) + "<row r=\"" + row + "\"><c r=\"A" + row +
                               R"(" t="inlineStr"><is><t>anna@acme.example</t></is></c></row>)"));
       })},
      {"csv_rows_over_limit",
       "long.csv",
       ErrorCode::kResourceExhausted,
       {"has more than " + WithCommas(max_rows) + " data rows below its header"},
       Built([max_rows] { return LongCsv(max_rows + 1); })},
      // The limit itself is allowed: a header and max_rows data rows, in every format.
      {"xlsx_rows_at_limit", "at-limit.xlsx", ErrorCode::kOk, {}, Built([max_rows] {
         return LongXlsx(max_rows);
       })},
      {"csv_rows_at_limit", "at-limit.csv", ErrorCode::kOk, {}, Built([max_rows] {
         return LongCsv(max_rows);
       })},
      {"ods_rows_over_limit",
       "long.ods",
       ErrorCode::kResourceExhausted,
       {"the sheet 'Staff' has cells in row " + first_bad_row, rows_limit},
       Built([max_rows] {
         return Ods(ContentXml(
             std::string(kOdsHeaderRow) + R"(<table:table-row table:number-rows-repeated=")" +
             std::to_string(max_rows + 1) +
             R"("><table:table-cell office:value-type="string"><text:p> </text:p>)"
             "</table:table-cell></table:table-row>"));
       })},
      {"xlsx_long_inline_string",
       "long-cell.xlsx",
       ErrorCode::kResourceExhausted,
       {"Staff!A2 has " + WithCommas(long_cell) + " characters",
        "at most " + WithCommas(static_cast<uint64_t>(limits.max_cell_chars))},
       Built([long_cell] {
         return Xlsx(Worksheet(std::string(kHeaderRow) +
                               R"(<row r="2"><c r="A2" t="inlineStr"><is><t>)" +
                               std::string(long_cell, 'x') + "</t></is></c></row>"));
       })},
      {"xlsx_long_shared_string",
       "long-string.xlsx",
       ErrorCode::kResourceExhausted,
       {"has " + WithCommas(long_cell) + " characters"},
       Built([long_cell] {
         return Xlsx(Worksheet(std::string(kHeaderRow) +
                               R"(<row r="2"><c r="A2" t="s"><v>0</v></c></row>)"),
                     SharedStrings({std::string(long_cell, 'x')}));
       })},
      {"csv_long_cell",
       "long-cell.csv",
       ErrorCode::kResourceExhausted,
       {"the cell in row 2, column A is longer than " + std::to_string(limits.max_cell_chars) +
        " characters"},
       Built([long_cell] { return "Email\n" + std::string(long_cell, 'x') + "\n"; })},
      {"csv_over_file_size_limit",
       "huge.csv",
       ErrorCode::kResourceExhausted,
       {"is " + WithCommas(static_cast<uint64_t>(limits.max_file_bytes) + 1) +
        " bytes, larger than the limit of " +
        WithCommas(static_cast<uint64_t>(limits.max_file_bytes)) + " bytes"},
       [size = limits.max_file_bytes + 1](const fs::path& path) {
         // Sparse: the size is real, the disk blocks are not.
         WriteBytes(path, "Email\nanna@acme.example\n");
         fs::resize_file(path, static_cast<uintmax_t>(size));
       }},
  };
}

std::vector<HostileFile> BrokenText() {
  return {
      {"csv_invalid_utf8_after_bom",
       "broken-utf8.csv",
       ErrorCode::kInvalidArgument,
       {"not valid UTF-8"},
       Bytes("\xEF\xBB\xBF"
             "Email\nanna\xC3\x28@acme.example\n")},
      {"csv_invalid_utf16",
       "broken-utf16.csv",
       ErrorCode::kInvalidArgument,
       {"not valid UTF-16"},
       Built([] {
         std::string csv = "\xFF\xFE";
         for (const char c : std::string_view("Email\nanna@acme.example\n")) {
           csv += c;
           csv += '\0';
         }
         return csv + std::string(
                          "\x00\xD8"
                          "a\0\n\0",
                          6);  // a lone high surrogate
       })},
      {"csv_nul_bytes",
       "nul.csv",
       ErrorCode::kInvalidArgument,
       {"row 2 contains a NUL byte"},
       Bytes(std::string("Email,Name\nanna@acme.example,An\0na\n", 35) + std::string(200, 'x') +
             "\n")},
      {"csv_unclosed_quote",
       "quote.csv",
       ErrorCode::kInvalidArgument,
       {"a quote opened in row 2 is never closed"},
       Bytes("Email,Name\n\"anna@acme.example,Anna\nbob@acme.example,Bob\n")},
  };
}

std::vector<HostileFile> BrokenWorkbooks() {
  return {
      {"xlsx_without_sheets",
       "no-sheets.xlsx",
       ErrorCode::kInvalidArgument,
       {"the workbook has no sheets"},
       Built([] {
         std::vector<ZipMember> members = XlsxMembers(Worksheet(kHeaderRow));
         members[IndexOf(members, "xl/workbook.xml")] = TrueMember("xl/workbook.xml", Workbook(""));
         members.erase(members.begin() + static_cast<ptrdiff_t>(IndexOf(members, kSheetPart)));
         return BuildZip(members).bytes;
       })},
      {"xlsx_sheet_part_missing",
       "no-sheet-part.xlsx",
       ErrorCode::kInvalidArgument,
       {"the sheet 'Staff' (xl/worksheets/sheet1.xml) is missing from the file"},
       Built([] {
         std::vector<ZipMember> members = XlsxMembers(Worksheet(kHeaderRow));
         members.erase(members.begin() + static_cast<ptrdiff_t>(IndexOf(members, kSheetPart)));
         return BuildZip(members).bytes;
       })},
      {"xlsx_sheet_outside_the_package",
       "escape.xlsx",
       ErrorCode::kInvalidArgument,
       {"the sheet 'Staff' points to ../../../../etc/passwd, outside the file"},
       Built([] {
         std::vector<ZipMember> members = XlsxMembers(Worksheet(kHeaderRow));
         members[IndexOf(members, "xl/_rels/workbook.xml.rels")] =
             TrueMember("xl/_rels/workbook.xml.rels",
                        WorkbookRelationships("../../../../etc/passwd", /*shared_strings=*/false));
         return BuildZip(members).bytes;
       })},
      {"xlsx_shared_string_out_of_range",
       "bad-string-index.xlsx",
       ErrorCode::kInvalidArgument,
       {"Staff!A2 refers to shared string 5, but the workbook has only 1"},
       Built([] {
         return Xlsx(Worksheet(std::string(kHeaderRow) +
                               R"(<row r="2"><c r="A2" t="s"><v>5</v></c></row>)"),
                     SharedStrings({"anna@acme.example"}));
       })},
      {"xls_cut_in_header", "cut-start.xls", ErrorCode::kInvalidArgument, {"damaged"}, Built([] {
         return ReadFixture("libreoffice_staff.xls").substr(0, 300);
       })},
      {"xls_cut_in_half", "cut-half.xls", ErrorCode::kInvalidArgument, {"damaged"}, Built([] {
         const std::string xls = ReadFixture("libreoffice_staff.xls");
         return xls.substr(0, xls.size() / 2);
       })},
      // A fuzzing find, minimized against a workbook LibreOffice wrote: six bytes that make
      // FreeXL 1.0.6 free a wild pointer and kill the process it runs in.
      {"xls_crashes_freexl", "crasher.xls", ErrorCode::kInvalidArgument, {"damaged"}, Built([] {
         std::string xls = ReadFixture("../golden/delete_second_sheet.libreoffice.xls");
         for (const auto& [offset, value] : std::vector<std::pair<size_t, char>>{
                  {4397, 16}, {4409, 24}, {4417, 1}, {4422, 0}, {4425, 2}, {4427, 0}}) {
           xls.at(offset) = value;
         }
         return xls;
       })},
      {"xls_last_sector_missing",
       "cut-end.xls",
       ErrorCode::kInvalidArgument,
       {"damaged"},
       Built([] {
         const std::string xls = ReadFixture("libreoffice_staff.xls");
         return xls.substr(0, xls.size() - 512);
       })},
  };
}

// Readable on purpose (within the limits): what the import says about them is each suite's
// to assert.
std::vector<HostileFile> Readable(const sheet::Limits& limits) {
  // The last cell Excel allows, under a dimension far beyond every limit: a reader that
  // believed either would allocate 16,384 x 1,048,576 cells. Over small limits, it is over.
  constexpr int64_t kExcelColumns = 16'384;
  constexpr int64_t kExcelRows = 1'048'576;
  const bool corner_fits = limits.max_columns >= kExcelColumns && limits.max_rows + 1 >= kExcelRows;
  return {
      {"xlsx_header_only", "header-only.xlsx", ErrorCode::kOk, {}, Built([] {
         return Xlsx(Worksheet(kHeaderRow));
       })},
      {"csv_header_only", "header-only.csv", ErrorCode::kOk, {}, Bytes("Email\n")},
      {"xlsx_far_corner_cell", "far-corner.xlsx",
       corner_fits ? ErrorCode::kOk : ErrorCode::kResourceExhausted,
       corner_fits ? std::vector<std::string>{} : std::vector<std::string>{"Staff!XFD1048576"},
       Built([] {
         return Xlsx(Worksheet(std::string(kHeaderRow) +
                                   R"(<row r="1048576"><c r="XFD1048576" t="inlineStr"><is>)"
                                   R"(<t>corner</t></is></c></row>)",
                               R"(<dimension ref="A1:XFE2000003"/>)"));
       })},
      // Not UTF-8 and without a BOM: read as Windows-1252, so "\xE9" is an e with an acute.
      {"csv_not_utf8", "latin1.csv", ErrorCode::kOk, {}, Bytes("Email\nren\xE9@acme.example\n")},
  };
}

}  // namespace

std::vector<HostileFile> HostileFiles(const sheet::Limits& limits) {
  std::vector<HostileFile> files;
  for (std::vector<HostileFile> group :
       {MismatchedFiles(), BrokenContainers(limits), HostileXml(), Protected(), OverLimits(limits),
        BrokenText(), BrokenWorkbooks(), Readable(limits)}) {
    std::move(group.begin(), group.end(), std::back_inserter(files));
  }
  return files;
}

HostileFile HostileFileNamed(std::string_view name, const sheet::Limits& limits) {
  for (HostileFile& file : HostileFiles(limits)) {
    if (file.name == name) return std::move(file);
  }
  throw std::out_of_range("no hostile file named " + std::string(name));
}

fs::path WriteHostileFile(const HostileFile& file, const fs::path& folder) {
  const fs::path directory = folder / file.name;
  fs::create_directories(directory);
  const fs::path path = directory / file.file_name;
  file.write(path);
  return path;
}

void PrintTo(const HostileFile& file, std::ostream* out) {
  *out << file.name << " (" << file.file_name << ")";
}

}  // namespace roster::testing
