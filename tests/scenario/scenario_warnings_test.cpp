// `failsim validate`'s warnings: a timed fault outside the clients' window.
#include <gtest/gtest.h>

#include "sim/scenario/scenario_warnings.hpp"

namespace failsim::sim {
namespace {

Scenario open_loop(double warmup_s, double rate_per_s, std::uint64_t ops) {
  Scenario s;
  s.workload.loop = ClientLoop::open;
  s.workload.warmup_s = warmup_s;
  s.workload.rate_per_s = rate_per_s;
  s.workload.ops_per_client = ops;
  return s;
}

TEST(ScenarioWarnings, AFaultBeforeTheClientsStartOrAfterTheirLastRequestIsNamed) {
  Scenario s = open_loop(1.0, 100, 100);  // requests from 1 s, the last due at 2 s
  s.faults.push_back({.at_s = 0.5, .params = NodeCrash{.node = "n0"}});
  s.faults.push_back({.at_s = 1.5, .params = NodeCrash{.node = "n0"}});
  s.faults.push_back({.at_s = 3.0, .params = PowerLoss{}});
  const std::vector<std::string> w = scenario_warnings(s);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_NE(w[0].find("$.faults[0].at_s"), std::string::npos) << w[0];
  EXPECT_NE(w[0].find("before the clients start"), std::string::npos) << w[0];
  EXPECT_NE(w[1].find("$.faults[2].at_s"), std::string::npos) << w[1];
  EXPECT_NE(w[1].find("after the clients' last request is due (2 s"), std::string::npos) << w[1];
}

TEST(ScenarioWarnings, PointFaultsRepairsAndClosedLoopsAreNotJudged) {
  Scenario s = open_loop(0, 100, 100);
  s.faults.push_back({.at_s = 3.0, .params = CrashBeforeMirror{.node = "n0", .k = 1}});  // fired by an event
  s.faults.push_back({.at_s = 3.0, .params = DiskReplace{.target = "shelf0.d0"}});
  EXPECT_TRUE(scenario_warnings(s).empty());
  s.workload.loop = ClientLoop::closed;  // its end depends on latency: the run warns
  s.faults.push_back({.at_s = 30.0, .params = NodeCrash{.node = "n0"}});
  EXPECT_TRUE(scenario_warnings(s).empty());
}

}  // namespace
}  // namespace failsim::sim
