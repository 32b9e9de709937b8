// A simulated client: issues the workload's changes to the node that serves
// its aggregate (the service address, which moves on takeover), closed loop
// (one outstanding change, think time between) or open loop (Poisson
// arrivals); retransmits a change on timeout with the same xid, up to the
// retry limit; records every invocation and completion in the history.
#pragma once

#include "model/change.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

void run_client(World& w, model::ClientId id, std::string aggregate);

}  // namespace failsim::sim
