// Where the random generator (scenario_gen.hpp) puts point faults so that
// they fire. Each is counted from events the run reaches, not from a
// guessed time: the node's own changes (the k-th mirror write or reply of
// a node whose clients make more than k changes), the first CPs after its
// boot, and the replay and recovery CP of a takeover that a crash of its
// partner at the partner's k-th mirror write causes, or the giveback CP
// after the partner comes back. A node has at most one point fault: a
// second would never be reached after a crash point crashed it, nor
// (often) after a torn mirror write cut its interconnect (seed 77: 3 of
// 32 torn mirror writes missed so).
#pragma once

// The scenario generator's header brings sim's Scenario (the one
// checker/ -> sim/ include cmake/layers.cmake allows).
#include "checker/scenario_gen.hpp"

namespace failsim::checker {

struct PointFaultPlan {
  bool has_point[2] = {false, false};  // a node already holds a point fault (or a paired crash)
};

// Adds a fault of point kind `kind` to s.faults, with the faults that lead
// to its point (a crash of the partner for crash_during_replay and
// crash_during_recovery), and lengthens the fault phase to reach it.
// Nothing is added when no node can take it.
void add_point_fault(sim::Scenario& s, sim::FaultKind kind, PointFaultPlan& plan);

}  // namespace failsim::checker
