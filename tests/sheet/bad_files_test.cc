// The bad-files suite at the readers' level: every hostile file of tests/support/hostile_files
// through OpenWorkbook and a full read of its first sheet, in process (so sanitizers see the
// readers), with the readers' defaults and with small limits. Also checks the generator itself
// against zlib and unzip, so that a file refused here is refused for what it claims to be.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <set>
#include <string>

#include "sheet/workbook_reader.h"
#include "support/hostile_files.h"
#include "support/temp_dir.h"
#include "support/unzip_member.h"

namespace roster::sheet {
namespace {

using roster::testing::HostileFile;
using roster::testing::HostileFiles;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
namespace hostile = roster::testing::hostile;

// What the API test server uses: small, so that the over-limit files stay tiny.
Limits SmallLimits() {
  Limits limits;
  limits.max_file_bytes = int64_t{4} << 20;
  limits.max_rows = 1000;
  limits.max_columns = 100;
  return limits;
}

// A sanitizer build runs several times slower (2,000,001 xlsx rows take about 14 s under
// ASan on 2 busy cores, 0.4 s without).
#if defined(__SANITIZE_ADDRESS__)
constexpr double kMaxSecondsPerFile = 60;
#else
constexpr double kMaxSecondsPerFile = 10;
#endif
constexpr int64_t kMaxRssGrowthKilobytes = 256 * 1024;

int64_t MaxRssKilobytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Inflates a raw deflate stream with zlib, up to `limit` bytes.
std::string Inflate(const std::string& data, size_t limit = size_t{64} << 20) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, -MAX_WBITS), Z_OK);
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK && out.size() < limit) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END) << (stream.msg != nullptr ? stream.msg : "");
  inflateEnd(&stream);
  return out;
}

uint32_t ZlibCrc(const std::string& data) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

TEST(HostileFilesTest, CrcAgreesWithZlib) {
  for (const std::string& text :
       {std::string(), std::string("a"), std::string("Email\n"), std::string(100'000, 'x')}) {
    EXPECT_EQ(hostile::Crc32(text), ZlibCrc(text)) << text.size();
  }
  const std::string a = "<worksheet>", b = std::string(70'000, ' ') + "</worksheet>";
  EXPECT_EQ(hostile::Crc32Combine(ZlibCrc(a), ZlibCrc(b), b.size()), ZlibCrc(a + b));
  EXPECT_EQ(hostile::Crc32Combine(ZlibCrc(a), ZlibCrc(""), 0), ZlibCrc(a));
}

TEST(HostileFilesTest, DeflateStreamsInflateWithZlibToWhatTheyClaim) {
  const std::string big(200'000, 'q');  // several stored blocks
  hostile::Deflated stored = hostile::DeflateStored(big);
  EXPECT_EQ(Inflate(stored.data), big);
  EXPECT_EQ(stored.crc, ZlibCrc(big));
  EXPECT_EQ(Inflate(hostile::DeflateStored("").data), "");

  struct Case {
    std::string prefix, unit;
    uint64_t copies;
    std::string suffix;
    uint32_t match_length;
  };
  const std::string row = R"(<row><c t="s"><v>0</v></c></row>)";
  for (const Case& c : std::vector<Case>{{"<a>", " ", 1'000'000, "</a>", 258},
                                         {"<sheetData>", row, 10'001, "</sheetData>", 50},
                                         {"", row, 1, "", 50},
                                         {"x", "ab", 2, "", 3},
                                         {"h", std::string(300, 'u'), 7, "t", 258},
                                         {"", "z", 5, "", 258}}) {
    hostile::Deflated deflated =
        hostile::DeflatePeriodic(c.prefix, c.unit, c.copies, c.suffix, c.match_length);
    std::string expected = c.prefix;
    for (uint64_t i = 0; i < c.copies; ++i) expected += c.unit;
    expected += c.suffix;
    const std::string inflated = Inflate(deflated.data);
    EXPECT_EQ(inflated.size(), expected.size()) << c.unit << " x " << c.copies;
    EXPECT_TRUE(inflated == expected) << c.unit << " x " << c.copies;
    EXPECT_EQ(deflated.size, expected.size());
    EXPECT_EQ(deflated.crc, ZlibCrc(expected));
  }
  // The ratios the suite relies on: a bomb far above the readers' 100, a long sheet below it.
  hostile::Deflated bomb = hostile::DeflatePeriodic("<x>", " ", uint64_t{64} << 20, "</x>", 258);
  EXPECT_GT(bomb.size / bomb.data.size(), 1000u);
  hostile::Deflated rows = hostile::DeflatePeriodic("<x>", row, 100'000, "</x>", 50);
  EXPECT_LT(rows.size / rows.data.size(), 60u);
  EXPECT_GT(rows.size / rows.data.size(), 40u);
}

TEST(HostileFilesTest, ZipsAreReadByUnzip) {
  roster::testing::TempDir dir;
  const std::string path = dir.File("two.zip");
  const hostile::ZipBytes zip = hostile::BuildZip(
      {hostile::TrueMember("a.txt", "stored text", /*deflate=*/false),
       hostile::TrueMember("dir/b.xml", std::string(70'000, 'b')),
       hostile::DeflatedMember("c.txt", hostile::DeflatePeriodic("[", "ab", 1000, "]", 258))});
  std::ofstream(path, std::ios::binary) << zip.bytes;
  EXPECT_EQ(roster::testing::UnzipMember(path, "a.txt"), "stored text");
  EXPECT_EQ(roster::testing::UnzipMember(path, "dir/b.xml"), std::string(70'000, 'b'));
  std::string expected = "[";
  for (int i = 0; i < 1000; ++i) expected += "ab";
  EXPECT_EQ(roster::testing::UnzipMember(path, "c.txt"), expected + "]");
  EXPECT_EQ(zip.data_offsets.size(), 3u);
  EXPECT_EQ(zip.bytes.substr(zip.directory_offset, 4), "PK\x01\x02");
}

TEST(HostileFilesTest, ThereAreAtLeastFortyWithUniqueNames) {
  const std::vector<HostileFile> files = HostileFiles(Limits());
  EXPECT_GE(files.size(), 40u);
  std::set<std::string> names;
  for (const HostileFile& file : files) {
    EXPECT_TRUE(names.insert(file.name).second) << file.name;
    EXPECT_EQ(file.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"),
              std::string::npos)
        << file.name;
    if (file.code != ErrorCode::kOk) {
      EXPECT_FALSE(file.words.empty()) << file.name;
    }
  }
}

// The whole first sheet, as an import reads it.
Status OpenAndRead(const std::string& path, const HostileFile& file, const Limits& limits) {
  ROSTER_ASSIGN_OR_RETURN(std::unique_ptr<WorkbookReader> reader,
                          OpenWorkbook(path, limits, file.file_name));
  return reader->ReadRows(0, [](const Row&) { return true; });
}

class HostileFileReadTest
    : public ::testing::TestWithParam<std::tuple<const char*, Limits, HostileFile>> {};

TEST_P(HostileFileReadTest, IsRefusedForWhatItIs) {
  const auto& [limits_name, limits, file] = GetParam();
  roster::testing::TempDir dir;
  const std::string path = roster::testing::WriteHostileFile(file, dir.path()).string();
  const int64_t rss_before = MaxRssKilobytes();
  const auto start = std::chrono::steady_clock::now();
  const Status status = OpenAndRead(path, file, limits);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, kMaxSecondsPerFile);
  EXPECT_LT(MaxRssKilobytes() - rss_before, kMaxRssGrowthKilobytes) << "kilobytes";
  EXPECT_EQ(status.code(), file.code) << status.ToString();
  if (file.code == ErrorCode::kOk) return;
  EXPECT_THAT(status.message(), HasSubstr(file.file_name));
  for (const std::string& word : file.words) EXPECT_THAT(status.message(), HasSubstr(word));
  EXPECT_THAT(status.message(), Not(HasSubstr("root:")));  // nothing of /etc/passwd
  // And what to do about it: every refusal ends with an action a person can take.
  EXPECT_THAT(status.message(), AnyOf(HasSubstr("upload"), HasSubstr("save"), HasSubstr("export"),
                                      HasSubstr("split")));
}

std::vector<std::tuple<const char*, Limits, HostileFile>> Cases() {
  std::vector<std::tuple<const char*, Limits, HostileFile>> cases;
  for (const auto& [name, limits] :
       {std::pair<const char*, Limits>{"default_limits", Limits()},
        std::pair<const char*, Limits>{"small_limits", SmallLimits()}}) {
    for (HostileFile& file : HostileFiles(limits)) cases.emplace_back(name, limits, file);
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(BadFiles, HostileFileReadTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<HostileFileReadTest::ParamType>& info) {
                           return std::string(std::get<0>(info.param)) + "_" +
                                  std::get<2>(info.param).name;
                         });

}  // namespace
}  // namespace roster::sheet
