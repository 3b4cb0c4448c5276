// PackedRows gives back exactly the rows it was given, in order.

#include "import/packed_rows.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace roster::import {
namespace {

using sheet::CellType;

sheet::Row MakeRow(int64_t number, std::vector<std::pair<CellType, std::string>> cells) {
  sheet::Row row;
  row.number = number;
  for (auto& [type, text] : cells) row.cells.push_back({type, std::move(text)});
  return row;
}

TEST(PackedRowsTest, GivesBackEveryRowAsItWasGiven) {
  std::vector<sheet::Row> rows = {
      MakeRow(2, {{CellType::kText, "anna@acme.example"}, {CellType::kNumber, "42"}}),
      MakeRow(3, {}),
      MakeRow(7, {{CellType::kEmpty, ""}, {CellType::kText, ""}, {CellType::kDate, "2024-03-01"}}),
      MakeRow(8, {{CellType::kText, std::string(70'000, 'x')}})};
  PackedRows packed;
  for (const sheet::Row& row : rows) packed.Add(row);
  EXPECT_EQ(packed.rows(), 4u);
  EXPECT_GE(packed.bytes(), 70'000u);
  std::vector<sheet::Row> seen;
  EXPECT_TRUE(packed.Visit([&](const sheet::Row& row) {
    seen.push_back(row);
    return true;
  }));
  ASSERT_EQ(seen.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(seen[i].number, rows[i].number);
    ASSERT_EQ(seen[i].cells.size(), rows[i].cells.size());
    for (size_t j = 0; j < rows[i].cells.size(); ++j) {
      EXPECT_EQ(seen[i].cells[j].type, rows[i].cells[j].type);
      EXPECT_EQ(seen[i].cells[j].text, rows[i].cells[j].text);
    }
  }
}

TEST(PackedRowsTest, StopsWhereTheVisitorSays) {
  PackedRows packed;
  for (int i = 1; i <= 5; ++i) packed.Add(MakeRow(i, {{CellType::kText, std::to_string(i)}}));
  std::vector<int64_t> seen;
  EXPECT_FALSE(packed.Visit([&](const sheet::Row& row) {
    seen.push_back(row.number);
    return row.number < 3;
  }));
  EXPECT_THAT(seen, ::testing::ElementsAre(1, 2, 3));
  packed.Clear();
  EXPECT_EQ(packed.rows(), 0u);
  EXPECT_EQ(packed.bytes(), 0u);
}

}  // namespace
}  // namespace roster::import
