// `failsim run [FILE] [--seed N] [--out DIR] [--force] [--check-determinism]
// [--max-wall-s S]`: runs a scenario (no FILE: the embedded default) into a
// run folder.
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
  bool check_determinism = false;
};

void add_run_command(CLI::App& app, RunOptions& options);
int run_command(const RunOptions& options);

// `--max-wall-s` on a subcommand that forks simulations.
void add_wall_limit_option(CLI::App& command);

}  // namespace failsim::cli
