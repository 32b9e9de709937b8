// failsim validate FILE...: checks scenario files and sweep files without
// running them, each problem named with its file and JSON path (exit 2).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace failsim::cli {

int validate_command(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

}  // namespace failsim::cli
