// Defaults and the JSON round trip: `{}` is the default scenario; to_json
// writes every field with its value filled in; reading that back gives the
// same scenario, for hand-written and for random valid scenarios; and no
// text, however mangled, gets anything out of the reader but a scenario or a
// ScenarioError.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "problems_of.hpp"
#include "random_scenario.hpp"

namespace failsim {
namespace {

using nlohmann::json;

TEST(ScenarioDefaults, TheEmptyObjectIsTheDefaultScenario) {
  EXPECT_EQ(sim::parse_scenario("{}", "test.json"), sim::Scenario{});
  EXPECT_EQ(sim::parse_scenario(" {\n}\n", "test.json"), sim::Scenario{});
}

TEST(ScenarioDefaults, TheDefaultClusterIsThePairOfTheHeader) {
  const sim::ClusterSpec c = sim::default_cluster();
  EXPECT_EQ(c.nodes, (std::vector<std::string>{"n0", "n1"}));
  EXPECT_EQ(c.hbas, (std::vector<sim::HbaSpec>{{"n0.a", "n0"}, {"n0.b", "n0"}, {"n1.a", "n1"}, {"n1.b", "n1"}}));
  EXPECT_EQ(c.loops, (std::vector<sim::LoopSpec>{{"loopA", {"n0.a", "n1.a"}, {"shelf0", "shelf1"}},
                                                 {"loopB", {"n0.b", "n1.b"}, {"shelf0", "shelf1"}}}));
  EXPECT_EQ(c.shelves, (std::vector<sim::ShelfSpec>{{"shelf0", 0, 4}, {"shelf1", 0, 4}}));
  EXPECT_EQ(c.aggregates, (std::vector<sim::AggregateSpec>{{"aggr0", "n0", {{"shelf0"}}, 65536}, {"aggr1", "n1", {{"shelf1"}}, 65536}}));
}

TEST(ScenarioDefaults, TheFaultKindsAreTheThirtyFour) {
  EXPECT_EQ(sim::fault_kinds(),
            (std::vector<std::string>{"node_crash", "power_loss", "reboot", "interconnect_down", "interconnect_flap",
                                      "torn_mirror_write", "crash_at_cp_block", "crash_before_mirror",
                                      "crash_after_mirror", "crash_during_replay", "disk_fail", "shelf_fail",
                                      "loop_fail", "hba_fail", "latent_sector_error", "nvram_battery_loss",
                                      "client_partition", "client_message_loss", "client_message_delay",
                                      "client_message_duplicate", "node_hang", "interconnect_one_way",
                                      "interconnect_loss", "interconnect_delay", "slow_disk", "slow_nvram",
                                      "slow_interconnect", "crash_during_recovery", "disk_replace",
                                      "shelf_repair", "loop_repair", "hba_repair", "crash_after_reply",
                                      "power_loss_at_nvram_write"}));
}

TEST(ScenarioDefaults, GivenFieldsChangeOnlyThemselves) {
  const sim::Scenario s = sim::parse_scenario(
      R"({"workload": {"clients": 8, "mix": {"append": 5}}, "server": {"log_mode": "block", "giveback": {"mode": "at", "time_s": 12}},
          "faults": [{"kind": "node_crash", "node": "n0", "at_s": 2.5}]})",
      "test.json");
  sim::Scenario want;
  want.workload.clients = 8;
  want.workload.mix.append = 5;
  want.server.log_mode = sim::NvramLogMode::block;
  want.server.giveback.mode = sim::GivebackMode::at;
  want.server.giveback.time_s = 12;
  want.faults.push_back({.at_s = 2.5, .params = sim::NodeCrash{.node = "n0"}});
  EXPECT_EQ(s, want);
}

TEST(ScenarioDefaults, AClusterSectionReplacesTheDefaultCluster) {
  const sim::Scenario s = sim::parse_scenario(
      R"({"cluster": {"nodes": ["x", "y"], "hbas": [{"name": "hx", "node": "x"}, {"name": "hy", "node": "y"}],
          "loops": [{"name": "l", "hbas": ["hx", "hy"], "shelves": ["s"]}], "shelves": [{"name": "s"}],
          "aggregates": [{"name": "a", "owner": "y", "plexes": [["s"]]}]}})",
      "test.json");
  EXPECT_EQ(s.cluster, (sim::ClusterSpec{{"x", "y"},
                                         {{"hx", "x"}, {"hy", "y"}},
                                         {{"l", {"hx", "hy"}, {"s"}}},
                                         {{"s", 0, 4}},
                                         {{"a", "y", {{"s"}}, 65536}}}));
}

TEST(ScenarioRoundTrip, ToJsonWritesEveryFieldWithItsDefault) {
  const json j = sim::to_json(sim::Scenario{});
  EXPECT_EQ(j["workload"]["clients"], 4);
  EXPECT_EQ(j["server"]["nvram_half_bytes"], 1u << 20);
  EXPECT_EQ(j["timing"]["interconnect"]["latency_s"], 5e-6);
  EXPECT_EQ(j["cluster"]["aggregates"][1]["owner"], "n1");
  EXPECT_TRUE(j["expect"]["split_brain_free"].is_null());
  EXPECT_EQ(j["faults"], json::array());
}

TEST(ScenarioRoundTrip, AHandWrittenScenarioComesBackTheSame) {
  const sim::Scenario s = sim::parse_scenario(
      R"({"name": "x", "seed": 18446744073709551615, "server": {"log_mode": "block", "giveback": {"mode": "at", "time_s": 3}},
          "timing": {"cpu_hz": 3.3e9, "disk": {"seek_s": 0.1}},
          "faults": [{"kind": "latent_sector_error", "target": "shelf0.d1", "blocks": [4, 5]}],
          "expect": {"takeover": false, "max_takeover_s": 2.5}})",
      "test.json");
  const json j = sim::to_json(s);
  const sim::Scenario back = sim::parse_scenario(j.dump(), "round-trip");
  EXPECT_EQ(back, s);
  EXPECT_EQ(sim::to_json(back), j);
  EXPECT_EQ(back.faults[0].get<sim::LatentSectorError>().blocks, (std::vector<std::uint64_t>{4, 5}));
  EXPECT_EQ(back.expect.takeover, false);
  EXPECT_EQ(back.timing.disk.seek_s, 0.1);
}

RC_GTEST_PROP(ScenarioRoundTrip, RandomValidScenariosComeBackTheSame, ()) {
  const sim::Scenario s = *test::valid_scenario();
  const json j = sim::to_json(s);
  sim::Scenario back;
  try {
    back = sim::parse_scenario(j.dump(*rc::gen::element(-1, 2)), "random.json");
  } catch (const sim::ScenarioError& e) {
    RC_FAIL(std::string("a valid scenario was refused:\n") + e.what());
  }
  RC_ASSERT(back == s);
  RC_ASSERT(sim::to_json(back) == j);
}

// Every reply to bad text is a ScenarioError whose lines all name the file.
void expect_scenario_or_error(const std::string& text) {
  try {
    sim::parse_scenario(text, "fuzz.json");
  } catch (const sim::ScenarioError& e) {
    RC_ASSERT(!e.problems.empty());
    for (const auto& line : e.problems) RC_ASSERT(line.starts_with("fuzz.json: "));
  }
}

RC_GTEST_PROP(ScenarioRoundTrip, MangledTextGivesAScenarioOrAScenarioError, ()) {
  std::string text = sim::to_json(*test::valid_scenario()).dump();
  for (int edits = *rc::gen::inRange(1, 6); edits > 0; --edits) {
    const std::size_t at = *rc::gen::inRange<std::size_t>(0, text.size() + 1);
    switch (*rc::gen::inRange(0, 4)) {
      case 0: text.erase(at, *rc::gen::inRange<std::size_t>(1, 20)); break;
      case 1: text.insert(at, *rc::gen::container<std::string>(rc::gen::arbitrary<char>())); break;
      case 2: text.insert(at, *rc::gen::element<std::string>("{", "}", "[", "]", ",", ":", "\"", "\\", "1e999", "-", "null")); break;
      default: if (at < text.size()) text[at] = *rc::gen::arbitrary<char>(); break;
    }
  }
  expect_scenario_or_error(text);
}

// Any JSON value in place of any field.
json any_value() {
  switch (*rc::gen::inRange(0, 9)) {
    case 0: return nullptr;
    case 1: return *rc::gen::arbitrary<bool>();
    case 2: return *rc::gen::arbitrary<std::int64_t>();
    case 3: return *rc::gen::arbitrary<std::uint64_t>();
    case 4: return *rc::gen::arbitrary<double>();
    case 5: return *rc::gen::element<std::string>("", "n0", "shelf0.d0", "all", "block", "at", "closed");
    case 6: return json::array({*rc::gen::arbitrary<int>(), "x"});
    case 7: return json::object({{"kind", "reboot"}});
    default: return *rc::gen::element(-1.0, 0.0, 0.5, 1.0, 64.0, 4096.0, 1e9, 1e300, -1e300);
  }
}

RC_GTEST_PROP(ScenarioRoundTrip, AnyValueAnywhereGivesAScenarioOrAScenarioError, ()) {
  json j = sim::to_json(*test::valid_scenario());
  std::vector<json::json_pointer> places;
  const json flat = j.flatten();  // kept: items() refers to it
  for (auto& [ptr, value] : flat.items()) {
    (void)value;
    json::json_pointer p(ptr);
    for (; !p.empty(); p = p.parent_pointer()) places.push_back(p);
  }
  for (int edits = *rc::gen::inRange(1, 4); edits > 0; --edits) {
    const json::json_pointer p = *rc::gen::elementOf(places);
    if (j.contains(p)) j[p] = any_value();
  }
  expect_scenario_or_error(j.dump());
}

}  // namespace
}  // namespace failsim
