// The failsim command line. Exit statuses (cli/exit_status.hpp): 0 every
// property held, 1 a property was violated, 2 bad input, 3 failsim itself
// failed or a simulation hit the wall-clock limit, 4 undecided with
// nothing violated, 130/143 interrupted.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "check_command.hpp"
#include "exit_status.hpp"
#include "demo.hpp"
#include "report_command.hpp"
#include "run_command.hpp"
#include "sweep_command.hpp"
#include "validate_command.hpp"
#include "common/build_info.hpp"
#include "common/interrupts.hpp"
#include "common/terminal_text.hpp"
#include "sim/scenario/problems.hpp"
#include "sim/scenario/scenario_json.hpp"
#include "sweep/sweep_schema.hpp"

int main(int argc, char** argv) {
  failsim::install_terminal_safe_output();
  failsim::install_interrupt_handling();
  CLI::App app{"failsim: simulator and verification testbed for clustered file-server failover"};
  app.require_subcommand(1);
  app.footer(failsim::cli::exit_status_help);
  // The project version, and the commit of the checkout it was built from:
  // the build string every result file records (common/build_info.hpp).
  app.set_version_flag("--version", failsim::build_name());
  failsim::cli::DemoOptions demo;
  failsim::cli::add_demo_command(app, demo);
  failsim::cli::RunOptions run;
  failsim::cli::add_run_command(app, run);
  std::vector<std::string> validate_files;
  app.add_subcommand("validate", "Check scenario files and sweep files without running them")
      ->add_option("files", validate_files, "Scenario or sweep files (JSON)")
      ->required();
  auto* schema = app.add_subcommand("schema", "Print the JSON Schema of scenario files");
  bool defaults = false, sweep_schema = false;
  auto* defaults_flag =
      schema->add_flag("--defaults", defaults, "Print the default scenario instead: every field with its default");
  schema->add_flag("--sweep", sweep_schema, "Print the JSON Schema of sweep files instead")->excludes(defaults_flag);
  failsim::cli::CheckOptions check;
  failsim::cli::add_check_command(app, check);
  failsim::cli::ReportOptions report;
  failsim::cli::add_report_command(app, report);
  failsim::cli::SweepOptions sweep;
  failsim::cli::add_sweep_command(app, sweep);
  // An unknown command is named, with the nearest one, rather than left to
  // the parser's "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      std::cerr << "failsim: unknown command '" << argv[1] << "'" << failsim::sim::detail::suggestion(argv[1], names)
                << "; the commands: ";
      for (std::size_t i = 0; i < names.size(); ++i) std::cerr << (i ? ", " : "") << names[i];
      std::cerr << "\n";
      return failsim::cli::exit_bad_input;
    }
  }
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
    const nlohmann::json printed = defaults       ? failsim::sim::to_json(failsim::sim::Scenario{})
                                   : sweep_schema ? failsim::sweep::sweep_schema()
                                                  : failsim::sim::scenario_schema();
    std::cout << printed.dump(2) << "\n";
    return 0;
  }
  if (app.got_subcommand("validate")) return failsim::cli::validate_command(validate_files, std::cout, std::cerr);
  if (app.got_subcommand("check")) return failsim::cli::check_command(check);
  if (app.got_subcommand("report")) return failsim::cli::report_command(report, std::cout, std::cerr);
  if (app.got_subcommand("sweep")) return failsim::cli::sweep_command(sweep);
  return 2;
}
