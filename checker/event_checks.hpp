// Checks of a run's node events (events.jsonl): every on-disk image passed
// fsck after every CP and every crash, and no two nodes served one
// aggregate at the same time (split brain).
#pragma once

#include <string>
#include <vector>

#include "checker/exactly_once.hpp"

namespace failsim::checker {

struct EventReport {
  std::vector<Violation> violations;
  std::uint64_t fsck_runs = 0;
};

EventReport check_events(const std::string& events_path);

}  // namespace failsim::checker
