// The run as a timeline, from events.jsonl: each node's state over time
// (down, booting, recovering, taking over, giving back, waiting for giveback,
// serving, idle), its activities (CPs, reservation, aggregate load, replay)
// and the faults, repairs and settle phase as markers.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_data.hpp"

namespace failsim::reports {

struct Span {
  std::string node;
  std::string lane;  // "state", or an activity lane: "CP aggr0", "recovery aggr0"
  std::string name;  // the state, or the activity: "CP", "reserve", "load", "replay"
  double start_s = 0, end_s = 0;
  nlohmann::json args = nlohmann::json::object();
  double duration_s() const { return end_s - start_s; }
};

struct Marker {
  double time_s = 0;
  std::string node;  // "" for the whole cluster
  std::string kind;  // fault, fault_armed, repair, settle
  std::string label;
};

struct Timeline {
  std::vector<std::string> nodes;
  std::vector<Span> states;      // per node, back to back, in time order
  std::vector<Span> activities;  // in start order
  std::vector<Marker> markers;
  double end_s = 0;
};

Timeline build_timeline(const RunData& run);

// The state names, in the order the page's legend lists them.
const std::vector<std::string>& state_names();

}  // namespace failsim::reports
