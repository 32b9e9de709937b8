// The run command.
#include "run_command.hpp"

#include <iostream>

#include "reports/run_data.hpp"
#include "reports/write_reports.hpp"
#include "sim/run/run_folder.hpp"
#include "sim/scenario/default_scenario.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

void add_run_command(CLI::App& app, RunOptions& o) {
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its run folder");
  run->add_option("file", o.file, "Scenario file (JSON); none: the embedded default scenario");
  run->add_option("--seed", o.seed, "Seed of every random choice (default: the scenario's)");
  run->add_option("--out", o.out, "Run folder to write (default: runs/<scenario>-seed<N>)");
  run->add_flag("--force", o.force, "Replace the run folder if it exists");
}

int run_command(const RunOptions& o) {
  sim::Scenario s;
  try {
    s = o.file.empty() ? sim::parse_scenario(sim::default_scenario_json, "(embedded default scenario)")
                       : sim::load_scenario_file(o.file);
  } catch (const sim::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (o.seed) s.seed = *o.seed;
  const std::string out = o.out.empty() ? "runs/" + s.name + "-seed" + std::to_string(s.seed) : o.out;
  try {
    // The reports go into the temporary folder: a run folder is never seen without them.
    return sim::run_into_folder(s, out, o.force, std::cout, [](const std::string& dir) { reports::write_reports(dir); });
  } catch (const sim::RunFolderError& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  } catch (const reports::ReportInputError& e) {
    // The simulator wrote a folder its own reports cannot read: failsim's fault.
    std::cerr << "failsim: internal error writing the reports: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace failsim::cli
