// `failsim run [FILE] [--seed N] [--out DIR] [--force]`: runs a scenario (no
// FILE: the embedded default) into a run folder.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace failsim::cli {

struct RunOptions {
  std::string file;
  std::optional<std::uint64_t> seed;
  std::string out;
  bool force = false;
};

void add_run_command(CLI::App& app, RunOptions& options);
int run_command(const RunOptions& options);

}  // namespace failsim::cli
