// Row records and the report written from them: what a check keeps of every row survives the
// round trip through chunks, a corrupt chunk is refused, and the report turns planned rows
// into what the execution did (in .csv and in .xlsx, read back by Roster's own reader).

#include "import/row_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "import/report_writer.h"
#include "sheet/workbook_reader.h"
#include "support/temp_dir.h"

namespace roster::import {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Read(std::span<const RowChunk> chunks) {
  std::vector<std::string> rows;
  EXPECT_TRUE(ForEachRowRecord(chunks, [&](const RowRecord& record) {
                rows.push_back(std::to_string(record.row) + "|" + std::string(record.value) + "|" +
                               std::string(RowStatusName(record.status)) + "|" +
                               std::string(record.message) + (record.creates ? "|creates" : ""));
              }).ok());
  return rows;
}

TEST(RowRecordsTest, RoundTripInRowOrderAcrossChunks) {
  RowRecordWriter writer;
  writer.Add(2, "anna@acme.example", RowStatus::kPlanned, "");
  writer.Add(3, "", RowStatus::kEmpty, "");
  writer.Add(7, "bob@acme", RowStatus::kError, "The domain has no dot.");
  writer.Add(9, "carla@acme.example", RowStatus::kPlanned, "", /*creates=*/true);
  std::vector<RowChunk> chunks = writer.Finish();
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].first_row, 2);
  EXPECT_THAT(Read(chunks), ElementsAre("2|anna@acme.example|planned|", "3||empty|",
                                        "7|bob@acme|error|The domain has no dot.",
                                        "9|carla@acme.example|planned||creates"));

  for (int64_t row = 2; row < 2 + 2 * kRowsPerChunk + 5; ++row) {
    writer.Add(row, "u" + std::to_string(row), RowStatus::kPlanned, "");
  }
  chunks = writer.Finish();
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[1].first_row, 2 + kRowsPerChunk);
  std::vector<std::string> rows = Read(chunks);
  ASSERT_EQ(rows.size(), static_cast<size_t>(2 * kRowsPerChunk + 5));
  EXPECT_EQ(rows.back(), std::to_string(1 + 2 * kRowsPerChunk + 5) + "|u" +
                             std::to_string(1 + 2 * kRowsPerChunk + 5) + "|planned|");
}

TEST(RowRecordsTest, ACorruptChunkIsRefused) {
  RowRecordWriter writer;
  writer.Add(2, "anna@acme.example", RowStatus::kPlanned, "");
  std::vector<RowChunk> chunks = writer.Finish();
  for (std::string data : {chunks[0].data.substr(0, chunks[0].data.size() - 1),
                           std::string("\x01\x7F", 2), std::string("\xFF\xFF\xFF", 3)}) {
    const RowChunk corrupt{2, data};
    Status read = ForEachRowRecord({&corrupt, 1}, [](const RowRecord&) {});
    EXPECT_EQ(read.code(), ErrorCode::kInternal);
    EXPECT_THAT(read.message(), ::testing::HasSubstr("corrupt"));
  }
}

class ReportTest : public ::testing::Test {
 protected:
  std::vector<RowChunk> Rows() {
    RowRecordWriter writer;
    writer.Add(2, "anna@acme.example", RowStatus::kPlanned, "");
    writer.Add(3, "=HYPERLINK(\"x\")", RowStatus::kError, "The address is not valid.");
    writer.Add(4, "bob@acme.example", RowStatus::kPlanned, "", /*creates=*/true);
    writer.Add(5, "carla@acme.example", RowStatus::kExcluded, "excluded by the admin");
    return writer.Finish();
  }
  std::string Csv(const std::optional<ReportOutcome>& outcome) {
    const std::string path = (dir_.path() / "report.csv").string();
    EXPECT_TRUE(WriteReport(Rows(), outcome, path).ok());
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  testing::TempDir dir_;
};

TEST_F(ReportTest, PlannedRowsBecomeWhatTheExecutionDid) {
  EXPECT_EQ(Csv(ReportOutcome{ImportMode::kDelete, {4}}),
            "\xEF\xBB\xBFRow,Email,Outcome,Message\r\n"
            "2,anna@acme.example,deleted,\r\n"
            "3,\"'=HYPERLINK(\"\"x\"\")\",error,The address is not valid.\r\n"
            "4,bob@acme.example,already_gone,the user was deleted or changed by someone else "
            "after the plan was made\r\n"
            "5,carla@acme.example,excluded,excluded by the admin\r\n");
  const std::string add_update = Csv(ReportOutcome{ImportMode::kAddUpdate, {}});
  EXPECT_THAT(add_update, ::testing::HasSubstr("2,anna@acme.example,updated,"));
  EXPECT_THAT(add_update, ::testing::HasSubstr("4,bob@acme.example,created,"));
  // A dry run: planned stays planned.
  EXPECT_THAT(Csv(std::nullopt), ::testing::HasSubstr("2,anna@acme.example,planned,"));
}

TEST_F(ReportTest, TheXlsxReportReadsBackRowForRow) {
  const std::string path = (dir_.path() / "report.xlsx").string();
  ASSERT_TRUE(WriteReport(Rows(), ReportOutcome{ImportMode::kDelete, {}}, path).ok());
  Result<std::unique_ptr<sheet::WorkbookReader>> reader = sheet::OpenWorkbook(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> lines;
  ASSERT_TRUE((*reader)
                  ->ReadRows(0,
                             [&](const sheet::Row& row) {
                               std::string line;
                               for (const sheet::Cell& cell : row.cells) line += cell.text + "|";
                               lines.push_back(line);
                               return true;
                             })
                  .ok());
  EXPECT_THAT(lines, ElementsAre("Row|Email|Outcome|Message|", "2|anna@acme.example|deleted|",
                                 "3|'=HYPERLINK(\"x\")|error|The address is not valid.|",
                                 "4|bob@acme.example|deleted|",
                                 "5|carla@acme.example|excluded|excluded by the admin|"));
}

TEST_F(ReportTest, AnotherEndingIsRefused) {
  Status written = WriteReport(Rows(), std::nullopt, (dir_.path() / "report.pdf").string());
  EXPECT_EQ(written.code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace roster::import
