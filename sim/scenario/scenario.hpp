// A scenario: the cluster, its timings, the server settings, the workload,
// the faults and the run's phases, as `failsim run` reads them from a JSON
// file. Every field has a documented default, so `{}` is a valid scenario
// (the default pair under a mixed workload). Units are in the names.
// Every struct compares field by field (operator==), so a scenario read back
// from its JSON can be compared with the one written.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/fault_params.hpp"
#include "sim/scenario/fault_wire.hpp"
#include "sim/scenario/settings.hpp"

namespace failsim::sim {

// ---- cluster ----
struct HbaSpec {
  std::string name;
  std::string node;
  bool operator==(const HbaSpec&) const = default;
};
struct LoopSpec {  // an FC loop: some HBAs on one side, some shelves on the other
  std::string name;
  std::vector<std::string> hbas;
  std::vector<std::string> shelves;
  bool operator==(const LoopSpec&) const = default;
};
struct ShelfSpec {
  std::string name;
  int pool = 0;    // SyncMirror pool: the two plexes of a mirrored aggregate use different pools
  int disks = 4;   // disks named "<shelf>.d0" ...
  int spares = 0;  // the last `spares` of them are hot spares: in no RAID group until one takes a lost disk's place
  bool operator==(const ShelfSpec&) const = default;
};
// The RAID groups of each plex of an aggregate.
struct RaidSpec {
  RaidLevel level = RaidLevel::none;
  int group_size = 0;                  // disks per group, parity included; 0: all the plex's disks in one group
  double reconstruct_rate_Bps = 20e6;  // rebuilding a lost disk onto a spare (or its replacement)
  bool operator==(const RaidSpec&) const = default;
};
struct AggregateSpec {
  std::string name;
  std::string owner;                            // node that serves it normally
  std::vector<std::vector<std::string>> plexes; // each plex: the shelves whose disks it stripes over
  std::uint64_t blocks = 65536;                 // blocks per plex
  RaidSpec raid;
  bool operator==(const AggregateSpec&) const = default;
};
struct ClusterSpec {
  std::vector<std::string> nodes;  // exactly two today (an HA pair)
  std::vector<HbaSpec> hbas;
  std::vector<LoopSpec> loops;
  std::vector<ShelfSpec> shelves;
  std::vector<AggregateSpec> aggregates;
  bool operator==(const ClusterSpec&) const = default;
};
// The default: nodes n0, n1; each with HBAs a and b; loops A (both a HBAs)
// and B (both b HBAs), each reaching every shelf; shelf0 and shelf1 in pool 0,
// 4 disks each; aggr0 on shelf0 owned by n0, aggr1 on shelf1 owned by n1.
ClusterSpec default_cluster();

// ---- timing ----
struct OpCycles {  // CPU cycles per change type
  std::uint64_t create = 40'000, mkdir = 40'000, write = 30'000, append = 30'000, truncate = 30'000,
                rename = 60'000, unlink = 40'000, rmdir = 40'000, setattr = 20'000;
  bool operator==(const OpCycles&) const = default;
};
struct ActionCycles {  // CPU cycles per action of the server
  std::uint64_t nvram_write = 5'000, mirror_write = 5'000, reply = 10'000, cp_block = 2'000,
                replay_entry = 20'000, load_block = 2'000, parity_block = 4'000;
  bool operator==(const ActionCycles&) const = default;
};
struct LinkTiming {
  double latency_s = 0;
  double bandwidth_Bps = 0;
  bool operator==(const LinkTiming&) const = default;
};
struct DiskTiming {
  double seek_s = 0.004;        // average seek; drawn uniform in [0, 2 * seek_s]
  double rotation_s = 0.006;    // one revolution (10k rpm); rotational delay uniform in [0, rotation_s)
  double transfer_Bps = 80e6;   // media rate
  bool operator==(const DiskTiming&) const = default;
};
struct TimingSpec {
  double cpu_hz = 2e9;
  OpCycles op_cycles;
  ActionCycles action_cycles;
  LinkTiming nvram{2e-6, 1e9};          // node -> its NVRAM (PCI)
  LinkTiming interconnect{5e-6, 1e9};   // node -> partner's NVRAM (remote write)
  LinkTiming client_net{100e-6, 125e6}; // client <-> node
  DiskTiming disk;
  double loop_bandwidth_Bps = 200e6;    // shared by the disks of an FC loop
  double resync_rate_Bps = 50e6;        // SyncMirror resync: bytes a stale plex is copied at
  bool operator==(const TimingSpec&) const = default;
};

// ---- server settings ----
struct GivebackSpec {
  GivebackMode mode = GivebackMode::automatic;  // automatic: delay_s after the repaired node is up; at: at time_s
  double delay_s = 2.0;
  double time_s = 0;
  bool operator==(const GivebackSpec&) const = default;
};
struct ServerSpec {
  NvramLogMode log_mode = NvramLogMode::request;
  AckPoint ack = AckPoint::nvram;
  std::uint64_t nvram_half_bytes = 1u << 20;
  double cp_interval_s = 10.0;
  std::uint32_t block_size = 4096;
  double heartbeat_interval_s = 0.1;  // over the interconnect and in the mailbox blocks
  double heartbeat_timeout_s = 1.0;   // partner declared dead when both are older than this
  double boot_time_s = 5.0;           // from power-on (reboot) to Boot
  GivebackSpec giveback;
  bool operator==(const ServerSpec&) const = default;
};

// ---- workload ----
struct OpMix {  // relative weights of change types
  double create = 2, mkdir = 1, write = 2, append = 4, truncate = 1, rename = 1, unlink = 1, rmdir = 0.5,
         setattr = 0.5;
  bool operator==(const OpMix&) const = default;
};
struct WorkloadSpec {
  int clients = 4;
  ClientLoop loop = ClientLoop::closed;
  double think_time_s = 0.001;       // closed loop
  double rate_per_s = 100;           // open loop, per client
  std::uint64_t ops_per_client = 500;
  OpMix mix;
  NamespaceMode namespace_mode = NamespaceMode::private_tree;  // private: /c<id>/...
  PathChoice paths = PathChoice::random;
  std::vector<std::string> aggregates;     // clients spread round-robin; empty: all aggregates
  double retransmit_timeout_s = 0.5;
  int retry_limit = 0;                     // 0: retry until answered
  std::uint32_t data_bytes_min = 8, data_bytes_max = 256;
  std::uint32_t request_bytes = 200;       // on the wire, besides data
  double warmup_s = 0;                     // clients send nothing before this time
  bool operator==(const WorkloadSpec&) const = default;
};

// ---- faults ----
// FaultSpec: fault_params.hpp; its file form, FaultWire: fault_wire.hpp.
// The names of the kinds, as scenario files
// spell them, in the schema's order.
const std::vector<std::string>& fault_kinds();

struct PhasesSpec {
  double fault_phase_s = 10;  // faults happen only in here
  double settle_s = 20;       // then faults off: every recoverable aggregate is served again, clients finish
  bool operator==(const PhasesSpec&) const = default;
};

// What the run must show; the checker holds the run to it.
struct ExpectSpec {
  std::optional<double> max_takeover_s;
  std::optional<double> max_outage_s;  // longest time any aggregate may go unserved after it was first served
  bool data_loss = false;             // both copies of log entries destroyed: loss is expected
  std::optional<bool> takeover;       // a takeover must (true) / must not (false) happen
  std::optional<bool> split_brain_free;
  // With data_loss: only changes acknowledged from this time to the end of
  // the fault phase may be lost; losing one acknowledged earlier is a violation.
  std::optional<double> loss_only_acked_after_s;
  // Every aggregate served by its owner at the end (null: required when
  // giveback is automatic).
  std::optional<bool> owner_serves_at_end;
  // Aggregates the faults destroy beyond what RAID and SyncMirror cover:
  // their changes may be lost and their clients may never finish, and each
  // must be unserved at the end.
  std::vector<std::string> lost_aggregates;
  bool operator==(const ExpectSpec&) const = default;
};

struct Scenario {
  std::string name = "default";
  std::string description;
  std::uint64_t seed = 1;
  ClusterSpec cluster = default_cluster();
  TimingSpec timing;
  ServerSpec server;
  WorkloadSpec workload;
  std::vector<FaultSpec> faults;
  PhasesSpec phases;
  ExpectSpec expect;
  bool operator==(const Scenario&) const = default;
};

}  // namespace failsim::sim
