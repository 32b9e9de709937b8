// Bad scenario input, one test per class of mistake: each must be refused
// with a line naming the file, where (JSON path, or line and column when the
// text is not JSON) and what was expected.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "problems_of.hpp"

namespace failsim {
namespace {

using test::has_problem;
using test::problems_of;

TEST(ScenarioErrors, MalformedJsonGivesLineAndColumn) {
  EXPECT_TRUE(has_problem("{\n  \"seed\": 1,\n  \"name\": }", "line 3, column 11", "malformed JSON: syntax error"));
  EXPECT_TRUE(has_problem("{\"seed\": 1", "line 1, column 11", "malformed JSON"));
  EXPECT_TRUE(has_problem("{\"seed\": 1,}", "line 1, column 12", "malformed JSON"));
  // Columns count characters, not bytes.
  EXPECT_TRUE(has_problem("{\"name\": \"é\" x}", "line 1, column 14", "malformed JSON"));
}

TEST(ScenarioErrors, TopLevelMustBeAnObject) {
  EXPECT_TRUE(has_problem("[1, 2]", "$", "expected an object, found an array"));
  EXPECT_TRUE(has_problem("42", "$", "expected an object, found 42"));
  EXPECT_TRUE(has_problem("null", "$", "expected an object, found null"));
}

TEST(ScenarioErrors, WrongTypesNameTheExpectedType) {
  EXPECT_TRUE(has_problem(R"({"seed": "one"})", "$.seed", "expected a non-negative integer, found \"one\""));
  EXPECT_TRUE(has_problem(R"({"workload": {"clients": 2.5}})", "$.workload.clients", "expected an integer, found 2.5"));
  EXPECT_TRUE(has_problem(R"({"server": []})", "$.server", "expected an object, found an array"));
  EXPECT_TRUE(has_problem(R"({"faults": {}})", "$.faults", "expected an array, found an object"));
  EXPECT_TRUE(has_problem(R"({"faults": [3]})", "$.faults[0]", "expected an object, found 3"));
  EXPECT_TRUE(has_problem(R"({"timing": {"nvram": {"latency_s": true}}})", "$.timing.nvram.latency_s",
                          "expected a number, found true"));
  EXPECT_TRUE(has_problem(R"({"expect": {"takeover": "yes"}})", "$.expect.takeover", "expected true or false"));
  EXPECT_TRUE(has_problem(R"({"workload": {"aggregates": [1]}})", "$.workload.aggregates[0]", "expected a string"));
  // Integers written as whole numbers are integers, as in JSON Schema.
  EXPECT_EQ(sim::parse_scenario(R"({"workload": {"ops_per_client": 1e6, "clients": 4.0}})", "t").workload.ops_per_client,
            1000000u);
}

TEST(ScenarioErrors, IntegersBeyondTheirTypeAreRefused) {
  EXPECT_TRUE(has_problem(R"({"seed": -1})", "$.seed", "expected a non-negative integer"));
  EXPECT_TRUE(has_problem(R"({"seed": 18446744073709551616})", "$.seed", "expected a non-negative integer from 0 to 18446744073709551615"));
  EXPECT_TRUE(has_problem(R"({"workload": {"request_bytes": 4294967296}})", "$.workload.request_bytes", "to 4294967295"));
  EXPECT_EQ(sim::parse_scenario(R"({"seed": 18446744073709551615})", "t").seed, 18446744073709551615u);
  EXPECT_EQ(sim::parse_scenario(R"({"seed": -0})", "t").seed, 0u);
}

TEST(ScenarioErrors, NumbersBeyondADoubleAreRefused) {
  EXPECT_TRUE(has_problem(R"({"seed": 1, "timing": {"cpu_hz": 1e400}})", "line 1, column 34", "number 1e400 is out of range"));
}

TEST(ScenarioErrors, AParameterTheFaultKindDoesNotTakeIsRefused) {
  // interconnect_down cuts both directions: a node would be dropped silently.
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "interconnect_down", "at_s": 1, "node": "n1"}]})",
                          "$.faults[0].node", "interconnect_down takes no node (its parameters: duration_s)"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "node_crash", "at_s": 1, "node": "n0", "k": 3}]})",
                          "$.faults[0].k", "node_crash takes no k"));
  // The file defaults of every key (what scenario.json writes) are accepted.
  EXPECT_EQ(sim::parse_scenario(R"({"faults": [{"kind": "interconnect_down", "at_s": 1, "node": "", "k": 1,
                                   "probability": 1, "factor": 1, "blocks": []}]})", "t").faults.size(), 1u);
}

TEST(ScenarioErrors, UnknownKeysSuggestTheNearestKey) {
  EXPECT_TRUE(has_problem(R"({"workload": {"clents": 3}})", "$.workload.clents", "unknown key (did you mean 'clients'?)"));
  EXPECT_TRUE(has_problem(R"({"sed": 3})", "$.sed", "did you mean 'seed'?"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "reboot", "node": "n0", "at": 1}]})", "$.faults[0].at",
                          "did you mean 'at_s'?"));
  // Two neighbouring letters swapped are one mistake.
  EXPECT_TRUE(has_problem(R"({"cluster": {"aggregates": [{"nmae": "a", "owner": "n0"}]}})", "$.cluster.aggregates[0].nmae",
                          "did you mean 'name'?"));
  EXPECT_TRUE(has_problem(R"({"workload": {"cleints": 3}})", "$.workload.cleints", "did you mean 'clients'?"));
  // Nothing near: the keys it could have been.
  EXPECT_TRUE(has_problem(R"({"phases": {"zzzzzzzz": 3}})", "$.phases.zzzzzzzz",
                          "unknown key: expected one of fault_phase_s, settle_s"));
}

TEST(ScenarioErrors, SchemaAndCommentKeysAreForPeopleAndEditors) {
  const sim::Scenario s = sim::parse_scenario(R"({"$schema": "scenario.schema.json", "comment": "why this scenario",
      "workload": {"comment": "small", "clients": 2},
      "faults": [{"kind": "reboot", "node": "n0", "at_s": 1, "comment": "the owner restarts"}]})", "t");
  EXPECT_EQ(s.workload.clients, 2);
  EXPECT_EQ(s.faults.size(), 1u);
  EXPECT_TRUE(has_problem(R"({"comment": 3})", "$.comment", "expected a string"));
  // "$schema" names the file's schema: only at the top.
  EXPECT_TRUE(has_problem(R"({"workload": {"$schema": "x"}})", "$.workload['$schema']", "unknown key"));
}

TEST(ScenarioErrors, OddKeysAndValuesStayOnOneLine) {
  // A key that is not a plain name is quoted in the path; control characters
  // are escaped, so each problem is one line.
  EXPECT_TRUE(has_problem(R"({"work load": 1})", "$['work load']", "unknown key"));
  EXPECT_TRUE(has_problem(R"({"a\nb": 1})", "$['a\\nb']", "unknown key"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "hba_fail", "target": "x\ny"}]})", "$.faults[0].target",
                          "found 'x\\ny'"));
  const std::string two = problems_of(R"({"a\nb": 1, "c\rd": 2})");
  EXPECT_EQ(std::count(two.begin(), two.end(), '\n'), 1) << two;
}

TEST(ScenarioErrors, DuplicateKeysAreRefused) {
  EXPECT_TRUE(has_problem(R"({"seed": 1, "seed": 2})", "$.seed", "key given twice"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "reboot"}, {"kind": "reboot", "node": "n0", "node": "n1"}]})",
                          "$.faults[1].node", "key given twice"));
}

TEST(ScenarioErrors, MissingRequiredKeys) {
  EXPECT_TRUE(has_problem(R"({"faults": [{"at_s": 1}]})", "$.faults[0].kind", "required key is missing"));
  // A cluster section replaces the default cluster whole: no silent mixing.
  EXPECT_TRUE(has_problem(R"({"cluster": {"nodes": ["a", "b"]}})", "$.cluster.hbas",
                          "required key is missing (a \"cluster\" section replaces the default as a whole)"));
  EXPECT_TRUE(has_problem(R"({"cluster": {"nodes": ["a", "b"], "hbas": [{"name": "h"}]}})", "$.cluster.hbas[0].node",
                          "required key is missing"));
}

TEST(ScenarioErrors, NegativeTimesAreRefused) {
  EXPECT_TRUE(has_problem(R"({"phases": {"settle_s": -1}})", "$.phases.settle_s", "expected a number >= 0, found -1"));
  EXPECT_TRUE(has_problem(R"({"timing": {"disk": {"seek_s": -0.001}}})", "$.timing.disk.seek_s", ">= 0"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "reboot", "node": "n0", "at_s": -2}]})", "$.faults[0].at_s", ">= 0"));
  EXPECT_TRUE(has_problem(R"({"server": {"cp_interval_s": 0}})", "$.server.cp_interval_s", "expected a number > 0, found 0"));
  EXPECT_TRUE(has_problem(R"({"expect": {"max_takeover_s": -1}})", "$.expect.max_takeover_s", "> 0"));
}

TEST(ScenarioErrors, ZeroBandwidthAndClockAreRefused) {
  EXPECT_TRUE(has_problem(R"({"timing": {"interconnect": {"bandwidth_Bps": 0}}})", "$.timing.interconnect.bandwidth_Bps",
                          "expected a number > 0, found 0"));
  EXPECT_TRUE(has_problem(R"({"timing": {"cpu_hz": 0}})", "$.timing.cpu_hz", "> 0"));
  EXPECT_TRUE(has_problem(R"({"timing": {"loop_bandwidth_Bps": -5}})", "$.timing.loop_bandwidth_Bps", "> 0"));
}

TEST(ScenarioErrors, ClientCountOutOfRange) {
  EXPECT_TRUE(has_problem(R"({"workload": {"clients": 0}})", "$.workload.clients", "expected an integer from 1 to 30000, found 0"));
  EXPECT_TRUE(has_problem(R"({"workload": {"clients": 30001}})", "$.workload.clients", "from 1 to 30000"));
  EXPECT_TRUE(has_problem(R"({"workload": {"clients": 1e12}})", "$.workload.clients", "from 1 to 30000"));
}

TEST(ScenarioErrors, OpsPerClientAboveABillion) {
  EXPECT_TRUE(has_problem(R"({"workload": {"ops_per_client": 1000000001}})", "$.workload.ops_per_client",
                          "from 0 to 1000000000, found 1000000001"));
}

TEST(ScenarioErrors, NvramHalfTooSmallForOneLogEntry) {
  EXPECT_TRUE(has_problem(R"({"server": {"nvram_half_bytes": 4095}})", "$.server.nvram_half_bytes", "from 4096"));
  EXPECT_TRUE(has_problem(R"({"server": {"log_mode": "block", "nvram_half_bytes": 8192}})", "$.server.nvram_half_bytes",
                          "expected at least 45056 bytes (10 * block_size + 4096: room for one block-logging entry)"));
  EXPECT_EQ(problems_of(R"({"server": {"log_mode": "block", "nvram_half_bytes": 45056}})"), "");
  EXPECT_EQ(problems_of(R"({"server": {"nvram_half_bytes": 4096}})"), "");
}

// Sizes the simulator would have to hold in memory are refused by the reader
// with the limit, never met as an allocation failure.
TEST(ScenarioErrors, AbsurdSizesAreRefusedWithTheLimit) {
  EXPECT_TRUE(has_problem(R"({"server": {"nvram_half_bytes": 17179869184}})", "$.server.nvram_half_bytes",
                          "from 4096 to 268435456"));
  EXPECT_EQ(problems_of(R"({"server": {"nvram_half_bytes": 268435456}})"), "");
  EXPECT_TRUE(has_problem(R"({"server": {"block_size": 65536}, "cluster": {"nodes": ["n0", "n1"],
      "hbas": [{"name": "a", "node": "n0"}, {"name": "b", "node": "n1"}],
      "loops": [{"name": "l", "hbas": ["a", "b"], "shelves": ["s0"]}],
      "shelves": [{"name": "s0", "disks": 4, "pool": 0}],
      "aggregates": [{"name": "a0", "owner": "n0", "blocks": 4294967296, "plexes": [["s0"]]}]},
      "workload": {"aggregates": ["a0"]}})",
                          "$.cluster.aggregates[0].blocks", "expected at most 65536 blocks of server.block_size 65536 (4 GiB per plex)"));
  EXPECT_TRUE(has_problem(R"({"workload": {"ops_per_client": 1e18}})", "$.workload.ops_per_client", "from 0 to 1000000000"));
  EXPECT_TRUE(has_problem(R"({"workload": {"clients": 1000000000}})", "$.workload.clients", "from 1 to 30000"));
}

TEST(ScenarioErrors, BlockSizeMustBeAPowerOfTwoFrom512To65536) {
  EXPECT_TRUE(has_problem(R"({"server": {"block_size": 1000}})", "$.server.block_size", "expected a power of two"));
  EXPECT_TRUE(has_problem(R"({"server": {"block_size": 256}})", "$.server.block_size", "from 512 to 65536"));
  EXPECT_TRUE(has_problem(R"({"server": {"block_size": 131072}})", "$.server.block_size", "from 512 to 65536"));
}

TEST(ScenarioErrors, AggregateBlocksOutOfRange) {
  const std::string head = R"({"cluster": {"nodes": ["n0", "n1"], "hbas": [], "loops": [], "shelves": [{"name": "s"}],
      "aggregates": [{"name": "a", "owner": "n0", "plexes": [["s"]], "blocks": )";
  EXPECT_TRUE(has_problem(head + "63}]}}", "$.cluster.aggregates[0].blocks", "from 64 to 4294967296, found 63"));
  EXPECT_TRUE(has_problem(head + "4294967297}]}}", "$.cluster.aggregates[0].blocks", "from 64 to 4294967296"));
}

TEST(ScenarioErrors, TooManyFaults) {
  std::string many = R"({"faults": [)";
  for (int i = 0; i < 10001; ++i) many += std::string(i ? "," : "") + R"({"kind": "reboot", "node": "n0"})";
  EXPECT_TRUE(has_problem(many + "]}", "$.faults", "expected at most 10000 items, found 10001"));
}

TEST(ScenarioErrors, ProbabilityOutsideZeroToOne) {
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "client_message_loss", "probability": 1.5}]})", "$.faults[0].probability",
                          "expected a number from 0 to 1, found 1.5"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "client_message_loss", "probability": -0.1}]})",
                          "$.faults[0].probability", "from 0 to 1"));
}

TEST(ScenarioErrors, DataBytesMinAboveMax) {
  EXPECT_TRUE(has_problem(R"({"workload": {"data_bytes_min": 9, "data_bytes_max": 8}})", "$.workload.data_bytes_min",
                          "expected at most data_bytes_max (8), found 9"));
}

TEST(ScenarioErrors, NegativeRetryLimit) {
  EXPECT_TRUE(has_problem(R"({"workload": {"retry_limit": -1}})", "$.workload.retry_limit", "expected an integer >= 0, found -1"));
}

TEST(ScenarioErrors, WordsOutsideTheirSet) {
  EXPECT_TRUE(has_problem(R"({"server": {"log_mode": "blocks"}})", "$.server.log_mode",
                          "expected one of \"request\" or \"block\", found \"blocks\" (did you mean 'block'?)"));
  EXPECT_TRUE(has_problem(R"({"server": {"giveback": {"mode": "later"}}})", "$.server.giveback.mode",
                          "expected one of \"auto\", \"at\" or \"never\""));
  EXPECT_TRUE(has_problem(R"({"workload": {"loop": "half-open"}})", "$.workload.loop", "expected one of"));
  EXPECT_TRUE(has_problem(R"({"workload": {"namespace_mode": "Shared"}})", "$.workload.namespace_mode", "did you mean 'shared'?"));
  EXPECT_TRUE(has_problem(R"({"faults": [{"kind": "nod_crash", "node": "n0"}]})", "$.faults[0].kind",
                          "did you mean 'node_crash'?"));
}

TEST(ScenarioErrors, DeepNestingIsRefusedBeforeParsing) {
  // Deep enough to overflow the stack of a recursive parser.
  const std::string deep = R"({"description": )" + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";
  EXPECT_TRUE(has_problem(deep, "line 1, column 80", "nested deeper than 64 levels"));
  // Brackets inside strings do not count.
  EXPECT_EQ(problems_of(R"({"description": ")" + std::string(1000, '[') + "\"}"), "");
}

TEST(ScenarioErrors, NonUtf8IsRefused) {
  EXPECT_TRUE(has_problem("{\"name\": \"caf\xe9\"}", "line 1, column 14", "not valid UTF-8 (byte 0xE9)"));
  EXPECT_TRUE(has_problem("{\"name\": \"\xc0\xaf\"}", "line 1, column 11", "not valid UTF-8 (byte 0xC0)"));  // overlong
  EXPECT_TRUE(has_problem("{\"name\": \"\xed\xa0\x80\"}", "line 1, column 11", "not valid UTF-8"));     // surrogate
  EXPECT_TRUE(has_problem(std::string("\xff\xfe{\0}\0", 6), "line 1, column 1", "UTF-16 text: expected UTF-8"));
  EXPECT_EQ(problems_of("\xef\xbb\xbf{\"name\": \"caf\xc3\xa9 \xf0\x9f\x98\x80\"}"), "");  // BOM, é, emoji
}

TEST(ScenarioErrors, EmptyFile) {
  EXPECT_TRUE(has_problem("", "$", "empty file: expected a JSON object"));
  EXPECT_TRUE(has_problem(" \n\t\r\n", "$", "only white space: expected a JSON object"));
}

TEST(ScenarioErrors, DirectoryCannotBeRead) {
  const std::string dir = std::filesystem::temp_directory_path().string();
  try {
    sim::load_scenario_file(dir);
    ADD_FAILURE() << dir << " was read";
  } catch (const sim::ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), dir + ": cannot read: it is a directory, expected a scenario file");
  }
}

TEST(ScenarioErrors, MissingFileCannotBeRead) {
  try {
    sim::load_scenario_file("/nonexistent/scenario.json");
    ADD_FAILURE() << "a missing file was read";
  } catch (const sim::ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/scenario.json: cannot read: No such file or directory");
  }
}

TEST(ScenarioErrors, ProblemsInAFileNameTheFile) {
  const auto path = std::filesystem::temp_directory_path() / "failsim-scenario-errors-test.json";
  std::ofstream(path) << R"({"workload": {"clients": 0}})";
  try {
    sim::load_scenario_file(path.string());
    ADD_FAILURE() << "a bad file was accepted";
  } catch (const sim::ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + ": $.workload.clients: expected an integer from 1 to 30000, found 0");
    EXPECT_EQ(e.problems.size(), 1u);
  }
  std::filesystem::remove(path);
}

TEST(ScenarioErrors, AllProblemsAreReportedUpToACap) {
  // Several independent mistakes: all of them, not just the first.
  const std::string p = problems_of(R"({"sed": 1, "workload": {"clients": 0, "loop": "x"}, "phases": {"settle_s": -1}})");
  for (const char* where : {"$.sed", "$.workload.clients", "$.workload.loop", "$.phases.settle_s"})
    EXPECT_NE(p.find(std::string("test.json: ") + where + ": "), std::string::npos) << where << " in\n" << p;
  // Hundreds: the first 20, and a count of the rest.
  std::string many = R"({"faults": [)";
  for (int i = 0; i < 100; ++i) many += std::string(i ? "," : "") + R"({"kind": "no_such_kind"})";
  try {
    sim::parse_scenario(many + "]}", "test.json");
    ADD_FAILURE();
  } catch (const sim::ScenarioError& e) {
    ASSERT_EQ(e.problems.size(), 21u);
    EXPECT_EQ(e.problems.back(), "test.json: $: 80 more problems not shown");
  }
}

}  // namespace
}  // namespace failsim
