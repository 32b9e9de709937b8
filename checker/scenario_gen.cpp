// The scenario generator.
#include "scenario_gen.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "checker/point_fault_gen.hpp"
#include "checker/scenario_gen_pools.hpp"

namespace failsim::checker {

namespace {

using K = sim::FaultKind;

// Four shelves: pool 0 (shelf0, shelf1) on loop A, pool 1 (shelf2, shelf3) on
// loop B; each aggregate mirrored across the pools.
sim::ClusterSpec mirrored_cluster() {
  sim::ClusterSpec c = sim::default_cluster();
  c.shelves = {{"shelf0", 0, 4}, {"shelf1", 0, 4}, {"shelf2", 1, 4}, {"shelf3", 1, 4}};
  c.loops = {{"loopA", {"n0.a", "n1.a"}, {"shelf0", "shelf1"}}, {"loopB", {"n0.b", "n1.b"}, {"shelf2", "shelf3"}}};
  c.aggregates = {{"aggr0", "n0", {{"shelf0"}, {"shelf2"}}, 16384}, {"aggr1", "n1", {{"shelf1"}, {"shelf3"}}, 16384}};
  return c;
}

}  // namespace

// The order the kinds are drawn in: it decides which scenarios a seed gives,
// so it stays fixed; every kind of the table but the repairs is in it once
// (checked below). A repair is drawn after the failure it repairs
// (add_repairs), at the end of a case's draws, so the cases without one
// stay as they were.
// crash_after_reply and power_loss_at_nvram_write are drawn apart (draw_apart).
constexpr std::size_t repair_kind_count = 4;
constexpr std::array<sim::FaultKind, 2> drawn_apart = {K::crash_after_reply, K::power_loss_at_nvram_write};
constexpr bool is_drawn_apart(sim::FaultKind k) {
  return std::find(drawn_apart.begin(), drawn_apart.end(), k) != drawn_apart.end();
}
constexpr std::array<sim::FaultKind, sim::fault_kind_count - repair_kind_count - drawn_apart.size()> draw_order = {
    K::node_crash,          K::power_loss,           K::reboot,               K::interconnect_down,
    K::interconnect_flap,   K::torn_mirror_write,    K::crash_at_cp_block,    K::crash_before_mirror,
    K::crash_after_mirror,  K::crash_during_replay,  K::shelf_fail,           K::loop_fail,
    K::hba_fail,            K::latent_sector_error,  K::client_partition,     K::client_message_loss,
    K::client_message_delay, K::client_message_duplicate, K::disk_fail,       K::nvram_battery_loss,
    K::node_hang,           K::interconnect_one_way, K::interconnect_loss,    K::interconnect_delay,
    K::slow_disk,           K::slow_nvram,           K::slow_interconnect,    K::crash_during_recovery};
constexpr bool draws_every_kind_once() {
  for (const auto& row : sim::fault_kind_table)
    if (std::count(draw_order.begin(), draw_order.end(), row.kind) !=
        (sim::is_repair(row.kind) || is_drawn_apart(row.kind) ? 0 : 1))
      return false;
  return true;
}
static_assert(draws_every_kind_once());

bool client_fault(sim::FaultKind k) {
  return k == K::client_partition || k == K::client_message_loss || k == K::client_message_delay ||
         k == K::client_message_duplicate;
}
bool slow_fault(sim::FaultKind k) { return k == K::slow_disk || k == K::slow_nvram || k == K::slow_interconnect; }

// Every kind is generated inside the envelope (fault_kind.hpp): at most one
// storage fault (a pool-1 component of a mirrored cluster, or both HBAs of one
// node: a path loss), at most one NVRAM battery (the other node's mirror
// survives).
const std::vector<std::string>& generated_fault_kinds() {
  static const std::vector<std::string> kinds = [] {
    std::vector<std::string> names;
    for (sim::FaultKind k : draw_order) names.emplace_back(sim::to_string(k));
    for (sim::FaultKind k : drawn_apart) names.emplace_back(sim::to_string(k));  // draw_apart
    for (const auto& row : sim::fault_kind_table)
      if (sim::is_repair(row.kind)) names.emplace_back(row.name);
    return names;
  }();
  return kinds;
}

// One copy of the log lost, then the node restarts with it (issue 14's first
// defect class): the battery dies while the clients still make changes, and
// soon after the node reboots or loses power, alone or with its partner. The
// partner's mirror is then the one copy of what the node acked.
static void add_restart_after_battery_loss(sim::Scenario& s, sim::FaultWire& battery) {
  battery.at_s = *rc::gen::element(0.05, 0.1, 0.2);
  sim::FaultWire restart = battery;
  restart.kind = *rc::gen::element(K::reboot, K::power_loss, K::power_loss);
  restart.at_s = battery.at_s + *rc::gen::element(0.02, 0.1);
  restart.duration_s = *rc::gen::element(0.05, 0.3);
  if (restart.kind == K::power_loss && *rc::gen::arbitrary<bool>()) restart.node.clear();  // both nodes
  s.faults.push_back(sim::from_wire(restart));
}

// A storage fault on pool 1 of the mirrored cluster, or a path loss of one
// node: its target drawn.
static void place_storage_fault(sim::Scenario& s, sim::FaultWire& f) {
  const std::string node = f.node;
  f.node.clear();
  if (f.kind == K::shelf_fail) f.target = *rc::gen::element<std::string>("shelf2", "shelf3");
  if (f.kind == K::loop_fail) f.target = "loopB";
  if (f.kind == K::disk_fail) f.target = "shelf2.d" + std::to_string(*rc::gen::inRange(0, 4));
  if (f.kind == K::hba_fail) {
    // One HBA (a path left), or both of one node: it loses its disks
    // while alive, and the partner must take over.
    f.target = node + ".b";
    if (*rc::gen::arbitrary<bool>()) {
      sim::FaultWire other = f;
      other.target = node + ".a";
      s.faults.push_back(sim::from_wire(other));
    }
  }
  if (f.kind == K::latent_sector_error) {
    f.target = "shelf2.d" + std::to_string(*rc::gen::inRange(0, 4));
    for (int b = 0; b < 8; ++b) f.blocks.push_back(*rc::gen::inRange<std::uint64_t>(0, 4096));
  }
}

// Half the time, the storage fault placed (a disk, shelf, loop or HBA
// failure: both HBAs of a node fail together) is repaired later in the fault
// phase (the settle phase repairs it otherwise); a stale plex is then
// resynchronised while the clients still work. Drawn after every other
// draw of the case.
static void add_repairs(sim::Scenario& s) {
  std::vector<sim::FaultSpec> repairs;
  for (const sim::FaultSpec& f : s.faults) {
    const std::optional<sim::FaultKind> repair = sim::repair_of(f.kind());
    if (!repair) continue;
    sim::FaultWire w = sim::to_wire(f);
    w.kind = *repair;
    repairs.push_back(sim::from_wire(w));
  }
  if (repairs.empty() || *rc::gen::inRange(0, 2) == 0) return;
  const double after_s = *rc::gen::element(0.3, 1.0, 2.0);
  for (sim::FaultSpec& r : repairs) {
    r.at_s = std::min(r.at_s + after_s, s.phases.fault_phase_s);
    s.faults.push_back(std::move(r));
  }
}

// The fault schedule of a case (drawn last: the draws before it stay put).
static void draw_faults(sim::Scenario& s, bool mirrored) {
  // Swarm: which kinds this case may use, then how many faults.
  std::vector<sim::FaultKind> enabled;
  for (sim::FaultKind kind : draw_order) {
    const bool needs_mirror = sim::kind_info(kind).envelope == sim::Envelope::one_plex;
    if ((!needs_mirror || mirrored) && *rc::gen::inRange(0, 3) == 0) enabled.push_back(kind);
  }
  const int count = enabled.empty() ? 0 : *rc::gen::inRange(0, 5);
  bool storage_fault = false;  // at most one: never both plexes of an aggregate
  bool battery_fault = false;  // at most one: never both copies of the log
  PointFaultPlan points;
  // A quarter of the cases start from a lost log copy and a restart: the
  // window is narrow (acked changes in the log when the node restarts), and
  // the swarm alone draws the pair in about one case in a hundred.
  // Its point faults are left out: the early restart would come before
  // their points are reached.
  const bool restart_case = *rc::gen::inRange(0, 4) == 0;
  if (restart_case) {
    sim::FaultWire battery;
    battery.kind = K::nvram_battery_loss;
    battery.node = *rc::gen::element<std::string>("n0", "n1");
    add_restart_after_battery_loss(s, battery);
    s.faults.push_back(sim::from_wire(battery));
    battery_fault = true;
  }
  for (int i = 0; i < count; ++i) {
    // Drafted in the file's flat form, every value drawn for every kind
    // (the draws a seed makes stay the same), then converted as the
    // reader converts: what the kind does not take is dropped.
    sim::FaultWire f;
    f.kind = *rc::gen::elementOf(enabled);
    const sim::Envelope envelope = sim::kind_info(f.kind).envelope;
    f.at_s = *rc::gen::inRange(0, static_cast<int>(s.phases.fault_phase_s * 10)) / 10.0;
    f.node = *rc::gen::element<std::string>("n0", "n1");
    f.k = *rc::gen::inRange<std::uint64_t>(1, 60);
    f.duration_s = *rc::gen::element(0.0, 0.5, 2.0);
    if (sim::kind_info(f.kind).timing == sim::FaultTiming::point) {
      // Placed where its point is reached, with what leads there.
      if (!restart_case) add_point_fault(s, f.kind, points);
      continue;
    }
    if (f.kind == K::power_loss && *rc::gen::arbitrary<bool>()) f.node.clear();  // both nodes
    if (f.kind == K::interconnect_flap) f.period_s = *rc::gen::element(0.2, 1.0);
    if (client_fault(f.kind)) {
      f.node.clear();
      f.probability = *rc::gen::element(0.05, 0.2, 0.5);
      f.delay_s = *rc::gen::element(0.01, 0.1);
      if (f.kind == K::client_partition)
        f.target = "client" + std::to_string(*rc::gen::inRange(1, s.workload.clients + 1));
    }
    if (envelope == sim::Envelope::one_log_copy) {
      if (battery_fault) continue;
      battery_fault = true;
    }
    if (f.kind == K::node_hang) f.duration_s = *rc::gen::element(0.3, 1.0, 3.0);
    if (f.kind == K::interconnect_loss) f.probability = *rc::gen::element(0.05, 0.3, 0.8);
    if (f.kind == K::interconnect_delay) f.delay_s = *rc::gen::element(0.001, 0.02, 0.2);
    if (slow_fault(f.kind)) f.factor = *rc::gen::element(2.0, 10.0, 100.0);
    if (f.kind == K::slow_disk) {
      f.node.clear();
      f.target = *rc::gen::element<std::string>("shelf0.d0", "shelf1.d1");
    }
    if (f.kind == K::interconnect_loss || f.kind == K::interconnect_delay || f.kind == K::slow_interconnect)
      f.node.clear();
    if (envelope == sim::Envelope::one_plex || envelope == sim::Envelope::one_path) {
      if (storage_fault) continue;
      storage_fault = true;
      place_storage_fault(s, f);
    }
    s.faults.push_back(sim::from_wire(f));
  }
  add_repairs(s);
}

// A third of the cases give every plex RAID groups (one per shelf, with or
// without a hot spare) and lose disks of one pool-0 group within its parity:
// failed disks or latent sector errors, on distinct disks (a latent error
// and a failed disk in one stripe are two lost cells). Drawn after the rest,
// so the draws before stay put.
static void draw_raid(sim::Scenario& s) {
  if (*rc::gen::inRange(0, 3) != 0) return;
  const sim::RaidLevel level = *rc::gen::element(sim::RaidLevel::raid4, sim::RaidLevel::raid_dp);
  const int spares = *rc::gen::inRange(0, 2);
  for (auto& shelf : s.cluster.shelves) {
    shelf.disks = 4 + spares;
    shelf.spares = spares;
  }
  for (auto& a : s.cluster.aggregates) a.raid.level = level;
  const int lost = *rc::gen::inRange(0, (level == sim::RaidLevel::raid_dp ? 2 : 1) + 1);
  const std::string shelf = *rc::gen::element<std::string>("shelf0", "shelf1");
  for (int d : *rc::gen::unique<std::vector<int>>(lost, rc::gen::inRange(0, 4))) {
    sim::FaultWire f;
    f.kind = *rc::gen::element(K::disk_fail, K::latent_sector_error);
    f.at_s = *rc::gen::inRange(0, static_cast<int>(s.phases.fault_phase_s * 10)) / 10.0;
    f.target = shelf + ".d" + std::to_string(d);
    if (f.kind == K::latent_sector_error)
      for (int b = 0; b < 8; ++b) f.blocks.push_back(*rc::gen::inRange<std::uint64_t>(0, 64));
    s.faults.push_back(sim::from_wire(f));
  }
}

// The clients' changes spread over the fault phase, so that the faults
// drawn in it meet traffic: a burst of a few hundred changes acked from
// NVRAM ends within some 0.2 s, before most of them (seed 2034, cases 0 to
// 149: 175 of 306 faults came after the workload had ended). Acks after
// the disk write already wait for CPs that spread them.
static void spread_over_fault_phase(sim::Scenario& s) {
  if (s.server.ack != sim::AckPoint::nvram) return;
  const double span_s = s.phases.fault_phase_s * *rc::gen::element(0.5, 0.8, 1.0);
  const auto ops = static_cast<double>(s.workload.ops_per_client);
  if (s.workload.loop == sim::ClientLoop::open) s.workload.rate_per_s = ops / span_s;
  else s.workload.think_time_s = span_s / ops;
}

// A tenth of the cases each also get a crash of a node just after one of
// its replies (with a slow interconnect in half of those:
// point_fault_gen.cpp), and a power loss of both nodes halfway through a
// node's local NVRAM write. Drawn after everything else, so the cases each
// seed gave before these kinds existed stay as they were, the faults added.
// Not where the case restarts a node after a battery loss (the restart
// comes first), nor with pools as ownership (whose storage faults are
// placed around the nodes' known down times).
static void draw_apart(sim::Scenario& s, sim::FaultKind kind) {
  if (*rc::gen::inRange(0, 10) != 0 || pools_are_ownership(s.cluster)) return;
  PointFaultPlan plan;
  for (const sim::FaultSpec& f : s.faults) {
    if (f.kind() == K::nvram_battery_loss) return;
    if (sim::kind_info(f.kind()).timing != sim::FaultTiming::point) continue;
    const bool pair = f.kind() == K::crash_during_replay || f.kind() == K::crash_during_recovery ||
                      f.kind() == K::power_loss_at_nvram_write;
    for (int n = 0; n < 2; ++n) plan.has_point[n] = plan.has_point[n] || pair || sim::node_of(f) == (n == 0 ? "n0" : "n1");
  }
  add_point_fault(s, kind, plan);
}

rc::Gen<sim::Scenario> scenario_gen() {
  return rc::gen::exec([] {
    sim::Scenario s;
    s.name = "random";
    s.seed = *rc::gen::inRange<std::uint64_t>(0, 1u << 30);
    const bool mirrored = *rc::gen::arbitrary<bool>();
    if (mirrored) s.cluster = mirrored_cluster();
    for (auto& a : s.cluster.aggregates) a.blocks = 16384;

    // Hardware timings.
    s.timing.cpu_hz = *rc::gen::element(1e9, 2e9, 4e9);
    s.timing.disk.seek_s = *rc::gen::element(0.002, 0.004, 0.008);
    s.timing.interconnect.latency_s = *rc::gen::element(2e-6, 5e-6, 20e-6);

    // Server settings.
    s.server.log_mode = *rc::gen::element(sim::NvramLogMode::request, sim::NvramLogMode::block);
    s.server.ack = *rc::gen::element(sim::AckPoint::nvram, sim::AckPoint::nvram, sim::AckPoint::nvram, sim::AckPoint::disk);
    s.server.nvram_half_bytes = s.server.log_mode == sim::NvramLogMode::request ? *rc::gen::element<std::uint64_t>(16384, 65536, 1u << 20)
                                                               : *rc::gen::element<std::uint64_t>(65536, 262144, 1u << 20);
    s.server.cp_interval_s = *rc::gen::element(0.2, 0.5, 1.0, 5.0);
    s.server.heartbeat_interval_s = *rc::gen::element(0.05, 0.1);
    s.server.heartbeat_timeout_s = s.server.heartbeat_interval_s * *rc::gen::inRange(3, 12);
    s.server.boot_time_s = *rc::gen::element(0.2, 0.5, 1.0, 2.0);

    // Workload: a few hundred changes.
    s.workload.clients = *rc::gen::inRange(1, 6);
    s.workload.ops_per_client = *rc::gen::inRange<std::uint64_t>(5, 150);
    s.workload.loop = *rc::gen::element(sim::ClientLoop::closed, sim::ClientLoop::closed, sim::ClientLoop::open);
    s.workload.rate_per_s = *rc::gen::element(100.0, 500.0, 2000.0);
    s.workload.namespace_mode = *rc::gen::element(sim::NamespaceMode::private_tree, sim::NamespaceMode::private_tree,
                                                  sim::NamespaceMode::shared_tree);
    s.workload.retransmit_timeout_s = *rc::gen::element(0.05, 0.2, 0.5);

    s.phases.fault_phase_s = *rc::gen::inRange(1, 5);
    s.phases.settle_s = 40;
    if (*rc::gen::inRange(0, 3) != 0) spread_over_fault_phase(s);

    draw_faults(s, mirrored);
    draw_raid(s);
    if (mirrored) draw_ownership_pools(s);
    for (sim::FaultKind kind : drawn_apart) draw_apart(s, kind);
    // Half the cases on valid paths, where most changes succeed and so a
    // change lost, torn or applied twice shows; the rest on random paths,
    // where errors (and their replies, cached and replayed) are common.
    // Drawn last, so each case's scenario is otherwise as before.
    if (*rc::gen::arbitrary<bool>()) s.workload.paths = sim::PathChoice::valid;
    return s;
  });
}

rc::Gen<sim::Scenario> out_of_envelope_gen() {
  return rc::gen::exec([] {
    sim::Scenario s = *scenario_gen();
    s.name = "random-out-of-envelope";
    s.faults.clear();
    // Clients still busy at the power loss (each runs for at least 2 s once
    // its first request is answered, by 0.5 s), and no CP timer in between.
    s.workload.ops_per_client = *rc::gen::inRange<std::uint64_t>(2000, 4000);
    s.workload.think_time_s = 0.001;
    // Closed loop, private: refuting a history (proving the loss) is then
    // linear; with many requests outstanding it may be undecided.
    s.workload.loop = sim::ClientLoop::closed;
    s.workload.namespace_mode = sim::NamespaceMode::private_tree;
    s.server.cp_interval_s = 5.0;
    // Acks from NVRAM: what the batteries' loss can lose (acks after the
    // disk write lose nothing to it).
    s.server.ack = sim::AckPoint::nvram;
    // Mostly appends (unique payloads): a lost change shows in the final
    // state instead of being overwritten by a later one.
    s.workload.mix = sim::OpMix{.create = 1, .mkdir = 0, .write = 0, .append = 20, .truncate = 0, .rename = 0,
                                .unlink = 0, .rmdir = 0, .setattr = 0};
    const double at_s = *rc::gen::inRange(7, 15) / 10.0;
    for (const char* node : {"n0", "n1"})
      s.faults.push_back({.at_s = at_s / 2, .params = sim::NvramBatteryLoss{.node = node}});
    const double power_off_s = *rc::gen::element(0.5, 1.0, 2.0);
    s.faults.push_back({.at_s = at_s, .params = sim::PowerLoss{.duration_s = power_off_s}});  // both nodes
    s.phases.fault_phase_s = at_s + power_off_s + 1;
    // Room for every client to finish its changes: block logging in 64 KiB
    // halves runs a CP every few dozen changes, about 225 changes/s (seed 5,
    // case 97: 3 clients of 3,633 changes had not finished in 40 s). A run
    // ends when its clients are done, so a longer limit costs nothing.
    s.phases.settle_s = 120;
    s.expect.data_loss = true;
    s.expect.takeover = false;
    return s;
  });
}

}  // namespace failsim::checker
