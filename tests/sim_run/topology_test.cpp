// The cabling graph: which node reaches which disk under failed components.
#include <gtest/gtest.h>

#include "sim/run/topology.hpp"

namespace failsim {
namespace {

TEST(Topology, ASecondPathKeepsADiskReachable) {
  sim::Topology t(sim::default_cluster());  // loops A and B both reach every shelf
  EXPECT_TRUE(t.reachable("n0", "shelf1.d3", {}));
  EXPECT_TRUE(t.reachable("n0", "shelf1.d3", {"loopA"}));
  EXPECT_TRUE(t.reachable("n0", "shelf1.d3", {"n0.b"}));
  EXPECT_FALSE(t.reachable("n0", "shelf1.d3", {"loopA", "loopB"}));
  EXPECT_FALSE(t.reachable("n0", "shelf1.d3", {"n0.a", "loopB"}));
  EXPECT_TRUE(t.reachable("n1", "shelf1.d3", {"n0.a", "loopB"}));
  EXPECT_FALSE(t.reachable("n0", "shelf1.d3", {"shelf1"}));
  EXPECT_FALSE(t.reachable("n0", "shelf1.d3", {"shelf1.d3"}));
  EXPECT_TRUE(t.reachable("n0", "shelf1.d2", {"shelf1.d3"}));
}

TEST(Topology, ADiskIsNotReachedThroughThePartner) {
  sim::ClusterSpec c = sim::default_cluster();
  // n0's only HBA is on loop A, which does not reach shelf1; loop B does,
  // but only n1 is on it.
  c.hbas = {{"n0.a", "n0"}, {"n1.a", "n1"}, {"n1.b", "n1"}};
  c.loops = {{"loopA", {"n0.a", "n1.a"}, {"shelf0"}}, {"loopB", {"n1.b"}, {"shelf1"}}};
  sim::Topology t(c);
  EXPECT_TRUE(t.reachable("n0", "shelf0.d0", {}));
  EXPECT_FALSE(t.reachable("n0", "shelf1.d0", {}));
  EXPECT_TRUE(t.reachable("n1", "shelf1.d0", {}));
}

}  // namespace
}  // namespace failsim
