// The default cluster and the fault kinds' names.
#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

ClusterSpec default_cluster() {
  ClusterSpec c;
  c.nodes = {"n0", "n1"};
  c.hbas = {{"n0.a", "n0"}, {"n0.b", "n0"}, {"n1.a", "n1"}, {"n1.b", "n1"}};
  c.shelves = {{"shelf0", 0, 4}, {"shelf1", 0, 4}};
  c.loops = {{"loopA", {"n0.a", "n1.a"}, {"shelf0", "shelf1"}}, {"loopB", {"n0.b", "n1.b"}, {"shelf0", "shelf1"}}};
  c.aggregates = {{"aggr0", "n0", {{"shelf0"}}, 65536}, {"aggr1", "n1", {{"shelf1"}}, 65536}};
  return c;
}

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds = word_list<FaultKind>();
  return kinds;
}

}  // namespace failsim::sim
