// The run command, and its determinism self-check: the same scenario run
// twice must give the same bytes in every file of its run folder.
#include "run_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/wall_limit.hpp"
#include "common/write_file.hpp"
#include "reports/run_data.hpp"
#include "reports/write_reports.hpp"
#include "sim/run/run_folder.hpp"
#include "sim/scenario/default_scenario.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

namespace fs = std::filesystem;

void add_wall_limit_option(CLI::App& command) {
  // Only values the interval timer applies as given: NaN, values that
  // overflow its seconds (1e300) and values below its microsecond (which it
  // reads as 0, "no timer") would silently disable the limit.
  const CLI::Validator applicable(
      [](std::string& text) -> std::string {
        double s = 0;
        try {
          std::size_t used = 0;
          s = std::stod(text, &used);
          if (used != text.size()) return "expected a number of seconds, found " + text;
        } catch (const std::exception&) {
          return "expected a number of seconds, found " + text;
        }
        if (s == 0 || (s >= min_wall_limit_s && s <= max_wall_limit_s)) return "";
        return "expected 0 (no limit) or " + std::to_string(min_wall_limit_s).substr(0, 5) + " to " +
               std::to_string(static_cast<long long>(max_wall_limit_s)) + " seconds, found " + text;
      },
      "0 or 0.001 to 1e8 seconds");
  command
      .add_option_function<double>(
          "--max-wall-s", [](double s) { set_wall_limit_s(s); },
          "Wall-clock limit of each simulation in seconds; one that runs longer is stopped with an error (0: none; "
          "default " +
              std::to_string(static_cast<int>(default_wall_limit_s)) + ")")
      ->check(applicable);
}

void add_run_command(CLI::App& app, RunOptions& o) {
  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its run folder");
  run->add_option("file", o.file, "Scenario file (JSON); none: the embedded default scenario");
  run->add_option("--seed", o.seed, "Seed of every random choice (default: the scenario's)");
  run->add_option("--out", o.out, "Run folder to write (default: runs/<scenario>-seed<N>)");
  run->add_flag("--force", o.force, "Replace the run folder if it exists");
  run->add_flag("--check-determinism", o.check_determinism,
                "Run the scenario a second time and compare every file of the two run folders byte for byte "
                "(exit 1 when they differ)");
  add_wall_limit_option(*run);
}

namespace {

int run_twice_and_compare(const sim::Scenario& s, const std::string& file, const std::string& out, bool force) {
  const auto reports = [](const std::string& dir) { reports::write_reports(dir); };
  std::ostringstream first_text, second_text;
  if (int code = sim::run_into_folder(s, out, force, first_text, reports); code != 0) return code;
  std::cout << first_text.str();
  const std::string again = out + ".determinism-check";
  if (int code = sim::run_into_folder(s, again, true, second_text, reports); code != 0) return code;
  std::uint64_t bytes = 0;
  std::vector<std::string> diffs = sim::folder_differences(out, again, &bytes);
  // The text names its run folder; the rest must match.
  std::string second = second_text.str();
  for (auto at = second.find(again); at != std::string::npos; at = second.find(again, at + out.size()))
    second.replace(at, again.size(), out);
  if (second != first_text.str()) diffs.push_back("the printed summary differs");
  std::error_code ec;
  fs::remove_all(again, ec);
  if (diffs.empty()) {
    std::cout << "determinism: two runs wrote the same " << sim::files_under(out).size() << " files (" << bytes
              << " bytes), byte for byte\n";
    return 0;
  }
  std::cout << "NOT DETERMINISTIC: two runs of the same scenario and seed differ:\n";
  for (const auto& d : diffs) std::cout << "  " << d << "\n";
  std::cout << "reproduce: failsim run " << (file.empty() ? "" : file + " ") << "--seed " << s.seed
            << " --check-determinism --force --out " << out << "\n";
  return 1;
}

}  // namespace

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
  const std::string out = o.out.empty() ? sim::default_run_folder(s) : o.out;
  try {
    if (o.check_determinism) return run_twice_and_compare(s, o.file, out, o.force);
    // The reports go into the temporary folder: a run folder is never seen without them.
    return sim::run_into_folder(s, out, o.force, std::cout, [](const std::string& dir) { reports::write_reports(dir); });
  } catch (const sim::RunFolderError& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  } catch (const WriteError& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  } catch (const reports::ReportInputError& e) {
    // The simulator wrote a folder its own reports cannot read: failsim's fault.
    std::cerr << "failsim: internal error writing the reports: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace failsim::cli
