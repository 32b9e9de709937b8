// End-to-end runs of the simulator: a run folder with every file, the same
// seed giving byte-identical folders, takeover and giveback in both
// directions, the final CP and the disk image it leaves.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/exactly_once.hpp"
#include "runfolder/event_reader.hpp"
#include "sim/run/run_folder.hpp"

namespace failsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

sim::Scenario crash_scenario(const std::string& victim, std::uint64_t seed) {
  sim::Scenario s;
  s.name = "crash-" + victim;
  s.seed = seed;
  s.workload.clients = 4;
  s.workload.ops_per_client = 200;
  s.faults.push_back({.at_s = 0.3, .params = sim::NodeCrash{.node = victim, .duration_s = 1.0}});
  s.phases.fault_phase_s = 2;
  s.phases.settle_s = 20;
  s.server.boot_time_s = 1.0;
  return s;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fresh_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("failsim-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

std::vector<runfolder::Event> events(const fs::path& dir) { return runfolder::read_events((dir / "events.jsonl").string()); }

TEST(SimRun, WritesACompleteRunFolder) {
  auto dir = fresh_dir("complete");
  std::ostringstream out;
  ASSERT_EQ(sim::run_into_folder(crash_scenario("n0", 1), dir.string(), false, out), 0) << out.str();
  for (const char* f : {"history.jsonl", "events.jsonl", "final-state.json", "memory-state.json", "summary.json"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  json summary = json::parse(slurp(dir / "summary.json"));
  EXPECT_EQ(summary["ops"]["issued"], 800);
  EXPECT_EQ(summary["ops"]["answered"].get<int>() + summary["ops"]["unknown"].get<int>(), 800);
  json final_state = json::parse(slurp(dir / "final-state.json"));
  EXPECT_TRUE(final_state["aggregates"].contains("aggr0"));
  EXPECT_TRUE(final_state["aggregates"]["aggr0"].contains("/c1"));
  // An existing folder is not overwritten without force.
  EXPECT_THROW(sim::run_into_folder(crash_scenario("n0", 1), dir.string(), false, out), sim::RunFolderError);
  fs::remove_all(dir);
}

TEST(SimRun, TheSameSeedGivesByteIdenticalRunFolders) {
  auto a = fresh_dir("det-a"), b = fresh_dir("det-b"), c = fresh_dir("det-c");
  std::ostringstream out;
  ASSERT_EQ(sim::run_into_folder(crash_scenario("n0", 7), a.string(), false, out), 0);
  ASSERT_EQ(sim::run_into_folder(crash_scenario("n0", 7), b.string(), false, out), 0);
  ASSERT_EQ(sim::run_into_folder(crash_scenario("n0", 8), c.string(), false, out), 0);
  std::uint64_t bytes = 0;
  EXPECT_EQ(sim::folder_differences(a.string(), b.string(), &bytes), std::vector<std::string>{});
  EXPECT_GT(bytes, 10000u);
  // What `failsim run --check-determinism` reports when runs differ.
  const auto diffs = sim::folder_differences(a.string(), c.string());
  ASSERT_FALSE(diffs.empty());
  EXPECT_NE(std::find_if(diffs.begin(), diffs.end(), [](const std::string& d) {
              return d.starts_with("history.jsonl: differs from byte ");
            }), diffs.end());
  std::ofstream(b / "extra.txt") << "x";
  EXPECT_EQ(sim::folder_differences(a.string(), b.string()), std::vector<std::string>{"extra.txt: only in the second run"});
  fs::remove_all(a);
  fs::remove_all(b);
  fs::remove_all(c);
}

TEST(SimRun, TakeoverAndGivebackInBothDirections) {
  for (std::string victim : {"n0", "n1"}) {
    const std::string survivor = victim == "n0" ? "n1" : "n0";
    const std::string aggr = victim == "n0" ? "aggr0" : "aggr1";
    auto dir = fresh_dir("both-" + victim);
    std::ostringstream out;
    ASSERT_EQ(sim::run_into_folder(crash_scenario(victim, 3), dir.string(), false, out), 0);
    bool taken_over = false, given_back = false;
    for (const runfolder::Event& e : events(dir)) {
      if (e.kind != runfolder::EventKind::serve || e.aggregate() != aggr) continue;
      if (e.node == survivor) taken_over = true;
      if (taken_over && e.node == victim) given_back = true;
    }
    EXPECT_TRUE(taken_over) << victim;
    EXPECT_TRUE(given_back) << victim;
    json summary = json::parse(slurp(dir / "summary.json"));
    EXPECT_EQ(summary["takeover_s"].size(), 1u);
    EXPECT_TRUE(summary["unserved_aggregates"].empty());
    // Every acknowledged change applied exactly once, in each client's order.
    auto report = checker::check_exactly_once(checker::read_history((dir / "history.jsonl").string()),
                                              json::parse(slurp(dir / "final-state.json")), false);
    EXPECT_EQ(report.ops_checked, 800u);
    for (const auto& v : report.violations) ADD_FAILURE() << v.property << ": " << v.detail;
    fs::remove_all(dir);
  }
}

// After the run's end (the world's "end" event, where liveness is judged)
// each node's core takes its next CP as usual, and the run waits for it:
// final-state.json is then the disks' image, loaded without the log, and
// equals what the serving nodes hold in memory (memory-state.json).
TEST(SimRun, TheFinalCpFlushesEveryAggregateAndItsImageEqualsMemory) {
  sim::Scenario s;
  s.name = "final-cp";
  s.workload.clients = 4;
  s.workload.ops_per_client = 100;
  s.server.cp_interval_s = 8;  // the clients finish long before the first timed CP
  s.phases.fault_phase_s = 1;
  s.phases.settle_s = 20;
  auto dir = fresh_dir("final-cp");
  std::ostringstream out;
  ASSERT_EQ(sim::run_into_folder(s, dir.string(), false, out), 0) << out.str();
  double end_s = -1;
  std::map<std::string, double> flushed_at;  // aggregate -> its final_cp event
  std::set<std::string> cp_after_end;
  using runfolder::EventKind;
  for (const runfolder::Event& e : events(dir)) {
    if (const auto* end = e.get<runfolder::End>()) {
      end_s = e.time_s;
      EXPECT_TRUE(end->clients_done);
    }
    if (end_s >= 0 && e.kind == EventKind::cp_finished) cp_after_end.insert(std::string(e.aggregate()));
    if (const auto* final_cp = e.get<runfolder::FinalCp>()) {
      EXPECT_TRUE(final_cp->flushed) << final_cp->aggregate;
      EXPECT_EQ(e.node, final_cp->aggregate == "aggr0" ? "n0" : "n1");
      flushed_at[final_cp->aggregate] = e.time_s;
    }
  }
  ASSERT_GE(end_s, 0);
  EXPECT_LT(end_s, 8.0);
  EXPECT_EQ(cp_after_end, (std::set<std::string>{"aggr0", "aggr1"}));  // a CP ran after the end, as usual
  ASSERT_EQ(flushed_at.size(), 2u);
  for (const auto& [aggr, t] : flushed_at) EXPECT_GT(t, 8.0) << aggr;  // it waited for that CP
  json disk = json::parse(slurp(dir / "final-state.json"));
  json memory = json::parse(slurp(dir / "memory-state.json"));
  EXPECT_EQ(disk, memory);
  EXPECT_TRUE(disk["aggregates"]["aggr0"].contains("/c1"));
  EXPECT_TRUE(disk["aggregates"]["aggr1"].contains("/c2"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace failsim
