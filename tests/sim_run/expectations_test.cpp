// The checker holds a run to the expectations its scenario states (expect.*):
// a takeover or none, a maximum takeover time, and for out-of-envelope
// scenarios the damage they must show (lost changes, split brain). The
// damage cases edit a real run folder, so the judge sees exactly one loss.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/judge.hpp"
#include "sim/run/run_folder.hpp"

namespace failsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

sim::Scenario crash_scenario(const std::string& name) {
  sim::Scenario s;
  s.name = name;
  s.seed = 5;
  s.workload.clients = 2;
  s.workload.ops_per_client = 300;
  s.phases.fault_phase_s = 3;
  s.phases.settle_s = 30;
  sim::FaultSpec crash;
  crash.kind = "node_crash";
  crash.node = "n0";
  crash.at_s = 0.5;
  crash.duration_s = 1.0;
  s.faults.push_back(crash);
  return s;
}

fs::path run(const sim::Scenario& s) {
  fs::path dir = fs::temp_directory_path() / ("failsim-expect-" + s.name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::ostringstream text;
  EXPECT_EQ(sim::run_into_folder(s, dir.string(), false, text), 0) << text.str();
  return dir;
}

json read(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}
void write(const fs::path& p, const json& j) { std::ofstream(p) << j.dump() << "\n"; }

std::vector<std::string> properties(const checker::Verdict& v) {
  std::vector<std::string> out;
  for (const auto& x : v.violations) out.push_back(x.property + ": " + x.detail);
  return out;
}

TEST(Expectations, TheRunMeetsWhatItsScenarioStates) {
  auto s = crash_scenario("meets");
  s.expect.takeover = true;
  s.expect.max_takeover_s = 5.0;
  s.expect.max_outage_s = 5.0;
  auto v = checker::judge_run_folder(run(s).string());
  EXPECT_TRUE(v.valid()) << ::testing::PrintToString(properties(v));
}

TEST(Expectations, ATakeoverTheScenarioRulesOutIsAViolation) {
  auto s = crash_scenario("no-takeover");
  s.expect.takeover = false;
  auto v = checker::judge_run_folder(run(s).string());
  ASSERT_EQ(v.violations.size(), 1u) << ::testing::PrintToString(properties(v));
  EXPECT_EQ(v.violations[0].property, "expectation");
  EXPECT_NE(v.violations[0].detail.find("expects none"), std::string::npos);
}

TEST(Expectations, ATakeoverSlowerThanAllowedIsAViolation) {
  auto s = crash_scenario("slow-takeover");
  s.expect.max_takeover_s = 0.1;  // detection alone takes longer
  auto v = checker::judge_run_folder(run(s).string());
  ASSERT_EQ(v.violations.size(), 1u) << ::testing::PrintToString(properties(v));
  EXPECT_NE(v.violations[0].detail.find("allows 0.1 s"), std::string::npos) << v.violations[0].detail;
}

TEST(Expectations, AnOutageLongerThanAllowedIsALivenessViolation) {
  auto s = crash_scenario("outage");
  s.expect.max_outage_s = 0.5;  // failure detection alone takes longer
  auto v = checker::judge_run_folder(run(s).string());
  ASSERT_EQ(v.violations.size(), 1u) << ::testing::PrintToString(properties(v));
  EXPECT_EQ(v.violations[0].property, "liveness");
  EXPECT_NE(v.violations[0].detail.find("aggr0 went unserved for 1."), std::string::npos) << v.violations[0].detail;
}

TEST(Expectations, ExpectedLossMustShowAndThenIsNotAViolation) {
  auto s = crash_scenario("loss");
  s.expect.data_loss = true;
  fs::path dir = run(s);
  // Nothing was lost: the expectation itself is violated.
  auto calm = checker::judge_run_folder(dir.string());
  ASSERT_EQ(calm.violations.size(), 1u) << ::testing::PrintToString(properties(calm));
  EXPECT_NE(calm.violations[0].detail.find("none were lost"), std::string::npos);

  // Lose one acknowledged file from the final state: the loss is expected.
  json state = read(dir / "final-state.json");
  bool removed = false;
  for (auto& [aggr, paths] : state["aggregates"].items())
    for (auto it = paths.begin(); it != paths.end() && !removed; ++it)
      if ((*it)["type"] == "file") {
        paths.erase(it);
        removed = true;
        break;
      }
  ASSERT_TRUE(removed);
  write(dir / "final-state.json", state);
  auto lost = checker::judge_run_folder(dir.string());
  EXPECT_TRUE(lost.valid()) << ::testing::PrintToString(properties(lost));

  // Without the expectation, the same folder is a violation.
  json scenario = read(dir / "scenario.json");
  scenario["expect"]["data_loss"] = false;
  write(dir / "scenario.json", scenario);
  EXPECT_FALSE(checker::judge_run_folder(dir.string()).valid());
}

TEST(Liveness, EveryClientIssuesAllItsChangesAndRetriesUntilAnswered) {
  fs::path dir = run(crash_scenario("liveness"));
  ASSERT_TRUE(checker::judge_run_folder(dir.string()).valid());

  // A client that stopped short of its changes.
  json scenario = read(dir / "scenario.json");
  scenario["workload"]["ops_per_client"] = 301;
  write(dir / "scenario.json", scenario);
  auto short_run = checker::judge_run_folder(dir.string());
  ASSERT_EQ(short_run.violations.size(), 2u) << ::testing::PrintToString(properties(short_run));
  EXPECT_EQ(short_run.violations[0].property, "liveness");
  EXPECT_NE(short_run.violations[0].detail.find("issued only 300 of its 301"), std::string::npos);
  scenario["workload"]["ops_per_client"] = 300;
  write(dir / "scenario.json", scenario);

  // A change never answered, by a client that retries until answered.
  std::ifstream in(dir / "history.jsonl");
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  auto last_reply = std::find_if(lines.rbegin(), lines.rend(), [](const json& e) { return e["type"] == "ok"; });
  ASSERT_NE(last_reply, lines.rend());
  (*last_reply)["type"] = "info";
  last_reply->erase("result");
  std::ofstream out(dir / "history.jsonl");
  for (const json& e : lines) out << e.dump() << "\n";
  out.close();
  auto unanswered = checker::judge_run_folder(dir.string());
  ASSERT_EQ(unanswered.violations.size(), 1u) << ::testing::PrintToString(properties(unanswered));
  EXPECT_NE(unanswered.violations[0].detail.find("was never answered"), std::string::npos);
  scenario["workload"]["retry_limit"] = 3;  // a client that may give up
  write(dir / "scenario.json", scenario);
  EXPECT_TRUE(checker::judge_run_folder(dir.string()).valid());
}

TEST(Expectations, ExpectedSplitBrainMustShow) {
  auto s = crash_scenario("split");
  s.expect.split_brain_free = false;
  fs::path dir = run(s);
  auto calm = checker::judge_run_folder(dir.string());
  ASSERT_EQ(calm.violations.size(), 1u) << ::testing::PrintToString(properties(calm));
  EXPECT_NE(calm.violations[0].detail.find("expects split brain"), std::string::npos);

  // n0 serving aggr1 while n1 does is split brain, and now expected.
  std::ofstream(dir / "events.jsonl", std::ios::app)
      << json{{"time_s", 0.1}, {"node", "n0"}, {"kind", "serve"}, {"aggregate", "aggr1"}}.dump() << "\n";
  auto split = checker::judge_run_folder(dir.string());
  EXPECT_TRUE(split.valid()) << ::testing::PrintToString(properties(split));
}

}  // namespace
}  // namespace failsim
