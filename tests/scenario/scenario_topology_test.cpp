// References and topology: names unique and defined, plexes in pools, every
// shelf of an aggregate reachable from its owner and a whole plex from its
// partner (or takeover is impossible), fault targets that exist and fault
// times in the fault phase.
#include <gtest/gtest.h>

#include <map>

#include "problems_of.hpp"

namespace failsim {
namespace {

using test::has_problem;
using test::problems_of;

// A cluster like the default (but with shelf1 in pool 1), written out, with
// some of its lists replaced.
std::string cluster(std::map<std::string, std::string> replaced) {
  std::map<std::string, std::string> parts = {
      {"nodes", R"(["n0", "n1"])"},
      {"hbas", R"([{"name": "n0.a", "node": "n0"}, {"name": "n0.b", "node": "n0"},
                   {"name": "n1.a", "node": "n1"}, {"name": "n1.b", "node": "n1"}])"},
      {"loops", R"([{"name": "loopA", "hbas": ["n0.a", "n1.a"], "shelves": ["shelf0", "shelf1"]},
                    {"name": "loopB", "hbas": ["n0.b", "n1.b"], "shelves": ["shelf0", "shelf1"]}])"},
      {"shelves", R"([{"name": "shelf0", "pool": 0}, {"name": "shelf1", "pool": 1}])"},
      {"aggregates", R"([{"name": "aggr0", "owner": "n0", "plexes": [["shelf0"]]},
                         {"name": "aggr1", "owner": "n1", "plexes": [["shelf1"]]}])"}};
  for (auto& [k, v] : replaced) parts[k] = v;
  std::string s = R"({"cluster": {)";
  for (const auto& [k, v] : parts) s += (s.back() == '{' ? "" : ", ") + ("\"" + k + "\": " + v);
  return s + "}}";
}
std::string cluster(const std::string& part, const std::string& replacement) { return cluster({{part, replacement}}); }

TEST(ScenarioTopology, TheWrittenOutDefaultIsValid) { EXPECT_EQ(problems_of(cluster("nodes", R"(["n0", "n1"])")), ""); }

TEST(ScenarioTopology, ExactlyTwoNodes) {
  EXPECT_TRUE(has_problem(cluster("nodes", R"(["n0", "n1", "n2"])"), "$.cluster.nodes", "expected exactly 2 items, found 3"));
  EXPECT_TRUE(has_problem(cluster("nodes", R"(["n0"])"), "$.cluster.nodes", "expected exactly 2 items, found 1"));
}

TEST(ScenarioTopology, NamesAreUnique) {
  EXPECT_TRUE(has_problem(cluster("nodes", R"(["n0", "n0"])"), "$.cluster.nodes[1]",
                          "expected a unique name: 'n0' is already used at $.cluster.nodes[0]"));
  EXPECT_TRUE(has_problem(cluster("shelves", R"([{"name": "shelf0"}, {"name": "shelf0"}])"), "$.cluster.shelves[1].name",
                          "'shelf0' is already used"));
  EXPECT_TRUE(has_problem(cluster("aggregates", R"([{"name": "aggr0", "owner": "n0", "plexes": [["shelf0"]]},
                                                    {"name": "aggr0", "owner": "n1", "plexes": [["shelf1"]]}])"),
                          "$.cluster.aggregates[1].name", "'aggr0' is already used"));
  // One namespace for the whole cluster: a shelf may not be called like a node.
  EXPECT_TRUE(has_problem(cluster("shelves", R"([{"name": "shelf0"}, {"name": "shelf1"}, {"name": "n1"}])"),
                          "$.cluster.shelves[2].name", "'n1' is already used at $.cluster.nodes[1]"));
  EXPECT_TRUE(has_problem(cluster("nodes", R"(["n0", ""])"), "$.cluster.nodes[1]", "expected a non-empty name"));
}

TEST(ScenarioTopology, HbaNodesExist) {
  EXPECT_TRUE(has_problem(cluster("hbas", R"([{"name": "n0.a", "node": "n0"}, {"name": "n1.a", "node": "n7"}])"),
                          "$.cluster.hbas[1].node", "expected a node of cluster.nodes, found 'n7'"));
}

TEST(ScenarioTopology, LoopsNameExistingHbasAndShelves) {
  const std::string loops = R"([{"name": "loopA", "hbas": ["n0.a", "n1.x"], "shelves": ["shelf0", "shelf1", "shelf9"]},
                                {"name": "loopB", "hbas": ["n0.b", "n1.b"], "shelves": ["shelf0", "shelf1"]}])";
  EXPECT_TRUE(has_problem(cluster("loops", loops), "$.cluster.loops[0].hbas[1]", "expected an HBA of cluster.hbas, found 'n1.x'"));
  EXPECT_TRUE(has_problem(cluster("loops", loops), "$.cluster.loops[0].shelves[2]",
                          "expected a shelf of cluster.shelves, found 'shelf9'"));
}

TEST(ScenarioTopology, AggregateOwnersExist) {
  EXPECT_TRUE(has_problem(cluster("aggregates", R"([{"name": "a", "owner": "nX", "plexes": [["shelf0"]]}])"),
                          "$.cluster.aggregates[0].owner", "expected a node of cluster.nodes, found 'nX'"));
}

TEST(ScenarioTopology, OneOrTwoPlexesOfAtLeastOneShelf) {
  EXPECT_TRUE(has_problem(cluster("aggregates", R"([{"name": "a", "owner": "n0", "plexes": []}])"),
                          "$.cluster.aggregates[0].plexes", "expected 1 to 2 items, found 0"));
  EXPECT_TRUE(has_problem(cluster("aggregates", R"([{"name": "a", "owner": "n0", "plexes": [["shelf0"], ["shelf1"], ["shelf1"]]}])"),
                          "$.cluster.aggregates[0].plexes", "expected 1 to 2 items, found 3"));
  EXPECT_TRUE(has_problem(cluster("aggregates", R"([{"name": "a", "owner": "n0", "plexes": [[]]}])"),
                          "$.cluster.aggregates[0].plexes[0]", "expected at least 1 item, found 0"));
  EXPECT_TRUE(has_problem(cluster("aggregates", R"([])"), "$.cluster.aggregates", "expected at least 1 item, found 0"));
}

TEST(ScenarioTopology, PlexShelvesInOnePoolAndMirrorsInTwo) {
  // shelf0 is in pool 0 and shelf1 in pool 1 in this cluster.
  EXPECT_TRUE(has_problem(cluster("aggregates", R"([{"name": "a", "owner": "n0", "plexes": [["shelf0", "shelf1"]]}])"),
                          "$.cluster.aggregates[0].plexes[0]", "expected the shelves of a plex all in one pool"));
  const std::string text =
      cluster({{"shelves", R"([{"name": "shelf0", "pool": 0}, {"name": "shelf1", "pool": 0}])"},
               {"aggregates", R"([{"name": "a", "owner": "n0", "plexes": [["shelf0"], ["shelf1"]]}])"}});
  EXPECT_TRUE(has_problem(text, "$.cluster.aggregates[0].plexes",
                          "expected the two plexes of a mirrored aggregate in different pools, found both in pool 0"));
  EXPECT_EQ(problems_of(cluster("aggregates", R"([{"name": "a", "owner": "n0", "plexes": [["shelf0"], ["shelf1"]]}])")), "");
}

TEST(ScenarioTopology, AShelfBelongsToOneAggregate) {
  EXPECT_TRUE(has_problem(cluster("aggregates", R"([{"name": "a", "owner": "n0", "plexes": [["shelf0"]]},
                                                    {"name": "b", "owner": "n1", "plexes": [["shelf0"]]}])"),
                          "$.cluster.aggregates[1].plexes[0][0]",
                          "expected a shelf no other plex uses: 'shelf0' is already in $.cluster.aggregates[0]"));
}

TEST(ScenarioTopology, TheOwnerReachesEveryShelfAndThePartnerAWholePlex) {
  // Only n0's HBAs reach shelf0: n1 could not take aggr0 over.
  const std::string loops = R"([{"name": "loopA", "hbas": ["n0.a", "n0.b"], "shelves": ["shelf0"]},
                                {"name": "loopB", "hbas": ["n0.b", "n1.b"], "shelves": ["shelf1"]}])";
  EXPECT_TRUE(has_problem(cluster("loops", loops), "$.cluster.aggregates[0].plexes",
                          "expected node 'n1' to reach every shelf of at least one plex through its loops, so that it "
                          "could take over 'aggr0'; it reaches no whole plex"));
  // Nor can the owner serve what it cannot reach.
  const std::string loops2 = R"([{"name": "loopA", "hbas": ["n1.a"], "shelves": ["shelf0", "shelf1"]},
                                 {"name": "loopB", "hbas": ["n0.b"], "shelves": ["shelf1"]}])";
  EXPECT_TRUE(has_problem(cluster("loops", loops2), "$.cluster.aggregates[0].plexes[0][0]",
                          "expected a shelf the owner reaches: node 'n0' cannot reach shelf 'shelf0' through any "
                          "loop, so it cannot serve 'aggr0'"));
}

TEST(ScenarioTopology, APlexInTheOwnersPoolMaySitWithTheOwnerAlone) {
  // SyncMirror across the pair (claim 90): each aggregate's pool-0 plex on a
  // loop of its owner's HBAs only, its pool-1 plex on a loop both reach.
  const std::map<std::string, std::string> parts = {
      {"loops", R"([{"name": "local0", "hbas": ["n0.a"], "shelves": ["s0"]},
                    {"name": "local1", "hbas": ["n1.a"], "shelves": ["s1"]},
                    {"name": "shared", "hbas": ["n0.b", "n1.b"], "shelves": ["m0", "m1"]}])"},
      {"shelves", R"([{"name": "s0", "pool": 0}, {"name": "s1", "pool": 0},
                      {"name": "m0", "pool": 1}, {"name": "m1", "pool": 1}])"},
      {"aggregates", R"([{"name": "aggr0", "owner": "n0", "plexes": [["s0"], ["m0"]]},
                         {"name": "aggr1", "owner": "n1", "plexes": [["s1"], ["m1"]]}])"}};
  EXPECT_EQ(problems_of(cluster(parts)), "");
  // Without the shared plex the partner has nothing to take over from.
  std::map<std::string, std::string> unmirrored = parts;
  unmirrored["aggregates"] = R"([{"name": "aggr0", "owner": "n0", "plexes": [["s0"]]},
                                  {"name": "aggr1", "owner": "n1", "plexes": [["s1"], ["m1"]]}])";
  EXPECT_TRUE(has_problem(cluster(unmirrored), "$.cluster.aggregates[0].plexes",
                          "expected node 'n1' to reach every shelf of at least one plex through its loops, so that it "
                          "could take over 'aggr0'; it reaches no whole plex"));
}

TEST(ScenarioTopology, WorkloadAggregatesExist) {
  EXPECT_TRUE(has_problem(R"({"workload": {"aggregates": ["aggr0", "aggr7"]}})", "$.workload.aggregates[1]",
                          "expected an aggregate of cluster.aggregates, found 'aggr7'"));
}

TEST(ScenarioTopology, HeartbeatTimeoutExceedsTheInterval) {
  EXPECT_TRUE(has_problem(R"({"server": {"heartbeat_interval_s": 1, "heartbeat_timeout_s": 1}})",
                          "$.server.heartbeat_timeout_s", "expected more than heartbeat_interval_s (1), found 1"));
}

TEST(ScenarioTopology, TheMixHasAWeightAboveZero) {
  EXPECT_TRUE(has_problem(R"({"workload": {"mix": {"create": 0, "mkdir": 0, "write": 0, "append": 0, "truncate": 0,
      "rename": 0, "unlink": 0, "rmdir": 0, "setattr": 0}}})", "$.workload.mix", "expected at least one weight above 0"));
}

TEST(ScenarioFaults, NodesExist) {
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "node_crash", "node": "n9"}]})", "$.faults[0].node",
                          "expected a node of cluster.nodes, found 'n9'"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "crash_at_cp_block"}]})", "$.faults[0].node",
                          "expected the node a crash_at_cp_block fault hits"));
  EXPECT_EQ(problems_of(R"({"faults": [{"kind": "power_loss"}]})"), "");  // both nodes
}

TEST(ScenarioFaults, TargetsExist) {
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "disk_fail", "target": "shelf0.d4"}]})", "$.faults[0].target",
                          "expected a disk (\"<shelf>.d<i>\"), found 'shelf0.d4' (shelf 'shelf0' has disks shelf0.d0 to shelf0.d3)"));
  EXPECT_EQ(problems_of(R"({"faults": [{"kind": "disk_fail", "target": "shelf0.d3"}]})"), "");
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "latent_sector_error", "target": "shelf0"}]})", "$.faults[0].target",
                          "expected a disk"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "shelf_fail", "target": "shelf2"}]})", "$.faults[0].target",
                          "expected a shelf of cluster.shelves, found 'shelf2'"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "loop_fail", "target": "loopC"}]})", "$.faults[0].target",
                          "expected a loop of cluster.loops, found 'loopC' (did you mean 'loopA'?)"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "hba_fail"}]})", "$.faults[0].target", "expected an HBA of cluster.hbas, found ''"));
  EXPECT_TRUE(has_problem(R"({"workload": {"clients": 3}, "faults": [{"kind": "client_partition", "target": "client4"}]})",
                          "$.faults[0].target", "expected \"all\" or client1 to client3, found 'client4'"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "client_partition", "target": "client01"}]})", "$.faults[0].target",
                          "expected \"all\""));
  EXPECT_EQ(problems_of(R"({"faults": [{"kind": "client_partition", "target": "client4"}, {"kind": "client_partition"}]})"), "");
}

TEST(ScenarioFaults, TimesWithinTheFaultPhase) {
  EXPECT_TRUE(has_problem(R"({"phases": {"fault_phase_s": 5}, "faults": [{"kind": "reboot", "node": "n0", "at_s": 5.5}]})",
                          "$.faults[0].at_s", "expected a time within the fault phase (0 to phases.fault_phase_s = 5 s), found 5.5"));
  EXPECT_EQ(problems_of(R"({"phases": {"fault_phase_s": 5}, "faults": [{"kind": "reboot", "node": "n0", "at_s": 5}]})"), "");
}

TEST(ScenarioFaults, PointFaultsFireAtLeastOnce) {
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "crash_before_mirror", "node": "n0", "k": 0}]})", "$.faults[0].k",
                          "expected a non-negative integer >= 1, found 0"));
}

}  // namespace
}  // namespace failsim
