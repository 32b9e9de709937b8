// The check command: judges a run folder (see checker/judge.hpp), or runs a
// campaign of random scenarios.
#include "check_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "checker/judge.hpp"
#include "common/write_file.hpp"
#include "random_campaign.hpp"
#include "run_command.hpp"
#include "reports/run_data.hpp"
#include "reports/write_reports.hpp"
#include "sim/run/run_folder.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

void add_check_command(CLI::App& app, CheckOptions& o) {
  CLI::App* check = app.add_subcommand("check", "Judge a run folder, or run random scenarios and judge each");
  check->add_option("target", o.target, "A run folder to judge, or a scenario file to run and judge");
  check->add_option("--random", o.random, "Run N generated scenarios, each in its own process, and judge them");
  o.seed_option = check->add_option("--seed", o.seed,
                                    "Seed: of the generated scenarios (the same seed gives the same N), or to run a "
                                    "scenario file with instead of its own");
  check->add_option("--jobs", o.jobs, "Simulations at a time")->check(CLI::Range(1, 256))->capture_default_str();
  check->add_option("--case", o.only_case, "Run only case I of the campaign (to reproduce a failure)");
  check->add_option("--keep", o.keep_dir, "Keep the run folders of failing and undecided cases under this folder");
  check->add_flag("!--no-shrink", o.shrink, "Do not shrink the first failing case");
  check->add_option("--search-states", o.search_states,
                    "Budget of the serialization search per namespace part, plus 10 per change (default 2000000); "
                    "a part that needs more is reported undecided");
  check->add_flag("--out-of-envelope", o.out_of_envelope,
                  "Generate cases outside the envelope (both NVRAM copies destroyed); each must report the loss");
  add_wall_limit_option(*check);
}

std::uint64_t search_budget(const CheckOptions& o) {
  return o.search_states > 0 ? o.search_states : checker::default_search_states;
}

int check_command(const CheckOptions& o) {
  if (o.random > 0 || o.only_case) return random_campaign(o, std::cout, std::cerr);
  if (o.target.empty()) {
    std::cerr << "failsim: check needs a run folder, a scenario file, or --random N\n";
    return 2;
  }
  std::string dir = o.target;
  if (!std::filesystem::is_directory(o.target)) {
    // A scenario file: run it, then judge its run folder.
    sim::Scenario s;
    try {
      s = sim::load_scenario_file(o.target);
    } catch (const sim::ScenarioError& e) {
      std::cerr << e.what() << "\n";
      return 2;
    }
    if (o.seed_option->count() > 0) s.seed = o.seed;
    dir = sim::default_run_folder(s);
    try {
      if (int code = sim::run_into_folder(s, dir, true, std::cout); code != 0) return code;
    } catch (const sim::RunFolderError& e) {
      std::cerr << "failsim: " << e.what() << "\n";
      return 2;
    }
  }
  checker::Verdict v;
  try {
    v = checker::judge_run_folder(dir, search_budget(o));
  } catch (const std::exception& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  }
  try {
    write_file(dir + "/verdict.json", v.to_json().dump(1) + "\n");
    reports::write_reports(dir);  // again, now with the verdict in the page
  } catch (const WriteError& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  } catch (const reports::ReportInputError& e) {
    std::cerr << "failsim: the reports could not be rebuilt: " << e.what() << "\n";
  }
  for (const auto& x : v.violations) std::cout << "VIOLATED " << x.property << ": " << x.detail << "\n";
  std::cout << (!v.valid() ? "VERDICT: VIOLATED" : v.undecided.empty() ? "VERDICT: OK" : "VERDICT: OK where decided") << " - " << v.ops_checked << " changes checked, "
            << v.unknown_ops << " with unknown outcome, " << v.fsck_runs << " fsck runs\n";
  for (const auto& part : v.undecided) std::cout << "UNDECIDED " << part << "\n";
  if (!v.valid() && dir != o.target) {
    std::ifstream scenario(dir + "/scenario.json");
    std::cout << "reproduce: failsim check " << o.target << " --seed " << nlohmann::json::parse(scenario)["seed"] << "\n";
  }
  return v.valid() ? 0 : 1;
}

}  // namespace failsim::cli
