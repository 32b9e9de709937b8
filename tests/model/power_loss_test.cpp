// What a crash does to a node's devices (sim/memory/power_loss.hpp), the
// rules both drivers follow.
#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "sim/memory/power_loss.hpp"

namespace failsim {
namespace {

namespace pl = sim::power_loss;

TEST(PowerLoss, AWriteUnderWayLandsAsThePrefixTransferred) {
  std::vector<std::uint8_t> medium(8, 0);
  const std::vector<std::uint8_t> bytes{1, 2, 3, 4};
  EXPECT_EQ(pl::landed_bytes(pl::progress(10, 2, 11), bytes.size()), 2u);
  pl::land(medium, 2, bytes, 2);
  EXPECT_EQ(medium, (std::vector<std::uint8_t>{0, 0, 1, 2, 0, 0, 0, 0}));
  pl::land(medium, 4, bytes);  // whole
  EXPECT_EQ(medium, (std::vector<std::uint8_t>{0, 0, 1, 2, 1, 2, 3, 4}));
}

TEST(PowerLoss, ProgressIsClampedAndZeroForAWriteWithNoDuration) {
  EXPECT_EQ(pl::progress(0, 1, 5), 1.0);
  EXPECT_EQ(pl::progress(3, 1, 2), 0.0);
  EXPECT_EQ(pl::progress(3, 0, 4), 0.0);
}

TEST(PowerLoss, AWritePastTheMediumsEndLandsNothing) {
  std::vector<std::uint8_t> medium(4, 0);
  pl::land(medium, 2, std::vector<std::uint8_t>{9, 9, 9}, 1);
  EXPECT_EQ(medium, (std::vector<std::uint8_t>(4, 0)));
}

TEST(PowerLoss, NvramKeepsItsBytesOnlyWhileTheBatteryHolds) {
  std::vector<std::uint8_t> region{5, 6, 7};
  pl::nvram_at_power_loss(region, true);
  EXPECT_EQ(region, (std::vector<std::uint8_t>{5, 6, 7}));
  pl::nvram_at_power_loss(region, false);
  EXPECT_EQ(region, (std::vector<std::uint8_t>(3, 0)));
}

TEST(PowerLoss, OnlyTheHeadOfAQueueTearsAndTheRestIsLost) {
  std::deque<int> queue{1, 2, 3};
  std::vector<int> torn;
  pl::queue_at_power_loss(queue, true, [&](int r) { torn.push_back(r); });
  EXPECT_EQ(torn, std::vector<int>{1});
  EXPECT_TRUE(queue.empty());
  queue = {4, 5};
  pl::queue_at_power_loss(queue, false, [&](int r) { torn.push_back(r); });
  EXPECT_EQ(torn, std::vector<int>{1});
  EXPECT_TRUE(queue.empty());
}

}  // namespace
}  // namespace failsim
