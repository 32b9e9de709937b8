// The end-of-run files of a run folder: final-state.json (every path of every
// aggregate, with the SHA-256 of each file's contents), summary.json, and the
// short text summary on stdout.
#pragma once

#include <iosfwd>
#include <string>

#include "sim/run/world.hpp"

namespace failsim::sim {

int write_outputs(World& w, const std::string& dir, std::ostream& out);

}  // namespace failsim::sim
