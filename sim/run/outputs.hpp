// The end-of-run files of a run folder: final-state.json and
// memory-state.json (every path of every aggregate on its disks, and in the
// memory of the node serving it, after the final CP: sim/run/final_image.hpp),
// summary.json, and the short text summary on stdout.
#pragma once

#include <iosfwd>
#include <string>

#include "sim/run/final_image.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

int write_outputs(World& w, const FinalImages& images, const std::string& dir, std::ostream& out);

}  // namespace failsim::sim
