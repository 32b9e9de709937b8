// model::PathInfo -> final-state records.
#include "fs_tree.hpp"

namespace failsim::checker {

runfolder::Tree tree_records(const std::map<std::string, model::PathInfo>& tree) {
  runfolder::Tree out;
  for (const auto& [path, info] : tree)
    out.emplace_hint(out.end(), path,
                     info.type == model::InodeType::dir ? runfolder::PathState::dir(info.mode)
                                                        : runfolder::PathState::file(info.mode, info.size, info.contents));
  return out;
}

}  // namespace failsim::checker
