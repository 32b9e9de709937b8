// Running a scenario into a run folder: the simulation runs in a forked child
// (one SimGrid Engine per process), writes into a temporary folder beside the
// final one, and the folder is renamed into place only when complete, so a
// killed run leaves nothing under the final name.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

// Bad input for a run (the folder exists, cannot be created): exit status 2.
struct RunFolderError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// runs/<name>-seed<N>, the name reduced to letters, digits, '.', '-' and
// '_' (others become '_'): a scenario's name never chooses where a run goes.
std::string default_run_folder(const Scenario& scenario);

// Returns the child's exit status (0: the run completed). Throws
// RunFolderError when `out_dir` exists (and !force) or cannot be written.
// `before_rename`, when given, runs in this process on the complete temporary
// folder before it is renamed into place (the command line writes the
// reports there); if it throws, the temporary folder is removed and the
// exception goes on to the caller.
int run_into_folder(const Scenario& scenario, const std::string& out_dir, bool force, std::ostream& out,
                    const std::function<void(const std::string& dir)>& before_rename = {});

// The files under `dir`, as paths relative to it.
std::set<std::string> files_under(const std::string& dir);

// How two run folders differ, one line per file ("history.jsonl: differs
// from byte 120 (sizes ...)", "x: only in the first run"); empty when every
// file is the same, byte for byte. Adds the bytes compared to `*bytes`.
std::vector<std::string> folder_differences(const std::string& a, const std::string& b, std::uint64_t* bytes = nullptr);

}  // namespace failsim::sim
