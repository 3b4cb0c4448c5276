#include "sheet/compound_file.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <optional>

#include "sheet/text_decoding.h"

namespace roster::sheet {
namespace {

// [MS-CFB]: a 512-byte header, then sectors; the FAT chains sectors, the DIFAT lists the
// FAT's own sectors (109 in the header, the rest in a chain), the directory is a chain of
// 128-byte entries that form a tree (siblings left and right, a storage's first child).
constexpr uint32_t kMaxRegularSector = 0xFFFFFFFA;
constexpr uint32_t kNoStream = 0xFFFFFFFF;
constexpr size_t kHeaderBytes = 512;
constexpr size_t kHeaderDifatEntries = 109;
constexpr size_t kDirectoryEntryBytes = 128;
constexpr size_t kMaxNameBytes = 64;
constexpr uint8_t kUnusedEntry = 0;
constexpr uint8_t kStreamEntry = 2;
constexpr uint8_t kRootEntry = 5;
constexpr uint64_t kMiniStreamCutoff = 4096;
constexpr uint16_t kMiniSectorShift = 6;  // 64-byte mini sectors, as [MS-CFB] demands
constexpr size_t kMiniSectorSize = size_t{1} << kMiniSectorShift;
constexpr uint16_t kMajorVersion3 = 3;

uint16_t Le16(const char* p) {
  return static_cast<uint16_t>(static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[1])
                                                                      << 8);
}
uint32_t Le32(const char* p) {
  return static_cast<uint32_t>(Le16(p)) | static_cast<uint32_t>(Le16(p + 2)) << 16;
}
uint64_t Le64(const char* p) { return uint64_t{Le32(p)} | uint64_t{Le32(p + 4)} << 32; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

struct DirectoryEntry {
  std::string name;
  bool listed = false;  // in use, with a name length the format allows
  uint8_t type = kUnusedEntry;
  uint32_t left = kNoStream;
  uint32_t right = kNoStream;
  uint32_t child = kNoStream;
  uint32_t start = 0;
  uint64_t size = 0;
};

// One open compound file. Sector reads go through ReadAt, which refuses anything past the
// end of the file; a chain is followed at most once per sector of the file, and a stream's
// chain that visits a sector twice is damaged.
class Container {
 public:
  explicit Container(const std::string& display_name) : display_name_(display_name) {}

  Status Open(const std::string& path) {
    file_.open(path, std::ios::binary);
    if (!file_) return Damaged();
    file_.seekg(0, std::ios::end);
    const std::streamoff end = file_.tellg();
    if (end < 0) return Damaged();
    file_size_ = static_cast<uint64_t>(end);
    std::array<char, kHeaderBytes> header{};
    if (!ReadAt(0, header.data(), header.size())) return Damaged();
    const uint16_t sector_shift = Le16(&header[30]);
    if (sector_shift != 9 && sector_shift != 12) return Damaged();
    major_version_ = Le16(&header[26]);
    sector_size_ = size_t{1} << sector_shift;
    sector_count_ = file_size_ / sector_size_;
    ids_per_sector_ = sector_size_ / 4;
    first_directory_sector_ = Le32(&header[48]);
    first_mini_fat_sector_ = Le32(&header[60]);
    mini_sector_shift_ = Le16(&header[32]);

    for (size_t i = 0; i < kHeaderDifatEntries; ++i) difat_.push_back(Le32(&header[76 + 4 * i]));
    std::vector<char> sector_data(sector_size_);
    uint32_t difat_sector = Le32(&header[68]);
    for (uint64_t guard = 0; difat_sector < kMaxRegularSector; ++guard) {
      if (guard > sector_count_) return Damaged();
      if (!ReadAt(SectorOffset(difat_sector), sector_data.data(), sector_size_)) return Damaged();
      for (size_t i = 0; i + 1 < ids_per_sector_; ++i) {
        difat_.push_back(Le32(&sector_data[4 * i]));
      }
      difat_sector = Le32(&sector_data[4 * (ids_per_sector_ - 1)]);
    }
    return Status::Ok();
  }

  // Every entry of the directory, in directory order (the index is the entry's id).
  Result<std::vector<DirectoryEntry>> ReadDirectory() {
    std::vector<DirectoryEntry> entries;
    std::vector<char> sector_data(sector_size_);
    uint32_t sector = first_directory_sector_;
    for (uint64_t guard = 0; sector < kMaxRegularSector; ++guard) {
      if (guard > sector_count_) return Damaged();
      if (!ReadAt(SectorOffset(sector), sector_data.data(), sector_size_)) return Damaged();
      for (size_t offset = 0; offset + kDirectoryEntryBytes <= sector_size_;
           offset += kDirectoryEntryBytes) {
        // A name is at most 64 bytes ([MS-CFB] 2.6.1), in every entry. FreeXL 1.0.6 converts
        // as many bytes as an entry of the first directory sector claims, reading up to 64 KiB
        // past it on its stack: such a file is refused here, before the xls reader sees it.
        if (Le16(&sector_data[offset + 64]) > kMaxNameBytes) return Damaged();
        entries.push_back(ParseEntry(&sector_data[offset]));
      }
      const std::optional<uint32_t> next = NextSector(sector);
      if (!next) return Damaged();
      sector = *next;
    }
    return entries;
  }

  // The `size` bytes of the chain that starts at `start`.
  Result<std::string> ReadChain(uint32_t start, uint64_t size) {
    if (size > file_size_) return Damaged();
    std::string bytes(static_cast<size_t>(size), '\0');
    uint64_t done = 0;
    uint32_t sector = start;
    std::vector<bool> visited(static_cast<size_t>(sector_count_), false);
    while (done < size) {
      if (sector >= sector_count_ || visited[sector]) return Damaged();
      visited[sector] = true;
      const auto part = static_cast<size_t>(std::min<uint64_t>(sector_size_, size - done));
      if (!ReadAt(SectorOffset(sector), &bytes[done], part)) return Damaged();
      done += part;
      if (done < size) {
        const std::optional<uint32_t> next = NextSector(sector);
        if (!next) return Damaged();
        sector = *next;
      }
    }
    return bytes;
  }

  // The `size` bytes of the mini-stream chain that starts at mini sector `start`: the mini
  // stream is the root entry's stream, cut into 64-byte sectors chained by the mini FAT.
  Result<std::string> ReadMiniChain(const DirectoryEntry& root, uint32_t start, uint64_t size) {
    if (mini_sector_shift_ != kMiniSectorShift || size > root.size) return Damaged();
    ROSTER_ASSIGN_OR_RETURN(const std::string mini_stream, ReadChain(root.start, root.size));
    ROSTER_ASSIGN_OR_RETURN(const std::string mini_fat, ReadWholeChain(first_mini_fat_sector_));
    const uint64_t mini_sector_count = mini_stream.size() / kMiniSectorSize;
    std::string bytes(static_cast<size_t>(size), '\0');
    uint64_t done = 0;
    uint32_t sector = start;
    std::vector<bool> visited(static_cast<size_t>(mini_sector_count), false);
    while (done < size) {
      if (sector >= mini_sector_count || visited[sector]) return Damaged();
      visited[sector] = true;
      const auto part = static_cast<size_t>(std::min<uint64_t>(kMiniSectorSize, size - done));
      bytes.replace(static_cast<size_t>(done), part, mini_stream, size_t{sector} * kMiniSectorSize,
                    part);
      done += part;
      if (done < size) {
        const size_t entry = size_t{sector} * 4;
        if (entry + 4 > mini_fat.size()) return Damaged();
        sector = Le32(&mini_fat[entry]);
      }
    }
    return bytes;
  }

  Status Damaged() const {
    return InvalidArgument(display_name_ +
                           ": the file is damaged or incomplete (its Office structure cannot be "
                           "read): save it again and upload it again");
  }

 private:
  // Every sector of the chain that starts at `start`, whose length is not recorded anywhere.
  Result<std::string> ReadWholeChain(uint32_t start) {
    std::string bytes;
    uint32_t sector = start;
    for (uint64_t guard = 0; sector < kMaxRegularSector; ++guard) {
      if (guard > sector_count_) return Damaged();
      const size_t done = bytes.size();
      bytes.resize(done + sector_size_);
      if (!ReadAt(SectorOffset(sector), &bytes[done], sector_size_)) return Damaged();
      const std::optional<uint32_t> next = NextSector(sector);
      if (!next) return Damaged();
      sector = *next;
    }
    return bytes;
  }

  DirectoryEntry ParseEntry(const char* raw) const {
    DirectoryEntry entry;
    entry.type = static_cast<uint8_t>(raw[66]);
    const uint16_t name_bytes = Le16(raw + 64);
    entry.listed = entry.type != kUnusedEntry && name_bytes >= 2 && name_bytes <= kMaxNameBytes;
    if (entry.listed) {
      for (size_t i = 0; i + 2 < name_bytes; i += 2) {
        const uint16_t unit = Le16(raw + i);
        AppendUtf8(unit >= 0xD800 && unit <= 0xDFFF ? char32_t{0xFFFD} : char32_t{unit},
                   entry.name);
      }
    }
    entry.left = Le32(raw + 68);
    entry.right = Le32(raw + 72);
    entry.child = Le32(raw + 76);
    entry.start = Le32(raw + 116);
    entry.size = Le64(raw + 120);
    // Version 3 files have 32-bit sizes; some writers leave garbage in the high half.
    if (major_version_ == kMajorVersion3) entry.size &= 0xFFFFFFFF;
    return entry;
  }

  bool ReadAt(uint64_t offset, char* out, size_t size) {
    if (offset > file_size_ || size > file_size_ - offset) return false;
    file_.clear();
    file_.seekg(static_cast<std::streamoff>(offset));
    return static_cast<bool>(file_.read(out, static_cast<std::streamsize>(size)));
  }

  uint64_t SectorOffset(uint32_t sector) const { return (uint64_t{sector} + 1) * sector_size_; }

  // The sector after `sector` in its chain, from the FAT sector that holds it (the last FAT
  // sector read is kept: chains mostly run through consecutive sectors).
  std::optional<uint32_t> NextSector(uint32_t sector) {
    const size_t fat_index = sector / ids_per_sector_;
    if (fat_index >= difat_.size() || difat_[fat_index] >= kMaxRegularSector) {
      return std::nullopt;
    }
    if (cached_fat_index_ != fat_index) {
      fat_cache_.resize(sector_size_);
      if (!ReadAt(SectorOffset(difat_[fat_index]), fat_cache_.data(), sector_size_)) {
        cached_fat_index_.reset();
        return std::nullopt;
      }
      cached_fat_index_ = fat_index;
    }
    return Le32(&fat_cache_[4 * (sector % ids_per_sector_)]);
  }

  const std::string& display_name_;
  std::ifstream file_;
  uint64_t file_size_ = 0;
  uint16_t major_version_ = 0;
  size_t sector_size_ = 0;
  uint64_t sector_count_ = 0;
  size_t ids_per_sector_ = 0;
  uint32_t first_directory_sector_ = 0;
  uint32_t first_mini_fat_sector_ = 0;
  uint16_t mini_sector_shift_ = 0;
  std::vector<uint32_t> difat_;
  std::vector<char> fat_cache_;
  std::optional<size_t> cached_fat_index_;
};

}  // namespace

Result<std::vector<std::string>> ListCompoundFileEntries(const std::string& path,
                                                         const std::string& display_name) {
  Container container(display_name);
  ROSTER_RETURN_IF_ERROR(container.Open(path));
  ROSTER_ASSIGN_OR_RETURN(std::vector<DirectoryEntry> entries, container.ReadDirectory());
  std::vector<std::string> names;
  for (DirectoryEntry& entry : entries) {
    if (entry.listed) names.push_back(std::move(entry.name));
  }
  return names;
}

Result<std::string> ReadCompoundFileStream(const std::string& path, std::string_view name,
                                           uint64_t max_bytes, const std::string& display_name) {
  Container container(display_name);
  ROSTER_RETURN_IF_ERROR(container.Open(path));
  ROSTER_ASSIGN_OR_RETURN(const std::vector<DirectoryEntry> entries, container.ReadDirectory());
  if (entries.empty() || entries[0].type != kRootEntry) return container.Damaged();

  // The root's children form a tree through the left and right sibling ids; each entry is
  // visited at most once, so a cycle cannot loop.
  std::vector<bool> visited(entries.size(), false);
  std::vector<uint32_t> pending = {entries[0].child};
  const DirectoryEntry* found = nullptr;
  while (!pending.empty()) {
    const uint32_t id = pending.back();
    pending.pop_back();
    if (id == kNoStream) continue;
    if (id >= entries.size() || visited[id]) return container.Damaged();
    visited[id] = true;
    const DirectoryEntry& entry = entries[id];
    if (entry.listed && entry.type == kStreamEntry && EqualsNoCase(entry.name, name)) {
      if (found != nullptr) return container.Damaged();  // names are unique in a storage
      found = &entry;
    }
    pending.push_back(entry.left);
    pending.push_back(entry.right);
  }
  if (found == nullptr) {
    return NotFound(display_name + ": the Office file has no stream \"" + std::string(name) + "\"");
  }
  if (found->size > max_bytes) {
    return ResourceExhausted(display_name + ": the stream \"" + std::string(name) +
                             "\" is larger than " + std::to_string(max_bytes) + " bytes");
  }
  if (found->size < kMiniStreamCutoff) {
    return container.ReadMiniChain(entries[0], found->start, found->size);
  }
  return container.ReadChain(found->start, found->size);
}

}  // namespace roster::sheet
