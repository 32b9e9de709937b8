// Running runs of a sweep: each in a forked child (one SimGrid Engine per
// process), J at a time: simulate into a run folder, judge it (verdict.json),
// write its reports, and collect the figures into a row. The run folders of
// runs that failed (all of them with keep_runs) end up in FOLDER/runs/.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "sweep/results.hpp"

namespace failsim::sweep {

struct RunOptions {
  int jobs = 1;
  bool keep_runs = false;
  std::uint64_t search_states = 0;  // the checker's budget per part (0: its default)
  std::string sweep_file;           // names the sweep file in problems
};

// Runs `indices` of `s` inside `folder` (a folder being written, which must
// exist) and returns their rows in index order. Progress and failures go to
// `err`. Throws SweepError when a figure points at an object or an array in
// a run's file, and ForkError when no child can be started.
std::vector<Row> run_grid(const Sweep& s, const std::vector<std::uint64_t>& indices, const std::string& folder,
                          const RunOptions& options, std::ostream& err);

}  // namespace failsim::sweep
