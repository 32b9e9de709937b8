// Each fault kind of the simulator, run end to end and judged: every
// acknowledged change applied exactly once, the expected takeover (or none),
// every aggregate served at the end, no write accepted from a fenced node.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/event_checks.hpp"
#include "checker/exactly_once.hpp"
#include "runfolder/event_reader.hpp"
#include "sim/run/run_folder.hpp"

namespace failsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

sim::FaultSpec fault(double at_s, sim::FaultParams params) { return {.at_s = at_s, .params = std::move(params)}; }

sim::Scenario base(const std::string& name) {
  sim::Scenario s;
  s.name = name;
  s.seed = 11;
  s.workload.clients = 4;
  s.workload.ops_per_client = 1500;
  s.phases.fault_phase_s = 4;
  s.phases.settle_s = 30;
  s.server.boot_time_s = 1.0;
  return s;
}

struct Outcome {
  json summary;
  std::vector<runfolder::Event> events;
  checker::ExactlyOnceReport report;
  checker::EventReport event_report;
  bool takeover = false;  // a node served the other's aggregate
};

Outcome run(const sim::Scenario& s) {
  fs::path dir = fs::temp_directory_path() / ("failsim-fault-" + s.name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::ostringstream text;
  Outcome o;
  EXPECT_EQ(sim::run_into_folder(s, dir.string(), false, text), 0) << text.str();
  auto slurp = [&](const char* f) {
    std::ifstream in(dir / f);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  o.summary = json::parse(slurp("summary.json"));
  o.events = runfolder::read_events((dir / "events.jsonl").string());
  for (const runfolder::Event& e : o.events)
    if (e.kind == runfolder::EventKind::serve &&
        ((e.node == "n0" && e.aggregate() == "aggr1") || (e.node == "n1" && e.aggregate() == "aggr0")))
      o.takeover = true;
  o.event_report = checker::check_events((dir / "events.jsonl").string());
  o.report = checker::check_exactly_once(checker::read_history((dir / "history.jsonl").string()),
                                         json::parse(slurp("final-state.json")), s.workload.namespace_mode == sim::NamespaceMode::shared_tree);
  if (!std::getenv("FAILSIM_KEEP_RUNS")) fs::remove_all(dir);
  return o;
}

void expect_sound(const Outcome& o, const sim::Scenario& s) {
  for (const auto& v : o.report.violations) ADD_FAILURE() << s.name << ": " << v.property << ": " << v.detail;
  for (const auto& v : o.event_report.violations) ADD_FAILURE() << s.name << ": " << v.property << ": " << v.detail;
  EXPECT_GE(o.event_report.fsck_runs, 2u) << s.name;  // at least the formats
  EXPECT_EQ(o.report.ops_checked, s.workload.ops_per_client * s.workload.clients) << s.name;
  EXPECT_TRUE(o.summary["unserved_aggregates"].empty()) << s.name;
  EXPECT_EQ(o.summary["ops"]["unknown"], 0) << s.name;
}

bool has_event(const Outcome& o, runfolder::EventKind kind) {
  for (const runfolder::Event& e : o.events)
    if (e.kind == kind) return true;
  return false;
}

TEST(SimFaults, OwnRebootWithoutTakeover) {
  auto s = base("own-reboot");
  s.server.boot_time_s = 0.3;
  s.server.heartbeat_timeout_s = 2.0;
  s.faults = {fault(1.0, sim::Reboot{.node = "n0"})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_FALSE(o.takeover);
}

TEST(SimFaults, CrashAtACpBlockWrite) {
  auto s = base("cp-block");
  s.server.cp_interval_s = 0.2;
  s.faults = {fault(0.5, sim::CrashAtCpBlock{.node = "n0", .k = 5})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_TRUE(has_event(o, runfolder::EventKind::crash));
  EXPECT_TRUE(o.takeover);
}

TEST(SimFaults, TornMirrorWriteDisablesTakeoverWithoutLosingAcks) {
  auto s = base("torn-mirror");
  s.faults = {fault(0.2, sim::TornMirrorWrite{.node = "n0", .k = 100, .duration_s = 1.5})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_TRUE(has_event(o, runfolder::EventKind::takeover_disabled));
  EXPECT_FALSE(o.takeover);
}

TEST(SimFaults, InterconnectCutAloneCausesNoTakeover) {
  auto s = base("ic-cut");
  s.faults = {fault(1.0, sim::InterconnectCut{.duration_s = 2.0})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_FALSE(o.takeover);
  EXPECT_EQ(o.summary["reservation_rejections"], 0);
}

TEST(SimFaults, InterconnectCutThenCrashRefusesTakeover) {
  auto s = base("ic-cut-crash");
  s.faults = {fault(1.0, sim::InterconnectCut{}), fault(2.0, sim::NodeCrash{.node = "n0", .duration_s = 1.0})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_TRUE(has_event(o, runfolder::EventKind::takeover_refused));
  EXPECT_FALSE(o.takeover);
}

TEST(SimFaults, PowerLossOfBothNodes) {
  auto s = base("power-both");
  s.faults = {fault(1.0, sim::PowerLoss{.duration_s = 1.0})};  // both nodes
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_FALSE(o.takeover);
}

TEST(SimFaults, CrashesAroundTheMirrorWrite) {
  for (sim::FaultKind kind : {sim::FaultKind::crash_before_mirror, sim::FaultKind::crash_after_mirror}) {
    auto s = base(std::string(sim::to_string(kind)));
    s.faults = {sim::from_wire({.kind = kind, .at_s = 0.5, .node = "n0", .k = 50})};
    auto o = run(s);
    expect_sound(o, s);
    EXPECT_TRUE(has_event(o, runfolder::EventKind::crash)) << sim::to_string(kind);
  }
}

TEST(SimFaults, BlockLoggingTakeover) {
  auto s = base("block-logging");
  s.server.log_mode = sim::NvramLogMode::block;
  s.server.nvram_half_bytes = 4u << 20;
  s.faults = {fault(1.0, sim::NodeCrash{.node = "n0", .duration_s = 1.0})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_TRUE(o.takeover);
}

TEST(SimFaults, ClientMessagesLostDelayedAndDuplicatedAcrossATakeover) {
  auto s = base("client-net");
  s.workload.retransmit_timeout_s = 0.05;
  s.faults = {fault(0.2, sim::ClientMessageLoss{.probability = 0.2, .duration_s = 3.0}),
              fault(0.2, sim::ClientMessageDuplicate{.probability = 0.2, .duration_s = 3.0}),
              fault(0.2, sim::ClientMessageDelay{.delay_s = 0.03, .duration_s = 3.0}),
              fault(1.0, sim::NodeCrash{.node = "n0", .duration_s = 1.0})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_TRUE(o.takeover);
  EXPECT_GT(o.summary["ops"]["retransmissions"].get<int>(), 0);
}

TEST(SimFaults, MirroredAggregateLosesAPlex) {
  auto s = base("plex-loss");
  s.cluster.shelves = {{"shelf0", 0, 4}, {"shelf1", 0, 4}, {"shelf2", 1, 4}, {"shelf3", 1, 4}};
  s.cluster.loops = {{"loopA", {"n0.a", "n1.a"}, {"shelf0", "shelf1"}}, {"loopB", {"n0.b", "n1.b"}, {"shelf2", "shelf3"}}};
  s.cluster.aggregates = {{"aggr0", "n0", {{"shelf0"}, {"shelf2"}}, 65536}, {"aggr1", "n1", {{"shelf1"}, {"shelf3"}}, 65536}};
  s.server.cp_interval_s = 0.5;
  s.faults = {fault(0.5, sim::ShelfFail{.target = "shelf0"}), fault(1.5, sim::NodeCrash{.node = "n0", .duration_s = 1.0})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_TRUE(o.takeover);
}

}  // namespace
}  // namespace failsim
