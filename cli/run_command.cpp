// The run command.
#include "run_command.hpp"

#include <iostream>

#include "sim/run/run_folder.hpp"
#include "sim/scenario/scenario.hpp"

namespace failsim::cli {

namespace {
// The embedded default: a pair under a mixed workload; n0 crashes at 3 s and
// powers on again at 7 s; n1 takes over, then gives the aggregate back.
sim::Scenario default_scenario() {
  sim::Scenario s;
  s.name = "default";
  s.description = "A pair under a mixed workload; n0 crashes mid-run, n1 takes over, giveback (claims 77-84)";
  sim::FaultSpec crash;
  crash.kind = "node_crash";
  crash.node = "n0";
  crash.at_s = 3.0;
  crash.duration_s = 4.0;
  s.faults.push_back(crash);
  return s;
}
}  // namespace

void add_run_command(CLI::App& app, RunOptions& o) {
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its run folder");
  run->add_option("file", o.file, "Scenario file (JSON); none: the embedded default scenario");
  run->add_option("--seed", o.seed, "Seed of every random choice (default: the scenario's)");
  run->add_option("--out", o.out, "Run folder to write (default: runs/<scenario>-seed<N>)");
  run->add_flag("--force", o.force, "Replace the run folder if it exists");
}

int run_command(const RunOptions& o) {
  sim::Scenario s;
  if (o.file.empty()) {
    s = default_scenario();
  } else {
    std::cerr << "failsim: " << o.file << ": scenario files are not read yet (the parser is not in this build)\n";
    return 2;
  }
  if (o.seed) s.seed = *o.seed;
  const std::string out = o.out.empty() ? "runs/" + s.name + "-seed" + std::to_string(s.seed) : o.out;
  try {
    return sim::run_into_folder(s, out, o.force, std::cout);
  } catch (const sim::RunFolderError& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace failsim::cli
