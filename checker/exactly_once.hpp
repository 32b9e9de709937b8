// The exactly-once check for private namespaces: each client's changes, in
// its issue order, applied once each to a reference file system, must give
// every result the client saw, and the client's subtree in the final state.
// A change whose outcome is unknown may have been applied or not: both
// branches are followed. Nothing outside the clients' subtrees may exist.
// Clients with concurrent requests are not judged yet (see not_judged).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/history.hpp"

namespace failsim::checker {

struct Violation {
  std::string property;  // "exactly_once", "results", "no_phantom_changes", ...
  std::string detail;    // the offending op, time and path
};

struct ExactlyOnceReport {
  std::vector<Violation> violations;
  std::uint64_t ops_checked = 0;
  std::uint64_t unknown_ops = 0;
  // Clients with requests outstanding at once (open loop): their changes may
  // apply in any order among the concurrent ones; judging that needs a
  // linearizability search, which is not built yet. They are counted, not judged.
  std::vector<model::ClientId> not_judged;
};

ExactlyOnceReport check_private_namespaces(const std::map<model::ClientId, std::vector<ClientOp>>& history,
                                           const nlohmann::json& final_state);

}  // namespace failsim::checker
