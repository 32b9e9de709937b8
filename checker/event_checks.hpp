// Checks of a run's node events (events.jsonl), read once: every on-disk
// image passed fsck after every CP and every crash, no two nodes served one
// aggregate at the same time (split brain), and the serving timeline the
// liveness checks and the expectations judge - who serves each aggregate at
// the end, its outages, its takeovers. Everything here comes from the
// events, never from summary.json's derived figures.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checker/exactly_once.hpp"

namespace failsim::checker {

// A takeover: the owner stopped serving its aggregate (it crashed, or it
// stopped serving it) and its partner served it next. This is the one
// definition of a takeover's duration the checker uses.
struct Takeover {
  std::string aggregate, owner, by;
  double from_s = 0;  // the owner's crash or stop_serving
  double to_s = 0;    // the partner's serve
  double duration_s() const { return to_s - from_s; }
};

// From an aggregate's server stopping (a crash, a giveback) to the next
// serve; one still open at the run's end lasts until then.
struct Outage {
  std::string aggregate;
  double from_s = 0, to_s = 0;
};

struct EventReport {
  std::vector<Violation> violations;  // fsck, split_brain
  std::uint64_t fsck_runs = 0;
  std::map<std::string, std::string> server_at_end;  // aggregate -> node serving it when the run ended
  std::vector<Takeover> takeovers;
  std::vector<Outage> outages;
  bool served_by_non_owner = false;  // a node served an aggregate it does not own
  double end_s = 0;
};

// `owners`: aggregate -> its owner node (from the scenario; empty without one).
EventReport check_events(const std::string& events_path, const std::map<std::string, std::string>& owners = {});

}  // namespace failsim::checker
