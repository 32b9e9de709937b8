// The check command: today the exactly-once and results checks of private
// namespaces (the checker issue extends it).
#include "check_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "checker/exactly_once.hpp"

namespace failsim::cli {

namespace fs = std::filesystem;
using nlohmann::json;

void add_check_command(CLI::App& app, CheckOptions& o) {
  CLI::App* check = app.add_subcommand("check", "Judge a run folder: every acknowledged change applied exactly once");
  check->add_option("dir", o.target, "Run folder (written by failsim run)")->required();
}

int check_command(const CheckOptions& o) {
  const fs::path dir(o.target);
  json final_state;
  std::map<model::ClientId, std::vector<checker::ClientOp>> history;
  try {
    if (!fs::is_directory(dir)) throw checker::HistoryError(o.target + ": not a run folder");
    std::ifstream in(dir / "final-state.json");
    if (!in) throw checker::HistoryError((dir / "final-state.json").string() + ": cannot read");
    final_state = json::parse(in);
    history = checker::read_history((dir / "history.jsonl").string());
  } catch (const std::exception& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  }
  auto report = checker::check_private_namespaces(history, final_state);
  json violations = json::array();
  for (const auto& v : report.violations) violations.push_back({{"property", v.property}, {"detail", v.detail}});
  json verdict{{"valid", report.violations.empty()},
               {"ops_checked", report.ops_checked},
               {"unknown_ops", report.unknown_ops},
               {"violations", violations}};
  std::ofstream(dir / "verdict.json") << verdict.dump(1) << "\n";
  for (const auto& v : report.violations) std::cout << "VIOLATED " << v.property << ": " << v.detail << "\n";
  std::cout << (report.violations.empty() ? "VERDICT: OK" : "VERDICT: VIOLATED") << " - " << report.ops_checked
            << " changes checked, " << report.unknown_ops << " with unknown outcome\n";
  return report.violations.empty() ? 0 : 1;
}

}  // namespace failsim::cli
