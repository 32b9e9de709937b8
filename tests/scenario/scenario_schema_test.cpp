// The JSON Schema (scenarios/scenario.schema.json) and the reader agree: the
// same keys at every level, every field described, every bound and word set
// the schema states enforced by the reader, and the committed files up to
// date with the code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <optional>
#include <set>

#include "problems_of.hpp"
#include "sim/scenario/field_info.hpp"
#include "sim/scenario/scenario_read.hpp"

namespace failsim {
namespace {

using nlohmann::json;

json committed_schema() {
  std::ifstream in(std::string(FAILSIM_SCENARIO_DIR) + "/scenario.schema.json");
  if (!in) return nullptr;
  return json::parse(in);
}

// Every property of the schema, as field-table paths ("faults[].kind"),
// but the annotations for people and editors ("comment" in every object,
// "$schema" at the top), which the reader skips: each object must offer a
// comment.
void schema_keys(const json& s, const std::string& at, std::set<std::string>& out) {
  if (s.contains("properties")) {
    EXPECT_TRUE(s["properties"].contains("comment")) << (at.empty() ? "the top" : at) << " takes no comment";
    EXPECT_EQ(s["properties"].contains("$schema"), at.empty()) << (at.empty() ? "the top" : at);
  }
  if (s.contains("properties"))
    for (auto& [key, sub] : s["properties"].items()) {
      if (key == "comment" || key == "$schema") continue;
      const std::string path = at.empty() ? key : at + "." + key;
      out.insert(path);
      schema_keys(sub, path, out);
    }
  if (s.contains("items")) schema_keys(s["items"], at + "[]", out);
}

TEST(ScenarioSchema, TheCommittedSchemaIsTheGeneratedOne) {
  const json committed = committed_schema();
  ASSERT_FALSE(committed.is_null()) << "scenarios/scenario.schema.json is missing: failsim schema > scenarios/scenario.schema.json";
  EXPECT_EQ(committed, sim::scenario_schema()) << "regenerate it: failsim schema > scenarios/scenario.schema.json";
}

TEST(ScenarioSchema, TheDocumentedDefaultsAreTheRealOnes) {
  std::ifstream in(std::string(FAILSIM_DOCS_DIR) + "/scenario-defaults.json");
  ASSERT_TRUE(in) << "docs/scenario-defaults.json is missing: failsim schema --defaults > docs/scenario-defaults.json";
  EXPECT_EQ(json::parse(in), sim::to_json(sim::Scenario{}))
      << "regenerate it: failsim schema --defaults > docs/scenario-defaults.json";
}

TEST(ScenarioSchema, SchemaAndReaderAcceptTheSameKeys) {
  std::set<std::string> in_schema;
  schema_keys(committed_schema(), "", in_schema);
  const std::vector<std::string> accepted = sim::detail::accepted_key_paths();
  const std::set<std::string> in_reader(accepted.begin(), accepted.end());
  for (const auto& k : in_reader) EXPECT_TRUE(in_schema.contains(k)) << k << " is read but not in the schema";
  for (const auto& k : in_schema) EXPECT_TRUE(in_reader.contains(k)) << k << " is in the schema but not read";
  EXPECT_GT(in_schema.size(), 90u);

  // And the reader really takes each of those keys and nothing else: a
  // document with every key passes, a stray key at any level is refused.
  sim::Scenario rich;
  rich.faults.push_back({.params = sim::LatentSectorError{.target = "shelf0.d0", .blocks = {1}}});
  rich.workload.aggregates = {"aggr0"};
  const json full = sim::to_json(rich);
  EXPECT_EQ(test::problems_of(full.dump()), "");
  const json flat = full.flatten();  // kept: items() refers to it
  for (auto& [ptr, value] : flat.items()) {
    (void)value;
    for (json::json_pointer p(ptr); !p.empty(); p = p.parent_pointer()) {
      const json::json_pointer parent = p.parent_pointer();
      if (!full[parent].is_object()) continue;
      json stray = full;
      stray[parent]["not_a_key"] = 1;
      EXPECT_NE(test::problems_of(stray.dump()).find("not_a_key: unknown key"), std::string::npos) << parent.to_string();
    }
  }
}

TEST(ScenarioSchema, EveryFieldIsDescribedAndEveryDescriptionIsAField) {
  const std::vector<std::string> accepted = sim::detail::accepted_key_paths();
  for (const auto& k : accepted) {
    const auto* info = sim::detail::field_info(k);
    ASSERT_NE(info, nullptr) << k << " has no entry in sim/scenario/field_info.cpp";
    EXPECT_FALSE(info->description.empty()) << k;
  }
  for (const auto& k : sim::detail::field_info_paths()) {
    // Entries name fields, or the items of an array field ("plexes[]").
    const std::string field = k.ends_with("[]") ? k.substr(0, k.size() - 2) : k;
    EXPECT_NE(std::find(accepted.begin(), accepted.end(), field), accepted.end()) << k << " is not a field";
  }
}

TEST(ScenarioSchema, UnitsAreStatedWhereTheNameHasOne) {
  std::function<void(const json&, const std::string&)> walk = [&](const json& s, const std::string& key) {
    if (s.contains("description")) {
      const std::string d = s["description"];
      std::string lower = d;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      auto says = [&](bool when, const char* what) {
        if (when) {
          EXPECT_NE(lower.find(what), std::string::npos) << key << ": " << d;
        }
      };
      says(key.ends_with("_s"), "second");
      says(key.ends_with("_Bps"), "bytes per second");
      says(key.ends_with("_bytes"), "bytes");
      // Objects' defaults are their fields' (the cluster's is told in words).
      says(s.contains("default") && !s["default"].is_object(), "default: ");
    }
    if (s.contains("properties"))
      for (auto& [k, sub] : s["properties"].items()) walk(sub, k);
    if (s.contains("items")) walk(s["items"], key);
  };
  walk(committed_schema(), "");
}

// A value just outside what `s` (a property schema) allows, if it states a
// bound or a word set.
std::optional<json> outside(const json& s, const json& valid) {
  if (s.contains("enum")) return "not-one-of-them";
  if (s.contains("minimum") && s["minimum"].get<double>() > -1e18) {
    if (s["type"] == "integer") return s["minimum"].get<double>() - 1;
    return s["minimum"].get<double>() - 0.5;
  }
  if (s.contains("exclusiveMinimum")) return s["exclusiveMinimum"];
  if (s.contains("maximum")) return s["maximum"].get<double>() + 1;
  if (s.contains("minItems") && s["minItems"].get<int>() > 0) return json::array();
  if (s.contains("maxItems") && valid.is_array() && !valid.empty())
    return json(std::vector<json>(s["maxItems"].get<std::size_t>() + 1, valid[0]));
  return std::nullopt;
}

TEST(ScenarioSchema, TheReaderEnforcesTheSchemasBoundsAndWords) {
  sim::Scenario rich;
  rich.faults.push_back({.params = sim::LatentSectorError{.target = "shelf0.d0", .blocks = {1}}});
  const json full = sim::to_json(rich);
  int checked = 0;
  // Walk the schema and the document side by side; arrays at their first item.
  std::function<void(const json&, const json::json_pointer&)> walk = [&](const json& s, const json::json_pointer& at) {
    if (auto bad = outside(s, full[at])) {
      json doc = full;
      doc[at] = *bad;
      // The JSON path of `at`: /faults/0/k -> $.faults[0].k
      std::string path = "$";
      for (json::json_pointer p = at; !p.empty(); p = p.parent_pointer()) {
        const std::string last = p.back();
        const bool index = !last.empty() && std::all_of(last.begin(), last.end(), ::isdigit);
        path.insert(1, index ? "[" + last + "]" : "." + last);
      }
      EXPECT_TRUE(test::has_problem(doc.dump(), path, "expected")) << "schema: " << s.dump();
      ++checked;
    }
    if (s.contains("properties"))
      for (auto& [k, sub] : s["properties"].items())
        if (full[at].contains(k)) walk(sub, at / k);
    if (s.contains("items") && full[at].is_array() && !full[at].empty()) walk(s["items"], at / 0);
  };
  walk(committed_schema(), json::json_pointer());
  EXPECT_GT(checked, 60);
}

}  // namespace
}  // namespace failsim
