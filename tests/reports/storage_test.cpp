// The storage section of the reports over a small hand-made run folder whose
// answers are known: rebuild durations and rates, a rebuild unfinished at the
// run's end, degraded windows (reopened when the spare that restored a group
// fails, a shelf failure beyond tolerance), a resync, the scrub, latency
// inside and outside degraded windows; and a run without storage events
// that has no storage section.
#include <gtest/gtest.h>

#include "reports/analysis.hpp"
#include "report_test_support.hpp"

namespace failsim::test {
namespace {

using nlohmann::json;

// aggr0: RAID-4 on shelf0's d0..d4 (d5 the spare), groups of 3: {d0 d1 d2}, {d3 d4}.
// aggr1: no parity, mirrored: plex 0 on shelf1, plex 1 on shelf2.
const char* kStorageEvents = R"({"time_s":0.0,"node":"n0","kind":"boot","mode":"recover"}
{"time_s":1.0,"node":"","kind":"fault","fault":"disk_fail","target":"shelf0.d1"}
{"time_s":1.0,"node":"","kind":"raid_rebuild_started","aggregate":"aggr0","plex":0,"disk":"shelf0.d1","onto":"shelf0.d5","bytes":2000000,"expected_s":1.0}
{"time_s":1.5,"node":"","kind":"raid_disk_failed","disk":"shelf0.d4","cause":"unreachable"}
{"time_s":2.0,"node":"","kind":"raid_rebuild_finished","aggregate":"aggr0","plex":0,"disk":"shelf0.d1","onto":"shelf0.d5","bytes":2000000,"expected_s":1.0,"ok":true,"duration_s":1.0}
{"time_s":2.5,"node":"","kind":"fault","fault":"disk_fail","target":"shelf0.d5"}
{"time_s":3.0,"node":"","kind":"fault","fault":"shelf_fail","target":"shelf2"}
{"time_s":3.5,"node":"","kind":"repair","fault":"disk_replace","target":"shelf0.d4"}
{"time_s":3.5,"node":"","kind":"raid_rebuild_started","aggregate":"aggr0","plex":0,"disk":"shelf0.d4","onto":"shelf0.d4","bytes":4000000,"expected_s":2.0}
{"time_s":4.0,"node":"","kind":"repair","fault":"shelf_repair","target":"shelf2"}
{"time_s":4.0,"node":"n1","kind":"resync_started","aggregate":"aggr1","plex":1,"from_plex":0,"bytes":1000000,"expected_duration_s":0.5}
{"time_s":4.5,"node":"n1","kind":"resync_finished","aggregate":"aggr1","plex":1,"from_plex":0,"bytes":1000000,"duration_s":0.5,"expected_duration_s":0.5,"differing_blocks":12}
{"time_s":5.0,"node":"","kind":"end"}
{"time_s":5.0,"node":"","kind":"raid_scrub","aggregate":"aggr0","plex":0,"mismatched_stripes":3,"ok":false}
{"time_s":5.1,"node":"","kind":"plex_state","aggregate":"aggr1","stale":[false,true],"differing_blocks":7,"failed_components":1}
)";

struct Op {
  int client, xid;
  const char* aggregate;
  double invoke_s, done_s;
};
// Acked inside a degraded window of their aggregate: (1, 2) and (2, 1).
const std::vector<Op> kOps = {{1, 1, "aggr0", 0.4, 0.401},
                              {1, 2, "aggr0", 1.1, 1.2},
                              {2, 1, "aggr1", 3.45, 3.5},
                              {2, 2, "aggr1", 4.798, 4.8}};

json storage_scenario() {
  return {{"name", "storage"},
          {"cluster",
           {{"nodes", {"n0", "n1"}},
            {"shelves",
             {{{"name", "shelf0"}, {"disks", 6}, {"spares", 1}},
              {{"name", "shelf1"}, {"disks", 4}, {"spares", 0}},
              {{"name", "shelf2"}, {"disks", 4}}}},
            {"aggregates",
             {{{"name", "aggr0"}, {"owner", "n0"}, {"plexes", {{"shelf0"}}},
               {"raid", {{"level", "raid4"}, {"group_size", 3}}}},
              {{"name", "aggr1"}, {"owner", "n1"}, {"plexes", {{"shelf1"}, {"shelf2"}}},
               {"raid", {{"level", "none"}}}}}}}}};
}

fs::path make_run(const fs::path& dir, const json& scenario, const char* events) {
  fs::create_directories(dir);
  std::ofstream(dir / "scenario.json") << scenario.dump();
  std::ofstream(dir / "summary.json") << json::object().dump();
  std::ofstream(dir / "events.jsonl") << events;
  std::vector<std::pair<double, json>> lines;
  for (const Op& o : kOps) {
    lines.push_back({o.invoke_s, {{"time_s", o.invoke_s}, {"client", o.client}, {"xid", o.xid}, {"type", "invoke"},
                                  {"aggregate", o.aggregate}, {"op", {{"f", "mkdir"}, {"path", "/d"}}}}});
    lines.push_back({o.done_s, {{"time_s", o.done_s}, {"client", o.client}, {"xid", o.xid}, {"type", "ok"},
                                {"result", "OK"}}});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::ofstream history(dir / "history.jsonl");
  for (const auto& [t, j] : lines) history << j.dump() << "\n";
  return dir;
}

struct StorageRun : ::testing::Test {
  TempDir tmp{"storage"};
  reports::RunData run =
      reports::read_run_folder(make_run(tmp.path() / "run", storage_scenario(), kStorageEvents).string());
  reports::Analysis a = reports::analyse(run);
};

TEST_F(StorageRun, RebuildsHaveDurationRateAndGroupAndAnUnfinishedOneHasNoEnd) {
  const auto& r = a.storage.rebuilds;
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].disk, "shelf0.d1");
  EXPECT_EQ(r[0].onto, "shelf0.d5");
  EXPECT_EQ(r[0].target(), "spare");
  EXPECT_EQ(r[0].group, std::optional<std::uint64_t>(0));
  EXPECT_EQ(r[0].outcome(), "finished");
  ASSERT_TRUE(r[0].duration_s());
  EXPECT_DOUBLE_EQ(*r[0].duration_s(), 1.0);
  EXPECT_DOUBLE_EQ(*r[0].rate_Bps(), 2e6);
  // The replaced disk rebuilt onto itself, in the second group, still running at the end.
  EXPECT_EQ(r[1].target(), "replacement");
  EXPECT_EQ(r[1].group, std::optional<std::uint64_t>(1));
  EXPECT_EQ(r[1].outcome(), "unfinished");
  EXPECT_FALSE(r[1].end_s);
  EXPECT_FALSE(r[1].duration_s());
  EXPECT_FALSE(r[1].rate_Bps());
  const json j = a.to_json().at("storage").at("rebuilds");
  EXPECT_TRUE(j[1].at("end_s").is_null());
  EXPECT_TRUE(j[1].at("duration_s").is_null());
  EXPECT_EQ(j[1].at("outcome"), "unfinished");
  EXPECT_DOUBLE_EQ(j[0].at("duration_s").get<double>(), 1.0);
}

TEST_F(StorageRun, DegradedWindowsRunFromTheLossToTheRestoringRebuildOrTheEnd) {
  using W = std::tuple<std::string, std::uint64_t, std::uint64_t, double, double, bool, std::uint64_t, bool>;
  std::vector<W> got;
  for (const auto& w : a.storage.degraded)
    got.emplace_back(w.aggregate, w.plex, w.group, w.start_s, w.end_s, w.restored, w.max_missing_disks,
                     w.beyond_tolerance());
  const double end_s = 5.1;  // the last event
  EXPECT_EQ(got, (std::vector<W>{{"aggr0", 0, 0, 1.0, 2.0, true, 1, false},
                                 {"aggr0", 0, 1, 1.5, end_s, false, 1, false},
                                 // the spare that restored group 0 fails: degraded again
                                 {"aggr0", 0, 0, 2.5, end_s, false, 1, false},
                                 // a whole shelf of a plex without parity, back at the shelf's repair
                                 {"aggr1", 1, 0, 3.0, 4.0, true, 4, true}}));
  EXPECT_EQ(a.storage.degraded[2].disks, std::vector<std::string>{"shelf0.d5"});
  EXPECT_DOUBLE_EQ(a.storage.degraded[0].duration_s(), 1.0);
}

TEST_F(StorageRun, LatencyInsideDegradedWindowsIsSeparated) {
  EXPECT_EQ(a.storage.latency_degraded.count, 2u);
  EXPECT_NEAR(a.storage.latency_degraded.p50_ms, 100.0, 1e-6);  // nearest rank of {50, 100}
  EXPECT_NEAR(a.storage.latency_degraded.max_ms, 100.0, 1e-6);
  EXPECT_EQ(a.storage.latency_not_degraded.count, 2u);
  EXPECT_NEAR(a.storage.latency_not_degraded.max_ms, 2.0, 1e-6);
}

TEST_F(StorageRun, ResyncScrubAndPlexStates) {
  ASSERT_EQ(a.storage.resyncs.size(), 1u);
  const auto& r = a.storage.resyncs[0];
  EXPECT_EQ(r.node, "n1");
  EXPECT_EQ(r.outcome(), "finished");
  EXPECT_DOUBLE_EQ(*r.duration_s(), 0.5);
  EXPECT_DOUBLE_EQ(*r.rate_Bps(), 2e6);
  EXPECT_EQ(r.differing_blocks, 12u);
  EXPECT_EQ(a.storage.scrubs.size(), 1u);
  EXPECT_EQ(a.storage.scrub_mismatched_stripes(), 3u);
  ASSERT_EQ(a.storage.plex_states.size(), 1u);
  EXPECT_EQ(a.storage.plex_states[0].stale, (std::vector<bool>{false, true}));
  const json s = a.to_json().at("storage");
  EXPECT_EQ(s.at("scrub").at("plexes_scrubbed"), 1);
  EXPECT_EQ(s.at("scrub").at("mismatched_stripes"), 3);
  EXPECT_EQ(s.at("resyncs")[0].at("outcome"), "finished");
}

TEST_F(StorageRun, TheResyncAbandonedHasAnEndButNoRate) {
  std::string events = kStorageEvents;
  const std::string finished = "\"kind\":\"resync_finished\"";
  events.replace(events.find(finished), finished.size(), "\"kind\":\"resync_abandoned\"");
  // Analysis refers to its RunData: keep it alive.
  const reports::RunData data =
      reports::read_run_folder(make_run(tmp.path() / "abandoned", storage_scenario(), events.c_str()).string());
  const auto r = reports::analyse(data);
  ASSERT_EQ(r.storage.resyncs.size(), 1u);
  EXPECT_EQ(r.storage.resyncs[0].outcome(), "abandoned");
  EXPECT_DOUBLE_EQ(*r.storage.resyncs[0].duration_s(), 0.5);
  EXPECT_FALSE(r.storage.resyncs[0].rate_Bps());
}

TEST(StorageReport, ARunWithoutStorageEventsHasNoStorageSection) {
  TempDir tmp("storage-none");
  const char* events = R"({"time_s":0.0,"node":"n0","kind":"boot","mode":"recover"}
{"time_s":1.0,"node":"","kind":"fault","fault":"disk_fail","target":"shelf9.d0"}
{"time_s":5.0,"node":"","kind":"end"}
)";
  const reports::RunData run = reports::read_run_folder(make_run(tmp.path() / "run", storage_scenario(), events).string());
  const auto a = reports::analyse(run);
  EXPECT_TRUE(a.storage.empty());  // a disk no plex uses degrades nothing
  EXPECT_FALSE(a.to_json().contains("storage"));
}

TEST(StorageReport, AMalformedShelfNamesScenarioJsonAndTheField) {
  TempDir tmp("storage-bad");
  json sc = storage_scenario();
  sc["cluster"]["shelves"][0]["disks"] = "six";
  const auto run = reports::read_run_folder(make_run(tmp.path() / "run", sc, kStorageEvents).string());
  try {
    reports::analyse(run);
    FAIL() << "no error";
  } catch (const reports::ReportInputError& e) {
    EXPECT_NE(std::string(e.what()).find("scenario.json: cluster.shelves[].disks"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace failsim::test
