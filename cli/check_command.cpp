// The check command: exactly-once and results of private namespaces, fsck
// after every CP and crash, split brain, aggregates served at the end.
#include "check_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "checker/event_checks.hpp"
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
  json final_state, summary;
  std::map<model::ClientId, std::vector<checker::ClientOp>> history;
  checker::EventReport events;
  try {
    if (!fs::is_directory(dir)) throw checker::HistoryError(o.target + ": not a run folder");
    std::ifstream in(dir / "final-state.json");
    if (!in) throw checker::HistoryError((dir / "final-state.json").string() + ": cannot read");
    final_state = json::parse(in);
    history = checker::read_history((dir / "history.jsonl").string());
    events = checker::check_events((dir / "events.jsonl").string());
    std::ifstream sin(dir / "summary.json");
    if (!sin) throw checker::HistoryError((dir / "summary.json").string() + ": cannot read");
    summary = json::parse(sin);
  } catch (const std::exception& e) {
    std::cerr << "failsim: " << e.what() << "\n";
    return 2;
  }
  auto report = checker::check_private_namespaces(history, final_state);
  report.violations.insert(report.violations.end(), events.violations.begin(), events.violations.end());
  for (const auto& aggr : summary.value("unserved_aggregates", json::array()))
    report.violations.push_back({"liveness", aggr.get<std::string>() + " is not served at the end of the run"});
  json violations = json::array();
  for (const auto& v : report.violations) violations.push_back({{"property", v.property}, {"detail", v.detail}});
  json verdict{{"valid", report.violations.empty()},
               {"ops_checked", report.ops_checked},
               {"unknown_ops", report.unknown_ops},
               {"fsck_runs", events.fsck_runs},
               {"violations", violations}};
  std::ofstream(dir / "verdict.json") << verdict.dump(1) << "\n";
  for (const auto& v : report.violations) std::cout << "VIOLATED " << v.property << ": " << v.detail << "\n";
  std::cout << (report.violations.empty() ? "VERDICT: OK" : "VERDICT: VIOLATED") << " - " << report.ops_checked
            << " changes checked, " << report.unknown_ops << " with unknown outcome, " << events.fsck_runs
            << " fsck runs\n";
  return report.violations.empty() ? 0 : 1;
}

}  // namespace failsim::cli
