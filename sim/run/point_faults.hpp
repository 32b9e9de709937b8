// The point faults armed on a node (sim/run/simulation.cpp arms them). Each
// fires the k-th time the node reaches its point after at_s, and is written
// as one `fault` event when it fires; what it does there is the node's
// (node_devices.cpp, node_actions.cpp, node_driver.cpp). One question per
// point. crash_during_replay is the exception to "the k-th time": it fires
// at the first replay (after at_s) that replays any entry, at entry k of
// that replay's n (n when the replay has fewer), and the node driver writes
// its event at the crash, naming the entry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/run/world.hpp"

namespace failsim::sim {

class PointFaults {
 public:
  PointFaults(World& world, int node) : w_(world), node_(node) {}

  bool crash_before_mirror() { return reached(FaultKind::crash_before_mirror); }  // a mirror write is issued
  bool crash_after_mirror() { return reached(FaultKind::crash_after_mirror); }    // a reply is about to go out
  bool crash_after_reply() { return reached(FaultKind::crash_after_reply); }      // a reply has gone out
  bool crash_at_cp_block() { return reached(FaultKind::crash_at_cp_block); }      // a block write is about to start
  // A block write is about to start while a group of the node is in its
  // recovery CP or its giveback CP, or a giveback starts.
  bool crash_during_recovery() { return reached(FaultKind::crash_during_recovery); }
  bool torn_mirror_write() { return reached(FaultKind::torn_mirror_write); }      // a mirror write lands
  bool power_loss_at_nvram_write() { return reached(FaultKind::power_loss_at_nvram_write); }  // a local NVRAM write is issued
  // A load is about to replay `entries` log entries (more than 0): the entry
  // (1..entries) to crash in, if a crash_during_replay is armed. It is
  // disarmed; its `fault` event is the caller's, at the crash (replay_crash_event).
  std::optional<std::uint64_t> crash_during_replay(std::uint64_t entries);
  void replay_crash_event(std::uint64_t entry, std::uint64_t entries);
  // The duration_s of the node's point fault of `kind` (torn_mirror_write:
  // how long the interconnect stays cut, 0: 1 s; power_loss_at_nvram_write:
  // how long the power stays off, 0: until the settle phase).
  double duration_s(FaultKind kind) const;

 private:
  bool reached(FaultKind kind);

  World& w_;
  const int node_;
};

}  // namespace failsim::sim
