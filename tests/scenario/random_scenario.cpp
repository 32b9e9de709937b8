// The valid-scenario generator. Each draw respects the rules of
// sim/scenario (field bounds and cross-field checks); the round-trip
// property relies on every draw being accepted.
#include "random_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace failsim::test {

namespace {

// Any finite double with all 53 bits of mantissa used, between 2^lo and 2^hi:
// the JSON writer must give back exactly this value.
double positive(int lo = -30, int hi = 40) {
  const auto mantissa = *rc::gen::inRange<std::uint64_t>(1ull << 52, 1ull << 53);
  return std::ldexp(static_cast<double>(mantissa), *rc::gen::inRange(lo, hi) - 52);
}
double non_negative(int lo = -30, int hi = 40) { return *rc::gen::inRange(0, 8) == 0 ? 0.0 : positive(lo, hi); }
double in(double lo, double hi) {
  const auto k = *rc::gen::inRange<std::uint64_t>(0, (1ull << 53) + 1);
  return lo + (hi - lo) * std::ldexp(static_cast<double>(k), -53);
}
std::uint64_t any_u64() { return *rc::gen::arbitrary<std::uint64_t>(); }

// A string of Unicode scalar values, as UTF-8: ASCII, Latin, CJK, emoji,
// quotes, backslashes and control characters.
std::string text(int max_len = 12) {
  std::string s;
  const int n = *rc::gen::inRange(0, max_len + 1);
  for (int i = 0; i < n; ++i) {
    std::uint32_t cp;
    switch (*rc::gen::inRange(0, 5)) {
      case 0: cp = *rc::gen::inRange<std::uint32_t>(0x01, 0x80); break;
      case 1: cp = *rc::gen::element<std::uint32_t>('"', '\\', '\n', '\t', '/', 0x7F); break;
      case 2: cp = *rc::gen::inRange<std::uint32_t>(0x80, 0x800); break;
      case 3: cp = *rc::gen::inRange<std::uint32_t>(0x800, 0xD800); break;
      default: cp = *rc::gen::inRange<std::uint32_t>(0x10000, 0x110000); break;
    }
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return s;
}
// Names are unique by their prefix and index; the rest is decoration.
std::string name(const std::string& prefix, int i) { return prefix + std::to_string(i) + "-" + text(4); }

sim::ClusterSpec cluster() {
  sim::ClusterSpec c;
  c.nodes = {name("node", 0), name("node", 1)};
  int hba_no = 0;
  for (const auto& node : c.nodes)
    for (int k = *rc::gen::inRange(1, 3); k > 0; --k) c.hbas.push_back({name("hba", hba_no++), node});
  const int shelves = *rc::gen::inRange(1, 6);
  for (int i = 0; i < shelves; ++i) c.shelves.push_back({name("shelf", i), *rc::gen::inRange(0, 2), *rc::gen::inRange(1, 65)});

  // Aggregates take unused shelves: one plex of one pool, or (when both
  // pools have shelves left) a mirrored pair.
  std::vector<std::string> free[2];
  for (const auto& s : c.shelves) free[s.pool].push_back(s.name);
  int aggr_no = 0;
  while (!free[0].empty() || !free[1].empty()) {
    sim::AggregateSpec a{name("aggr", aggr_no++), c.nodes[*rc::gen::inRange(0, 2)], {}, *rc::gen::inRange<std::uint64_t>(64, (1ull << 32) + 1)};
    auto take = [&](int pool) {
      std::vector<std::string> plex;
      for (int k = *rc::gen::inRange<int>(1, static_cast<int>(free[pool].size()) + 1); k > 0; --k) {
        plex.push_back(free[pool].back());
        free[pool].pop_back();
      }
      return plex;
    };
    const int first = free[0].empty() ? 1 : free[1].empty() ? 0 : *rc::gen::inRange(0, 2);
    a.plexes.push_back(take(first));
    if (!free[1 - first].empty() && *rc::gen::arbitrary<bool>()) a.plexes.push_back(take(1 - first));
    c.aggregates.push_back(std::move(a));
    if (*rc::gen::inRange(0, 3) == 0) break;  // some shelves stay spare
  }

  // One loop with every HBA and shelf makes every shelf reachable from both
  // nodes; more loops take random subsets.
  std::vector<std::string> all_hbas, all_shelves;
  for (const auto& h : c.hbas) all_hbas.push_back(h.name);
  for (const auto& s : c.shelves) all_shelves.push_back(s.name);
  c.loops.push_back({name("loop", 0), all_hbas, all_shelves});
  for (int i = 1, n = *rc::gen::inRange(1, 4); i < n; ++i) {
    sim::LoopSpec l{name("loop", i), {}, {}};
    for (const auto& h : all_hbas)
      if (*rc::gen::arbitrary<bool>()) l.hbas.push_back(h);
    for (const auto& s : all_shelves)
      if (*rc::gen::arbitrary<bool>()) l.shelves.push_back(s);
    c.loops.push_back(std::move(l));
  }
  return c;
}

// Drafted in the file's flat form with every key drawn, then converted as
// the reader converts (what the kind does not take is dropped).
sim::FaultSpec fault(const sim::Scenario& s) {
  const sim::ClusterSpec& c = s.cluster;
  sim::FaultWire f;
  f.kind = (*rc::gen::elementOf(sim::fault_kind_table)).kind;
  const sim::FaultKindInfo& kind = sim::kind_info(f.kind);
  f.at_s = in(0, s.phases.fault_phase_s);
  // A node left out hits both nodes where the kind allows it.
  f.node = *rc::gen::inRange(0, 4) == 0 && kind.node != sim::NodeUse::required ? "" : *rc::gen::elementOf(c.nodes);
  switch (kind.target) {
    case sim::TargetUse::disk: {
      const auto& shelf = *rc::gen::elementOf(c.shelves);
      f.target = shelf.name + ".d" + std::to_string(*rc::gen::inRange(0, shelf.disks));
      break;
    }
    case sim::TargetUse::shelf: f.target = (*rc::gen::elementOf(c.shelves)).name; break;
    case sim::TargetUse::loop: f.target = (*rc::gen::elementOf(c.loops)).name; break;
    case sim::TargetUse::hba: f.target = (*rc::gen::elementOf(c.hbas)).name; break;
    case sim::TargetUse::client:
      f.target = *rc::gen::element<std::string>("", "all", "client" + std::to_string(*rc::gen::inRange(1, s.workload.clients + 1)));
      break;
    case sim::TargetUse::none: f.target = text(6); break;  // not taken by these kinds
  }
  f.k = *rc::gen::inRange<std::uint64_t>(1, std::numeric_limits<std::uint64_t>::max());
  f.duration_s = non_negative();
  if (kind.needs_duration && !(f.duration_s > 0)) f.duration_s = 1;
  f.period_s = non_negative(-19);  // from 2^-19 s: above the clock's resolution (scenario_check)
  f.probability = in(0, 1);
  f.delay_s = non_negative();
  f.factor = 1 + non_negative();
  f.blocks = *rc::gen::container<std::vector<std::uint64_t>>(rc::gen::arbitrary<std::uint64_t>());
  return sim::from_wire(f);
}

}  // namespace

rc::Gen<sim::Scenario> valid_scenario() {
  return rc::gen::exec([] {
    sim::Scenario s;
    s.name = text();
    s.description = text(40);
    s.seed = any_u64();
    s.cluster = *rc::gen::inRange(0, 4) == 0 ? sim::default_cluster() : cluster();

    sim::TimingSpec& t = s.timing;
    t.cpu_hz = positive(0, 40);
    t.op_cycles = {any_u64(), any_u64(), any_u64(), any_u64(), any_u64(), any_u64(), any_u64(), any_u64(), any_u64()};
    t.action_cycles = {any_u64(), any_u64(), any_u64(), any_u64(), any_u64(), any_u64()};
    for (sim::LinkTiming* l : {&t.nvram, &t.interconnect, &t.client_net}) *l = {non_negative(), positive()};
    t.disk = {non_negative(), non_negative(), positive()};
    t.loop_bandwidth_Bps = positive();

    sim::ServerSpec& sv = s.server;
    sv.log_mode = *rc::gen::element(sim::NvramLogMode::request, sim::NvramLogMode::block);
    sv.block_size = 1u << *rc::gen::inRange(9, 17);
    for (auto& a : s.cluster.aggregates) a.blocks = std::min<std::uint64_t>(a.blocks, (4ull << 30) / sv.block_size);
    const std::uint64_t least = sv.log_mode == sim::NvramLogMode::block ? 10ull * sv.block_size + 4096 : 4096;
    sv.ack = *rc::gen::element(sim::AckPoint::nvram, sim::AckPoint::disk);
    sv.nvram_half_bytes = *rc::gen::inRange<std::uint64_t>(least, (1ull << 28) + 1);
    sv.cp_interval_s = positive(-19);
    sv.heartbeat_interval_s = positive(-19, 10);
    sv.heartbeat_timeout_s = sv.heartbeat_interval_s * (1.5 + non_negative(-10, 10));
    sv.boot_time_s = non_negative();
    sv.giveback = {*rc::gen::element(sim::GivebackMode::automatic, sim::GivebackMode::at, sim::GivebackMode::never),
                   non_negative(), non_negative()};

    sim::WorkloadSpec& w = s.workload;
    w.clients = *rc::gen::inRange(1, 30001);
    w.loop = *rc::gen::element(sim::ClientLoop::closed, sim::ClientLoop::open);
    w.think_time_s = non_negative();
    w.rate_per_s = positive(-30, 19);  // at most 2^20 a second: one per microsecond at most
    w.ops_per_client = *rc::gen::inRange<std::uint64_t>(0, 1'000'000'001);
    w.mix = {positive(), non_negative(), non_negative(), non_negative(), non_negative(),
             non_negative(), non_negative(), non_negative(), non_negative()};
    w.namespace_mode = *rc::gen::element(sim::NamespaceMode::private_tree, sim::NamespaceMode::shared_tree);
    w.aggregates.clear();
    for (const auto& a : s.cluster.aggregates)
      if (*rc::gen::arbitrary<bool>()) w.aggregates.push_back(a.name);
    w.retransmit_timeout_s = positive(-19);
    w.retry_limit = *rc::gen::inRange(0, std::numeric_limits<int>::max());
    w.data_bytes_max = *rc::gen::inRange<std::uint32_t>(0, (1u << 20) + 1);
    w.data_bytes_min = *rc::gen::inRange<std::uint32_t>(0, w.data_bytes_max + 1);
    w.request_bytes = *rc::gen::arbitrary<std::uint32_t>();

    s.phases = {non_negative(-30, 27), non_negative(-30, 27)};  // a run of at most 10^9 s
    for (int i = *rc::gen::inRange(0, 8); i > 0; --i) s.faults.push_back(fault(s));

    if (*rc::gen::arbitrary<bool>()) s.expect.max_takeover_s = positive();
    s.expect.data_loss = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) s.expect.takeover = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) s.expect.split_brain_free = *rc::gen::arbitrary<bool>();
    return s;
  });
}

}  // namespace failsim::test
