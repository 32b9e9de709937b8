// The analysis of a small hand-made run folder whose answers are known: node
// states, the takeover and giveback steps, the latency phases.
#include <gtest/gtest.h>

#include "reports/analysis.hpp"
#include "report_test_support.hpp"

namespace failsim::test {
namespace {

using nlohmann::json;

const char* kEvents = R"({"time_s":0.0,"node":"n0","kind":"boot","mode":"recover"}
{"time_s":0.0,"node":"n1","kind":"boot","mode":"recover"}
{"time_s":0.01,"node":"n0","kind":"serve","aggregate":"aggr0"}
{"time_s":0.01,"node":"n1","kind":"serve","aggregate":"aggr1"}
{"time_s":0.5,"node":"n0","kind":"cp_started","aggregate":"aggr0","blocks":10,"max_lsn":3}
{"time_s":0.6,"node":"n0","kind":"cp_finished","aggregate":"aggr0","generation":2,"max_lsn":3}
{"time_s":1.0,"node":"","kind":"fault","fault":"node_crash","target_node":"n0"}
{"time_s":1.0,"node":"n0","kind":"crash","cause":"crash"}
{"time_s":2.0,"node":"n1","kind":"partner_declared_dead","partner":"n0"}
{"time_s":2.0,"node":"n1","kind":"takeover_started"}
{"time_s":2.0,"node":"n1","kind":"reservation_taken","aggregate":"aggr0"}
{"time_s":2.001,"node":"n1","kind":"aggregate_loaded","aggregate":"aggr0","blocks_read":7,"load_s":0.01}
{"time_s":2.02,"node":"n1","kind":"replayed","aggregate":"aggr0","replayed":5,"skipped":1}
{"time_s":2.02,"node":"n1","kind":"cp_started","aggregate":"aggr0","blocks":4,"max_lsn":8}
{"time_s":2.05,"node":"n1","kind":"cp_finished","aggregate":"aggr0","generation":3,"max_lsn":8}
{"time_s":2.05,"node":"n1","kind":"serve","aggregate":"aggr0"}
{"time_s":2.5,"node":"n0","kind":"power_on"}
{"time_s":3.0,"node":"n0","kind":"boot","mode":"after_takeover"}
{"time_s":4.0,"node":"n1","kind":"stop_serving","aggregate":"aggr0"}
{"time_s":4.0,"node":"n1","kind":"giveback_started"}
{"time_s":4.0,"node":"n1","kind":"cp_started","aggregate":"aggr0","blocks":0,"max_lsn":9}
{"time_s":4.1,"node":"n1","kind":"cp_finished","aggregate":"aggr0","generation":4,"max_lsn":9}
{"time_s":4.1,"node":"n1","kind":"giveback_finished"}
{"time_s":4.1,"node":"n0","kind":"reservation_taken","aggregate":"aggr0"}
{"time_s":4.1,"node":"n0","kind":"aggregate_loaded","aggregate":"aggr0","blocks_read":9,"load_s":0.02}
{"time_s":4.13,"node":"n0","kind":"replayed","aggregate":"aggr0","replayed":0,"skipped":0}
{"time_s":4.13,"node":"n0","kind":"cp_started","aggregate":"aggr0","blocks":0,"max_lsn":9}
{"time_s":4.15,"node":"n0","kind":"cp_finished","aggregate":"aggr0","generation":5,"max_lsn":9}
{"time_s":4.15,"node":"n0","kind":"serve","aggregate":"aggr0"}
{"time_s":5.0,"node":"","kind":"end"}
)";

// (client, xid, aggregate, invoke, completion type, completion time)
struct Op {
  int client, xid;
  const char* aggregate;
  double invoke_s;
  const char* type;
  double done_s;
};
const Op kOps[] = {
    {1, 1, "aggr0", 0.1, "ok", 0.2},      // before the fault
    {1, 2, "aggr0", 0.9, "ok", 2.06},     // caught by the takeover; the first reply after it
    {2, 1, "aggr1", 1.5, "ok", 1.5005},   // during the takeover window
    {1, 3, "aggr0", 3.0, "ok", 3.001},    // after the takeover
    {1, 4, "aggr0", 4.05, "ok", 4.16},    // caught by the giveback
    {1, 5, "aggr0", 4.5, "ok", 4.502},    // after the giveback
    {1, 6, "aggr0", 4.6, "info", 4.9},    // outcome unknown
};

fs::path make_run(const fs::path& dir, const char* events = kEvents) {
  fs::create_directories(dir);
  json scenario{{"name", "synthetic"},
                {"description", "hand-made"},
                {"seed", 7},
                {"cluster",
                 {{"nodes", {"n0", "n1"}},
                  {"aggregates", {{{"name", "aggr0"}, {"owner", "n0"}}, {{"name", "aggr1"}, {"owner", "n1"}}}}}}};
  std::ofstream(dir / "scenario.json") << scenario.dump();
  std::ofstream(dir / "summary.json") << json{{"ops", {{"retransmissions", 1}}}}.dump();
  std::ofstream(dir / "events.jsonl") << events;
  std::vector<std::pair<double, json>> lines;
  for (const Op& o : kOps) {
    lines.push_back({o.invoke_s, {{"time_s", o.invoke_s}, {"client", o.client}, {"xid", o.xid}, {"type", "invoke"},
                                  {"aggregate", o.aggregate}, {"op", {{"f", o.xid == 1 ? "mkdir" : "append"}, {"path", "/c" + std::to_string(o.client)}}}}});
    json done{{"time_s", o.done_s}, {"client", o.client}, {"xid", o.xid}, {"type", o.type}};
    if (std::string(o.type) == "ok") done["result"] = "OK";
    lines.push_back({o.done_s, done});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::ofstream history(dir / "history.jsonl");
  for (const auto& [t, j] : lines) history << j.dump() << "\n";
  return dir;
}

struct SyntheticRun : ::testing::Test {
  TempDir tmp{"synthetic"};
  reports::RunData run = reports::read_run_folder(make_run(tmp.path() / "run").string());
  reports::Analysis a = reports::analyse(run);
};

std::vector<std::tuple<std::string, double, double>> states_of(const reports::Analysis& a, const std::string& node) {
  std::vector<std::tuple<std::string, double, double>> out;
  for (const auto& s : a.timeline.states)
    if (s.node == node) out.emplace_back(s.name, s.start_s, s.end_s);
  return out;
}

TEST_F(SyntheticRun, NodeStatesFollowTheEvents) {
  using S = std::vector<std::tuple<std::string, double, double>>;
  EXPECT_EQ(states_of(a, "n0"), (S{{"recovering", 0.0, 0.01},
                                   {"serving", 0.01, 1.0},
                                   {"down", 1.0, 2.5},
                                   {"booting", 2.5, 3.0},
                                   {"waiting for giveback", 3.0, 4.15},
                                   {"serving", 4.15, 5.0}}));
  EXPECT_EQ(states_of(a, "n1"), (S{{"recovering", 0.0, 0.01},
                                   {"serving", 0.01, 2.0},
                                   {"taking over", 2.0, 2.05},
                                   {"serving", 2.05, 4.0},
                                   {"giving back", 4.0, 4.1},
                                   {"serving", 4.1, 5.0}}));
  std::size_t cps = 0, replays = 0;
  for (const auto& s : a.timeline.activities) {
    cps += s.name == "CP";
    if (s.name == "replay" && s.node == "n1") {
      ++replays;
      EXPECT_NEAR(s.start_s, 2.011, 1e-12);
      EXPECT_NEAR(s.end_s, 2.02, 1e-12);
      EXPECT_EQ(s.args["replayed"], 5);
    }
  }
  EXPECT_EQ(cps, 4u);
  EXPECT_EQ(replays, 1u);
  ASSERT_EQ(a.timeline.markers.size(), 1u);
  EXPECT_EQ(a.timeline.markers[0].node, "n0");
  EXPECT_EQ(a.timeline.markers[0].label, "node_crash");
}

void expect_segments(const reports::Recovery& r, const std::vector<std::pair<std::string, double>>& want) {
  ASSERT_EQ(r.segments.size(), want.size()) << r.kind;
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.segments[i].name, want[i].first) << r.kind;
    EXPECT_NEAR(r.segments[i].duration_s(), want[i].second, 1e-9) << r.kind << " " << want[i].first;
  }
}

TEST_F(SyntheticRun, TakeoverAndGivebackAreBrokenIntoTheirSteps) {
  ASSERT_EQ(a.recoveries.size(), 2u);
  const auto& t = a.recoveries[0];
  EXPECT_EQ(t.kind, "takeover");
  EXPECT_EQ(t.node, "n1");
  EXPECT_EQ(t.aggregate, "aggr0");
  expect_segments(t, {{"detection", 1.0}, {"fencing", 0.001}, {"aggregate load", 0.01}, {"replay", 0.009},
                      {"recovery CP", 0.03}, {"first reply", 0.01}});
  EXPECT_NEAR(*t.outage_s, 1.05, 1e-9);
  EXPECT_EQ(t.replayed, 5u);
  EXPECT_EQ(t.skipped, 1u);
  EXPECT_EQ(t.blocks_read, 7u);
  const auto& g = a.recoveries[1];
  EXPECT_EQ(g.kind, "giveback");
  EXPECT_EQ(g.partner, "n0");
  expect_segments(g, {{"final CP", 0.1}, {"handover", 0.0}, {"aggregate load", 0.02}, {"replay", 0.01},
                      {"recovery CP", 0.02}, {"first reply", 0.01}});
  EXPECT_NEAR(*g.outage_s, 0.15, 1e-9);
}

// A live owner that loses its disks stops serving and asks for a takeover:
// no crash, no detection. The takeover starts when the owner stops serving,
// as the serving timeline (and summary.json's takeover_s) has it.
TEST(SyntheticRecovery, ANegotiatedTakeoverStartsWhenTheOwnerStopsServing) {
  const char* events = R"({"time_s":0.0,"node":"n0","kind":"boot","mode":"recover"}
{"time_s":0.0,"node":"n1","kind":"boot","mode":"recover"}
{"time_s":0.01,"node":"n0","kind":"serve","aggregate":"aggr0"}
{"time_s":0.01,"node":"n1","kind":"serve","aggregate":"aggr1"}
{"time_s":1.0,"node":"n0","kind":"stop_serving","aggregate":"aggr0"}
{"time_s":1.3,"node":"n1","kind":"takeover_started"}
{"time_s":1.5,"node":"n1","kind":"serve","aggregate":"aggr0"}
{"time_s":5.0,"node":"","kind":"end"}
)";
  TempDir tmp{"negotiated"};
  const reports::Analysis a = reports::analyse(reports::read_run_folder(make_run(tmp.path() / "run", events).string()));
  ASSERT_EQ(a.recoveries.size(), 1u);
  const reports::Recovery& t = a.recoveries[0];
  EXPECT_EQ(t.kind, "takeover");
  EXPECT_NEAR(t.start_s, 1.0, 1e-12);
  ASSERT_TRUE(t.outage_s);
  EXPECT_NEAR(*t.outage_s, 0.5, 1e-12);
  expect_segments(t, {{"detection", 0.3}, {"first reply", 0.56}});  // the first ack for aggr0 after 1.5 s: 2.06 s
}

TEST_F(SyntheticRun, RequestsFallInTheirPhase) {
  EXPECT_EQ(a.latency.phase_of, (std::vector<std::string>{"before fault", "during takeover", "during takeover",
                                                          "after takeover", "during giveback", "after giveback",
                                                          "after giveback"}));
  EXPECT_EQ(a.ops.issued, 7u);
  EXPECT_EQ(a.ops.answered, 6u);
  EXPECT_EQ(a.ops.unknown, 1u);
  EXPECT_EQ(a.latency.by_phase.at("during takeover").count, 2u);
  EXPECT_NEAR(a.latency.by_phase.at("during takeover").max_ms, 1160, 1e-6);
  EXPECT_NEAR(a.latency.by_phase.at("before fault").p50_ms, 100, 1e-6);
  EXPECT_EQ(a.latency.by_op.at("mkdir").count, 2u);
  EXPECT_EQ(a.latency.by_op.at("append").count, 4u);
}

TEST_F(SyntheticRun, ReportJsonNamesEachStepAndGivesTheAckRate) {
  const json j = a.to_json();
  const json& steps = j["takeovers"][0]["durations_s"];
  EXPECT_NEAR(steps["detection"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(steps["aggregate_load"].get<double>(), 0.01, 1e-9);
  EXPECT_NEAR(steps["recovery_CP"].get<double>(), 0.03, 1e-9);
  EXPECT_EQ(steps.size(), j["takeovers"][0]["segments"].size());
  // Six answered, from the first invocation (0.1 s) to the last ack (4.502 s).
  EXPECT_NEAR(j["ops"]["acks_per_s"].get<double>(), 6 / 4.402, 1e-9);
}

TEST(Percentiles, UseTheNearestRankOfTheSummary) {
  std::vector<double> v;
  for (int i = 1000; i >= 1; --i) v.push_back(i);
  const auto p = reports::percentiles(v);
  EXPECT_EQ(p.count, 1000u);
  EXPECT_EQ(p.p50_ms, 501);  // rank 0.5 * 999 + 0.5 = 500 -> the 501st smallest
  EXPECT_EQ(p.p90_ms, 900);
  EXPECT_EQ(p.p99_ms, 990);
  EXPECT_EQ(p.p999_ms, 999);
  EXPECT_EQ(p.max_ms, 1000);
  EXPECT_DOUBLE_EQ(p.mean_ms, 500.5);
}

}  // namespace
}  // namespace failsim::test
