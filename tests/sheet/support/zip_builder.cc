#include "sheet/support/zip_builder.h"

#include <zlib.h>

#include <stdexcept>

namespace roster::sheet::testing {
namespace {

constexpr uint16_t kStored = 0;
constexpr uint16_t kDeflated = 8;
constexpr size_t kZeroBlockBytes = size_t{1} << 20;

uint32_t Crc(std::string_view content) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size())));
}

// Compresses with `flush` after the input; returns what came out.
std::string DeflateStep(z_stream* stream, std::string_view input, int flush) {
  std::string out;
  stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream->avail_in = static_cast<uInt>(input.size());
  char buffer[1 << 16];
  do {
    stream->next_out = reinterpret_cast<Bytef*>(buffer);
    stream->avail_out = sizeof buffer;
    if (deflate(stream, flush) == Z_STREAM_ERROR) throw std::runtime_error("deflate failed");
    out.append(buffer, sizeof buffer - stream->avail_out);
  } while (stream->avail_out == 0);
  return out;
}

}  // namespace

std::string Deflate(std::string_view content) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out = DeflateStep(&stream, content, Z_FINISH);
  deflateEnd(&stream);
  return out;
}

ZipBuilder& ZipBuilder::Add(std::string name, std::string_view content, bool deflate) {
  std::string data = deflate ? Deflate(content) : std::string(content);
  return AddRaw(std::move(name), std::move(data), deflate ? kDeflated : kStored, Crc(content),
                static_cast<uint32_t>(content.size()));
}

ZipBuilder& ZipBuilder::AddRaw(std::string name, std::string data, uint16_t method, uint32_t crc,
                               uint32_t declared_size) {
  roster::testing::hostile::ZipMember member;
  member.name = std::move(name);
  member.data = std::move(data);
  member.method = method;
  member.crc = crc;
  member.declared_size = declared_size;
  members_.push_back(std::move(member));
  return *this;
}

ZipBuilder& ZipBuilder::AddZeros(std::string name, uint64_t zero_bytes,
                                 std::optional<uint32_t> declared_size, std::string_view prefix,
                                 char fill) {
  // A full flush ends a block on a byte boundary with no reference to what came before, so
  // the compressed block can simply be repeated; an empty final block ends the stream.
  z_stream stream{};
  deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  const std::string head = DeflateStep(&stream, prefix, Z_FULL_FLUSH);
  const std::string zeros(kZeroBlockBytes, fill);
  const std::string block = DeflateStep(&stream, zeros, Z_FULL_FLUSH);
  const std::string last = DeflateStep(&stream, "", Z_FINISH);
  deflateEnd(&stream);
  std::string data;
  const uint64_t blocks = zero_bytes / kZeroBlockBytes;
  data.reserve(block.size() * blocks + last.size());
  uint32_t crc = Crc(prefix);
  data += head;
  for (uint64_t i = 0; i < blocks; ++i) {
    data += block;
    if (!declared_size)
      crc = static_cast<uint32_t>(
          crc32(crc, reinterpret_cast<const Bytef*>(zeros.data()), kZeroBlockBytes));
  }
  data += last;
  return AddRaw(std::move(name), std::move(data), kDeflated, crc,
                declared_size.value_or(static_cast<uint32_t>(zero_bytes + prefix.size())));
}

std::string ZipBuilder::Build() const { return roster::testing::hostile::BuildZip(members_).bytes; }

ZipBuilder XlsxPackage::Builder() const {
  ZipBuilder zip;
  std::string types =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
      R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
      R"(<Default Extension="xml" ContentType="application/xml"/></Types>)";
  zip.Add("[Content_Types].xml", types);
  zip.Add(
      "_rels/.rels",
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
      R"(</Relationships>)");
  std::string workbook =
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
      R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" +
      workbook_pr + "<sheets>";
  std::string rels =
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
  for (size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    const std::string name = i < sheet_names.size() ? sheet_names[i] : "Sheet" + n;
    const std::string state = i < sheet_states.size() && !sheet_states[i].empty()
                                  ? " state=\"" + sheet_states[i] + "\""
                                  : "";
    workbook +=
        "<sheet name=\"" + name + "\" sheetId=\"" + n + "\"" + state + " r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "worksheet\" Target=\"worksheets/sheet" +
            n + ".xml\"/>";
    zip.Add("xl/worksheets/sheet" + n + ".xml", sheets[i]);
  }
  workbook += "</sheets></workbook>";
  if (shared_strings) {
    rels +=
        R"(<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)";
    zip.Add("xl/sharedStrings.xml", *shared_strings);
  }
  if (styles) {
    rels +=
        R"(<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)";
    zip.Add("xl/styles.xml", *styles);
  }
  rels += "</Relationships>";
  zip.Add("xl/workbook.xml", workbook);
  zip.Add("xl/_rels/workbook.xml.rels", rels);
  return zip;
}

std::string WorksheetXml(std::string_view sheet_data) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
         "\n"
         R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
         R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
         R"(<dimension ref="A1"/><sheetData>)" +
         std::string(sheet_data) + "</sheetData></worksheet>";
}

std::string SharedStringsXml(const std::vector<std::string>& items) {
  std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count=")" +
      std::to_string(items.size()) + "\" uniqueCount=\"" + std::to_string(items.size()) + "\">";
  for (const std::string& item : items) xml += "<si>" + item + "</si>";
  return xml + "</sst>";
}

}  // namespace roster::sheet::testing
