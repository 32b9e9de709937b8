// The check command: judges a run folder (see checker/judge.hpp), runs a
// scenario file and judges its folder, runs a campaign of random scenarios,
// or one of a scenario file's points (--exhaustive). An option that does not
// apply to the chosen mode is an error.
#include "check_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "checker/judge.hpp"
#include "common/write_file.hpp"
#include "exit_status.hpp"
#include "exhaustive.hpp"
#include "random_campaign.hpp"
#include "run_command.hpp"
#include "reports/run_data.hpp"
#include "reports/write_reports.hpp"
#include "sim/run/run_folder.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

void add_check_command(CLI::App& app, CheckOptions& o) {
  CLI::App* check = app.add_subcommand("check", "Judge a run folder, or run random scenarios and judge each");
  o.command = check;
  check->footer(exit_status_help);
  check->add_option("target", o.target, "A run folder to judge, or a scenario file to run and judge");
  check->add_option("--random", o.random, "Run N generated scenarios, each in its own process, and judge them");
  o.seed_option = check->add_option("--seed", o.seed,
                                    "Seed: of the generated scenarios (the same seed gives the same N; default: a fresh "
                                    "one, printed first), or to run a scenario file with instead of its own");
  check->add_option("--jobs", o.jobs, "Campaign: simulations at a time")->check(CLI::Range(1, 256))->capture_default_str();
  check->add_option("--case", o.only_case, "Campaign: run only case I (to reproduce a failure)");
  check->add_option("--keep", o.keep_dir,
                    "Campaign: keep the run folders of failing, timed-out and undecided cases under this folder "
                    "(with --case: that case's, whatever its outcome)");
  check->add_flag("!--no-shrink", o.shrink, "Campaign: do not shrink the first violating case");
  check->add_option("--search-states", o.search_states,
                    "Budget of the serialization search per namespace part, plus 10 per change (default 2000000); "
                    "a part that needs more is reported undecided");
  check->add_flag("--out-of-envelope", o.out_of_envelope,
                  "Campaign: generate cases outside the envelope (both NVRAM copies destroyed); each must report "
                  "the loss");
  check->add_flag("--allow-undecided", o.allow_undecided,
                  "Count undecided runs as passed (exit 0 instead of 4 when nothing was violated)");
  check->add_option("--out", o.out, "Scenario file: the run folder to write (default: runs/<scenario>-seed<N>)");
  check->add_flag("--force", o.force, "Scenario file: replace the run folder if it exists");
  check->add_option("--report", o.report_dir, "Campaign: write campaign.json and junit.xml into this folder");
  check->add_flag("--exhaustive", o.exhaustive,
                  "Scenario file: run it once, counting the points each node reaches (mirror writes, replies, "
                  "disk block writes, replay entries), then once per point with a crash (or a torn mirror write) "
                  "there, as a campaign");
  check->add_option("--max-points", o.max_points, "--exhaustive: at most this many cases, spread evenly over the points")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}))
      ->capture_default_str();
  check->add_option("--time-budget", o.time_budget_s,
                    "Campaign: start no new case after this many seconds; the summary then covers the cases run")
      ->check(CLI::PositiveNumber);
  add_wall_limit_option(*check);
}

std::optional<sim::Scenario> load_target_scenario(const CheckOptions& o) {
  try {
    sim::Scenario s = sim::load_scenario_file(o.target);
    if (o.seed_option->count() > 0) s.seed = o.seed;
    return s;
  } catch (const sim::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return std::nullopt;
  }
}

std::uint64_t search_budget(const CheckOptions& o) {
  return o.search_states > 0 ? o.search_states : checker::default_search_states;
}

namespace {

enum class Mode { folder, scenario_file, campaign, exhaustive };

// The options given that `mode` has no use for, as they were spelt.
std::vector<std::string> misplaced_options(const CheckOptions& o, Mode mode) {
  static const std::map<std::string, std::vector<Mode>> applies{
      {"--seed", {Mode::scenario_file, Mode::campaign, Mode::exhaustive}},
      {"--jobs", {Mode::campaign, Mode::exhaustive}},
      {"--case", {Mode::campaign, Mode::exhaustive}},
      {"--keep", {Mode::campaign, Mode::exhaustive}},
      {"--no-shrink", {Mode::campaign}},
      {"--out-of-envelope", {Mode::campaign}},
      {"--report", {Mode::campaign, Mode::exhaustive}},
      {"--time-budget", {Mode::campaign, Mode::exhaustive}},
      {"--max-points", {Mode::exhaustive}},
      {"--out", {Mode::scenario_file}},
      {"--force", {Mode::scenario_file}},
      {"--max-wall-s", {Mode::scenario_file, Mode::campaign, Mode::exhaustive}},
  };
  std::vector<std::string> out;
  if (o.command == nullptr) return out;
  for (const auto& [name, modes] : applies)
    if (o.command->count(name) > 0 && std::find(modes.begin(), modes.end(), mode) == modes.end()) out.push_back(name);
  return out;
}

// The verdict on the terminal: each violation, each expected damage, the
// verdict line, each undecided part.
void print_verdict(const checker::Verdict& v, std::ostream& out) {
  for (const auto& x : v.violations) out << "VIOLATED " << x.property << ": " << x.detail << "\n";
  for (const auto& x : v.expected_violations) out << "EXPECTED " << x.property << ": " << x.detail << "\n";
  const char* line = v.outcome() == checker::Outcome::violated    ? "VERDICT: VIOLATED"
                     : v.outcome() == checker::Outcome::undecided ? "VERDICT: UNDECIDED"
                                                                  : "VERDICT: OK";
  out << line << " - " << v.ops_checked << " changes checked, " << v.unknown_ops << " with unknown outcome, "
      << v.fsck_runs << " fsck runs";
  if (!v.expected_violations.empty()) {
    std::map<std::string, std::size_t> counts;
    for (const auto& x : v.expected_violations) ++counts[x.property];
    out << "; expected damage (the scenario states it):";
    const char* sep = " ";
    for (const auto& [property, n] : counts) out << sep << n << " " << property, sep = ", ";
  }
  out << "\n";
  for (const auto& part : v.undecided) out << "UNDECIDED " << part << "\n";
}

// A campaign: a fresh seed unless one is given, printed first: a CI job
// that runs the campaign on every commit meets new cases each time, and the
// seed line is all it takes to rerun them.
int campaign_command(const CheckOptions& o) {
  CheckOptions campaign_options = o;
  if (o.seed_option->count() == 0) {
    if (o.only_case) {
      std::cerr << "failsim: check --case needs the campaign's --seed\n";
      return exit_bad_input;
    }
    campaign_options.seed = std::random_device{}();
    std::cout << "seed " << campaign_options.seed << " (fresh; --seed " << campaign_options.seed
              << " reruns these cases)\n";
  }
  return random_campaign(campaign_options, std::cout, std::cerr);
}

// A scenario file: run it into `dir` (its run folder), to be judged next.
int run_scenario_file(const CheckOptions& o, std::string& dir) {
  const std::optional<sim::Scenario> loaded = load_target_scenario(o);
  if (!loaded) return exit_bad_input;
  const sim::Scenario& s = *loaded;
  dir = o.out.empty() ? sim::default_run_folder(s) : o.out;
  try {
    return sim::run_into_folder(s, dir, o.force, std::cout);
  } catch (const sim::RunFolderError& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return exit_bad_input;
  }
}

}  // namespace

int check_command(const CheckOptions& o) {
  if (o.exhaustive && (o.target.empty() || o.random > 0 || std::filesystem::is_directory(o.target))) {
    std::cerr << "failsim: check --exhaustive needs a scenario file, and no --random\n";
    return exit_bad_input;
  }
  const bool campaign = !o.exhaustive && (o.random > 0 || o.only_case);
  if (campaign && !o.target.empty()) {
    std::cerr << "failsim: check --random takes no run folder or scenario file (" << o.target << ")\n";
    return exit_bad_input;
  }
  if (!campaign && o.target.empty()) {
    std::cerr << "failsim: check needs a run folder, a scenario file, or --random N\n";
    return exit_bad_input;
  }
  const Mode mode = o.exhaustive                              ? Mode::exhaustive
                    : campaign                                ? Mode::campaign
                    : std::filesystem::is_directory(o.target) ? Mode::folder
                                                              : Mode::scenario_file;
  if (const auto bad = misplaced_options(o, mode); !bad.empty()) {
    const char* what = mode == Mode::campaign     ? "a campaign (--random)"
                       : mode == Mode::exhaustive ? "a scenario file with --exhaustive"
                       : mode == Mode::folder     ? "a run folder"
                                                  : "a scenario file";
    std::cerr << "failsim: check of " << what << " does not take";
    for (std::size_t i = 0; i < bad.size(); ++i) std::cerr << (i ? ", " : " ") << bad[i];
    std::cerr << "\n";
    return exit_bad_input;
  }
  if (mode == Mode::campaign) return campaign_command(o);
  if (mode == Mode::exhaustive) return exhaustive_check(o);
  std::string dir = o.target;
  if (mode == Mode::scenario_file)
    if (int code = run_scenario_file(o, dir); code != 0) return code;
  checker::Verdict v;
  try {
    v = checker::judge_run_folder(dir, search_budget(o));
  } catch (const std::exception& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return exit_bad_input;
  }
  try {
    write_file(dir + "/verdict.json", v.to_json().dump(1) + "\n");
    reports::write_reports(dir);  // again, now with the verdict in the page
  } catch (const WriteError& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const reports::ReportInputError& e) {
    std::cerr << "failsim: the reports could not be rebuilt: " << e.what() << "\n";
  }
  print_verdict(v, std::cout);
  if (v.outcome() != checker::Outcome::held && mode == Mode::scenario_file) {
    std::ifstream scenario(dir + "/scenario.json");
    std::cout << "reproduce: failsim check " << o.target << " --seed " << nlohmann::json::parse(scenario)["seed"]
              << (o.out.empty() ? "" : " --out " + o.out) << " --force\n";
  }
  if (v.outcome() == checker::Outcome::undecided && o.allow_undecided) return exit_held;
  return exit_status_of(v.outcome());
}

}  // namespace failsim::cli
