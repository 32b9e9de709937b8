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
  s.faults.push_back({.at_s = 0.5, .params = sim::NodeCrash{.node = "n0", .duration_s = 1.0}});
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

  // Lose one acknowledged file from the final state, on disk and in the
  // serving node's memory alike (as a real loss is): the loss is expected.
  json state = read(dir / "final-state.json");
  json memory = read(dir / "memory-state.json");
  bool removed = false;
  for (auto& [aggr, paths] : state["aggregates"].items())
    for (auto it = paths.begin(); it != paths.end() && !removed; ++it)
      if ((*it)["type"] == "file") {
        ASSERT_EQ(memory["aggregates"][aggr].erase(it.key()), 1u);
        paths.erase(it);
        removed = true;
        break;
      }
  ASSERT_TRUE(removed);
  write(dir / "final-state.json", state);
  write(dir / "memory-state.json", memory);
  auto lost = checker::judge_run_folder(dir.string());
  EXPECT_TRUE(lost.valid()) << ::testing::PrintToString(properties(lost));
  // The damage that proves the loss is kept and shown, not deleted.
  ASSERT_FALSE(lost.expected_violations.empty());
  EXPECT_EQ(lost.expected_violations[0].property, "exactly_once");
  EXPECT_EQ(lost.to_json()["expected_violations"].size(), lost.expected_violations.size());

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

  // n0 serving aggr1 for a moment while n1 does is split brain, and now
  // expected; n1 then serves it alone again. The lines go where their time
  // puts them: events are in time order.
  std::vector<std::string> lines;
  {
    std::ifstream in(dir / "events.jsonl");
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  auto later = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return json::parse(l)["time_s"] > 0.1; });
  lines.insert(later, {json{{"time_s", 0.1}, {"node", "n0"}, {"kind", "serve"}, {"aggregate", "aggr1"}}.dump(),
                       json{{"time_s", 0.1}, {"node", "n0"}, {"kind", "stop_serving"}, {"aggregate", "aggr1"}}.dump(),
                       json{{"time_s", 0.1}, {"node", "n1"}, {"kind", "serve"}, {"aggregate", "aggr1"}}.dump()});
  {
    std::ofstream out(dir / "events.jsonl", std::ios::trunc);
    for (const std::string& l : lines) out << l << "\n";
  }
  auto split = checker::judge_run_folder(dir.string());
  EXPECT_TRUE(split.valid()) << ::testing::PrintToString(properties(split));
}

TEST(Verdict, UndecidedIsItsOwnOutcomeAndNotValid) {
  checker::Verdict v;
  EXPECT_EQ(v.to_json()["outcome"], "held");
  EXPECT_EQ(v.to_json()["valid"], true);
  v.undecided.push_back("client 1 on aggr0: undecided after 10 search states");
  EXPECT_EQ(v.outcome(), checker::Outcome::undecided);
  EXPECT_EQ(v.to_json()["outcome"], "undecided");
  EXPECT_EQ(v.to_json()["valid"], false);
  v.violations.push_back({"results", "x"});
  EXPECT_EQ(v.to_json()["outcome"], "violated");
}

// The checker judges from the events, not from summary.json's figures: the
// same verdict without it.
TEST(Liveness, JudgedFromTheEventsNotFromTheSummary) {
  auto s = crash_scenario("no-summary");
  s.expect.max_takeover_s = 5.0;
  const fs::path dir = run(s);
  const json with = checker::judge_run_folder(dir.string()).to_json();
  fs::remove(dir / "summary.json");
  EXPECT_EQ(checker::judge_run_folder(dir.string()).to_json(), with);
}

// With automatic giveback an aggregate must be back with its owner at the
// end: here the settle phase ends before n0 has booted again.
TEST(Liveness, AnAggregateNotBackWithItsOwnerIsAViolationWhenGivebackIsAutomatic) {
  auto s = crash_scenario("owner");
  std::get<sim::NodeCrash>(s.faults[0].params).duration_s = 0;  // n0 powers on at the settle phase
  s.phases.settle_s = 4;       // boot takes 5 s
  const fs::path dir = run(s);
  auto v = checker::judge_run_folder(dir.string());
  ASSERT_EQ(v.violations.size(), 1u) << ::testing::PrintToString(properties(v));
  EXPECT_EQ(v.violations[0].property, "liveness");
  EXPECT_EQ(v.violations[0].detail,
            "aggr0 is served by n1 at the end of the run, not by its owner n0 (giveback is automatic)");

  json scenario = read(dir / "scenario.json");
  scenario["server"]["giveback"]["mode"] = "never";
  write(dir / "scenario.json", scenario);
  EXPECT_TRUE(checker::judge_run_folder(dir.string()).valid());
  scenario["server"]["giveback"]["mode"] = "auto";
  scenario["expect"]["owner_serves_at_end"] = false;
  write(dir / "scenario.json", scenario);
  EXPECT_TRUE(checker::judge_run_folder(dir.string()).valid());
}

// Out of the envelope, the scenario states which loss it accepts: changes
// acknowledged from T on. Both NVRAM batteries die, then both nodes lose
// power at 1 s with no CP since the start: every change acknowledged before
// then is lost. Clients think 50 ms between changes, so few are.
TEST(Expectations, AStatedLossNamesEachLostChangeAndAnEarlierLossIsAViolation) {
  sim::Scenario s;
  s.name = "stated-loss";
  s.workload.clients = 2;
  s.workload.ops_per_client = 100;
  s.workload.think_time_s = 0.05;
  for (const char* node : {"n0", "n1"}) s.faults.push_back({.at_s = 0.5, .params = sim::NvramBatteryLoss{.node = node}});
  s.faults.push_back({.at_s = 1.0, .params = sim::PowerLoss{.duration_s = 1.0}});
  s.phases.fault_phase_s = 3;
  s.phases.settle_s = 30;
  s.expect.data_loss = true;
  s.expect.loss_only_acked_after_s = 0.0;
  const fs::path dir = run(s);

  auto v = checker::judge_run_folder(dir.string());
  EXPECT_TRUE(v.valid()) << ::testing::PrintToString(properties(v));
  ASSERT_FALSE(v.lost_changes.empty());
  EXPECT_EQ(v.lost_changes.size(), v.expected_violations.size());
  bool first_mkdir = false;
  for (const auto& l : v.lost_changes) {
    EXPECT_GE(l.acked_s, 0.0);
    EXPECT_LT(l.acked_s, 1.0) << l.op;  // nothing acknowledged after the power came back is lost
    if (l.client == 1 && l.xid == 1) first_mkdir = true;
  }
  EXPECT_TRUE(first_mkdir) << "client 1's first change, mkdir /c1, acknowledged at 0.5 s, is lost";
  EXPECT_NE(v.expected_violations[0].detail.find(", was lost"), std::string::npos) << v.expected_violations[0].detail;

  // Accepting only the loss of changes acknowledged from 0.8 s: the ones
  // acknowledged before that were lost too, a violation.
  json scenario = read(dir / "scenario.json");
  scenario["expect"]["loss_only_acked_after_s"] = 0.8;
  write(dir / "scenario.json", scenario);
  auto early = checker::judge_run_folder(dir.string());
  EXPECT_EQ(early.outcome(), checker::Outcome::violated);
  bool results = false;
  for (const auto& x : early.violations) results = results || x.property == "results";
  EXPECT_TRUE(results) << ::testing::PrintToString(properties(early));
}

}  // namespace
}  // namespace failsim
