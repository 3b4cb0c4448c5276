#include "sheet/zip_archive.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sheet/support/scratch_file.h"
#include "sheet/support/zip_builder.h"

namespace roster::sheet {
namespace {

using ::testing::HasSubstr;
using testing::WriteScratchFile;
using testing::ZipBuilder;

Result<std::string> ReadMember(const ZipBuilder& zip, std::string_view name,
                               const Limits& limits = Limits()) {
  static int counter = 0;
  const std::string path =
      WriteScratchFile("zip-" + std::to_string(++counter) + ".zip", zip.Build());
  ROSTER_ASSIGN_OR_RETURN(auto archive, ZipArchive::Open(path, limits, "a.xlsx"));
  return archive->ReadMember(name, int64_t{1} << 40);
}

TEST(ZipArchiveTest, ReadsStoredAndDeflatedMembersCaseInsensitively) {
  ZipBuilder zip;
  zip.Add("xl/Stored.xml", "stored content", false).Add("xl/deflated.xml", "deflated content");
  EXPECT_EQ(*ReadMember(zip, "/xl/stored.XML"), "stored content");
  EXPECT_EQ(*ReadMember(zip, "xl/deflated.xml"), "deflated content");
  auto missing = ReadMember(zip, "xl/none.xml");
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("a.xlsx: xl/none.xml is missing"));
}

TEST(ZipArchiveTest, CatchesADeclaredSizeThatLies) {
  // Bigger than declared, caught by counting while inflating.
  ZipBuilder bomb;
  bomb.AddZeros("x.xml", uint64_t{8} << 20, 1000);
  Limits limits;
  limits.max_inflated_bytes = int64_t{2} << 20;
  auto result = ReadMember(bomb, "x.xml", limits);
  EXPECT_EQ(result.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_THAT(result.status().message(),
              HasSubstr("a.xlsx: x.xml inflates to more than 2,097,152 bytes"));

  // Within the limits but not what the zip says: damaged.
  const std::string data = testing::Deflate("hello, world");
  ZipBuilder small;
  small.AddRaw("y.xml", data, 8, 0x12345678, 5);
  result = ReadMember(small, "y.xml");
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("corrupt"));
}

TEST(ZipArchiveTest, RatioLimitAppliesOnlyAboveTheFloor) {
  // 8 MiB of zeros compress over 1000:1 but stay under the 16 MiB floor: fine.
  ZipBuilder below;
  below.AddZeros("z.xml", uint64_t{8} << 20);
  auto result = ReadMember(below, "z.xml");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->size(), size_t{8} << 20);

  ZipBuilder above;
  above.AddZeros("z.xml", uint64_t{24} << 20);
  result = ReadMember(above, "z.xml");
  EXPECT_EQ(result.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_THAT(result.status().message(), HasSubstr("inflates more than 100 times"));
}

TEST(ZipArchiveTest, RefusesCorruptDataAndOtherMethods) {
  ZipBuilder corrupt;
  corrupt.AddRaw("c.xml", std::string("\xFF\xFF\xFF\xFF", 4), 8, 0, 100);
  auto result = ReadMember(corrupt, "c.xml");
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("a.xlsx: c.xml is corrupt"));

  const std::string data = testing::Deflate(std::string(1000, 'a'));
  ZipBuilder cut;
  cut.AddRaw("t.xml", data.substr(0, data.size() / 2), 8, 0, 1000);
  result = ReadMember(cut, "t.xml");
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("is truncated"));

  ZipBuilder bzip2;
  bzip2.AddRaw("b.xml", "BZh9", 12, 0, 4);
  result = ReadMember(bzip2, "b.xml");
  EXPECT_EQ(result.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("compression method 12"));
}

}  // namespace
}  // namespace roster::sheet
