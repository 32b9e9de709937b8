// Pools as ownership for the random generator (scenario_gen_pools.hpp).
//
// The topology: loop local0 (n0.a) holds shelf0, local1 (n1.a) shelf1, and
// shared (n0.b, n1.b) shelf2 and shelf3; aggr0 = n0's (shelf0 | shelf2),
// aggr1 = n1's (shelf1 | shelf3). A partner takes over from pool 1 alone,
// so while it serves, the owner's pool-0 plex goes stale until the owner,
// given back, resyncs it. Hence the envelope there:
// - a pool-0 storage fault (shelf0/1, local0/1, an a HBA, a pool-0 disk)
//   never takes the last plex of anyone who must serve: inside in any order;
// - a pool-1 storage fault (shelf2/3, the shared loop, a b HBA) is inside
//   only while each owner still has its pool-0 plex current, i.e. before any
//   node goes down (a takeover would leave pool 1 the one current plex), and
//   only without a dead battery (a node restarting without its log needs its
//   partner, which reaches pool 1 alone, to replay its mirror of it);
// - a path loss (both HBAs of one node) is the partner's takeover from pool
//   1, as in the plain mirrored cluster.
#include "checker/scenario_gen_pools.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace failsim::checker {

namespace {

using K = sim::FaultKind;

sim::ClusterSpec ownership_cluster(sim::ClusterSpec c) {
  c.loops = {{"local0", {"n0.a"}, {"shelf0"}},
             {"local1", {"n1.a"}, {"shelf1"}},
             {"shared", {"n0.b", "n1.b"}, {"shelf2", "shelf3"}}};
  return c;
}

// A kind that may take a node down, and so hand its aggregates to the
// partner: every point fault counts (they are armed at at_s and fire later).
bool may_take_a_node_down(K k) {
  return k == K::node_crash || k == K::power_loss || k == K::reboot || k == K::node_hang ||
         sim::kind_info(k).timing == sim::FaultTiming::point;
}

bool storage_kind(K k) {
  const sim::Envelope e = sim::kind_info(k).envelope;
  return e == sim::Envelope::one_plex || e == sim::Envelope::one_path || sim::is_repair(k);
}

// scenario_gen.cpp's storage fault (and its repair) names pool-1 parts or an
// HBA; its RAID draws name pool-0 disks (within parity), left as they are.
bool pool0_disk(const std::string& target) { return target.starts_with("shelf0.") || target.starts_with("shelf1."); }

// Pool-1 part -> a pool-0 part: the same aggregate's other plex, a local
// loop, the node's other HBA. A disk goes to the pool-0 shelf without RAID
// losses: with them, one more lost disk would fail its group, which the RAID
// draws keep within parity.
std::string to_pool0(const std::string& target, const std::string& local_loop, const std::string& raid_shelf) {
  if (target == "shared") return local_loop;
  if (target.ends_with(".b")) return target.substr(0, target.size() - 1) + "a";
  if (!target.starts_with("shelf2") && !target.starts_with("shelf3")) return target;
  std::string shelf = target.starts_with("shelf2") ? "shelf0" : "shelf1";
  if (target.size() > 6 && shelf == raid_shelf) shelf = shelf == "shelf0" ? "shelf1" : "shelf0";
  return shelf + target.substr(6);
}

struct CaseFacts {
  std::vector<std::size_t> storage;  // indexes of the storage fault and its repair
  double storage_at_s = std::numeric_limits<double>::infinity();
  double first_down_s = std::numeric_limits<double>::infinity();
  bool battery = false, point = false;
  int hbas_failed = 0;
  std::string raid_shelf;  // the pool-0 shelf whose disks the RAID draws fail, if any
};

CaseFacts facts_of(const sim::Scenario& s) {
  CaseFacts c;
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const sim::FaultSpec& f = s.faults[i];
    if (f.kind() == K::nvram_battery_loss) c.battery = true;
    if (sim::kind_info(f.kind()).timing == sim::FaultTiming::point) c.point = true;
    if (may_take_a_node_down(f.kind())) c.first_down_s = std::min(c.first_down_s, f.at_s);
    const std::string target(sim::target_of(f));
    if (storage_kind(f.kind()) && pool0_disk(target)) c.raid_shelf = target.substr(0, 6);
    if (!storage_kind(f.kind()) || pool0_disk(target)) continue;
    c.storage.push_back(i);
    if (!sim::is_repair(f.kind())) c.storage_at_s = std::min(c.storage_at_s, f.at_s);
    if (f.kind() == K::hba_fail) ++c.hbas_failed;
  }
  return c;
}

void retarget(sim::FaultSpec& f, const std::string& target) {
  sim::FaultWire w = sim::to_wire(f);
  w.target = target;
  f = sim::from_wire(w);
}

sim::FaultSpec fault(K kind, double at_s, const std::string& node, const std::string& target, double duration_s) {
  sim::FaultWire w;
  w.kind = kind;
  w.at_s = at_s;
  w.node = node;
  w.target = target;
  w.duration_s = duration_s;
  return sim::from_wire(w);
}

// The owner `node` goes down at `at_s`: it crashes, loses power, reboots or
// hangs, back after a while or (0) at the settle phase.
void owner_goes_down(sim::Scenario& s, const std::string& node, double at_s) {
  const K kind = *rc::gen::element(K::node_crash, K::power_loss, K::reboot, K::node_hang);
  double duration_s = *rc::gen::element(0.0, 1.0, 4.0);
  if (kind == K::node_hang) duration_s = *rc::gen::element(1.0, 3.0);
  if (kind == K::reboot) duration_s = 0;
  // Within the fault phase, possibly at its very end (the run's end waits
  // for the takeover that causes: seed 6, case 52).
  s.phases.fault_phase_s = std::max(s.phases.fault_phase_s, at_s);
  s.faults.push_back(fault(kind, at_s, node, "", duration_s));
}

// Half the time the failure `f` is repaired 0.5 to 2 s after it, within the fault phase.
void maybe_repair(sim::Scenario& s, const sim::FaultSpec& f) {
  if (*rc::gen::arbitrary<bool>()) return;
  sim::FaultWire w = sim::to_wire(f);
  w.kind = *sim::repair_of(w.kind);
  w.at_s = std::min(w.at_s + *rc::gen::element(0.5, 1.0, 2.0), s.phases.fault_phase_s);
  s.faults.push_back(sim::from_wire(w));
}

// The owner's site goes (owner-pool-gone-takeover): a pool-0 part of the
// owner's aggregate fails, and the owner goes down then or soon after; its
// partner takes over from pool 1 alone.
void owner_site_goes(sim::Scenario& s, int owner, const std::string& raid_shelf) {
  const std::string node = "n" + std::to_string(owner), shelf = "shelf" + std::to_string(owner);
  K kind = *rc::gen::element(K::shelf_fail, K::loop_fail, K::hba_fail, K::disk_fail);
  if (kind == K::disk_fail && shelf == raid_shelf) kind = K::shelf_fail;  // within parity: to_pool0()'s reason
  const std::string target = kind == K::shelf_fail  ? shelf
                             : kind == K::loop_fail ? "local" + std::to_string(owner)
                             : kind == K::hba_fail  ? node + ".a"
                                                    : shelf + ".d" + std::to_string(*rc::gen::inRange(0, 4));
  const double at_s = *rc::gen::inRange(1, static_cast<int>(s.phases.fault_phase_s * 10)) / 10.0;
  const sim::FaultSpec failure = fault(kind, at_s, "", target, 0);
  s.faults.push_back(failure);
  owner_goes_down(s, node, at_s + *rc::gen::element(0.0, 0.0, 0.3, 1.0));
  maybe_repair(s, failure);
}

// The partner sees only a stale plex (partner-sees-only-stale-plex): a
// pool-1 part of the owner's aggregate fails (the owner writes pool 0
// alone), then the owner goes down; the partner cannot take over, and the
// owner, back, recovers from its own log. Before every other fault that may
// take a node down; false when none leaves room.
bool partner_plex_goes_stale(sim::Scenario& s, int owner, double first_down_s) {
  const double at_s = *rc::gen::element(0.1, 0.3, 0.6);
  if (!(at_s < first_down_s)) return false;
  const std::string node = "n" + std::to_string(owner);
  const K kind = *rc::gen::element(K::shelf_fail, K::loop_fail, K::hba_fail);
  const std::string target = kind == K::shelf_fail ? "shelf" + std::to_string(owner + 2)
                             : kind == K::loop_fail ? "shared"
                                                    : node + ".b";
  const sim::FaultSpec failure = fault(kind, at_s, "", target, 0);
  s.faults.push_back(failure);
  owner_goes_down(s, node, at_s + *rc::gen::element(0.3, 1.0, 2.0));
  maybe_repair(s, failure);
  return true;
}

// The storage faults of an ownership case: moved, or a story added.
void place_storage_faults(sim::Scenario& s) {
  const CaseFacts c = facts_of(s);
  for (std::size_t i : c.storage)
    if (sim::target_of(s.faults[i]) == "loopB") retarget(s.faults[i], "shared");
  if (c.storage.empty()) {
    // No storage fault drawn: three quarters of the cases get one of the
    // two stories above, the stale plex first (it fits fewer cases: none
    // with a dead battery, or a node down early). Not next to point faults,
    // whose points a crash added here would keep them from reaching.
    const int story = *rc::gen::inRange(0, 4);
    const int owner = *rc::gen::inRange(0, 2);
    if (c.point || story == 0) return;
    if (story >= 2 && !c.battery && partner_plex_goes_stale(s, owner, c.first_down_s)) return;
    owner_site_goes(s, owner, c.raid_shelf);
    return;
  }
  if (c.hbas_failed == 2) return;  // a path loss: the partner takes over from pool 1
  // Left on pool 1 only where it is inside (file comment); else, and in half
  // the cases where it could stay, moved to the owner's pool 0.
  const bool pool1_inside = !c.battery && c.storage_at_s < c.first_down_s;
  if (pool1_inside && *rc::gen::arbitrary<bool>()) return;
  const std::string local_loop = *rc::gen::element<std::string>("local0", "local1");
  for (std::size_t i : c.storage)
    retarget(s.faults[i], to_pool0(std::string(sim::target_of(s.faults[i])), local_loop, c.raid_shelf));
}

}  // namespace

void draw_ownership_pools(sim::Scenario& s) {
  if (*rc::gen::arbitrary<bool>()) return;
  s.cluster = ownership_cluster(s.cluster);
  place_storage_faults(s);
}

bool pools_are_ownership(const sim::ClusterSpec& c) {
  std::map<std::string, std::set<std::string>> reached_by;  // shelf -> nodes with a path to it
  for (const auto& loop : c.loops)
    for (const auto& hba : loop.hbas)
      for (const auto& h : c.hbas)
        if (h.name == hba)
          for (const auto& shelf : loop.shelves) reached_by[shelf].insert(h.node);
  for (const auto& a : c.aggregates)
    for (const auto& plex : a.plexes)
      for (const auto& shelf : plex)
        if (reached_by[shelf].size() < c.nodes.size()) return true;
  return false;
}

}  // namespace failsim::checker
