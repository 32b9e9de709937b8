// The scenario generator.
#include "scenario_gen.hpp"

#include <algorithm>

namespace failsim::checker {

namespace {

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

// Every kind is generated inside the envelope: at most one storage fault (a
// pool-1 component of a mirrored cluster, or both HBAs of one node: a path
// loss), at most one NVRAM battery (the other node's mirror survives).
const std::vector<std::string>& generated_fault_kinds() {
  static const std::vector<std::string> kinds = {
      "node_crash",          "power_loss",          "reboot",           "interconnect_down",
      "interconnect_flap",   "torn_mirror_write",   "crash_at_cp_block", "crash_before_mirror",
      "crash_after_mirror",  "crash_during_replay", "shelf_fail",       "loop_fail",
      "hba_fail",            "latent_sector_error", "client_partition", "client_message_loss",
      "client_message_delay", "client_message_duplicate", "disk_fail", "nvram_battery_loss",
      "node_hang",           "interconnect_one_way", "interconnect_loss", "interconnect_delay",
      "slow_disk",           "slow_nvram",          "slow_interconnect"};
  return kinds;
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
    s.server.log_mode = *rc::gen::element<std::string>("request", "block");
    s.server.ack = *rc::gen::element<std::string>("nvram", "nvram", "nvram", "disk");
    s.server.nvram_half_bytes = s.server.log_mode == "request" ? *rc::gen::element<std::uint64_t>(16384, 65536, 1u << 20)
                                                               : *rc::gen::element<std::uint64_t>(65536, 262144, 1u << 20);
    s.server.cp_interval_s = *rc::gen::element(0.2, 0.5, 1.0, 5.0);
    s.server.heartbeat_interval_s = *rc::gen::element(0.05, 0.1);
    s.server.heartbeat_timeout_s = s.server.heartbeat_interval_s * *rc::gen::inRange(3, 12);
    s.server.boot_time_s = *rc::gen::element(0.2, 0.5, 1.0, 2.0);

    // Workload: a few hundred changes.
    s.workload.clients = *rc::gen::inRange(1, 6);
    s.workload.ops_per_client = *rc::gen::inRange<std::uint64_t>(5, 150);
    s.workload.loop = *rc::gen::element<std::string>("closed", "closed", "open");
    s.workload.rate_per_s = *rc::gen::element(100.0, 500.0, 2000.0);
    s.workload.namespace_mode = *rc::gen::element<std::string>("private", "private", "shared");
    s.workload.retransmit_timeout_s = *rc::gen::element(0.05, 0.2, 0.5);

    s.phases.fault_phase_s = *rc::gen::inRange(1, 5);
    s.phases.settle_s = 40;

    // Swarm: which kinds this case may use, then how many faults.
    std::vector<std::string> enabled;
    for (const auto& kind : generated_fault_kinds()) {
      bool needs_mirror = kind == "shelf_fail" || kind == "loop_fail" || kind == "latent_sector_error" ||
                          kind == "disk_fail";
      if ((!needs_mirror || mirrored) && *rc::gen::inRange(0, 3) == 0) enabled.push_back(kind);
    }
    const int count = enabled.empty() ? 0 : *rc::gen::inRange(0, 5);
    bool storage_fault = false;  // at most one: never both plexes of an aggregate
    bool battery_fault = false;  // at most one: never both copies of the log
    for (int i = 0; i < count; ++i) {
      sim::FaultSpec f;
      f.kind = *rc::gen::elementOf(enabled);
      f.at_s = *rc::gen::inRange(0, static_cast<int>(s.phases.fault_phase_s * 10)) / 10.0;
      f.node = *rc::gen::element<std::string>("n0", "n1");
      f.k = *rc::gen::inRange<std::uint64_t>(1, 60);
      f.duration_s = *rc::gen::element(0.0, 0.5, 2.0);
      if (f.kind == "power_loss" && *rc::gen::arbitrary<bool>()) f.node.clear();  // both nodes
      if (f.kind == "interconnect_flap") f.period_s = *rc::gen::element(0.2, 1.0);
      if (f.kind.starts_with("client_")) {
        f.node.clear();
        f.probability = *rc::gen::element(0.05, 0.2, 0.5);
        f.delay_s = *rc::gen::element(0.01, 0.1);
        if (f.kind == "client_partition")
          f.target = "client" + std::to_string(*rc::gen::inRange(1, s.workload.clients + 1));
      }
      if (f.kind == "nvram_battery_loss") {
        if (battery_fault) continue;
        battery_fault = true;
      }
      if (f.kind == "node_hang") f.duration_s = *rc::gen::element(0.3, 1.0, 3.0);
      if (f.kind == "interconnect_loss") f.probability = *rc::gen::element(0.05, 0.3, 0.8);
      if (f.kind == "interconnect_delay") f.delay_s = *rc::gen::element(0.001, 0.02, 0.2);
      if (f.kind.starts_with("slow_")) f.factor = *rc::gen::element(2.0, 10.0, 100.0);
      if (f.kind == "slow_disk") {
        f.node.clear();
        f.target = *rc::gen::element<std::string>("shelf0.d0", "shelf1.d1");
      }
      if (f.kind == "interconnect_loss" || f.kind == "interconnect_delay" || f.kind == "slow_interconnect")
        f.node.clear();
      if (f.kind == "shelf_fail" || f.kind == "loop_fail" || f.kind == "hba_fail" || f.kind == "latent_sector_error" ||
          f.kind == "disk_fail") {
        if (storage_fault) continue;
        storage_fault = true;
        const std::string node = f.node;
        f.node.clear();
        if (f.kind == "shelf_fail") f.target = *rc::gen::element<std::string>("shelf2", "shelf3");
        if (f.kind == "loop_fail") f.target = "loopB";
        if (f.kind == "disk_fail") f.target = "shelf2.d" + std::to_string(*rc::gen::inRange(0, 4));
        if (f.kind == "hba_fail") {
          // One HBA (a path left), or both of one node: it loses its disks
          // while alive, and the partner must take over.
          f.target = node + ".b";
          if (*rc::gen::arbitrary<bool>()) {
            sim::FaultSpec other = f;
            other.target = node + ".a";
            s.faults.push_back(std::move(other));
          }
        }
        if (f.kind == "latent_sector_error") {
          f.target = "shelf2.d" + std::to_string(*rc::gen::inRange(0, 4));
          for (int b = 0; b < 8; ++b) f.blocks.push_back(*rc::gen::inRange<std::uint64_t>(0, 4096));
        }
      }
      s.faults.push_back(std::move(f));
    }
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
    s.workload.loop = "closed";
    s.workload.namespace_mode = "private";
    s.server.cp_interval_s = 5.0;
    // Acks from NVRAM: what the batteries' loss can lose (acks after the
    // disk write lose nothing to it).
    s.server.ack = "nvram";
    // Mostly appends (unique payloads): a lost change shows in the final
    // state instead of being overwritten by a later one.
    s.workload.mix = sim::OpMix{.create = 1, .mkdir = 0, .write = 0, .append = 20, .truncate = 0, .rename = 0,
                                .unlink = 0, .rmdir = 0, .setattr = 0};
    const double at_s = *rc::gen::inRange(7, 15) / 10.0;
    for (const char* node : {"n0", "n1"}) {
      sim::FaultSpec battery;
      battery.kind = "nvram_battery_loss";
      battery.node = node;
      battery.at_s = at_s / 2;
      s.faults.push_back(battery);
    }
    sim::FaultSpec power;
    power.kind = "power_loss";
    power.at_s = at_s;
    power.duration_s = *rc::gen::element(0.5, 1.0, 2.0);
    s.faults.push_back(power);
    s.phases.fault_phase_s = at_s + power.duration_s + 1;
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
