// Runs one scenario in this process and writes its run folder's files into
// `dir` (which must exist). Call it in a forked child: SimGrid keeps one
// Engine per process. Returns the exit status for the run (0).
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

// The points of its work each node reached in the fault phase, per point
// fault kind: a point fault of that kind armed at time 0 (after the
// scenario's own) can name k = 1..count. For crash_during_replay, the
// entries of the node's first replay that replays any. What `failsim check
// --exhaustive` enumerates; counted only when asked for.
struct PointsReached {
  std::array<std::array<std::uint64_t, fault_kind_count>, 2> count{};  // [node][kind]
};

int run_simulation(const Scenario& scenario, const std::string& dir, std::ostream& out,
                   PointsReached* points = nullptr);

}  // namespace failsim::sim
