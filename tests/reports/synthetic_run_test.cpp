// The analysis of a small hand-made run folder whose answers are known: node
// states, who served each aggregate when, the takeover and giveback steps,
// the latency phases, the latency tail, the latency quantiles per interval
// and the acknowledgements per aggregate.
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
const std::vector<Op> kOps = {
    {1, 1, "aggr0", 0.1, "ok", 0.2},      // before the fault
    {1, 2, "aggr0", 0.9, "ok", 2.06},     // caught by the takeover; the first reply after it
    {2, 1, "aggr1", 1.5, "ok", 1.5005},   // during the takeover window
    {1, 3, "aggr0", 3.0, "ok", 3.001},    // after the takeover
    {1, 4, "aggr0", 4.05, "ok", 4.16},    // caught by the giveback
    {1, 5, "aggr0", 4.5, "ok", 4.502},    // after the giveback
    {1, 6, "aggr0", 4.6, "info", 4.9},    // outcome unknown
};

fs::path make_run(const fs::path& dir, const char* events = kEvents, const std::vector<Op>& ops = kOps) {
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
  for (const Op& o : ops) {
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
  const reports::RunData run = reports::read_run_folder(make_run(tmp.path() / "run", events).string());
  const reports::Analysis a = reports::analyse(run);  // it refers to the run: kept alive above
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

std::vector<std::tuple<std::string, std::string, double, double>> lanes_of(const reports::Analysis& a,
                                                                           const std::string& aggregate) {
  std::vector<std::tuple<std::string, std::string, double, double>> out;
  for (const auto& ag : a.ownership.aggregates)
    if (ag.aggregate == aggregate)
      for (const auto& s : ag.spans) out.emplace_back(s.server, s.role, s.start_s, s.end_s);
  return out;
}

TEST_F(SyntheticRun, OwnershipLanesFollowTheServingTimeline) {
  using L = std::vector<std::tuple<std::string, std::string, double, double>>;
  EXPECT_EQ(lanes_of(a, "aggr0"), (L{{"", "nobody", 0.0, 0.01},
                                     {"n0", "owner", 0.01, 1.0},
                                     {"", "nobody", 1.0, 2.05},
                                     {"n1", "partner", 2.05, 4.0},
                                     {"", "nobody", 4.0, 4.15},
                                     {"n0", "owner", 4.15, 5.0}}));
  EXPECT_EQ(lanes_of(a, "aggr1"), (L{{"", "nobody", 0.0, 0.01}, {"n1", "owner", 0.01, 5.0}}));
  const json j = a.to_json()["timeline"]["ownership"]["aggr0"];
  EXPECT_EQ(j["owner"], "n0");
  EXPECT_NEAR(j["served_by_owner_s"].get<double>(), 0.99 + 0.85, 1e-9);
  EXPECT_NEAR(j["served_by_partner_s"].get<double>(), 1.95, 1e-9);
  EXPECT_NEAR(j["unserved_s"].get<double>(), 1.05 + 0.15, 1e-9);  // not the boot before the first serve
  EXPECT_TRUE(j["spans"][2]["server"].is_null());
}

// A crash and the partner's serve at one instant leave no empty span; a
// serve after the world's end changes nothing.
TEST(SyntheticOwnership, AnInstantChangeLeavesNoEmptySpanAndTheEndIsFinal) {
  const char* events = R"({"time_s":0.0,"node":"n0","kind":"serve","aggregate":"aggr0"}
{"time_s":0.0,"node":"n1","kind":"serve","aggregate":"aggr1"}
{"time_s":1.0,"node":"n0","kind":"crash","cause":"crash"}
{"time_s":1.0,"node":"n1","kind":"serve","aggregate":"aggr0"}
{"time_s":3.0,"node":"","kind":"end"}
{"time_s":3.5,"node":"n0","kind":"serve","aggregate":"aggr0"}
)";
  TempDir tmp{"instant"};
  const reports::RunData run = reports::read_run_folder(make_run(tmp.path() / "run", events, {}).string());
  const reports::Analysis a = reports::analyse(run);  // it refers to the run: kept alive above
  using L = std::vector<std::tuple<std::string, std::string, double, double>>;
  EXPECT_EQ(lanes_of(a, "aggr0"), (L{{"n0", "owner", 0.0, 1.0}, {"n1", "partner", 1.0, 3.0}}));
  EXPECT_EQ(a.ownership.end_s, 3.0);
}

TEST_F(SyntheticRun, AcksPerAggregateShowTheFailedAggregatesOutage) {
  const auto& by = a.series.acks_by_aggregate;
  ASSERT_EQ(by.size(), 2u);
  const auto& a0 = by.at("aggr0");
  EXPECT_EQ(a0.total, 5u);
  EXPECT_EQ(by.at("aggr1").total, 1u);
  // aggr0's acks: 0.2, 2.06, 3.001, 4.16, 4.502 after its first request at 0.1: the takeover's gap is longest.
  EXPECT_NEAR(a0.longest_gap_s, 1.86, 1e-9);
  EXPECT_EQ(a0.gap_from_s, 0.2);
  EXPECT_EQ(a0.gap_to_s, 2.06);
  EXPECT_NEAR(by.at("aggr1").longest_gap_s, 0.0005, 1e-12);  // from its one request to its ack
  std::uint64_t sum = 0, in_outage = 0;
  const auto& bins = a.series.throughput;
  ASSERT_EQ(a0.acked.size(), bins.size());
  for (std::size_t i = 0; i < bins.size(); ++i) {
    sum += a0.acked[i];
    if (bins[i].start_s > 0.25 && bins[i].end_s < 2.0) in_outage += a0.acked[i];
  }
  EXPECT_EQ(sum, 5u);
  EXPECT_EQ(in_outage, 0u);
  const json j = a.to_json()["series"]["throughput"]["by_aggregate"]["aggr0"];
  EXPECT_EQ(j["acked"], 5);
  EXPECT_NEAR(j["longest_gap_s"].get<double>(), 1.86, 1e-9);
  EXPECT_EQ(j["acked_per_interval"].size(), bins.size());
  EXPECT_NEAR(j["peak_acks_per_s"].get<double>(), 1 / a.series.bin_s, 1e-9);  // never two acks in one interval
}

TEST_F(SyntheticRun, TheTailEndsAtTheSlowestRequest) {
  const auto& during = a.latency.tail_by_phase.at("during takeover");  // 1160 ms and 0.5 ms
  ASSERT_EQ(during.size(), 2u);
  EXPECT_NEAR(during[0].first, 0.5, 1e-9);
  EXPECT_EQ(during[0].second, 1.0);
  EXPECT_NEAR(during[1].first, 1160, 1e-6);
  EXPECT_EQ(during[1].second, 0.5);
  EXPECT_EQ(a.to_json()["ack_latency"]["tail_by_phase"]["before fault"].size(), 1u);
  EXPECT_EQ(a.latency.tail_by_phase.at("before fault").front().second, 1.0);
}

// 1000 requests before the fault, latencies 0.01 ... 10 ms: the tail keeps
// every one of the ten slowest, the body fewer, at most 400 points.
TEST(SyntheticLatency, TheTailKeepsTheSlowestRequestsEach) {
  std::vector<Op> ops;
  for (int i = 0; i < 1000; ++i) {
    const double invoke_s = 0.1 + i * 1e-4;
    ops.push_back({1 + i % 50, 1 + i / 50, "aggr1", invoke_s, "ok", invoke_s + (i + 1) * 1e-5});
  }
  TempDir tmp{"tail"};
  const reports::RunData run = reports::read_run_folder(make_run(tmp.path() / "run", kEvents, ops).string());
  const reports::Analysis a = reports::analyse(run);  // it refers to the run: kept alive above
  const auto& t = a.latency.tail_by_phase.at("before fault");
  EXPECT_LE(t.size(), 400u);
  EXPECT_NEAR(t.front().first, 0.01, 1e-6);
  EXPECT_EQ(t.front().second, 1.0);
  EXPECT_NEAR(t.back().first, 10, 1e-6);
  EXPECT_EQ(t.back().second, 0.001);
  std::size_t slowest = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(t[i].second, t[i - 1].second);
    }
    if (t[i].second <= 0.0100001) ++slowest;
  }
  EXPECT_EQ(slowest, 10u);
}

// Five requests issued within one interval (1, 2, 3, 4 and 100 ms) and one
// in a later interval (7 ms): p50, p99 and max per interval by nearest rank.
TEST(SyntheticLatency, QuantilesPerIntervalOfIssueTime) {
  const std::vector<Op> ops{{1, 1, "aggr0", 0.101, "ok", 0.102}, {2, 1, "aggr0", 0.102, "ok", 0.104},
                            {3, 1, "aggr1", 0.103, "ok", 0.106}, {4, 1, "aggr1", 0.104, "ok", 0.108},
                            {5, 1, "aggr1", 0.105, "ok", 0.205}, {1, 2, "aggr0", 0.305, "ok", 0.312},
                            {2, 2, "aggr0", 0.5, "info", 0.9}};
  TempDir tmp{"quantiles"};
  const fs::path dir = make_run(tmp.path() / "run", kEvents, ops);
  const reports::RunData run_data = reports::read_run_folder(dir.string());
  const reports::Analysis a = reports::analyse(run_data);  // it refers to the run: kept alive above
  ASSERT_NEAR(a.series.bin_s, 0.02, 1e-12);  // the 5 s run in at most 300 intervals
  std::size_t with_acks = 0;
  for (const auto& b : a.series.latency) {
    if (b.acked == 0) continue;
    ++with_acks;
    if (b.start_s < 0.2) {
      EXPECT_LE(b.start_s, 0.101);
      EXPECT_GT(b.end_s, 0.105);
      EXPECT_EQ(b.acked, 5u);
      EXPECT_NEAR(b.p50_ms, 3, 1e-6);
      EXPECT_NEAR(b.p99_ms, 100, 1e-6);
      EXPECT_NEAR(b.max_ms, 100, 1e-6);
    } else {
      EXPECT_EQ(b.acked, 1u);
      EXPECT_NEAR(b.p50_ms, 7, 1e-6);
      EXPECT_NEAR(b.max_ms, 7, 1e-6);
    }
  }
  EXPECT_EQ(with_acks, 2u);
  const json j = a.to_json()["series"]["latency_quantiles"];
  EXPECT_NEAR(j["peak_p99_ms"].get<double>(), 100, 1e-6);
  EXPECT_NEAR(j["peak_p50_ms"].get<double>(), 7, 1e-6);
  EXPECT_EQ(j["p50_ms"].size(), a.series.latency.size());
  EXPECT_TRUE(j["p50_ms"][0].is_null());  // nothing issued in the first interval
  // throughput.csv: the same per interval, then the acks of each aggregate.
  reports::write_reports(dir.string());
  const std::string csv = slurp(dir / "throughput.csv");
  EXPECT_TRUE(csv.starts_with("interval_start_s,interval_end_s,invoked,acked,acks_per_s,issued_acked,p50_ms,p99_ms,"
                              "max_ms,acked_aggr0,acked_aggr1\n"));
  EXPECT_NE(csv.find("\n0.100000,0.120000,5,4,200.000,5,3.000000,100.000000,100.000000,2,2\n"), std::string::npos);
  EXPECT_NE(csv.find("\n0.000000,0.020000,0,0,0.000,0,,,,0,0\n"), std::string::npos);
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
