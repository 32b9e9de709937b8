// The final-state.json entry of a file-system tree: every path but "/" with
// its type and mode, and for files the size and the SHA-256 of the contents.
// The simulator writes it; the checker builds the same from its oracle.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "model/filesystem.hpp"

namespace failsim {

nlohmann::json tree_json(const std::map<std::string, model::PathInfo>& tree);

}  // namespace failsim
