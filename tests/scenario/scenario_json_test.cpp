// Scenario files: every class of bad input gets exit-status-2 material - a
// message naming the file, the JSON path and what was expected - and valid
// scenarios round-trip through JSON with every default filled in.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_json.hpp"

namespace failsim {
namespace {

using sim::ScenarioError;

// The problems a text gives, one per line; empty when it parses.
std::string problems(const std::string& text) {
  try {
    sim::parse_scenario(text, "test.json");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

void expect_problem(const std::string& text, const std::string& path, const std::string& what) {
  const std::string p = problems(text);
  EXPECT_NE(p.find("test.json: " + path + ": "), std::string::npos) << "for " << text << "\ngot: " << p;
  EXPECT_NE(p.find(what), std::string::npos) << "for " << text << "\ngot: " << p;
}

TEST(ScenarioJson, TheEmptyObjectIsTheDefaultScenario) {
  sim::Scenario s = sim::parse_scenario("{}", "test.json");
  EXPECT_EQ(s.cluster.nodes.size(), 2u);
  EXPECT_EQ(s.workload.clients, 4);
  EXPECT_EQ(s.server.log_mode, "request");
}

TEST(ScenarioJson, MalformedJsonNamesLineAndColumn) {
  expect_problem("{\n  \"seed\": 1,\n  \"name\": }", "line 3, column 11", "malformed JSON");
  EXPECT_NE(problems("").find("empty file"), std::string::npos);
  EXPECT_NE(problems("[1, 2]").find("$: expected an object"), std::string::npos);
}

TEST(ScenarioJson, WrongTypes) {
  expect_problem(R"({"seed": "one"})", "$.seed", "expected a non-negative integer");
  expect_problem(R"({"workload": {"clients": 2.5}})", "$.workload.clients", "expected an integer");
  expect_problem(R"({"server": []})", "$.server", "expected an object");
  expect_problem(R"({"faults": {}})", "$.faults", "expected an array");
  expect_problem(R"({"faults": [3]})", "$.faults[0]", "expected an object");
  expect_problem(R"({"timing": {"nvram": {"latency_s": true}}})", "$.timing.nvram.latency_s", "expected a number");
}

TEST(ScenarioJson, UnknownKeysGetASuggestion) {
  expect_problem(R"({"workload": {"clents": 3}})", "$.workload.clents", "did you mean 'clients'?");
  expect_problem(R"({"sed": 3})", "$.sed", "did you mean 'seed'?");
  expect_problem(R"({"zzzzzzzz": 3})", "$.zzzzzzzz", "unknown key");
}

TEST(ScenarioJson, OutOfRangeValues) {
  expect_problem(R"({"workload": {"clients": 0}})", "$.workload.clients", "expected 1 to 100000");
  expect_problem(R"({"workload": {"clients": 1000000000}})", "$.workload.clients", "expected 1 to 100000");
  expect_problem(R"({"workload": {"ops_per_client": 1000000000000000000}})", "$.workload.ops_per_client", "at most 10^9");
  expect_problem(R"({"timing": {"interconnect": {"bandwidth_Bps": 0}}})", "$.timing.interconnect.bandwidth_Bps", "> 0");
  expect_problem(R"({"phases": {"settle_s": -1}})", "$.phases.settle_s", ">= 0");
  expect_problem(R"({"server": {"nvram_half_bytes": 100}})", "$.server.nvram_half_bytes", "room for one");
  expect_problem(R"({"server": {"log_mode": "block", "nvram_half_bytes": 8192}})", "$.server.nvram_half_bytes", "room for one");
  expect_problem(R"({"server": {"block_size": 1000}})", "$.server.block_size", "power of two");
  expect_problem(R"({"server": {"log_mode": "blocks"}})", "$.server.log_mode", "expected one of");
  expect_problem(R"({"workload": {"data_bytes_min": 9, "data_bytes_max": 8}})", "$.workload.data_bytes_min", "at most");
  expect_problem(R"({"faults": [{"kind": "client_message_loss", "probability": 2}]})", "$.faults[0].probability", "0 to 1");
  std::string many = R"({"faults": [)";
  for (int i = 0; i < 10001; ++i) many += std::string(i ? "," : "") + R"({"kind": "reboot", "node": "n0"})";
  expect_problem(many + "]}", "$.faults", "at most 10000 faults");
}

TEST(ScenarioJson, InconsistentTopologyAndFaults) {
  expect_problem(R"({"faults": [{"kind": "node_crash", "node": "n9"}]})", "$.faults[0].node", "no node named 'n9'");
  expect_problem(R"({"faults": [{"kind": "disk_fail", "target": "shelf9.d0"}]})", "$.faults[0].target", "no disk");
  expect_problem(R"({"faults": [{"kind": "nod_crash", "node": "n0"}]})", "$.faults[0].kind", "did you mean 'node_crash'?");
  expect_problem(R"({"faults": [{"kind": "reboot", "node": "n0", "at_s": 99}]})", "$.faults[0].at_s", "within the fault phase");
  // A shelf only one node reaches: no takeover possible.
  expect_problem(R"({"cluster": {"loops": [{"name": "loopA", "hbas": ["n0.a"], "shelves": ["shelf0", "shelf1"]}]}})",
                 "$.cluster.aggregates[0].plexes[0][0]", "node 'n1' cannot reach shelf 'shelf0'");
  // Both plexes in one pool.
  expect_problem(R"({"cluster": {"aggregates": [{"name": "a", "owner": "n0", "plexes": [["shelf0"], ["shelf1"]]}]}})",
                 "$.cluster.aggregates[0].plexes", "different pools");
  expect_problem(R"({"cluster": {"nodes": ["n0", "n0"]}})", "$.cluster.nodes[1]", "used twice");
  expect_problem(R"({"cluster": {"aggregates": [{"name": "a", "owner": "nX", "plexes": [["shelf0"]]}]}})",
                 "$.cluster.aggregates[0].owner", "no node named 'nX'");
}

TEST(ScenarioJson, DeepNestingIsRefusedBeforeParsing) {
  std::string deep = R"({"description": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  expect_problem(deep, "$", "nested deeper than");
}

TEST(ScenarioJson, NonUtf8IsRefused) {
  expect_problem("{\"name\": \"caf\xe9\"}", "line 1, column 15", "ill-formed UTF-8");
}

TEST(ScenarioJson, FilesThatCannotBeRead) {
  auto check = [](const std::string& path, const std::string& what) {
    try {
      sim::load_scenario_file(path);
      ADD_FAILURE() << path;
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find(path + ": " + what), std::string::npos) << e.what();
    }
  };
  check("/nonexistent/scenario.json", "cannot read");
  check(std::filesystem::temp_directory_path().string(), "cannot read: it is a directory");
}

TEST(ScenarioJson, RoundTripsWithEveryDefaultFilledIn) {
  sim::Scenario s = sim::parse_scenario(
      R"({"name": "x", "seed": 9, "server": {"log_mode": "block", "giveback": {"mode": "at", "time_s": 3}},
          "faults": [{"kind": "latent_sector_error", "target": "shelf0.d1", "blocks": [4, 5]}],
          "expect": {"takeover": false, "max_takeover_s": 2.5}})",
      "test.json");
  nlohmann::json j = sim::to_json(s);
  EXPECT_EQ(j["workload"]["clients"], 4);
  EXPECT_TRUE(j["expect"]["split_brain_free"].is_null());
  sim::Scenario back = sim::parse_scenario(j.dump(), "round-trip");
  EXPECT_EQ(sim::to_json(back), j);
  EXPECT_EQ(back.faults[0].blocks, (std::vector<std::uint64_t>{4, 5}));
  EXPECT_EQ(back.expect.takeover, false);
}

TEST(ScenarioJson, TheCommittedSchemaIsTheGeneratedOne) {
  std::ifstream in(std::string(FAILSIM_SCENARIO_DIR) + "/scenario.schema.json");
  ASSERT_TRUE(in) << "scenarios/scenario.schema.json is missing: failsim schema > scenarios/scenario.schema.json";
  EXPECT_EQ(nlohmann::json::parse(in), sim::scenario_schema())
      << "regenerate it: failsim schema > scenarios/scenario.schema.json";
}

}  // namespace
}  // namespace failsim
