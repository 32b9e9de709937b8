// Reading a run folder and running every check on it.
#include "judge.hpp"

#include <filesystem>
#include <fstream>

#include "checker/event_checks.hpp"

namespace failsim::checker {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
json read_json(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw HistoryError(p.string() + ": cannot read");
  try {
    return json::parse(in);
  } catch (const std::exception& e) {
    throw HistoryError(p.string() + ": " + e.what());
  }
}
}  // namespace

json Verdict::to_json() const {
  json v = json::array();
  for (const auto& x : violations) v.push_back({{"property", x.property}, {"detail", x.detail}});
  return {{"valid", valid()},       {"ops_checked", ops_checked}, {"unknown_ops", unknown_ops},
          {"fsck_runs", fsck_runs}, {"clients_not_judged", not_judged}, {"violations", v}};
}

Verdict judge_run_folder(const std::string& dir_name) {
  const fs::path dir(dir_name);
  if (!fs::is_directory(dir)) throw HistoryError(dir_name + ": not a run folder");
  const json final_state = read_json(dir / "final-state.json");
  const json summary = read_json(dir / "summary.json");
  auto history = read_history((dir / "history.jsonl").string());
  EventReport events = check_events((dir / "events.jsonl").string());
  ExactlyOnceReport once = check_private_namespaces(history, final_state);

  Verdict v;
  v.violations = std::move(once.violations);
  v.violations.insert(v.violations.end(), events.violations.begin(), events.violations.end());
  for (const auto& aggr : summary.value("unserved_aggregates", json::array()))
    v.violations.push_back({"liveness", aggr.get<std::string>() + " is not served at the end of the run"});
  v.ops_checked = once.ops_checked;
  v.unknown_ops = once.unknown_ops;
  v.fsck_runs = events.fsck_runs;
  v.not_judged = std::move(once.not_judged);
  return v;
}

}  // namespace failsim::checker
