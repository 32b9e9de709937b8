// Sweep files: the grid they describe, the resolved form and its digest, and
// every class of bad input refused with the file and the JSON path named.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker/judge.hpp"
#include "reports/write_reports.hpp"
#include "sim/run/run_folder.hpp"
#include "sim/scenario/scenario_json.hpp"
#include "sweep/sweep_read.hpp"
#include "sweep/sweep_schema.hpp"

namespace failsim::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sweep::Sweep;
using sweep::SweepError;

const std::string tiny_dir = FAILSIM_SWEEP_TEST_DIR;

Sweep parse(const json& j) { return sweep::parse_sweep(j.dump(), "s.json", tiny_dir, "s"); }

json with_base(json j) {
  j["base"] = "tiny.json";
  return j;
}

TEST(SweepFile, TheGridVariesTheLastParameterFastestThenTheSeeds) {
  const Sweep s = sweep::load_sweep_file(tiny_dir + "/tiny-sweep.json");
  EXPECT_EQ(s.name, "tiny-sweep");
  ASSERT_EQ(s.points(), 4u);
  ASSERT_EQ(s.runs(), 8u);
  // run 5: point 2 (timeout 1.0, request), second seed
  EXPECT_EQ(s.values_of_run(5), (std::vector<json>{1.0, "request"}));
  EXPECT_EQ(s.seed_of_run(5), 2u);
  EXPECT_EQ(s.values_of_run(2), (std::vector<json>{0.5, "block"}));
  const json scenario = s.scenario_json(5);
  EXPECT_EQ(scenario["server"]["heartbeat_timeout_s"], 1.0);
  EXPECT_EQ(scenario["server"]["log_mode"], "request");
  EXPECT_EQ(scenario["seed"], 2);
  EXPECT_EQ(scenario["workload"]["clients"], 2) << "the base scenario's own fields stay";
  EXPECT_EQ(s.point_label(5), "timeout_s = 1.0, log_mode = request");
  EXPECT_EQ(s.point_label(5, {"log_mode"}), "timeout_s = 1.0");
}

TEST(SweepFile, TheResolvedSweepIsASweepFileOfTheSameGridAndDigest) {
  const Sweep s = sweep::load_sweep_file(tiny_dir + "/tiny-sweep.json");
  const Sweep again = sweep::parse_sweep(s.to_json().dump(), "resolved", "", "");
  EXPECT_EQ(again.digest(), s.digest());
  EXPECT_EQ(again.to_json(), s.to_json());
  // Any change to the grid changes the digest: shards of two sweeps never merge.
  json changed = s.to_json();
  changed["seeds"] = {1, 3};
  EXPECT_NE(sweep::parse_sweep(changed.dump(), "changed", "", "").digest(), s.digest());
  changed = s.to_json();
  changed["base"]["workload"]["clients"] = 3;
  EXPECT_NE(sweep::parse_sweep(changed.dump(), "changed", "", "").digest(), s.digest());
}

TEST(SweepFile, DefaultsAndSeedCounts) {
  const Sweep s = parse(with_base({{"seeds", 3}}));
  EXPECT_EQ(s.name, "s") << "the file's stem";
  EXPECT_EQ(s.seeds, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(s.runs(), 3u) << "no parameters: one grid point";
  EXPECT_EQ(parse(with_base({})).seeds, (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(parse(with_base({{"seeds", {7, 3}}})).seeds, (std::vector<std::uint64_t>{7, 3}));
}

TEST(SweepFile, AnInlineBaseIsAScenario) {
  const Sweep s = parse({{"base", {{"name", "inline"}, {"workload", {{"clients", 3}}}}}});
  EXPECT_EQ(s.base["name"], "inline");
  EXPECT_EQ(s.base["workload"]["clients"], 3);
  EXPECT_TRUE(s.base.contains("timing")) << "every default filled in";
}

struct BadCase {
  const char* what;
  const char* file;                   // the sweep file's text
  std::vector<std::string> expected;  // each must appear in the problems
};

TEST(SweepFile, EveryClassOfBadInputNamesTheFileAndThePath) {
  const std::vector<BadCase> cases{
      {"not an object", R"([])", {"s.json: $: expected an object, found an array"}},
      {"no base", R"({})", {"s.json: $: missing key \"base\""}},
      {"unknown key", R"({"base": "tiny.json", "parameter": []})",
       {"s.json: $.parameter: unknown key (did you mean 'parameters'?)"}},
      {"base file missing", R"({"base": "missing.json"})", {"s.json: $.base: ", "missing.json: cannot read"}},
      {"inline base refused", R"({"base": {"workload": {"clents": 2}}})",
       {"s.json: $.base.workload.clents: unknown key (did you mean 'clients'?)"}},
      {"base of a wrong type", R"({"base": 3})", {"s.json: $.base: expected a scenario file name"}},
      {"not a scenario field",
       R"({"base": "tiny.json", "parameters": [{"path": "/server/heartbeat_timout_s", "values": [1]}]})",
       {"s.json: $.parameters[0].path: \"/server/heartbeat_timout_s\" is not a field of the base scenario (did you "
        "mean '/server/heartbeat_timeout_s'?)"}},
      {"not a JSON pointer", R"({"base": "tiny.json", "parameters": [{"path": "server/log_mode", "values": ["block"]}]})",
       {"s.json: $.parameters[0].path: expected a JSON pointer"}},
      {"the seed as a parameter", R"({"base": "tiny.json", "parameters": [{"path": "/seed", "values": [1]}]})",
       {"s.json: $.parameters[0].path: the seed is swept by \"seeds\""}},
      {"a value the scenario refuses",
       R"({"base": "tiny.json", "parameters": [{"path": "/server/log_mode", "values": ["request", "blocks"]}]})",
       {"s.json: $.parameters[0].values[1]: /server/log_mode = blocks is refused: $.server.log_mode: expected one of "
        "\"request\" or \"block\""}},
      {"a combination the scenario refuses",
       R"({"base": "tiny.json", "parameters": [{"path": "/server/heartbeat_timeout_s", "values": [0.3, 1.0]},
                                               {"path": "/server/heartbeat_interval_s", "values": [0.1, 0.5]}]})",
       {"s.json: $.parameters: grid point 1 (heartbeat_timeout_s = 0.3, heartbeat_interval_s = 0.5) is refused: "
        "$.server.heartbeat_timeout_s: expected more than heartbeat_interval_s"}},
      {"no values", R"({"base": "tiny.json", "parameters": [{"path": "/server/log_mode", "values": []}]})",
       {"s.json: $.parameters[0].values: expected at least one value"}},
      {"a value twice", R"({"base": "tiny.json", "parameters": [{"path": "/server/log_mode", "values": ["block", "block"]}]})",
       {"s.json: $.parameters[0].values[1]: repeats values[0]"}},
      {"no seeds", R"({"base": "tiny.json", "seeds": []})", {"s.json: $.seeds: expected at least one seed"}},
      {"zero seeds", R"({"base": "tiny.json", "seeds": 0})", {"s.json: $.seeds: expected a count from 1"}},
      {"a bad seed", R"({"base": "tiny.json", "seeds": [1, -2]})", {"s.json: $.seeds[1]: expected a seed"}},
      {"a seed twice", R"({"base": "tiny.json", "seeds": [4, 4]})", {"s.json: $.seeds[1]: repeats the seed 4"}},
      {"one field twice",
       R"({"base": "tiny.json", "parameters": [{"path": "/faults/0/at_s", "values": [0.5]},
                                               {"path": "/faults/0", "values": [1]}]})",
       {"s.json: $.parameters[1].path: \"/faults/0\" overlaps the parameter \"/faults/0/at_s\""}},
      {"two parameters of one name",
       R"({"base": "tiny.json", "parameters": [{"path": "/faults/0/at_s", "values": [0.5]},
                                               {"path": "/faults/0/duration_s", "values": [1], "name": "at_s"}]})",
       {"s.json: $.parameters[1].name: the column \"at_s\" is named twice"}},
      {"a reserved column", R"({"base": "tiny.json", "figures": [{"column": "seed", "report": "/ops/issued"}]})",
       {"s.json: $.figures[0].column: \"seed\" is a column results.csv always has"}},
      {"a figure outside report.json",
       R"({"base": "tiny.json", "figures": [{"column": "x", "report": "/takeover/0/outage_s"}]})",
       {"s.json: $.figures[0].report: \"/takeover/0/outage_s\" is not in report.json (did you mean 'takeovers'?)"}},
      {"a figure outside verdict.json", R"({"base": "tiny.json", "figures": [{"column": "x", "verdict": "/vlid"}]})",
       {"s.json: $.figures[0].verdict: \"/vlid\" is not in verdict.json (did you mean 'valid'?)"}},
      {"a figure from both files",
       R"({"base": "tiny.json", "figures": [{"column": "x", "report": "/ops", "verdict": "/valid"}]})",
       {"s.json: $.figures[0]: expected one of \"report\""}},
      {"a chart of unknown names", R"({"base": "tiny.json", "charts": [{"x": "timeout", "y": "p99"}]})",
       {"s.json: $.charts[0].x: \"timeout\" is not a parameter name",
        "s.json: $.charts[0].y: \"p99\" is not a figure column"}},
      {"a log axis of words", R"({"base": "tiny.json", "parameters": [{"path": "/server/log_mode", "values": ["block"]}],
                                    "figures": [{"column": "p99", "report": "/ack_latency/all/p99_ms"}],
                                    "charts": [{"x": "log_mode", "y": "p99", "log_x": true}]})",
       {"s.json: $.charts[0].log_x: a logarithmic axis needs x values that are all positive numbers"}},
      {"a name that is a path", R"({"base": "tiny.json", "name": "../elsewhere"})",
       {"s.json: $.name: expected letters, digits"}},
  };
  for (const BadCase& c : cases) {
    std::string problems;
    try {
      sweep::parse_sweep(c.file, "s.json", tiny_dir, "s");
    } catch (const SweepError& e) {
      problems = e.what();
    }
    EXPECT_FALSE(problems.empty()) << c.what << ": accepted";
    for (const std::string& e : c.expected) EXPECT_NE(problems.find(e), std::string::npos) << c.what << ":\n" << problems;
  }
}

TEST(SweepFile, TextThatIsNotJsonIsPlacedByLineAndColumn) {
  try {
    sweep::parse_sweep("{\"base\": \"tiny.json\",\n", "s.json", tiny_dir, "s");
    FAIL() << "accepted";
  } catch (const SweepError& e) {
    EXPECT_NE(std::string(e.what()).find("s.json: line 2, column 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(sweep::load_sweep_file(tiny_dir + "/no-such-sweep.json"), SweepError);
}

// report.json's and verdict.json's keys, from a real run: the reader's lists must keep up with them.
TEST(SweepFile, FigureSectionsAreTheKeysOfReportAndVerdict) {
  const fs::path dir = fs::temp_directory_path() / ("failsim-sweep-keys-" + std::to_string(::getpid()));
  std::ostringstream out;
  ASSERT_EQ(sim::run_into_folder(sim::load_scenario_file(tiny_dir + "/tiny.json"), dir.string(), true, out,
                                 [](const std::string& d) { reports::write_reports(d); }),
            0);
  std::ifstream in(dir / "report.json");
  const json report = json::parse(in);
  fs::remove_all(dir);
  std::vector<std::string> keys, verdict_keys;
  for (const auto& [k, v] : report.items()) keys.push_back(k);
  const json verdict = checker::Verdict{}.to_json();
  for (const auto& [k, v] : verdict.items()) verdict_keys.push_back(k);
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted(sweep::report_sections()), keys);
  EXPECT_EQ(sorted(sweep::verdict_fields()), verdict_keys);
}

// The shipped sweep files read cleanly.
TEST(SweepFile, TheShippedSweepsRead) {
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(FAILSIM_SCENARIO_DIR "/sweeps")) {
    if (e.path().extension() != ".json" || e.path().filename() == "sweep.schema.json") continue;
    ++files;
    EXPECT_NO_THROW(sweep::load_sweep_file(e.path().string())) << e.path();
  }
  EXPECT_GE(files, 4u);
}

// The committed schema is the one failsim prints (tests/scenario/check_schema.py
// checks it against the shipped sweep files with an independent validator).
TEST(SweepFile, TheCommittedSchemaIsTheOneFailsimPrints) {
  std::ifstream in(FAILSIM_SCENARIO_DIR "/sweeps/sweep.schema.json");
  const json committed = json::parse(in, nullptr, false);
  ASSERT_FALSE(committed.is_discarded()) << "regenerate it: failsim schema --sweep > scenarios/sweeps/sweep.schema.json";
  EXPECT_EQ(committed, sweep::sweep_schema()) << "regenerate it: failsim schema --sweep > scenarios/sweeps/sweep.schema.json";
}

// Comments for people, and the schema for editors.
TEST(SweepFile, SchemaAndCommentKeysAreAccepted) {
  const sweep::Sweep s = sweep::parse_sweep(
      R"({"$schema": "sweep.schema.json", "comment": "why", "base": {"comment": "inline"},
          "parameters": [{"path": "/server/log_mode", "values": ["request", "block"], "comment": "both"}]})",
      "t.json", ".", "t");
  EXPECT_EQ(s.runs(), 2u);
  EXPECT_THROW(sweep::parse_sweep(R"({"base": {}, "comment": 1})", "t.json", ".", "t"), sweep::SweepError);
}

}  // namespace
}  // namespace failsim::test
