// How the NVRAM log fills between CPs, from hand-made events whose answers
// are known: which CPs pair up (the same node and aggregate, while serving,
// no crash between), the log each one's changes went to, and the figures.
#include <gtest/gtest.h>

#include "reports/log_figures.hpp"
#include "runfolder/event.hpp"

namespace failsim::test {
namespace {

using nlohmann::json;

reports::RunData run_of(const std::vector<std::string>& lines) {
  reports::RunData run;
  run.scenario = {{"cluster",
                   {{"nodes", {"n0", "n1"}},
                    {"aggregates", {{{"name", "aggr0"}, {"owner", "n0"}}, {{"name", "aggr1"}, {"owner", "n1"}}}}}}};
  for (const std::string& l : lines) run.events.push_back(runfolder::decode_event(json::parse(l)));
  return run;
}

std::string sample(double t, const char* node, int own, int takeover) {
  return json{{"time_s", t}, {"node", node}, {"kind", "sample"}, {"at", "cp_started"}, {"own_log_bytes", own},
              {"takeover_log_bytes", takeover}, {"log_half_bytes", 65536}}
      .dump();
}

TEST(LogFigures, PairEachCpWithThePreviousOneOfItsLog) {
  const auto run = run_of({
      // n0's recovery CP at boot, before it serves: a start to count from, not counted.
      R"({"time_s":0.005,"node":"n0","kind":"cp_started","aggregate":"aggr0","max_lsn":0})", sample(0.005, "n0", 0, 0),
      R"({"time_s":0.01,"node":"n0","kind":"serve","aggregate":"aggr0"})",
      R"({"time_s":1.0,"node":"n0","kind":"cp_started","aggregate":"aggr0","max_lsn":100})", sample(1.0, "n0", 20000, 0),
      R"({"time_s":1.5,"node":"n0","kind":"cp_started","aggregate":"aggr0","max_lsn":250})", sample(1.5, "n0", 30000, 0),
      R"({"time_s":2.0,"node":"n0","kind":"crash"})",
      // n1's recovery CP of aggr0 after the takeover, then one while it serves: the takeover log.
      R"({"time_s":3.0,"node":"n1","kind":"cp_started","aggregate":"aggr0","max_lsn":260})", sample(3.0, "n1", 0, 2000),
      R"({"time_s":3.1,"node":"n1","kind":"serve","aggregate":"aggr0"})",
      R"({"time_s":4.0,"node":"n1","kind":"cp_started","aggregate":"aggr0","max_lsn":300})", sample(4.0, "n1", 999, 8000),
      // n0 back: its first CP after the crash pairs with nothing from before it.
      R"({"time_s":5.0,"node":"n0","kind":"serve","aggregate":"aggr0"})",
      R"({"time_s":6.0,"node":"n0","kind":"cp_started","aggregate":"aggr0","max_lsn":320})", sample(6.0, "n0", 5000, 0),
  });
  const reports::LogFigures f = reports::build_log_figures(run);
  EXPECT_EQ(f.cps, 3u);
  EXPECT_EQ(f.changes, 100u + 150u + 40u);
  EXPECT_EQ(f.max_changes_per_cp, 150u);
  EXPECT_EQ(f.log_bytes, 20000u + 30000u + 8000u);
  EXPECT_DOUBLE_EQ(*f.log_bytes_per_change(), 58000.0 / 290);
  EXPECT_DOUBLE_EQ(*f.changes_per_half(), 65536 / (58000.0 / 290));
  EXPECT_DOUBLE_EQ(f.min_interval_s, 0.5);
  EXPECT_DOUBLE_EQ(f.max_interval_s, 1.0);
  const json j = f.to_json();
  EXPECT_DOUBLE_EQ(j["cp_interval_s"]["mean"].get<double>(), (0.995 + 0.5 + 1.0) / 3);
  EXPECT_DOUBLE_EQ(j["cps_per_s"].get<double>(), 3 / (0.995 + 0.5 + 1.0));
  EXPECT_EQ(j["half_bytes"], 65536);
}

TEST(LogFigures, ARunWithoutPairedCpsHasNoFigures) {
  const auto run = run_of({R"({"time_s":0.01,"node":"n0","kind":"serve","aggregate":"aggr0"})",
                           R"({"time_s":1.0,"node":"n0","kind":"cp_started","aggregate":"aggr0","max_lsn":100})"});
  const json j = reports::build_log_figures(run).to_json();
  EXPECT_EQ(j["cps_counted"], 0);
  EXPECT_TRUE(j["changes_per_half"].is_null());
  EXPECT_TRUE(j["cps_per_s"].is_null());
}

}  // namespace
}  // namespace failsim::test
