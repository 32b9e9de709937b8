// `failsim sweep SWEEPFILE [--jobs J] [--out DIR] [--force] [--shard K/N]
// [--keep-runs]` runs a base scenario over a grid of parameters and seeds
// into a sweep folder; `failsim sweep --merge DIR... [--out DIR]` joins
// shard folders into the folder one unsharded run writes. Exit 0 when every
// run held, 1 when a run violated a property, 2 on bad input, 3 when a
// simulation died.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace failsim::cli {

struct SweepOptions {
  std::string file;
  int jobs = 1;
  std::string out;
  bool force = false;
  std::string shard;  // "K/N"
  bool keep_runs = false;
  std::vector<std::string> merge;
  std::uint64_t search_states = 0;
};

void add_sweep_command(CLI::App& app, SweepOptions& options);
int sweep_command(const SweepOptions& options);

}  // namespace failsim::cli
