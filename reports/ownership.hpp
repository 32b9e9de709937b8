// Who served each aggregate when - its owner, its partner, or nobody - as
// back-to-back spans from 0 to the run's end: the ownership lanes of the
// timeline. Read off the serving timeline (runfolder/serving_timeline.hpp),
// the one definition of who serves an aggregate, never derived again here.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_data.hpp"

namespace failsim::reports {

struct OwnershipSpan {
  std::string server;  // the node serving the aggregate, "" for nobody
  std::string role;    // "owner", "partner" (a node that does not own it) or "nobody"
  double start_s = 0, end_s = 0;
  double duration_s() const { return end_s - start_s; }
};

struct AggregateOwnership {
  std::string aggregate, owner;
  std::vector<OwnershipSpan> spans;  // in time order, back to back, none empty
  // Time in each role; unserved_s counts from the aggregate's first serve
  // (the boot before it is no outage).
  double owner_s = 0, partner_s = 0, unserved_s = 0;
};

struct Ownership {
  std::vector<AggregateOwnership> aggregates;  // in the scenario's order
  double end_s = 0;  // the serving timeline's end: the world's "end" event, or the last event
  nlohmann::json to_json() const;
};

Ownership build_ownership(const RunData& run);

const std::vector<std::string>& ownership_roles();  // owner, partner, nobody: for legends

}  // namespace failsim::reports
