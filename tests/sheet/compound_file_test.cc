#include "sheet/compound_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sheet/support/compound_file_builder.h"
#include "sheet/support/scratch_file.h"

namespace roster::sheet {
namespace {

using testing::TestDataPath;
using testing::WriteScratchFile;

constexpr uint64_t kNoLimit = uint64_t{1} << 40;
const std::string kDamaged =
    "staff.xls: the file is damaged or incomplete (its Office structure cannot be read): save "
    "it again and upload it again";

std::string ReadBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// The LibreOffice .xls: 512-byte sectors, a 2,971-byte Workbook stream in the mini stream.
std::string Fixture() { return ReadBytes(TestDataPath("third_party/libreoffice_staff.xls")); }

uint32_t Get32(const std::string& bytes, size_t offset) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = value << 8 | static_cast<unsigned char>(bytes[offset + i]);
  return value;
}

// The offset of the directory entry named `name` (its UTF-16LE name starts the entry) in the
// directory's first sector.
size_t EntryOffset(const std::string& bytes, const std::string& name) {
  std::string utf16;
  for (const char c : name) utf16 += std::string{c, '\0'};
  const size_t directory = (Get32(bytes, 48) + size_t{1}) * 512;
  const size_t offset = bytes.find(utf16 + std::string(2, '\0'), directory);
  EXPECT_NE(offset, std::string::npos) << name;
  EXPECT_LT(offset, directory + 512) << name;
  return offset;
}

void Put32(std::string& bytes, size_t offset, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<char>(value >> (8 * i) & 0xFF);
}

Result<std::string> ReadWorkbook(const std::string& bytes, uint64_t max_bytes = kNoLimit) {
  return ReadCompoundFileStream(WriteScratchFile("staff.xls", bytes), "Workbook", max_bytes,
                                "staff.xls");
}

TEST(CompoundFileTest, ReadsAStreamFromTheMiniStream) {
  Result<std::string> stream = ReadCompoundFileStream(
      TestDataPath("third_party/libreoffice_staff.xls"), "wOrKbOoK", kNoLimit, "staff.xls");
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  EXPECT_EQ(stream->size(), 2971u);
  EXPECT_TRUE(stream->starts_with(std::string("\x09\x08\x10\x00\x00\x06", 6)));  // BIFF8 BOF
}

TEST(CompoundFileTest, ReadsAStreamOfRegularSectors) {
  // Move the Workbook stream, padded to the mini-stream cutoff, into 8 regular sectors
  // appended to the fixture and chained in its FAT.
  std::string bytes = Fixture();
  Result<std::string> mini = ReadWorkbook(bytes);
  ASSERT_TRUE(mini.ok());
  std::string content = *mini;
  content.resize(4096, '\x5A');
  const auto first = static_cast<uint32_t>(bytes.size() / 512 - 1);
  ASSERT_EQ(bytes.size() % 512, 0u);
  bytes += content;
  const size_t fat = (Get32(bytes, 76) + size_t{1}) * 512;
  for (uint32_t i = 0; i < 8; ++i) {
    Put32(bytes, fat + 4 * (first + i), i + 1 < 8 ? first + i + 1 : 0xFFFFFFFE);
  }
  const size_t workbook = EntryOffset(bytes, "Workbook");
  Put32(bytes, workbook + 116, first);
  Put32(bytes, workbook + 120, 4096);
  Result<std::string> stream = ReadWorkbook(bytes);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  EXPECT_EQ(*stream, content);

  // A chain that ends before the size is reached is damaged.
  Put32(bytes, fat + 4 * (first + 3), 0xFFFFFFFE);
  EXPECT_EQ(ReadWorkbook(bytes).status().message(), kDamaged);
  // So is a chain that loops.
  Put32(bytes, fat + 4 * (first + 3), first);
  EXPECT_EQ(ReadWorkbook(bytes).status().message(), kDamaged);
}

TEST(CompoundFileTest, MissingStreamIsNotFound) {
  Result<std::string> stream = ReadCompoundFileStream(
      TestDataPath("third_party/libreoffice_staff.xls"), "Book", kNoLimit, "staff.xls");
  EXPECT_EQ(stream.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(stream.status().message(), "staff.xls: the Office file has no stream \"Book\"");
  // A stream outside the root's directory tree is not found either.
  const std::string built = WriteScratchFile("built.xls", testing::BuildCompoundFile({"Workbook"}));
  EXPECT_EQ(ReadCompoundFileStream(built, "Workbook", kNoLimit, "built.xls").status().code(),
            ErrorCode::kNotFound);
}

TEST(CompoundFileTest, EnforcesTheByteLimit) {
  Result<std::string> stream = ReadWorkbook(Fixture(), 2970);
  EXPECT_EQ(stream.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(stream.status().message(),
            "staff.xls: the stream \"Workbook\" is larger than 2970 bytes");
  EXPECT_TRUE(ReadWorkbook(Fixture(), 2971).ok());
}

TEST(CompoundFileTest, TruncatedFileIsDamagedNeverACrash) {
  const std::string bytes = Fixture();
  for (size_t size = 0; size < bytes.size(); size += 64) {
    SCOPED_TRACE(size);
    Result<std::string> stream = ReadWorkbook(bytes.substr(0, size));
    ASSERT_FALSE(stream.ok());
    EXPECT_EQ(stream.status().code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(ReadWorkbook(bytes.substr(0, bytes.size() / 2)).status().message(), kDamaged);
}

TEST(CompoundFileTest, HostileDirectoriesAreDamaged) {
  const std::string bytes = Fixture();
  const size_t workbook = EntryOffset(bytes, "Workbook");
  const size_t root = EntryOffset(bytes, "Root Entry");
  struct Case {
    std::string label;
    size_t offset;
    uint32_t value;
  };
  for (const Case& test : {
           Case{"a size larger than the file", workbook + 120, 0x7FFFFFF0},
           Case{"a size larger than the mini stream", workbook + 120, 4000},
           Case{"a chain into nowhere", workbook + 116, 0x00FFFFFF},
           Case{"a directory cycle", workbook + 68, 1},  // Workbook is its own left sibling
           Case{"a sibling past the directory", workbook + 72, 0x10000},
           Case{"a mini stream past the file", root + 116, 0x00FFFFFF},
           Case{"a directory chain into nowhere", 48, 0x00FFFFFF},
       }) {
    SCOPED_TRACE(test.label);
    std::string hostile = bytes;
    Put32(hostile, test.offset, test.value);
    Result<std::string> stream = ReadWorkbook(hostile);
    ASSERT_FALSE(stream.ok());
    EXPECT_EQ(stream.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(stream.status().message(), kDamaged);
  }
}

TEST(CompoundFileTest, AnEntryNameOverItsSixtyFourBytesIsDamaged) {
  // Found by fuzz/xls_reader_fuzzer: FreeXL 1.0.6 converts as many name bytes as a directory
  // entry claims (up to 65,535, from a 4 KiB stack buffer), so detection, which lists the
  // entries before OpenWorkbook hands a file to FreeXL, must refuse the file.
  const std::string bytes = Fixture();
  for (const std::string name : {"Root Entry", "Workbook"}) {
    SCOPED_TRACE(name);
    std::string hostile = bytes;
    const size_t name_length = EntryOffset(hostile, name) + 64;
    hostile[name_length] = '\xFE';
    hostile[name_length + 1] = '\xFF';
    const std::string path = WriteScratchFile("staff.xls", hostile);
    Result<std::vector<std::string>> names = ListCompoundFileEntries(path, "staff.xls");
    ASSERT_FALSE(names.ok());
    EXPECT_EQ(names.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(names.status().message(), kDamaged);
    EXPECT_EQ(ReadWorkbook(hostile).status().message(), kDamaged);
  }
  // 64 bytes is the most a name may have.
  std::string longest = bytes;
  longest[EntryOffset(longest, "Root Entry") + 64] = 64;
  EXPECT_TRUE(ListCompoundFileEntries(WriteScratchFile("staff.xls", longest), "staff.xls").ok());
}

TEST(CompoundFileTest, AMiniChainLoopIsDamaged) {
  // Point the Workbook's first mini sector's mini FAT entry at itself.
  std::string bytes = Fixture();
  const size_t workbook = EntryOffset(bytes, "Workbook");
  const uint32_t first_mini_fat_sector = Get32(bytes, 60);
  const uint32_t start = Get32(bytes, workbook + 116);
  Put32(bytes, (first_mini_fat_sector + 1) * 512 + 4 * start, start);
  EXPECT_EQ(ReadWorkbook(bytes).status().message(), kDamaged);
}

}  // namespace
}  // namespace roster::sheet
