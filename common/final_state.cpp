// Tree -> final-state JSON.
#include "final_state.hpp"

#include "digest.hpp"

namespace failsim {

nlohmann::json tree_json(const std::map<std::string, model::PathInfo>& tree) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [path, info] : tree) {
    nlohmann::json e{{"type", info.type == model::InodeType::dir ? "dir" : "file"}, {"mode", info.mode}};
    if (info.type == model::InodeType::file) {
      e["size"] = info.size;
      e["sha256"] = sha256_hex(info.contents);
    }
    out[path] = e;
  }
  return out;
}

}  // namespace failsim
