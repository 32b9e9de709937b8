// trace.json in the Chrome trace event format (Perfetto, chrome://tracing):
// a process per node (its states, CPs and recovery steps as complete "X"
// events on threads of their own, NVRAM occupancy and interconnect use as
// counters), one for the disks (utilisation counters per node and disk),
// one for the clients (a thread per client, each request a span), and the
// faults as instant events.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/analysis.hpp"

namespace failsim::reports {

nlohmann::json chrome_trace(const Analysis& a);

}  // namespace failsim::reports
