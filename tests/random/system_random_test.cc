#include "random/system_random.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <thread>
#include <vector>

namespace roster {
namespace {

TEST(SystemRandomTest, FillsEveryByteAndNeverRepeatsItself) {
  SystemRandom random;
  std::array<uint8_t, 32> first{}, second{};
  random.Fill(first);
  random.Fill(second);
  // 256 random bits: equal (or all zero) only if the source is broken.
  EXPECT_NE(first, second);
  EXPECT_NE(first, (std::array<uint8_t, 32>{}));
}

TEST(SystemRandomTest, FillsNothingWhenAskedForNothing) {
  SystemRandom random;
  random.Fill(std::span<uint8_t>());
}

TEST(SystemRandomTest, OneInstanceServesSeveralThreads) {
  SystemRandom random;
  std::vector<std::array<uint8_t, 16>> filled(4);
  std::vector<std::thread> threads;
  for (auto& bytes : filled) threads.emplace_back([&random, &bytes] { random.Fill(bytes); });
  for (std::thread& thread : threads) thread.join();
  for (size_t i = 1; i < filled.size(); ++i) EXPECT_NE(filled[i], filled[0]);
}

}  // namespace
}  // namespace roster
