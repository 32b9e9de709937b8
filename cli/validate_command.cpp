// failsim validate (validate_command.hpp). A file is a sweep file when its
// top-level object has a "base" key (which no scenario has); otherwise it is
// read as a scenario.
#include "validate_command.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario_json.hpp"
#include "sweep/sweep_read.hpp"

namespace failsim::cli {

namespace {

bool looks_like_a_sweep(const std::string& path) {
  std::ifstream in(path);
  if (!in) return false;  // the scenario reader names the problem
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("base");
}

}  // namespace

int validate_command(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
  int status = 0;
  for (const auto& f : files) {
    if (!looks_like_a_sweep(f)) {
      status = std::max(status, sim::validate_command({f}, out, err));
      continue;
    }
    try {
      const sweep::Sweep s = sweep::load_sweep_file(f);
      out << f << ": ok (a sweep of " << s.runs() << " runs)\n";
    } catch (const sweep::SweepError& e) {
      err << e.what() << "\n";
      status = 2;
    }
  }
  return status;
}

}  // namespace failsim::cli
