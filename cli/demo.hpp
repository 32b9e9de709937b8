// `failsim demo`: the core on the in-memory driver, start to verdict: a pair
// of nodes under a mixed workload, one node crashes, its partner takes over
// (or it restarts), giveback, and the exactly-once verdict.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>

namespace failsim::cli {

struct DemoOptions {
  std::uint64_t seed = 1;
  std::string log_mode = "request";
  std::string recovery = "takeover";
  int clients = 4;
  int ops_per_client = 100;
  int plexes = 2;
  std::uint64_t crash_at_action = 200;
  bool verbose = false;
};

void add_demo_command(CLI::App& app, DemoOptions& options);
// Returns the exit status: 0 verdict holds, 1 a property was violated.
int run_demo(const DemoOptions& options, std::ostream& out);

}  // namespace failsim::cli
