// The failsim command line. Exit status: 0 all properties held, 1 a property
// was violated, 2 bad input, 3 an internal error of failsim (or the wall-clock
// limit), 4 undecided (a search ran out of its budget).
#include <CLI/CLI.hpp>

#include <iostream>

#include "check_command.hpp"
#include "demo.hpp"
#include "report_command.hpp"
#include "run_command.hpp"
#include "sweep_command.hpp"
#include "common/terminal_text.hpp"
#include "sim/scenario/scenario_json.hpp"

int main(int argc, char** argv) {
  failsim::install_terminal_safe_output();
  CLI::App app{"failsim: simulator and verification testbed for clustered file-server failover"};
  app.require_subcommand(1);
  failsim::cli::DemoOptions demo;
  failsim::cli::add_demo_command(app, demo);
  failsim::cli::RunOptions run;
  failsim::cli::add_run_command(app, run);
  std::vector<std::string> validate_files;
  app.add_subcommand("validate", "Check scenario files without running them")
      ->add_option("files", validate_files, "Scenario files (JSON)")
      ->required();
  auto* schema = app.add_subcommand("schema", "Print the JSON Schema of scenario files");
  bool defaults = false;
  schema->add_flag("--defaults", defaults, "Print the default scenario instead: every field with its default");
  failsim::cli::CheckOptions check;
  failsim::cli::add_check_command(app, check);
  failsim::cli::ReportOptions report;
  failsim::cli::add_report_command(app, report);
  failsim::cli::SweepOptions sweep;
  failsim::cli::add_sweep_command(app, sweep);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  if (app.got_subcommand("demo")) return failsim::cli::run_demo(demo, std::cout);
  if (app.got_subcommand("run")) return failsim::cli::run_command(run);
  if (app.got_subcommand(schema)) {
    std::cout << (defaults ? failsim::sim::to_json(failsim::sim::Scenario{}) : failsim::sim::scenario_schema()).dump(2)
              << "\n";
    return 0;
  }
  if (app.got_subcommand("validate")) return failsim::sim::validate_command(validate_files, std::cout, std::cerr);
  if (app.got_subcommand("check")) return failsim::cli::check_command(check);
  if (app.got_subcommand("report")) return failsim::cli::report_command(report, std::cout, std::cerr);
  if (app.got_subcommand("sweep")) return failsim::cli::sweep_command(sweep);
  return 2;
}
