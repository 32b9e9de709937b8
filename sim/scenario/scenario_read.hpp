// Reading a parsed scenario JSON object into a Scenario: types, unknown keys,
// required keys, and the per-field bounds of the field table. References
// between fields are checked afterwards (scenario_check.hpp). Internal to
// sim/scenario.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/problems.hpp"
#include "sim/scenario/scenario.hpp"

namespace failsim::sim::detail {

// Fills `s` (which starts as the defaults) from `j`; problems go to `p`.
void read_scenario(const nlohmann::json& j, Scenario& s, Problems& p);

// Every key the reader accepts, as field-table paths ("faults[].kind"), in
// the order the reader visits them.
std::vector<std::string> accepted_key_paths();

}  // namespace failsim::sim::detail
