// Warnings about a valid scenario that most likely does not do what its
// author meant: a timed fault outside the window in which its clients send.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

// Each names the fault by JSON path. Clients send from workload.warmup_s
// on; an open loop's last request is due at warmup_s + ops_per_client /
// rate_per_s. A closed loop's end depends on the acks' latency, which
// only the run knows: `failsim run` warns about a fault after it.
// Point faults (fired by events) and repairs are not judged.
std::vector<std::string> scenario_warnings(const Scenario& s);

}  // namespace failsim::sim
