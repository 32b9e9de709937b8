// The outage clients saw (runfolder/ack_gap.hpp): the longest stretch
// without an ack, from the first request, and to the run's end when a
// request still waited then.
#include <gtest/gtest.h>

#include "runfolder/ack_gap.hpp"

namespace failsim::runfolder {
namespace {

TEST(AckGap, LongestStretchFromTheFirstRequestToTheLastAck) {
  const AckGap gap = longest_ack_gap(0.0, {0.5, 0.6, 2.1, 2.2});
  EXPECT_DOUBLE_EQ(gap.longest_s, 1.5);
  EXPECT_DOUBLE_EQ(gap.from_s, 0.6);
  EXPECT_DOUBLE_EQ(gap.to_s, 2.1);
  // A first ack that comes late counts from the first request.
  EXPECT_DOUBLE_EQ(longest_ack_gap(1.0, {3.0, 3.1}).longest_s, 2.0);
  EXPECT_DOUBLE_EQ(longest_ack_gap(1.0, {}).longest_s, 0.0);
}

TEST(AckGap, ARequestWaitingAtTheEndStretchesTheGapToTheEnd) {
  // Acked until 2.07 s, then unserved with a request waiting until the end at 35 s.
  const AckGap gap = longest_ack_gap(0.0, {0.5, 2.07}, 35.0);
  EXPECT_DOUBLE_EQ(gap.longest_s, 35.0 - 2.07);
  EXPECT_DOUBLE_EQ(gap.from_s, 2.07);
  EXPECT_DOUBLE_EQ(gap.to_s, 35.0);
  // Never acked at all: from the first request to the end.
  EXPECT_DOUBLE_EQ(longest_ack_gap(0.1, {}, 5.0).longest_s, 4.9);
  // Nothing waited: the tail after the last ack is no outage.
  EXPECT_DOUBLE_EQ(longest_ack_gap(0.0, {0.5, 2.07}).longest_s, 1.57);
}

}  // namespace
}  // namespace failsim::runfolder
