// Scenario files: JSON in, Scenario out, with every problem named by file,
// JSON path and what was expected; and the full scenario back to JSON (every
// default filled in), so a run folder records exactly what ran and a shrunk
// failure can be written as a file `failsim run` replays.
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

// Bad scenario input. what() holds one line per problem (at most 20, then a
// count of the rest): "FILE: JSON_PATH: what was expected", or
// "FILE: line L, column C: ..." when the text is not JSON, or
// "FILE: cannot read: reason".
struct ScenarioError : std::runtime_error {
  explicit ScenarioError(const std::vector<std::string>& problems);
  std::vector<std::string> problems;
};

// Every key is optional and defaults as in scenario.hpp, except that a
// "cluster" section replaces the default cluster as a whole. `source_name`
// is the FILE of the problem lines.
Scenario parse_scenario(const std::string& text, const std::string& source_name);
Scenario load_scenario_file(const std::string& path);
// Every field, defaults included; parse_scenario(to_json(s).dump()) == s.
nlohmann::json to_json(const Scenario& s);
// The JSON Schema of scenario files (scenarios/scenario.schema.json), from the
// same field lists the reader uses.
nlohmann::json scenario_schema();

// `failsim validate FILE...`: "FILE: ok" per valid file on `out`, problems on
// `err`; 0 when all are valid, 2 otherwise.
int validate_command(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

}  // namespace failsim::sim
