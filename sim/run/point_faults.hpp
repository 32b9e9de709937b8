// The point faults armed on a node (sim/run/simulation.cpp arms them). Each
// fires the k-th time the node reaches its point, and is written as a
// `fault` event then; what it does there is the node's (node_devices.cpp,
// node_actions.cpp, node_driver.cpp). One question per point.
#pragma once

#include <string>

#include "sim/run/world.hpp"

namespace failsim::sim {

class PointFaults {
 public:
  PointFaults(World& world, int node) : w_(world), node_(node) {}

  bool crash_before_mirror() { return reached(FaultKind::crash_before_mirror); }  // a mirror write is issued
  bool crash_after_mirror() { return reached(FaultKind::crash_after_mirror); }    // a reply is about to go out
  bool crash_at_cp_block() { return reached(FaultKind::crash_at_cp_block); }      // a block write is about to start
  bool crash_during_replay() { return reached(FaultKind::crash_during_replay); }  // a log was replayed at a load
  bool torn_mirror_write() { return reached(FaultKind::torn_mirror_write); }      // a mirror write lands
  // How long the interconnect stays cut after a torn mirror write.
  double torn_mirror_cut_s() const;

 private:
  bool reached(FaultKind kind);

  World& w_;
  const int node_;
};

}  // namespace failsim::sim
