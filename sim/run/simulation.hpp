// Runs one scenario in this process and writes its run folder's files into
// `dir` (which must exist). Call it in a forked child: SimGrid keeps one
// Engine per process. Returns the exit status for the run (0).
#pragma once

#include <iosfwd>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

int run_simulation(const Scenario& scenario, const std::string& dir, std::ostream& out);

}  // namespace failsim::sim
