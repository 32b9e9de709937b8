// The files of a sweep folder, all from a SweepResult alone (so a merge of
// shards writes the very bytes a single run does): sweep.json, results.csv
// (one row per run) and sweep.html. No times, hosts or absolute paths.
#pragma once

#include <string>

#include "sweep/results.hpp"

namespace failsim::sweep {

// index, seed, the parameters, the figures, verdict, violations, undecided.
std::string results_csv(const SweepResult& r);
// Throws SweepError when a file cannot be written.
void write_sweep_files(const SweepResult& r, const std::string& dir);

}  // namespace failsim::sweep
