// Cross-field checks of a scenario: settings that bound one another, the
// cluster's names, references and topology, and the faults' references.
#include "sim/scenario/scenario_check.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <variant>

#include "sim/scenario/raid_groups.hpp"

namespace failsim::sim::detail {

namespace {

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
std::string quoted(const std::string& s) { return "'" + s + "'"; }

// "expected a node of cluster.nodes, found 'n2' (did you mean 'n1'?)".
void bad_reference(Problems& p, const std::string& path, const std::string& expected, const std::string& value,
                   const std::set<std::string>& names) {
  p.add(path, "expected " + expected + ", found " + quoted(value) +
                  suggestion(value, std::vector<std::string>(names.begin(), names.end())));
}

void check_settings(const Scenario& s, Problems& p) {
  const ServerSpec& sv = s.server;
  if ((sv.block_size & (sv.block_size - 1)) != 0)
    p.add("$.server.block_size", "expected a power of two, found " + std::to_string(sv.block_size));
  // The core reserves room for the worst case of a change before logging it:
  // in block mode, 8 block images besides its data pages (model/server.cpp,
  // max_images). A half that cannot hold that refuses every change.
  if (sv.log_mode == NvramLogMode::block) {
    const std::uint64_t need = 10 * std::uint64_t{sv.block_size} + 4096;
    if (sv.nvram_half_bytes < need)
      p.add("$.server.nvram_half_bytes",
            "expected at least " + std::to_string(need) + " bytes (10 * block_size + 4096: room for one block-logging "
                                                           "entry), found " + std::to_string(sv.nvram_half_bytes));
  }
  // The simulator reserves each plex in memory (zeroed lazily): a size
  // beyond this is refused here, not met as an allocation failure.
  constexpr std::uint64_t max_plex_bytes = std::uint64_t{4} << 30;
  for (std::size_t i = 0; i < s.cluster.aggregates.size(); ++i) {
    const std::uint64_t blocks = s.cluster.aggregates[i].blocks;
    if (blocks > max_plex_bytes / sv.block_size)
      p.add("$.cluster.aggregates[" + std::to_string(i) + "].blocks",
            "expected at most " + std::to_string(max_plex_bytes / sv.block_size) +
                " blocks of server.block_size " + std::to_string(sv.block_size) + " (4 GiB per plex), found " +
                std::to_string(blocks));
  }
  if (!(sv.heartbeat_timeout_s > sv.heartbeat_interval_s))
    p.add("$.server.heartbeat_timeout_s", "expected more than heartbeat_interval_s (" +
                                              number_text(sv.heartbeat_interval_s) + "), found " +
                                              number_text(sv.heartbeat_timeout_s));
  const WorkloadSpec& w = s.workload;
  const double run_s = s.phases.fault_phase_s + s.phases.settle_s;
  if (w.warmup_s > 0 && !(w.warmup_s < run_s))
    p.add("$.workload.warmup_s", "expected less than phases.fault_phase_s + phases.settle_s (" + number_text(run_s) +
                                     " s: clients must start before the run ends), found " + number_text(w.warmup_s));
  if (w.data_bytes_min > w.data_bytes_max)
    p.add("$.workload.data_bytes_min", "expected at most data_bytes_max (" + std::to_string(w.data_bytes_max) +
                                           "), found " + std::to_string(w.data_bytes_min));
  const OpMix& m = w.mix;
  if (!(m.create + m.mkdir + m.write + m.append + m.truncate + m.rename + m.unlink + m.rmdir + m.setattr > 0))
    p.add("$.workload.mix", "expected at least one weight above 0");
}

// What the cluster check learns, for the fault check.
struct Names {
  std::set<std::string> nodes, hbas, loops, shelves, disks, aggregates;
};

// The cluster check, part by part; what it learns feeds the later parts.
class ClusterCheck {
 public:
  ClusterCheck(const Scenario& s, Problems& p) : s_(s), c_(s.cluster), p_(p) {}

  Names run() {
    for (std::size_t i = 0; i < c_.nodes.size(); ++i) name(c_.nodes[i], at("$.cluster.nodes", i), n_.nodes);
    hbas();
    shelves();
    loops();
    for (std::size_t i = 0; i < c_.aggregates.size(); ++i) aggregate(i);
    for (std::size_t i = 0; i < s_.workload.aggregates.size(); ++i)
      if (!n_.aggregates.contains(s_.workload.aggregates[i]))
        bad_reference(p_, at("$.workload.aggregates", i), "an aggregate of cluster.aggregates",
                      s_.workload.aggregates[i], n_.aggregates);
    return n_;
  }

 private:
  // One namespace for every name in the cluster, so that a name in a message
  // or a fault means one thing.
  void name(const std::string& v, const std::string& path, std::set<std::string>& kind) {
    if (v.empty()) return p_.add(path, "expected a non-empty name");
    auto [it, fresh] = first_use_.emplace(v, path);
    if (!fresh) return p_.add(path, "expected a unique name: " + quoted(v) + " is already used at " + it->second);
    kind.insert(v);
  }

  void hbas() {
    for (std::size_t i = 0; i < c_.hbas.size(); ++i) {
      const std::string path = at("$.cluster.hbas", i);
      name(c_.hbas[i].name, path + ".name", n_.hbas);
      if (!n_.nodes.contains(c_.hbas[i].node))
        bad_reference(p_, path + ".node", "a node of cluster.nodes", c_.hbas[i].node, n_.nodes);
      hba_node_[c_.hbas[i].name] = c_.hbas[i].node;
    }
  }

  void shelves() {
    for (std::size_t i = 0; i < c_.shelves.size(); ++i) {
      const ShelfSpec& sh = c_.shelves[i];
      name(sh.name, at("$.cluster.shelves", i) + ".name", n_.shelves);
      pool_[sh.name] = sh.pool;
      disks_[sh.name] = sh.disks - sh.spares;
      if (sh.spares >= sh.disks)
        p_.add(at("$.cluster.shelves", i) + ".spares",
               "expected fewer spares than disks (" + std::to_string(sh.disks) + "), found " + std::to_string(sh.spares));
      for (int d = 0; d < sh.disks; ++d) n_.disks.insert(sh.name + ".d" + std::to_string(d));
    }
  }

  void loops() {
    for (std::size_t i = 0; i < c_.loops.size(); ++i) {
      const LoopSpec& l = c_.loops[i];
      const std::string path = at("$.cluster.loops", i);
      name(l.name, path + ".name", n_.loops);
      for (std::size_t k = 0; k < l.hbas.size(); ++k)
        if (!n_.hbas.contains(l.hbas[k]))
          bad_reference(p_, at(path + ".hbas", k), "an HBA of cluster.hbas", l.hbas[k], n_.hbas);
      for (std::size_t k = 0; k < l.shelves.size(); ++k) {
        if (!n_.shelves.contains(l.shelves[k]))
          bad_reference(p_, at(path + ".shelves", k), "a shelf of cluster.shelves", l.shelves[k], n_.shelves);
        for (const auto& h : l.hbas)
          if (hba_node_.contains(h)) reached_by_[l.shelves[k]].insert(hba_node_[h]);
      }
    }
  }

  void aggregate(std::size_t i) {
    const AggregateSpec& a = c_.aggregates[i];
    const std::string path = at("$.cluster.aggregates", i);
    name(a.name, path + ".name", n_.aggregates);
    if (!n_.nodes.contains(a.owner)) bad_reference(p_, path + ".owner", "a node of cluster.nodes", a.owner, n_.nodes);
    std::vector<int> plex_pools;
    for (std::size_t x = 0; x < a.plexes.size(); ++x)
      if (std::optional<int> pool = plex(a, path, x)) plex_pools.push_back(*pool);
    if (plex_pools.size() == 2 && plex_pools[0] == plex_pools[1])
      p_.add(path + ".plexes", "expected the two plexes of a mirrored aggregate in different pools, found both in pool " +
                                   std::to_string(plex_pools[0]));
    partner_reach(a, path);
  }

  // The owner writes every plex, so it reaches every shelf (plex()); its
  // partner takes over from any plex it reaches whole: a plex in the
  // owner's pool may sit on loops only the owner's HBAs are on (claim 90).
  void partner_reach(const AggregateSpec& a, const std::string& path) {
    for (const auto& node : c_.nodes) {
      if (node == a.owner || a.plexes.empty()) continue;
      const bool reaches_a_plex = std::any_of(a.plexes.begin(), a.plexes.end(), [&](const std::vector<std::string>& plex) {
        return std::all_of(plex.begin(), plex.end(), [&](const std::string& sh) { return reached_by_[sh].contains(node); });
      });
      if (!reaches_a_plex)
        p_.add(path + ".plexes", "expected node " + quoted(node) + " to reach every shelf of at least one plex through "
                                 "its loops, so that it could take over " + quoted(a.name) + "; it reaches no whole plex");
    }
  }

  // Plex x of aggregate a (at `path`): its pool, when its shelves agree on one.
  std::optional<int> plex(const AggregateSpec& a, const std::string& path, std::size_t x) {
    const std::string plex = at(path + ".plexes", x);
    if (a.plexes[x].empty()) p_.add(plex, "expected at least one shelf");
    std::set<int> pools;
    for (std::size_t y = 0; y < a.plexes[x].size(); ++y) {
      const std::string& sh = a.plexes[x][y];
      const std::string spath = at(plex, y);
      if (!n_.shelves.contains(sh)) {
        bad_reference(p_, spath, "a shelf of cluster.shelves", sh, n_.shelves);
        continue;
      }
      if (auto [it, fresh] = shelf_user_.emplace(sh, path); !fresh)
        p_.add(spath, "expected a shelf no other plex uses: " + quoted(sh) + " is already in " +
                          (it->second == path ? "this aggregate" : it->second));
      pools.insert(pool_[sh]);
      if (n_.nodes.contains(a.owner) && !reached_by_[sh].contains(a.owner))
        p_.add(spath, "expected a shelf the owner reaches: node " + quoted(a.owner) + " cannot reach shelf " +
                          quoted(sh) + " through any loop, so it cannot serve " + quoted(a.name));
    }
    if (pools.size() > 1) p_.add(plex, "expected the shelves of a plex all in one pool, found pools 0 and 1");
    int disks = 0;
    for (const auto& sh : a.plexes[x]) disks += disks_.contains(sh) ? disks_[sh] : 0;
    if (disks > 0 && raid_group_sizes(disks, a.raid).empty())
      p_.add(path + ".raid", "expected RAID groups with more disks than parity disks (" +
                                 std::to_string(parity_disks(a.raid.level)) + "): plex " + std::to_string(x) + " has " +
                                 std::to_string(disks) + " disks besides spares, which group_size " +
                                 std::to_string(a.raid.group_size) + " leaves a group too small");
    return pools.size() == 1 ? std::optional<int>(*pools.begin()) : std::nullopt;
  }

  const Scenario& s_;
  const ClusterSpec& c_;
  Problems& p_;
  Names n_;
  std::map<std::string, std::string> first_use_;                // name -> JSON path
  std::map<std::string, std::string> hba_node_;                 // HBA -> its node
  std::map<std::string, int> pool_;                             // shelf -> pool
  std::map<std::string, int> disks_;                            // shelf -> disks besides spares
  std::map<std::string, std::set<std::string>> reached_by_;     // shelf -> nodes with a path to it
  std::map<std::string, std::string> shelf_user_;               // shelf -> path of the aggregate that uses it
};

Names check_cluster(const Scenario& s, Problems& p) { return ClusterCheck(s, p).run(); }

// "client<i>" with 1 <= i <= clients, or "all".
bool client_target(const std::string& t, int clients) {
  if (t.empty() || t == "all") return true;
  if (!t.starts_with("client") || t.size() == 6 || t.size() > 12 || t[6] == '0') return false;
  long long id = 0;
  for (std::size_t i = 6; i < t.size(); ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    id = id * 10 + (t[i] - '0');
  }
  return id >= 1 && id <= clients;
}

// A parameter of the fault's kind, or 0 when the kind takes no such one.
double duration_of(const FaultSpec& f) {
  return std::visit([](const auto& x) {
    if constexpr (requires { x.duration_s; }) return x.duration_s;
    else return 0.0;
  }, f.params);
}
double period_of(const FaultSpec& f) {
  return std::visit([](const auto& x) {
    if constexpr (requires { x.period_s; }) return x.period_s;
    else return 0.0;
  }, f.params);
}

void check_disk_target(const Scenario& s, const Names& n, const std::string& path, const std::string& target,
                       Problems& p) {
  if (n.disks.contains(target)) return;
  // Naming the disks of the shelf meant says more than a nearest name.
  const std::size_t d = target.rfind(".d");
  const std::string shelf = d == std::string::npos ? "" : target.substr(0, d);
  const auto it = std::find_if(s.cluster.shelves.begin(), s.cluster.shelves.end(),
                               [&](const ShelfSpec& x) { return x.name == shelf; });
  p.add(path, "expected a disk (\"<shelf>.d<i>\"), found " + quoted(target) +
                  (it == s.cluster.shelves.end() ? ""
                                                 : " (shelf " + quoted(shelf) + " has disks " + shelf + ".d0 to " + shelf +
                                                       ".d" + std::to_string(it->disks - 1) + ")"));
}

// The target a fault's kind names (fault_kind.hpp), checked against the cluster.
void check_target(const Scenario& s, const Names& n, const FaultSpec& f, const std::string& path, Problems& p) {
  const std::string target(target_of(f));
  switch (kind_info(f.kind()).target) {
    case TargetUse::none: return;
    case TargetUse::disk: return check_disk_target(s, n, path, target, p);
    case TargetUse::shelf:
      if (!n.shelves.contains(target)) bad_reference(p, path, "a shelf of cluster.shelves", target, n.shelves);
      return;
    case TargetUse::loop:
      if (!n.loops.contains(target)) bad_reference(p, path, "a loop of cluster.loops", target, n.loops);
      return;
    case TargetUse::hba:
      if (!n.hbas.contains(target)) bad_reference(p, path, "an HBA of cluster.hbas", target, n.hbas);
      return;
    case TargetUse::client:
      if (!client_target(target, s.workload.clients))
        p.add(path, "expected \"all\" or client1 to client" + std::to_string(s.workload.clients) + ", found " +
                        quoted(target));
      return;
  }
}

void check_faults(const Scenario& s, const Names& n, Problems& p) {
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const FaultSpec& f = s.faults[i];
    const FaultKindInfo& kind = kind_info(f.kind());
    const std::string path = at("$.faults", i);
    if (f.at_s > s.phases.fault_phase_s)
      p.add(path + ".at_s", "expected a time within the fault phase (0 to phases.fault_phase_s = " +
                                number_text(s.phases.fault_phase_s) + " s), found " + number_text(f.at_s));
    const std::string node(node_of(f));
    if (!node.empty() && !n.nodes.contains(node)) bad_reference(p, path + ".node", "a node of cluster.nodes", node, n.nodes);
    if (kind.node == NodeUse::required && node.empty())
      p.add(path + ".node", "expected the node a " + std::string(kind.name) + " fault hits");
    if (kind.needs_duration && !(duration_of(f) > 0))
      p.add(path + ".duration_s", "expected how long the node hangs (> 0 s)");
    check_target(s, n, f, path + ".target", p);
  }
}

// What the simulator can run: its clock is a double in seconds, so a run
// must end at a finite time, and an interval must stay far above the
// clock's resolution at the end of the longest run (at 10^9 s a double
// steps by 1.2e-7 s): an interconnect flap every 1e-300 s never lets time
// advance, and SimGrid aborts.
constexpr double max_run_s = 1e9;           // 31 years of simulated time
constexpr double min_interval_s = 1e-6;     // 1 us: below any real period, above the clock's step
void check_runnable(const Scenario& s, Problems& p) {
  const double end_s = s.phases.fault_phase_s + s.phases.settle_s;
  if (!(end_s <= max_run_s))
    p.add("$.phases", "expected phases.fault_phase_s + phases.settle_s of at most " + number_text(max_run_s) +
                          " s (the simulated clock's range), found " +
                          (std::isfinite(end_s) ? number_text(end_s) : std::string("a sum beyond any double")));
  auto interval = [&](const std::string& path, double v) {
    if (v < min_interval_s)
      p.add(path, "expected at least " + number_text(min_interval_s) +
                      " s (the simulated clock's resolution allows no shorter interval), found " + number_text(v));
  };
  interval("$.server.cp_interval_s", s.server.cp_interval_s);
  interval("$.server.heartbeat_interval_s", s.server.heartbeat_interval_s);
  interval("$.server.heartbeat_timeout_s", s.server.heartbeat_timeout_s);
  interval("$.workload.retransmit_timeout_s", s.workload.retransmit_timeout_s);
  if (s.workload.rate_per_s > 1 / min_interval_s)
    p.add("$.workload.rate_per_s", "expected at most " + number_text(1 / min_interval_s) +
                                       " requests per second (one per " + number_text(min_interval_s) +
                                       " s, the simulated clock's resolution), found " + number_text(s.workload.rate_per_s));
  for (std::size_t i = 0; i < s.faults.size(); ++i)
    if (period_of(s.faults[i]) != 0) interval(at("$.faults", i) + ".period_s", period_of(s.faults[i]));
}

}  // namespace

void check_scenario(const Scenario& s, Problems& p) {
  if (s.expect.loss_only_acked_after_s && !s.expect.data_loss)
    p.add("$.expect.loss_only_acked_after_s", "expected only with expect.data_loss true (it says which loss is accepted)");
  check_settings(s, p);
  const Names n = check_cluster(s, p);
  for (std::size_t i = 0; i < s.expect.lost_aggregates.size(); ++i)
    if (!n.aggregates.contains(s.expect.lost_aggregates[i]))
      bad_reference(p, at("$.expect.lost_aggregates", i), "an aggregate of cluster.aggregates",
                    s.expect.lost_aggregates[i], n.aggregates);
  check_faults(s, n, p);
  check_runnable(s, p);
}

}  // namespace failsim::sim::detail
