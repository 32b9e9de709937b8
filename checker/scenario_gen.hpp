// RapidCheck generators of whole scenarios for property-based fault
// injection: topology (plain or mirrored aggregates), hardware timings,
// server settings, workloads and fault schedules mixing scheduled and
// point-triggered faults. Swarm testing: each case first draws which fault
// kinds are enabled and how many faults, so some cases are calm and some are
// storms. The faults stay inside the envelope the design claims to survive
// (never both copies of a log entry or of a block destroyed). Half the
// mirrored cases make pools ownership (scenario_gen_pools.hpp): each pool-0
// plex on a loop only its owner reaches.
#pragma once

#include <rapidcheck.h>

#include "sim/scenario/scenario.hpp"

namespace failsim::checker {

rc::Gen<sim::Scenario> scenario_gen();

// Out of the envelope, generated separately: settings drawn as above, then
// both NVRAM batteries die and both nodes lose power while clients are busy,
// destroying both copies of every change since the last CP. The scenario
// expects that loss (expect.data_loss), so the checker must report it.
rc::Gen<sim::Scenario> out_of_envelope_gen();

// Whether some shelf of an aggregate is out of some node's reach: pools as
// ownership (a pool-0 plex only its owner reaches).
bool pools_are_ownership(const sim::ClusterSpec& c);

// The fault kinds the generator may draw.
const std::vector<std::string>& generated_fault_kinds();

}  // namespace failsim::checker
