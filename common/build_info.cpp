// The build string from the values generated at build time (kept out of the
// header so that a new commit recompiles this file alone).
#include "common/build_info.hpp"

#include "common/build_info_values.hpp"

namespace failsim {

const std::string& build_name() {
  static const std::string name = [] {
    std::string b = std::string("failsim ") + build_values::version;
    if (*build_values::git_commit) b += std::string(" (commit ") + build_values::git_commit + ")";
    return b;
  }();
  return name;
}

}  // namespace failsim
