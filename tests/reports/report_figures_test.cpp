// The figures of report.json against summary.json, and trace.json against
// the Chrome trace event format.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "report_test_support.hpp"

namespace failsim::test {
namespace {

using nlohmann::json;

// The figures both runs have: counts, percentiles, takeover and giveback durations.
void expect_agreement(const fs::path& dir) {
  const json summary = read_json(dir / "summary.json");
  const json report = read_json(dir / "report.json");
  EXPECT_EQ(report["ops"]["issued"], summary["ops"]["issued"]);
  EXPECT_EQ(report["ops"]["answered"], summary["ops"]["answered"]);
  EXPECT_EQ(report["ops"]["unknown"], summary["ops"]["unknown"]);
  EXPECT_EQ(report["ops"]["retransmissions"], summary["ops"]["retransmissions"]);
  // The same latencies under the same percentile rule: the same numbers.
  const json& all = report["ack_latency"]["all"];
  for (const char* p : {"p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"})
    EXPECT_DOUBLE_EQ(all[p].get<double>(), summary["ack_latency"][p].get<double>()) << p;
  EXPECT_EQ(all["count"], summary["ops"]["answered"]);

  ASSERT_EQ(report["takeovers"].size(), summary["takeover_s"].size());
  ASSERT_EQ(report["givebacks"].size(), summary["giveback_s"].size());
  ASSERT_EQ(report["takeovers"].size(), 1u) << "the default scenario has one takeover";
  ASSERT_EQ(report["givebacks"].size(), 1u) << "and one giveback";
  for (std::size_t i = 0; i < summary["takeover_s"].size(); ++i)
    EXPECT_NEAR(report["takeovers"][i]["outage_s"].get<double>(), summary["takeover_s"][i].get<double>(), 1e-9);
  for (std::size_t i = 0; i < summary["giveback_s"].size(); ++i)
    EXPECT_NEAR(report["givebacks"][i]["outage_s"].get<double>(), summary["giveback_s"][i].get<double>(), 1e-9);

  // The takeover's steps are back to back from the crash to the aggregate served.
  const json& t = report["takeovers"][0];
  std::vector<std::string> names;
  for (const json& s : t["segments"]) names.push_back(s["name"]);
  ASSERT_GE(names.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 5),
            (std::vector<std::string>{"detection", "fencing", "aggregate load", "replay", "recovery CP"}));
  double at = t["start_s"];
  for (const json& s : t["segments"]) {
    EXPECT_NEAR(s["start_s"].get<double>(), at, 1e-9) << s["name"];
    at = s["end_s"];
  }
  EXPECT_NEAR(t["segments"][4]["end_s"].get<double>(), t["served_s"].get<double>(), 1e-9);
  // n1 replays what n0 had acknowledged since its last CP, all of it.
  EXPECT_GT(t["replayed"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(t["skipped"].get<std::uint64_t>(), 0u);

  // The phases hold every answered request once.
  std::uint64_t in_phases = 0;
  for (const auto& [phase, p] : report["ack_latency"]["by_phase"].items()) in_phases += p["count"].get<std::uint64_t>();
  EXPECT_EQ(in_phases, summary["ops"]["answered"].get<std::uint64_t>());
}

TEST(ReportFigures, AgreeWithTheSummaryOfTheDefaultRun) { expect_agreement(default_run()); }

TEST(ReportFigures, AgreeWithTheSummaryOfARunWithRequestsThroughTheOutage) { expect_agreement(outage_run()); }

TEST(ReportFigures, TheOutageShowsInItsPhase) {
  const json summary = read_json(outage_run() / "summary.json");
  const json report = read_json(outage_run() / "report.json");
  const json& phases = report["ack_latency"]["by_phase"];
  for (const char* phase : {"before fault", "during takeover", "after takeover", "during giveback", "after giveback"})
    EXPECT_GT(phases.value(phase, json::object()).value("count", 0), 0) << phase;
  // The slowest request was caught by the takeover and waited about as long as it lasted.
  EXPECT_DOUBLE_EQ(phases["during takeover"]["max_ms"].get<double>(), summary["ack_latency"]["max_ms"].get<double>());
  EXPECT_GT(phases["during takeover"]["max_ms"].get<double>(), 1e3 * 0.9 * summary["takeover_s"][0].get<double>());
  // Steady state before and after is fast.
  EXPECT_LT(phases["after takeover"]["p50_ms"].get<double>(), 1.0);
  // And the first reply after the takeover is part of its breakdown.
  const json& t = report["takeovers"][0];
  EXPECT_EQ(t["segments"].back()["name"], "first reply");
  EXPECT_GT(t["first_reply_s"].get<double>(), t["served_s"].get<double>() - 1e-12);
}

void expect_valid_trace(const fs::path& dir) {
  const json trace = read_json(dir / "trace.json");
  ASSERT_TRUE(trace.contains("traceEvents"));
  const json& events = trace["traceEvents"];
  ASSERT_TRUE(events.is_array());
  const std::set<std::string> phases{"X", "B", "E", "i", "I", "C", "M"};
  // (pid, tid) -> X events, in whole nanoseconds as viewers read them
  std::map<std::pair<int, int>, std::vector<std::tuple<long long, long long, std::string>>> complete;
  const auto ns = [](const json& us) { return std::llround(us.get<double>() * 1e3); };
  std::map<std::pair<int, int>, std::vector<std::string>> open;                                  // B without E
  std::map<std::string, std::size_t> by_cat;
  for (const json& e : events) {
    ASSERT_TRUE(e.is_object());
    ASSERT_TRUE(e.contains("name") && e["name"].is_string()) << e.dump();
    ASSERT_TRUE(e.contains("ph") && e["ph"].is_string()) << e.dump();
    ASSERT_TRUE(e.contains("ts") && e["ts"].is_number()) << e.dump();
    ASSERT_TRUE(e.contains("pid") && e["pid"].is_number_integer()) << e.dump();
    ASSERT_TRUE(e.contains("tid") && e["tid"].is_number_integer()) << e.dump();
    const std::string ph = e["ph"];
    ASSERT_TRUE(phases.count(ph)) << e.dump();
    EXPECT_GE(e["ts"].get<double>(), 0) << e.dump();
    const std::pair<int, int> track{e["pid"], e["tid"]};
    if (ph == "X") {
      ASSERT_TRUE(e.contains("dur") && e["dur"].is_number()) << e.dump();
      EXPECT_GE(e["dur"].get<double>(), 0) << e.dump();
      complete[track].emplace_back(ns(e["ts"]), ns(e["ts"]) + ns(e["dur"]), e["name"].get<std::string>());
      ++by_cat[e.value("cat", "")];
    } else if (ph == "B") {
      open[track].push_back(e["name"]);
    } else if (ph == "E") {
      ASSERT_FALSE(open[track].empty()) << "E without B: " << e.dump();
      open[track].pop_back();
    } else if (ph == "C") {
      ASSERT_TRUE(e.contains("args") && e["args"].is_object()) << e.dump();
      for (const auto& [k, v] : e["args"].items()) EXPECT_TRUE(v.is_number()) << e.dump();
    }
  }
  for (const auto& [track, stack] : open) EXPECT_TRUE(stack.empty()) << "B without E on " << track.first;
  // Complete events on one thread nest or follow each other, never cross:
  // viewers draw crossing slices wrongly.
  for (auto& [track, spans] : complete) {
    std::stable_sort(spans.begin(), spans.end());
    std::vector<long long> ends;
    for (const auto& [start, end, name] : spans) {
      while (!ends.empty() && ends.back() <= start) ends.pop_back();
      ASSERT_TRUE(ends.empty() || end <= ends.back())
          << name << " crosses another slice on pid " << track.first << " tid " << track.second;
      ends.push_back(end);
    }
  }
  // Each request a span; each node's states and CPs there.
  const json summary = read_json(dir / "summary.json");
  EXPECT_EQ(by_cat["request"], summary["ops"]["issued"].get<std::size_t>());
  EXPECT_GT(by_cat["state"], 4u);
  EXPECT_GT(by_cat["activity"], 4u);
}

TEST(ReportTrace, FollowsTheTraceEventFormatForTheDefaultRun) { expect_valid_trace(default_run()); }

TEST(ReportTrace, FollowsTheTraceEventFormatForARunWithRequestsThroughTheOutage) { expect_valid_trace(outage_run()); }

}  // namespace
}  // namespace failsim::test
