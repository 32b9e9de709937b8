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

TEST(SimFaults, PowerLossHalfwayThroughAnNvramWrite) {
  auto s = base("power-loss-at-nvram-write");
  s.faults = {fault(0.5, sim::PowerLossAtNvramWrite{.node = "n0", .k = 50, .duration_s = 1.0})};
  auto o = run(s);
  expect_sound(o, s);
  int crashes = 0;
  for (const runfolder::Event& e : o.events) crashes += e.kind == runfolder::EventKind::crash;
  EXPECT_EQ(crashes, 2) << "both nodes lose power";
  EXPECT_FALSE(o.takeover) << "each node recovers its own aggregate from its own NVRAM";
}

TEST(SimFaults, CrashesAroundTheMirrorWrite) {
  for (sim::FaultKind kind :
       {sim::FaultKind::crash_before_mirror, sim::FaultKind::crash_after_mirror, sim::FaultKind::crash_after_reply}) {
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

sim::Scenario mirrored(const std::string& name) {
  auto s = base(name);
  s.cluster.shelves = {{"shelf0", 0, 4}, {"shelf1", 0, 4}, {"shelf2", 1, 4}, {"shelf3", 1, 4}};
  s.cluster.loops = {{"loopA", {"n0.a", "n1.a"}, {"shelf0", "shelf1"}}, {"loopB", {"n0.b", "n1.b"}, {"shelf2", "shelf3"}}};
  s.cluster.aggregates = {{"aggr0", "n0", {{"shelf0"}, {"shelf2"}}, 65536}, {"aggr1", "n1", {{"shelf1"}, {"shelf3"}}, 65536}};
  s.server.cp_interval_s = 0.5;
  return s;
}

std::vector<runfolder::Event> of_kind(const Outcome& o, runfolder::EventKind kind) {
  std::vector<runfolder::Event> out;
  for (const runfolder::Event& e : o.events)
    if (e.kind == kind) out.push_back(e);
  return out;
}

// After the final CP: aggr0's plexes in use and equal, nothing left failed.
void expect_plexes_equal(const Outcome& o) {
  bool seen = false;
  for (const runfolder::Event& e : of_kind(o, runfolder::EventKind::plex_state)) {
    const auto& p = *e.get<runfolder::PlexState>();
    seen = seen || p.aggregate == "aggr0";
    EXPECT_EQ(p.stale, (std::vector<bool>{false, false})) << p.aggregate;
    EXPECT_EQ(p.differing_blocks, 0u) << p.aggregate;
    EXPECT_EQ(p.failed_components, 0u) << p.aggregate;
  }
  EXPECT_TRUE(seen) << "no plex_state event for aggr0";
}

// A shelf of aggr0's second plex fails and is repaired; n0 starts the
// resync and crashes in its middle: abandoned. n1 takes over and starts it
// again; the giveback abandons that one too, and n0 resyncs the plex whole,
// in (blocks * block_size) / resync_rate_Bps. A disk_replace of a disk that
// never failed changes nothing.
TEST(SimFaults, StalePlexResyncsUnderWhoeverServesIt) {
  auto s = mirrored("plex-resync");
  s.faults = {fault(0.3, sim::ShelfFail{.target = "shelf2"}), fault(1.2, sim::ShelfRepair{.target = "shelf2"}),
              fault(1.4, sim::DiskReplace{.target = "shelf0.d1"}), fault(2.0, sim::NodeCrash{.node = "n0", .duration_s = 1.0})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_TRUE(o.takeover);
  const double expected_s = 65536.0 * 4096 / s.timing.resync_rate_Bps;
  const auto started = of_kind(o, runfolder::EventKind::resync_started);
  const auto abandoned = of_kind(o, runfolder::EventKind::resync_abandoned);
  const auto finished = of_kind(o, runfolder::EventKind::resync_finished);
  ASSERT_EQ(started.size(), 3u);
  ASSERT_EQ(abandoned.size(), 2u);
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(started[0].node, "n0");
  EXPECT_DOUBLE_EQ(started[0].time_s, 1.2);  // at the repair
  EXPECT_EQ(abandoned[0].node, "n0");
  EXPECT_NEAR(abandoned[0].time_s, 2.0, 0.001);  // at the crash
  EXPECT_EQ(started[1].node, "n1");              // at its takeover
  EXPECT_EQ(abandoned[1].node, "n1");            // at its giveback
  EXPECT_EQ(started[2].node, "n0");
  EXPECT_EQ(finished[0].node, "n0");
  EXPECT_NEAR(finished[0].time_s - started[2].time_s, expected_s, 1e-9);
  const auto& r = *finished[0].get<runfolder::Resync>();
  EXPECT_EQ(r.aggregate, "aggr0");
  EXPECT_EQ(r.plex, 1u);
  EXPECT_EQ(r.from_plex, 0u);
  EXPECT_EQ(r.bytes, 65536u * 4096);
  EXPECT_NEAR(r.expected_duration_s, expected_s, 1e-9);
  EXPECT_NEAR(r.duration_s, expected_s, 1e-9);
  EXPECT_GT(r.differing_blocks, 0u);  // the CPs the stale plex missed
  bool harmless_replace = false;
  for (const runfolder::Event& e : of_kind(o, runfolder::EventKind::repair))
    harmless_replace = harmless_replace || e.get<runfolder::FaultNote>()->fault == "disk_replace";
  EXPECT_TRUE(harmless_replace);
  expect_plexes_equal(o);
}

// A disk of aggr0's second plex fails and is replaced by a blank one during
// the fault phase: the plex is resynchronised, and nothing is lost.
TEST(SimFaults, ReplacedDiskIsResynchronised) {
  auto s = mirrored("disk-replace");
  s.faults = {fault(0.5, sim::DiskFail{.target = "shelf2.d1"}), fault(1.5, sim::DiskReplace{.target = "shelf2.d1"})};
  auto o = run(s);
  expect_sound(o, s);
  EXPECT_FALSE(o.takeover);
  ASSERT_EQ(of_kind(o, runfolder::EventKind::resync_finished).size(), 1u);
  EXPECT_DOUBLE_EQ(of_kind(o, runfolder::EventKind::resync_started)[0].time_s, 1.5);
  expect_plexes_equal(o);
}

}  // namespace
}  // namespace failsim
