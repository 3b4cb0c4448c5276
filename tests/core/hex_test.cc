#include "core/hex.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace roster {
namespace {

TEST(HexTest, WritesTwoLowercaseDigitsPerByteInOrder) {
  EXPECT_EQ(ToHex(std::array<uint8_t, 4>{0x00, 0x0f, 0xa0, 0xff}), "000fa0ff");
  EXPECT_EQ(ToHex(std::array<uint8_t, 3>{0x12, 0x34, 0xcd}), "1234cd");
}

TEST(HexTest, NoBytesAreTheEmptyString) { EXPECT_EQ(ToHex(std::vector<uint8_t>{}), ""); }

}  // namespace
}  // namespace roster
