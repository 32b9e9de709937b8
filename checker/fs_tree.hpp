// A file-system tree (model::PathInfo per path, as Filesystem::tree() and
// ReferenceFs::tree() give it) as final-state records
// (runfolder/final_state.hpp): how the checker's oracle states a final state.
#pragma once

#include <map>
#include <string>

#include "model/filesystem.hpp"
#include "runfolder/final_state.hpp"

namespace failsim::checker {

runfolder::Tree tree_records(const std::map<std::string, model::PathInfo>& tree);

}  // namespace failsim::checker
