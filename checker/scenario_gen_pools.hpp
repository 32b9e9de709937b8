// Pools as ownership (issue 16) for the random generator (scenario_gen.hpp):
// the mirrored cluster rewired so that each aggregate's pool-0 plex sits on a
// loop only its owner's HBA is on and its pool-1 plex on a loop both nodes
// reach (as scenarios/owner-pool-gone-takeover.json), and the storage faults
// of the case placed so that they stay inside the envelope there: whoever
// must serve an aggregate keeps one copy of every acknowledged log entry and
// one complete plex it reaches.
#pragma once

// The scenario generator's header brings sim's Scenario (the one
// checker/ -> sim/ include cmake/layers.cmake allows).
#include "checker/scenario_gen.hpp"

namespace failsim::checker {

// Half the time, rewires the mirrored cluster of `s` (scenario_gen.cpp's
// mirrored_cluster(), its faults already drawn) to pools as ownership and
// moves or adds storage faults to fit it. Draws only after every other draw
// of the case, so the cases it leaves alone stay as they were.
void draw_ownership_pools(sim::Scenario& s);

}  // namespace failsim::checker
