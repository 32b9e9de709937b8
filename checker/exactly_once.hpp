// The exactly-once and results check: the changes made to each independent
// part of the namespace - a client's own directory in a private namespace,
// a whole aggregate in a shared one - must have a serialization consistent
// with real time in which every change gives the result its client saw,
// applied once each, and after which the tree equals the final state
// (checker/serialization.hpp). A change with unknown outcome applies at most
// once. In a private namespace nothing may exist outside the clients'
// directories.
//
// Each part is judged on its own and its changes freed as soon as it is:
// in a private namespace, memory after reading goes down client by client.
#pragma once

#include <cstdint>
#include <map>
#include <set>
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
  std::uint64_t search_states = 0;
  // Parts whose search ran out of its state budget: neither proved nor refuted.
  std::vector<std::string> undecided;
  // Changes with unknown outcome the serializations found leave out
  // (client, xid): how the judge names the acknowledged changes an
  // out-of-envelope run lost, once it has made them unknown.
  std::vector<std::pair<model::ClientId, model::Xid>> left_out;
};

// The search budget of a part: this many states, plus 10 per change (a
// history without concurrency needs one state per change). A refutation of
// a highly concurrent history may need far more: it is then undecided.
inline constexpr std::uint64_t default_search_states = 2'000'000;

// Judges `history` part by part, emptying it as it goes.
// `acked_unknown`: acknowledged changes made unknown because their loss is
// accepted (see AckedUnknown in checker/serialization.hpp).
ExactlyOnceReport check_exactly_once(History& history, const nlohmann::json& final_state, bool shared_namespace,
                                     std::uint64_t search_states = default_search_states,
                                     const std::set<std::pair<model::ClientId, model::Xid>>* acked_unknown = nullptr);
// The same for changes in the ClientOp form.
ExactlyOnceReport check_exactly_once(const std::map<model::ClientId, std::vector<ClientOp>>& history,
                                     const nlohmann::json& final_state, bool shared_namespace,
                                     std::uint64_t search_states = default_search_states);

}  // namespace failsim::checker
