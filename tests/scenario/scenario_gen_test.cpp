// The random scenario generators (checker/scenario_gen.hpp): every draw is a
// scenario `failsim validate` accepts (it survives its own file form), and
// the pools-as-ownership cases are drawn, are cabled so, and keep their
// storage faults inside the envelope (checker/scenario_gen_pools.cpp).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "checker/scenario_gen.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim {
namespace {

using sim::FaultKind;

// What `failsim validate` does with a scenario file, on the generator's draw.
void expect_valid(const sim::Scenario& s) {
  const std::string text = sim::to_json(s).dump(1);
  try {
    RC_ASSERT(sim::parse_scenario(text, "generated.json") == s);
  } catch (const sim::ScenarioError& e) {
    RC_FAIL(std::string("refused: ") + e.what() + "\n" + text);
  }
}

RC_GTEST_PROP(ScenarioGen, EveryCaseIsAValidScenario, ()) { expect_valid(*checker::scenario_gen()); }
RC_GTEST_PROP(ScenarioGen, EveryOutOfEnvelopeCaseIsAValidScenario, ()) { expect_valid(*checker::out_of_envelope_gen()); }

// The nodes that reach each shelf through their HBAs and loops.
std::map<std::string, std::set<std::string>> reach(const sim::ClusterSpec& c) {
  std::map<std::string, std::set<std::string>> by;
  for (const auto& loop : c.loops)
    for (const auto& hba : loop.hbas)
      for (const auto& h : c.hbas)
        if (h.name == hba)
          for (const auto& shelf : loop.shelves) by[shelf].insert(h.node);
  return by;
}
int pool_of(const sim::ClusterSpec& c, const std::string& shelf) {
  for (const auto& sh : c.shelves)
    if (sh.name == shelf) return sh.pool;
  return -1;
}
// The pool a storage fault's part belongs to in the ownership cluster:
// shelves and disks by their shelf, local loops and a HBAs 0, the rest 1.
int pool_of_part(const sim::ClusterSpec& c, const std::string& t) {
  if (t.starts_with("local") || t.ends_with(".a")) return 0;
  if (t == "shared" || t.ends_with(".b")) return 1;
  return pool_of(c, t.substr(0, t.find('.')));
}
bool takes_a_node_down(FaultKind k) {
  return k == FaultKind::node_crash || k == FaultKind::power_loss || k == FaultKind::reboot ||
         k == FaultKind::node_hang || sim::kind_info(k).timing == sim::FaultTiming::point;
}

// What one ownership case shows, for the coverage counts.
struct Seen {
  bool pool0_then_owner_down = false, pool1_then_owner_down = false, repair = false, path_loss = false;
};

// Cabling: each pool-0 shelf reached by its owner alone, each pool-1 shelf
// by both nodes. Envelope: at most one failed part besides pool-0 disks (or
// both HBAs of one node); a pool-1 failure other than a path loss before any
// node goes down and without a dead battery.
Seen check_ownership_case(const sim::Scenario& s) {
  Seen seen;
  const auto by = reach(s.cluster);
  for (const auto& a : s.cluster.aggregates)
    for (const auto& plex : a.plexes)
      for (const auto& shelf : plex) {
        const std::set<std::string> want =
            pool_of(s.cluster, shelf) == 0 ? std::set<std::string>{a.owner} : std::set<std::string>{"n0", "n1"};
        EXPECT_EQ(by.at(shelf), want) << shelf;
      }
  double first_down_s = std::numeric_limits<double>::infinity();
  bool battery = false;
  std::vector<const sim::FaultSpec*> parts;  // failures of shelves, loops, HBAs, pool-1 disks
  for (const auto& f : s.faults) {
    if (takes_a_node_down(f.kind())) first_down_s = std::min(first_down_s, f.at_s);
    battery = battery || f.kind() == FaultKind::nvram_battery_loss;
    seen.repair = seen.repair || sim::is_repair(f.kind());
    const std::string t(sim::target_of(f));
    const bool disk = f.kind() == FaultKind::disk_fail || f.kind() == FaultKind::latent_sector_error;
    const bool part = f.kind() == FaultKind::shelf_fail || f.kind() == FaultKind::loop_fail || f.kind() == FaultKind::hba_fail;
    // Pool-0 disks fail in any number within parity (the RAID draws): not counted.
    if (part || (disk && pool_of_part(s.cluster, t) == 1)) parts.push_back(&f);
  }
  if (parts.size() == 2) {
    // Only a path loss: both HBAs of one node.
    const std::string a(sim::target_of(*parts[0])), b(sim::target_of(*parts[1]));
    EXPECT_EQ(parts[0]->kind(), FaultKind::hba_fail);
    EXPECT_EQ(parts[1]->kind(), FaultKind::hba_fail);
    EXPECT_EQ(a.substr(0, 3), b.substr(0, 3));
    seen.path_loss = true;
    return seen;
  }
  EXPECT_LE(parts.size(), 1u);
  if (parts.empty()) return seen;
  const sim::FaultSpec& f = *parts[0];
  const std::string t(sim::target_of(f));
  const bool later_down = f.at_s < first_down_s && first_down_s < std::numeric_limits<double>::infinity();
  if (pool_of_part(s.cluster, t) == 1) {
    EXPECT_FALSE(battery) << "a pool-1 failure with a dead battery: " << t;
    EXPECT_LT(f.at_s, first_down_s) << "a pool-1 failure after a node may have gone down: " << t;
    seen.pool1_then_owner_down = later_down;
  } else {
    seen.pool0_then_owner_down = f.at_s <= first_down_s && first_down_s < std::numeric_limits<double>::infinity();
  }
  return seen;
}

TEST(ScenarioGen, OwnershipPoolsAreDrawnCabledSoAndInsideTheEnvelope) {
  constexpr int cases = 2000;
  int ownership = 0, pool0_then_down = 0, pool1_then_down = 0, repaired = 0, path_loss = 0;
  for (int i = 0; i < cases; ++i) {
    const sim::Scenario s = checker::scenario_gen()(rc::Random(1000 + i), i % 100 + 1).value();
    if (!checker::pools_are_ownership(s.cluster)) continue;
    ++ownership;
    SCOPED_TRACE("case " + std::to_string(i));
    const Seen seen = check_ownership_case(s);
    pool0_then_down += seen.pool0_then_owner_down;
    pool1_then_down += seen.pool1_then_owner_down;
    repaired += seen.repair;
    path_loss += seen.path_loss;
  }
  std::cout << "ownership pools in " << ownership << " of " << cases << " cases: pool-0 failure then a node down "
            << pool0_then_down << ", pool-1 failure then a node down " << pool1_then_down << ", a repair " << repaired
            << ", a path loss " << path_loss << "\n";
  // Half of the mirrored half.
  EXPECT_GT(ownership, cases / 5);
  EXPECT_LT(ownership, cases * 3 / 10);
  EXPECT_GT(pool0_then_down, ownership / 10);
  EXPECT_GT(pool1_then_down, ownership / 20);
  EXPECT_GT(repaired, ownership / 10);
  EXPECT_GT(path_loss, 0);
}

}  // namespace
}  // namespace failsim
