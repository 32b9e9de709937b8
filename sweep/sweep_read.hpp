// Sweep files: JSON in, a resolved Sweep out, or every problem found, each
// "FILE: JSON_PATH: what was expected" as the scenario reader words them.
// Each grid point's scenario goes through the scenario reader here, so a
// value the simulator would refuse is refused before anything runs.
//
//   {"name": "heartbeat",                       optional, default: the file's stem
//    "description": "...",                      optional
//    "base": "../default.json",                 a scenario file relative to this file, or a scenario object
//    "parameters": [{"path": "/server/heartbeat_timeout_s", "values": [0.5, 1, 2],
//                    "name": "timeout_s"}],     name optional, default: the pointer's last part
//    "seeds": 3,                                a count (seeds 1..N) or a list; default 1
//    "figures": [{"column": "outage_s", "report": "/takeovers/0/outage_s"},
//                {"column": "checked", "verdict": "/ops_checked"}],
//    "charts": [{"x": "timeout_s", "y": "outage_s", "series": "...", "log_x": true}]}   series, log_x optional
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "sweep/sweep.hpp"

namespace failsim::sweep {

// Bad sweep input: what() holds one line per problem.
struct SweepError : std::runtime_error {
  explicit SweepError(const std::vector<std::string>& problems);
  std::vector<std::string> problems;
};

// `source_name` names the file in problems; a base scenario path is read
// relative to `base_dir`; `default_name` is the name when the file gives none.
Sweep parse_sweep(const std::string& text, const std::string& source_name, const std::string& base_dir,
                  const std::string& default_name);
Sweep load_sweep_file(const std::string& path);

// The top-level keys of report.json and verdict.json a figure may point into.
const std::vector<std::string>& report_sections();
const std::vector<std::string>& verdict_fields();

}  // namespace failsim::sweep
