// Running a scenario into a run folder: the simulation runs in a forked child
// (one SimGrid Engine per process), writes into a temporary folder beside the
// final one, and the folder is renamed into place only when complete, so a
// killed run leaves nothing under the final name.
#pragma once

#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

// Bad input for a run (the folder exists, cannot be created): exit status 2.
struct RunFolderError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Returns the child's exit status (0: the run completed). Throws
// RunFolderError when `out_dir` exists (and !force) or cannot be written.
// `before_rename`, when given, runs in this process on the complete temporary
// folder before it is renamed into place (the command line writes the
// reports there); if it throws, the temporary folder is removed and the
// exception goes on to the caller.
int run_into_folder(const Scenario& scenario, const std::string& out_dir, bool force, std::ostream& out,
                    const std::function<void(const std::string& dir)>& before_rename = {});

}  // namespace failsim::sim
