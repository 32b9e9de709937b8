// The fault-kind table (sim/scenario/fault_kind.hpp) and everything that
// lists kinds agree: names round-trip, the schema's word list is the table's,
// each kind's parameter struct takes what its row says it needs, a fault
// survives the file form, the random generator draws every kind, and
// README names every kind. (The simulator's dispatch is an exhaustive
// switch: a kind it does not handle fails to compile.)
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/scenario_gen.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim {
namespace {

using nlohmann::json;
using sim::FaultKind;

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(FaultKinds, EveryKindHasANameThatRoundTrips) {
  std::set<std::string_view> names;
  for (const auto& row : sim::fault_kind_table) {
    EXPECT_EQ(sim::to_string(row.kind), row.name);
    EXPECT_EQ(sim::from_word<FaultKind>(row.name), row.kind) << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << row.name << " twice";
  }
  EXPECT_EQ(sim::from_word<FaultKind>("nod_crash"), std::nullopt);
}

TEST(FaultKinds, TheSchemaListsTheTablesKinds) {
  const json kinds = sim::scenario_schema()["properties"]["faults"]["items"]["properties"]["kind"]["enum"];
  EXPECT_EQ(kinds.get<std::vector<std::string>>(), sim::fault_kinds());
  EXPECT_EQ(sim::fault_kinds().size(), sim::fault_kind_count);
}

TEST(FaultKinds, EachKindsParametersAreWhatItsRowNeeds) {
  for (const auto& row : sim::fault_kind_table) {
    const sim::FaultSpec f{.params = sim::params_of(row.kind)};
    EXPECT_EQ(f.kind(), row.kind) << row.name;
    const std::vector<std::string> keys = sim::fault_parameters(row.kind);
    EXPECT_EQ(has(keys, "node"), row.node != sim::NodeUse::none) << row.name;
    EXPECT_EQ(has(keys, "target"), row.target != sim::TargetUse::none) << row.name;
    EXPECT_EQ(has(keys, "k"), row.timing == sim::FaultTiming::point) << row.name;
    if (row.needs_duration) {
      EXPECT_TRUE(has(keys, "duration_s")) << row.name;
    }
    if (row.envelope == sim::Envelope::one_plex || row.envelope == sim::Envelope::one_path) {
      EXPECT_NE(row.target, sim::TargetUse::none) << row.name << ": a storage fault names what fails";
    }
  }
}

TEST(FaultKinds, EveryKindSurvivesTheFileForm) {
  for (const auto& row : sim::fault_kind_table) {
    // Every key set to a value of its own; the kind keeps what it takes.
    const sim::FaultWire w{.kind = row.kind, .at_s = 1, .node = "n1", .target = "t", .k = 7, .duration_s = 2,
                           .period_s = 3, .probability = 0.5, .delay_s = 4, .factor = 5, .blocks = {9}};
    const sim::FaultSpec f = sim::from_wire(w);
    EXPECT_EQ(f.kind(), row.kind);
    EXPECT_EQ(sim::from_wire(sim::to_wire(f)), f) << row.name;
    const sim::FaultWire back = sim::to_wire(f);
    const std::vector<std::string> keys = sim::fault_parameters(row.kind);
    EXPECT_EQ(back.node, has(keys, "node") ? "n1" : "") << row.name;
    EXPECT_EQ(back.k, has(keys, "k") ? 7u : 1u) << row.name;
    EXPECT_EQ(back.factor, has(keys, "factor") ? 5 : 1) << row.name;
    EXPECT_EQ(back.probability, has(keys, "probability") ? 0.5 : 1) << row.name;
  }
}

TEST(FaultKinds, TheGeneratorDrawsEveryKind) {
  std::vector<std::string> expected = sim::fault_kinds(), generated = checker::generated_fault_kinds();
  std::sort(expected.begin(), expected.end());
  std::sort(generated.begin(), generated.end());
  EXPECT_EQ(generated, expected);
  std::set<FaultKind> seen;
  for (std::uint64_t i = 0; i < 400 && seen.size() < sim::fault_kind_count; ++i) {
    const sim::Scenario s = checker::scenario_gen()(rc::Random(i), static_cast<int>(i % 100 + 1)).value();
    for (const auto& f : s.faults) seen.insert(f.kind());
  }
  for (const auto& row : sim::fault_kind_table) EXPECT_TRUE(seen.contains(row.kind)) << row.name << " never drawn";
}

TEST(FaultKinds, ReadmeNamesEveryKind) {
  std::ifstream in(std::string(FAILSIM_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in);
  std::ostringstream text;
  text << in.rdbuf();
  for (const auto& row : sim::fault_kind_table)
    EXPECT_NE(text.str().find("`" + std::string(row.name) + "`"), std::string::npos) << row.name << " is not in README";
}

}  // namespace
}  // namespace failsim
