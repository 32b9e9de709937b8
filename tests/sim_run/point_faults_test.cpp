// Point faults fire on the event they name: crash_during_replay crashes the
// survivor in the middle of the takeover's replay (after the aggregate's
// blocks are read, between its first and last entry), and the run still
// keeps every acknowledged change; crash_during_recovery crashes it in the
// takeover's recovery CP. Each writes one `fault` event.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/exactly_once.hpp"
#include "sim/run/run_folder.hpp"

namespace failsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

sim::FaultSpec fault(double at_s, sim::FaultParams params) { return {.at_s = at_s, .params = std::move(params)}; }

// n0 crashes at 1 s while its clients are busy; n1 takes it over.
sim::Scenario takeover(const std::string& name) {
  sim::Scenario s;
  s.name = name;
  s.seed = 5;
  s.workload.clients = 2;
  s.workload.ops_per_client = 800;
  s.server.cp_interval_s = 5;  // the log holds the changes since the boot
  s.phases.fault_phase_s = 4;
  s.phases.settle_s = 30;
  s.faults = {fault(1.0, sim::NodeCrash{.node = "n0"})};
  return s;
}

struct RunResult {
  std::vector<json> events;
  checker::ExactlyOnceReport report;
};

RunResult run(const sim::Scenario& s) {
  const fs::path dir = fs::temp_directory_path() / ("failsim-point-" + s.name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::ostringstream text;
  EXPECT_EQ(sim::run_into_folder(s, dir.string(), false, text), 0) << text.str();
  RunResult r;
  std::ifstream ev(dir / "events.jsonl");
  for (std::string line; std::getline(ev, line);) r.events.push_back(json::parse(line));
  std::ifstream final_state(dir / "final-state.json");
  r.report = checker::check_exactly_once(checker::read_history((dir / "history.jsonl").string()),
                                         json::parse(final_state), false);
  fs::remove_all(dir);
  return r;
}

std::vector<json> of_kind(const RunResult& r, const std::string& kind) {
  std::vector<json> out;
  for (const json& e : r.events)
    if (e["kind"] == kind) out.push_back(e);
  return out;
}

TEST(PointFaults, CrashDuringReplayCrashesBetweenTheFirstAndLastEntry) {
  sim::Scenario s = takeover("replay");
  s.faults.push_back(fault(0.5, sim::CrashDuringReplay{.node = "n1", .k = 3}));
  const RunResult r = run(s);
  for (const auto& v : r.report.violations) ADD_FAILURE() << v.property << ": " << v.detail;
  const std::vector<json> fired = of_kind(r, "fault");
  std::vector<json> replay_faults;
  for (const json& f : fired)
    if (f["fault"] == "crash_during_replay") replay_faults.push_back(f);
  ASSERT_EQ(replay_faults.size(), 1u) << "one fault event when it fires";
  const json& f = replay_faults[0];
  EXPECT_EQ(f["node"], "n1");
  const std::uint64_t of = f["of"], entry = f["entry"];
  ASSERT_GE(of, 4u) << "the takeover replays the changes n0 logged since its boot";
  EXPECT_EQ(entry, 3u);
  // The load of aggr0 that replays: its blocks are read (load_s), then each
  // entry takes replay_entry cycles; the crash is after the first entry
  // and before the last.
  const json* load = nullptr;
  for (const json& e : r.events)
    if (e["kind"] == "aggregate_loaded" && e["node"] == "n1" && e["aggregate"] == "aggr0" &&
        e["time_s"].get<double>() <= f["time_s"].get<double>())
      load = &e;
  ASSERT_NE(load, nullptr);
  const double per_entry_s = static_cast<double>(s.timing.action_cycles.replay_entry) / s.timing.cpu_hz;
  const double replay_start_s = (*load)["time_s"].get<double>() + (*load)["load_s"].get<double>();
  const double crash_s = f["time_s"];
  EXPECT_GT(crash_s, replay_start_s + 1 * per_entry_s);
  EXPECT_LT(crash_s, replay_start_s + static_cast<double>(of - 1) * per_entry_s);
  // The node crashed there, losing the replay: no `replayed` notice for it.
  bool crashed = false;
  for (const json& e : of_kind(r, "crash"))
    crashed = crashed || (e["node"] == "n1" && e["cause"] == "crash_during_replay" && e["time_s"] == f["time_s"]);
  EXPECT_TRUE(crashed);
  for (const json& e : of_kind(r, "replayed"))
    EXPECT_FALSE(e["node"] == "n1" && e["time_s"].get<double>() >= (*load)["time_s"].get<double>() &&
                 e["time_s"].get<double>() <= crash_s)
        << "the crashed replay told nobody it was done";
}

TEST(PointFaults, CrashDuringRecoveryCrashesInTheRecoveryCp) {
  sim::Scenario s = takeover("recovery");
  s.faults.push_back(fault(0.5, sim::CrashDuringRecovery{.node = "n1", .k = 2}));
  const RunResult r = run(s);
  for (const auto& v : r.report.violations) ADD_FAILURE() << v.property << ": " << v.detail;
  int fired = 0;
  double fired_s = 0;
  for (const json& f : of_kind(r, "fault"))
    if (f["fault"] == "crash_during_recovery") ++fired, fired_s = f["time_s"];
  ASSERT_EQ(fired, 1);
  // After the takeover's replay, before n1 served aggr0.
  bool replayed_before = false;
  for (const json& e : of_kind(r, "replayed"))
    replayed_before = replayed_before || (e["node"] == "n1" && e["aggregate"] == "aggr0" && e["time_s"] <= fired_s);
  EXPECT_TRUE(replayed_before);
  for (const json& e : of_kind(r, "serve"))
    EXPECT_FALSE(e["node"] == "n1" && e["aggregate"] == "aggr0" && e["time_s"].get<double>() < fired_s);
}

}  // namespace
}  // namespace failsim
