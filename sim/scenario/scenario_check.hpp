// The checks that span fields: names and references in the cluster, its
// topology (pools, plexes, reachability from both nodes), fault targets and
// times, and the settings that bound one another (log room, heartbeats, data
// sizes). Run on a scenario that read cleanly. Internal to sim/scenario.
#pragma once

#include "sim/scenario/problems.hpp"
#include "sim/scenario/scenario.hpp"

namespace failsim::sim::detail {

void check_scenario(const Scenario& s, Problems& p);

}  // namespace failsim::sim::detail
