// One simulation, start to end, in this process (run it in a forked child:
// SimGrid allows one Engine per process): platform, stores, actors, the
// fault schedule and the settle phase, then the run's output files.
#include "simulation.hpp"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <limits>
#include <ostream>
#include <stdexcept>

#include "common/write_file.hpp"
#include "model/filesystem.hpp"
#include "model/nvram_log.hpp"
#include "sim/scenario/scenario_json.hpp"
#include "sim/run/client_actor.hpp"
#include "sim/run/final_image.hpp"
#include "sim/run/node_driver.hpp"
#include "sim/run/outputs.hpp"
#include "sim/run/platform_build.hpp"
#include "sim/run/repairs.hpp"
#include "sim/run/rng.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

namespace {

std::vector<int> nodes_named(const World& w, const std::string& node) {
  if (node.empty()) return {0, 1};
  return {w.node_index(node)};
}

// Runs `f` after `delay_s` in an actor of its own (repairs, flaps).
void later(double delay_s, std::function<void()> f) {
  sg4::Actor::create("later", sg4::Host::by_name("controller"), [delay_s, f = std::move(f)] {
    sg4::this_actor::sleep_for(delay_s);
    f();
  });
}

// The fault's event fields: its kind, and the node and target it names.
nlohmann::json event_fields(const FaultSpec& f) {
  nlohmann::json fields{{"fault", std::string(to_string(f.kind()))}};
  if (!node_of(f).empty()) fields["target_node"] = std::string(node_of(f));
  if (!target_of(f).empty()) fields["target"] = std::string(target_of(f));
  return fields;
}

// node_crash, power_loss: down, and up again after duration_s (0: at the settle phase).
template <FaultKind K>
void power_off(World& w, const nlohmann::json& fields, const NodeOutage<K>& p) {
  w.event(-1, EventKind::fault, fields);
  for (int n : nodes_named(w, p.node)) {
    w.tell_node(n, Control::crash);
    if (p.duration_s > 0) later(p.duration_s, [&w, n] { w.tell_node(n, Control::boot); });
  }
}

void flap_interconnect(World& w, const nlohmann::json& fields, const InterconnectFlap& p) {
  w.event(-1, EventKind::fault, fields);  // each cut in it then shows as interconnect_down
  const double period = p.period_s > 0 ? p.period_s : 1.0;
  const double until = w.now() + (p.duration_s > 0 ? p.duration_s : w.scenario.phases.fault_phase_s);
  for (double t = 0; w.now() + t < until; t += period) later(t, [&w, period] { w.cut_interconnect(period / 2); });
}

// disk_fail, shelf_fail, loop_fail, hba_fail: for good (a disk loses its bytes).
template <FaultKind K>
void fail_component(World& w, const nlohmann::json& fields, const ComponentFail<K>& p) {
  w.event(-1, EventKind::fault, fields);
  w.fail_component(p.target);
  if constexpr (K == FaultKind::disk_fail) {
    w.store.fail_disk(p.target);
    w.start_rebuilds();
  }
  update_resyncs(w);  // a resync that needs it stops
}

void partition_clients(World& w, const nlohmann::json& fields, const ClientPartition& p) {
  w.event(-1, EventKind::fault, fields);
  World::Partition part;
  if (!p.target.empty() && p.target != "all") part.client = static_cast<model::ClientId>(std::stoul(p.target.substr(6)));
  if (!p.node.empty()) part.node = w.node_index(p.node);
  w.partitions.push_back(part);
  if (p.duration_s > 0) later(p.duration_s, [&w] { w.partitions.clear(); });
}

// What the node sends to its partner is lost; what it receives arrives.
void cut_one_way(World& w, const nlohmann::json& fields, const InterconnectOneWay& p) {
  w.event(-1, EventKind::fault, fields);
  const int n = w.node_index(p.node);
  w.interconnect_from_up[n] = false;
  if (p.duration_s > 0) later(p.duration_s, [&w, n] { w.interconnect_from_up[n] = true; });
}

// A knob of the world set for duration_s (0: until the settle phase resets it).
void set_knob(World& w, const nlohmann::json& fields, double* knob, double value, double off, double duration_s) {
  w.event(-1, EventKind::fault, fields);
  *knob = value;
  if (duration_s > 0) later(duration_s, [knob, off] { *knob = off; });
}

void slow_disk(World& w, const nlohmann::json& fields, const SlowDisk& p) {
  w.event(-1, EventKind::fault, fields);
  w.disk_slowdown[p.target] = p.factor;
  // By name: the settle phase may have emptied the map by then.
  if (p.duration_s > 0) later(p.duration_s, [&w, disk = p.target] { w.disk_slowdown.erase(disk); });
}

// A point fault: armed now, fires when its node reaches the point.
void arm(World& w, const nlohmann::json& fields, FaultKind kind, const std::string& node, std::uint64_t k) {
  w.event(-1, EventKind::fault_armed, fields);
  for (int n : nodes_named(w, node)) w.armed[n].push_back({kind, std::max<std::uint64_t>(1, k)});
}
template <FaultKind K>
void arm(World& w, const nlohmann::json& fields, const CrashPoint<K>& p) {
  arm(w, fields, K, p.node, p.k);
}
template <FaultKind K>
void arm(World& w, const nlohmann::json& fields, const LastingPoint<K>& p) {
  arm(w, fields, K, p.node, p.k);
}

// Every kind is handled here: a kind left out fails to compile.
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"
void apply_fault(World& w, const FaultSpec& f) {
  const nlohmann::json fields = event_fields(f);
  switch (f.kind()) {
    case FaultKind::node_crash: return power_off(w, fields, f.get<NodeCrash>());
    case FaultKind::power_loss: return power_off(w, fields, f.get<PowerLoss>());
    case FaultKind::node_hang:
      w.event(-1, EventKind::fault, fields);
      for (int n : nodes_named(w, f.get<NodeHang>().node)) w.tell_node(n, Control::hang, f.get<NodeHang>().duration_s);
      return;
    case FaultKind::reboot:
      w.event(-1, EventKind::fault, fields);
      for (int n : nodes_named(w, f.get<Reboot>().node)) w.tell_node(n, Control::reboot);
      return;
    case FaultKind::interconnect_down: return w.cut_interconnect(f.get<InterconnectCut>().duration_s);
    case FaultKind::interconnect_flap: return flap_interconnect(w, fields, f.get<InterconnectFlap>());
    case FaultKind::disk_fail: return fail_component(w, fields, f.get<DiskFail>());
    case FaultKind::shelf_fail: return fail_component(w, fields, f.get<ShelfFail>());
    case FaultKind::loop_fail: return fail_component(w, fields, f.get<LoopFail>());
    case FaultKind::hba_fail: return fail_component(w, fields, f.get<HbaFail>());
    case FaultKind::latent_sector_error:
      w.event(-1, EventKind::fault, fields);
      for (auto b : f.get<LatentSectorError>().blocks) w.store.add_latent_error(f.get<LatentSectorError>().target, b);
      return;
    case FaultKind::nvram_battery_loss:
      w.event(-1, EventKind::fault, fields);
      for (int n : nodes_named(w, f.get<NvramBatteryLoss>().node)) {
        w.nvram_battery_dead[n] = true;
        w.tell_node(n, Control::battery_failed);
      }
      return;
    case FaultKind::client_partition: return partition_clients(w, fields, f.get<ClientPartition>());
    case FaultKind::interconnect_one_way: return cut_one_way(w, fields, f.get<InterconnectOneWay>());
    case FaultKind::interconnect_loss: {
      const auto& p = f.get<InterconnectLoss>();
      return set_knob(w, fields, &w.interconnect_loss_probability, p.probability, 0, p.duration_s);
    }
    case FaultKind::interconnect_delay: {
      const auto& p = f.get<InterconnectDelay>();
      return set_knob(w, fields, &w.interconnect_delay_s, p.delay_s, 0, p.duration_s);
    }
    case FaultKind::slow_disk: return slow_disk(w, fields, f.get<SlowDisk>());
    case FaultKind::slow_nvram: {
      const auto& p = f.get<SlowNvram>();
      return set_knob(w, fields, &w.nvram_slowdown[w.node_index(p.node)], p.factor, 1, p.duration_s);
    }
    case FaultKind::slow_interconnect: {
      const auto& p = f.get<SlowInterconnect>();
      return set_knob(w, fields, &w.interconnect_slowdown, p.factor, 1, p.duration_s);
    }
    case FaultKind::client_message_loss: {
      const auto& p = f.get<ClientMessageLoss>();
      return set_knob(w, fields, &w.loss_probability, p.probability, 0, p.duration_s);
    }
    case FaultKind::client_message_delay: {
      const auto& p = f.get<ClientMessageDelay>();
      return set_knob(w, fields, &w.delay_s, p.delay_s, 0, p.duration_s);
    }
    case FaultKind::client_message_duplicate: {
      const auto& p = f.get<ClientMessageDuplicate>();
      return set_knob(w, fields, &w.duplicate_probability, p.probability, 0, p.duration_s);
    }
    case FaultKind::torn_mirror_write: return arm(w, fields, f.get<TornMirrorWrite>());
    case FaultKind::power_loss_at_nvram_write: return arm(w, fields, f.get<PowerLossAtNvramWrite>());
    case FaultKind::crash_at_cp_block: return arm(w, fields, f.get<CrashAtCpBlock>());
    case FaultKind::crash_before_mirror: return arm(w, fields, f.get<CrashBeforeMirror>());
    case FaultKind::crash_after_mirror: return arm(w, fields, f.get<CrashAfterMirror>());
    case FaultKind::crash_after_reply: return arm(w, fields, f.get<CrashAfterReply>());
    case FaultKind::crash_during_replay: return arm(w, fields, f.get<CrashDuringReplay>());
    case FaultKind::crash_during_recovery: return arm(w, fields, f.get<CrashDuringRecovery>());
    case FaultKind::disk_replace:
    case FaultKind::shelf_repair:
    case FaultKind::loop_repair:
    case FaultKind::hba_repair: return apply_repair(w, f);
  }
}
#pragma GCC diagnostic pop

// A point fault armed at time 0 that never fires counts, in what is left of
// its k, the points its node reached (PointsReached). Armed after the
// scenario's own faults, as `check --exhaustive` arms each case's.
constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();

void add_point_counters(Scenario& s) {
  for (const std::string& node : s.cluster.nodes)
    for (const FaultKindInfo& info : fault_kind_table)
      if (info.timing == FaultTiming::point && info.kind != FaultKind::crash_during_replay)  // it counts its replay
        s.faults.push_back(point_fault(info.kind, node, never));
}

void read_point_counters(World& w) {
  for (int n = 0; n < 2; ++n)
    for (const PointFault& p : w.armed[n])
      if (p.remaining > never / 2) w.points->count[n][static_cast<std::size_t>(p.kind)] = never - p.remaining;
}

// The settle phase: transient faults end, nodes that are down power on.
void settle(World& w) {
  w.settled = true;
  w.event(-1, EventKind::settle);
  w.restore_interconnect();
  w.partitions.clear();
  w.interconnect_from_up[0] = w.interconnect_from_up[1] = true;
  w.interconnect_loss_probability = w.interconnect_delay_s = 0;
  w.interconnect_slowdown = w.nvram_slowdown[0] = w.nvram_slowdown[1] = 1;
  w.disk_slowdown.clear();
  w.loss_probability = w.duplicate_probability = w.delay_s = 0;
  if (w.points) read_point_counters(w);
  w.armed[0].clear();
  w.armed[1].clear();
  // Every failed component is repaired (a failed disk replaced by a blank
  // one); a plex that missed writes is resynchronised once served.
  repair_everything(w);
  for (int n = 0; n < 2; ++n) w.tell_node(n, Control::boot);
}

bool all_served_by_owners(const World& w) {
  for (const auto& [aggr, owner] : w.owner) {
    auto it = w.service.find(aggr);
    if (it == w.service.end() || it->second != owner) return false;
  }
  return true;
}

void controller(World& w, FinalImages& images) {
  std::vector<FaultSpec> faults = w.scenario.faults;
  std::stable_sort(faults.begin(), faults.end(), [](const FaultSpec& a, const FaultSpec& b) { return a.at_s < b.at_s; });
  for (const FaultSpec& f : faults) {
    sg4::this_actor::sleep_until(f.at_s);
    apply_fault(w, f);
  }
  sg4::this_actor::sleep_until(w.scenario.phases.fault_phase_s);
  settle(w);
  const double hard_stop = w.scenario.phases.fault_phase_s + w.scenario.phases.settle_s;
  // Settled: the clients are done, each aggregate is back with its owner, no
  // plex waits for a resync it could have, and no node hangs; and it stayed
  // so for a heartbeat timeout and interval, in which a partner that is to
  // declare its node dead (a hang or a crash at the fault phase's end) does.
  // Without that wait a takeover could start after the end, during the
  // final CP (seed 3, case 195: a pool-0 plex left stale).
  const ServerSpec& server = w.scenario.server;
  const double stable_s = server.heartbeat_timeout_s + server.heartbeat_interval_s;
  auto settled_now = [&w] {
    return w.clients_running == 0 && all_served_by_owners(w) && !resync_pending(w) &&
           w.now() >= std::max(w.hung_until_s[0], w.hung_until_s[1]);
  };
  for (double since_s = w.now(); w.now() < hard_stop;) {
    if (!settled_now()) since_s = w.now();
    else if (w.now() - since_s >= stable_s) break;
    sg4::this_actor::sleep_for(std::min(0.05, hard_stop - w.now()));
  }
  w.clients_done_at_end = w.clients_running == 0;
  w.served_by_owners_at_end = all_served_by_owners(w);
  w.end_s = w.now();
  w.event(-1, EventKind::end, {{"clients_done", w.clients_done_at_end}, {"served_by_owners", w.served_by_owners_at_end}});
  images = final_cp_phase(w);  // after the end: the liveness judged is the state above
  w.stop = true;
  for (int n = 0; n < 2; ++n) w.tell_node(n, Control::stop);
}

// The hardware as installed: every NVRAM region empty with its header,
// every aggregate formatted on each of its plexes, before time 0.
void install(World& w) {
  const Scenario& scenario = w.scenario;
  const ServerSpec& ss = scenario.server;
  // NVRAM as installed: every region empty, with its header.
  const std::vector<std::uint8_t> header = model::encode_region_header(ss.nvram_half_bytes);
  for (int n = 0; n < 2; ++n)
    for (auto& region : w.nvram[n]) {
      region.assign(model::region_bytes(ss.nvram_half_bytes), 0);
      std::copy(header.begin(), header.end(), region.begin() + model::region_header_offset(ss.nvram_half_bytes));
    }
  for (const auto& a : scenario.cluster.aggregates) {
    w.owner[a.name] = w.node_index(a.owner);
    std::vector<PlexLayout> plexes;
    for (const auto& shelves : a.plexes) {
      PlexLayout p;
      for (const auto& shelf_name : shelves)
        for (const auto& shelf : scenario.cluster.shelves)
          if (shelf.name == shelf_name)
            for (int d = 0; d < shelf.disks; ++d)
              (d < shelf.disks - shelf.spares ? p.disks : p.spares).push_back(shelf.name + ".d" + std::to_string(d));
      plexes.push_back(std::move(p));
    }
    w.store.add_aggregate(a.name, ss.block_size, a.blocks, a.raid, std::move(plexes));
  }
  // Every aggregate is formatted before time 0, as at installation.
  for (const auto& a : scenario.cluster.aggregates) {
    model::FsConfig config;
    config.block_size = ss.block_size;
    config.block_count = a.blocks;
    model::Filesystem fs(config);
    model::CpPlan plan = fs.build_cp(0);
    plan.blocks.push_back({0, plan.superblock});
    plan.blocks.push_back({1, plan.superblock});
    for (int p = 0; p < static_cast<int>(a.plexes.size()); ++p)
      for (const auto& b : plan.blocks) w.store.write_plex("", a.name, p, b.bno, b.bytes);
  }
  w.store.set_reach([&w](const std::string& node, const std::string& disk) {
    return w.reachable(w.node_index(node), disk);
  }, scenario.cluster.nodes);

}

}  // namespace

int run_simulation(const Scenario& scenario, const std::string& dir, std::ostream& out, PointsReached* points) {
  // Exactly what runs, every default filled in: `failsim run DIR/scenario.json`
  // replays it, and the checker reads its expectations from it.
  write_file(dir + "/scenario.json", to_json(scenario).dump(1) + "\n");
  int argc = 1;
  char name[] = "failsim";
  char* argv[] = {name, nullptr};
  sg4::Engine engine(&argc, argv);
  xbt_log_control_set("root.thres:critical");
  engine.set_config("network/model:CM02");
  engine.set_config("network/crosstraffic:0");

  World w;
  w.scenario = scenario;
  w.out_dir = dir;
  w.points = points;
  if (points) add_point_counters(w.scenario);  // after scenario.json, which shows the scenario as given
  w.recorder = std::make_unique<Recorder>(dir);
  w.net_rng = make_stream(scenario.seed, "client-network");
  w.interconnect_rng = make_stream(scenario.seed, "interconnect");
  build_platform(w);
  w.topology = std::make_unique<Topology>(scenario.cluster);

  install(w);
  for (int n = 0; n < 2; ++n) {
    w.nodes.push_back(std::make_unique<NodeDriver>(w, n));
    NodeDriver* d = w.nodes.back().get();
    sg4::Actor::create(w.node_name(n), w.node_host[n], [d] { d->run(); });
  }
  std::vector<std::string> targets = scenario.workload.aggregates;
  if (targets.empty())
    for (const auto& a : scenario.cluster.aggregates) targets.push_back(a.name);
  w.clients_running = scenario.workload.clients;
  for (int c = 1; c <= scenario.workload.clients; ++c) {
    std::string aggr = targets[(c - 1) % targets.size()];
    sg4::Actor::create("client" + std::to_string(c), w.client_hosts[c - 1],
                       [&w, c, aggr] { run_client(w, static_cast<model::ClientId>(c), aggr); });
  }
  FinalImages final_images;
  sg4::Actor::create("controller", sg4::Host::by_name("controller"), [&w, &final_images] { controller(w, final_images); });
  // The controller ends the run at the simulated-time limit, and the final
  // CP after it within its own; should any actor go on after that (a
  // failsim bug), this ends the engine. As a daemon it dies with the last
  // other actor, so a run that stops does not see it.
  const double end_s = scenario.phases.fault_phase_s + scenario.phases.settle_s;
  constexpr double stop_grace_s = 60;
  bool overran = false;
  sg4::Actor::create("watchdog", sg4::Host::by_name("controller"), [end_s, &overran, &scenario] {
    sg4::this_actor::sleep_until(end_s + final_cp_limit_s(scenario) + stop_grace_s);
    overran = true;
    sg4::Actor::kill_all();
  })->daemonize();

  engine.run();
  if (overran)
    throw std::runtime_error("actors still ran " + std::to_string(stop_grace_s) +
                             " simulated s after the run's end and its final CP (phases.fault_phase_s + "
                             "phases.settle_s + server.cp_interval_s + " + std::to_string(final_cp_writes_s) + " = " +
                             std::to_string(end_s + final_cp_limit_s(scenario)) + " s); the watchdog stopped them");
  w.recorder->flush();
  const int code = write_outputs(w, final_images, dir, out);
  if (!w.clients_done_at_end || !w.served_by_owners_at_end)
    out << "  did not settle by the simulated-time limit of " << end_s
        << " s (phases.fault_phase_s + phases.settle_s):"
        << (w.clients_done_at_end ? "" : " clients still had changes to make or answers to wait for;")
        << (w.served_by_owners_at_end ? "" : " not every aggregate was served by its owner;")
        << " `failsim check` judges what happened\n";
  return code;
}

}  // namespace failsim::sim
