#include "sheet/support/compound_file_builder.h"

#include <zip.h>

#include <cstdint>
#include <stdexcept>

namespace roster::sheet::testing {
namespace {

constexpr size_t kSectorSize = 512;
constexpr uint32_t kFreeSector = 0xFFFFFFFF;
constexpr uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr uint32_t kFatSector = 0xFFFFFFFD;

void Put16(std::string& bytes, size_t offset, uint16_t value) {
  bytes[offset] = static_cast<char>(value & 0xFF);
  bytes[offset + 1] = static_cast<char>(value >> 8);
}

void Put32(std::string& bytes, size_t offset, uint32_t value) {
  Put16(bytes, offset, static_cast<uint16_t>(value & 0xFFFF));
  Put16(bytes, offset + 2, static_cast<uint16_t>(value >> 16));
}

void PutEntry(std::string& bytes, size_t offset, const std::string& name, uint8_t type) {
  for (size_t i = 0; i < name.size(); ++i) Put16(bytes, offset + 2 * i, name[i]);
  Put16(bytes, offset + 64, static_cast<uint16_t>(2 * (name.size() + 1)));
  bytes[offset + 66] = static_cast<char>(type);
  Put32(bytes, offset + 68, kFreeSector);  // left sibling: none
  Put32(bytes, offset + 72, kFreeSector);  // right sibling: none
  Put32(bytes, offset + 76, kFreeSector);  // child: none
  Put32(bytes, offset + 116, kEndOfChain);
}

}  // namespace

std::string BuildCompoundFile(const std::vector<std::string>& stream_names) {
  if (stream_names.size() > 3) throw std::invalid_argument("at most 3 streams");
  std::string bytes(3 * kSectorSize, '\0');  // header, FAT (sector 0), directory (sector 1)
  bytes.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
  Put16(bytes, 24, 0x003E);  // minor version
  Put16(bytes, 26, 0x0003);  // major version 3: 512-byte sectors
  Put16(bytes, 28, 0xFFFE);  // byte order
  Put16(bytes, 30, 9);       // sector shift
  Put16(bytes, 32, 6);       // mini sector shift
  Put32(bytes, 44, 1);       // FAT sectors
  Put32(bytes, 48, 1);       // first directory sector
  Put32(bytes, 56, 4096);    // mini stream cutoff
  Put32(bytes, 60, kEndOfChain);
  Put32(bytes, 68, kEndOfChain);
  for (size_t i = 0; i < 109; ++i) Put32(bytes, 76 + 4 * i, i == 0 ? 0 : kFreeSector);
  const size_t fat = kSectorSize;
  for (size_t i = 0; i < kSectorSize / 4; ++i) Put32(bytes, fat + 4 * i, kFreeSector);
  Put32(bytes, fat, kFatSector);
  Put32(bytes, fat + 4, kEndOfChain);
  const size_t directory = 2 * kSectorSize;
  PutEntry(bytes, directory, "Root Entry", 5);
  for (size_t i = 0; i < stream_names.size(); ++i) {
    PutEntry(bytes, directory + 128 * (i + 1), stream_names[i], 2);
  }
  return bytes;
}

void WriteZipFile(const std::string& path,
                  const std::vector<std::pair<std::string, std::string>>& members) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open failed for " + path);
  for (const auto& [name, content] : members) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    if (source == nullptr || zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(source);
      zip_discard(archive);
      throw std::runtime_error("zip_file_add failed for " + name);
    }
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    throw std::runtime_error("zip_close failed for " + path);
  }
}

}  // namespace roster::sheet::testing
