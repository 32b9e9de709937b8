// The check command: judges a run folder (see checker/judge.hpp), or runs a
// campaign of random scenarios.
#include "check_command.hpp"

#include <fstream>
#include <iostream>

#include "checker/judge.hpp"
#include "random_campaign.hpp"

namespace failsim::cli {

void add_check_command(CLI::App& app, CheckOptions& o) {
  CLI::App* check = app.add_subcommand("check", "Judge a run folder, or run random scenarios and judge each");
  check->add_option("dir", o.target, "Run folder (written by failsim run)");
  check->add_option("--random", o.random, "Run N generated scenarios, each in its own process, and judge them");
  check->add_option("--seed", o.seed, "Seed of the generated scenarios (the same seed gives the same N)")->capture_default_str();
  check->add_option("--jobs", o.jobs, "Simulations at a time")->check(CLI::Range(1, 256))->capture_default_str();
  check->add_option("--case", o.only_case, "Run only case I of the campaign (to reproduce a failure)");
  check->add_option("--keep", o.keep_dir, "Keep the run folders of failing cases under this folder");
}

int check_command(const CheckOptions& o) {
  if (o.random > 0 || o.only_case) return random_campaign(o, std::cout, std::cerr);
  if (o.target.empty()) {
    std::cerr << "failsim: check needs a run folder, or --random N\n";
    return 2;
  }
  checker::Verdict v;
  try {
    v = checker::judge_run_folder(o.target);
  } catch (const std::exception& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  }
  std::ofstream(o.target + "/verdict.json") << v.to_json().dump(1) << "\n";
  for (const auto& x : v.violations) std::cout << "VIOLATED " << x.property << ": " << x.detail << "\n";
  std::cout << (v.valid() ? "VERDICT: OK" : "VERDICT: VIOLATED") << " - " << v.ops_checked << " changes checked, "
            << v.unknown_ops << " with unknown outcome, " << v.fsck_runs << " fsck runs\n";
  if (!v.not_judged.empty())
    std::cout << "note: " << v.not_judged.size()
              << " client(s) had concurrent requests (open loop); their order is not judged yet\n";
  return v.valid() ? 0 : 1;
}

}  // namespace failsim::cli
