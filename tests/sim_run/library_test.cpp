// Every scenario in scenarios/ validates, runs to a complete run folder, and
// is judged valid: every acknowledged change applied exactly once, fsck
// clean after every CP and crash, no split brain, every aggregate served at
// the end - and a takeover happens exactly when the scenario expects one;
// an out-of-envelope scenario shows the loss it expects, and nothing else.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/judge.hpp"
#include "runfolder/event_reader.hpp"
#include "sim/run/run_folder.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> library() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(FAILSIM_SCENARIO_DIR))
    if (e.path().extension() == ".json" && e.path().filename() != "scenario.schema.json")
      files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

class Library : public ::testing::TestWithParam<std::string> {};

TEST_P(Library, RunsAndHoldsEveryProperty) {
  const std::string file = std::string(FAILSIM_SCENARIO_DIR) + "/" + GetParam();
  sim::Scenario s = sim::load_scenario_file(file);
  EXPECT_FALSE(s.description.empty()) << "each library scenario says what it shows and which claims";
  const fs::path dir = fs::temp_directory_path() / ("failsim-lib-" + s.name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::ostringstream text;
  ASSERT_EQ(sim::run_into_folder(s, dir.string(), false, text), 0) << text.str();
  checker::Verdict v = checker::judge_run_folder(dir.string());
  for (const auto& x : v.violations) ADD_FAILURE() << s.name << ": " << x.property << ": " << x.detail;
  // A scenario that expects lost changes is judged only up to each client's
  // first divergent result (the judge has already required the loss); one
  // that expects aggregates lost does not judge the changes on them.
  if (!s.expect.data_loss && s.expect.lost_aggregates.empty()) {
    EXPECT_EQ(v.ops_checked, s.workload.ops_per_client * s.workload.clients);
  }
  EXPECT_TRUE(v.undecided.empty());

  bool takeover = false;
  for (const runfolder::Event& e : runfolder::read_events((dir / "events.jsonl").string())) {
    if (e.kind != runfolder::EventKind::serve) continue;
    for (const auto& a : s.cluster.aggregates)
      if (a.name == e.aggregate() && a.owner != e.node) takeover = true;
  }
  if (s.expect.takeover) {
    EXPECT_EQ(takeover, *s.expect.takeover) << s.name;
  }
  bool crashes = false;
  for (const auto& f : s.faults)
    crashes = crashes || f.kind() == sim::FaultKind::node_crash || f.kind() == sim::FaultKind::crash_at_cp_block ||
              f.kind() == sim::FaultKind::crash_before_mirror || f.kind() == sim::FaultKind::crash_after_mirror ||
              f.kind() == sim::FaultKind::crash_after_reply ||
              f.kind() == sim::FaultKind::crash_during_replay;
  if (!s.expect.takeover && crashes) {
    EXPECT_TRUE(takeover) << s.name << ": a crash should lead to a takeover";
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Library, ::testing::ValuesIn(library()), [](const auto& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

}  // namespace
}  // namespace failsim
