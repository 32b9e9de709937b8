// Searches for a serialization of a set of changes made to one file system:
// an order consistent with real time (a change that completed before another
// was invoked comes first) in which every change gives the result its client
// saw, and after which the tree equals the final state. A change whose
// outcome is unknown may take effect anywhere after its invocation, or not at
// all. This is a linearizability check (Wing & Gong's search with Lowe's memo
// of (changes done, state) pairs, here those found to fail), bounded by a
// state budget.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/history.hpp"

namespace failsim::checker {

struct SerializationSearch {
  enum class Outcome {
    found,
    results_unexplained,      // no order gives every client the results it saw
    final_state_unexplained,  // every result is explained, the final state never is
    budget_exhausted,         // undecided: the search stopped at max_states
  };
  Outcome outcome = Outcome::found;
  std::uint64_t states = 0;  // search states visited
  std::string detail;        // for a failure: the change no order explains, or the first path that differs
  // Found: the changes with unknown outcome the serialization leaves out
  // (client, xid). The search tries an unknown change nowhere first, so a
  // change whose effect nothing later shows is left out.
  std::vector<std::pair<model::ClientId, model::Xid>> left_out;
};

// Changes (client, xid) that were acknowledged but whose effect may have
// been lost (an out-of-envelope run): each applies at most once, and if at
// all then with the result its client saw and before its acknowledgement -
// unlike a change whose client gave up, which the server may still apply
// later, with any result.
using AckedUnknown = std::set<std::pair<model::ClientId, model::Xid>>;

// `part`: the changes, in any order (sorted by invocation here, stably);
// their strings in `h`. `final_tree`: the final state's paths (as
// final-state.json holds them per aggregate) restricted to `scope`, the
// directory the changes are confined to ("" for the whole tree).
SerializationSearch find_serialization(const History& h, OpList& part, const nlohmann::json& final_tree,
                                       const std::string& scope, std::uint64_t max_states,
                                       const AckedUnknown* acked_unknown = nullptr);
// The same for changes in the ClientOp form.
SerializationSearch find_serialization(const std::vector<const ClientOp*>& ops, const nlohmann::json& final_tree,
                                       const std::string& scope, std::uint64_t max_states);

// The permutation that sorts `ops` by invocation time, stably: position k
// takes ops[order[k]].
std::vector<std::uint32_t> invocation_order(const std::vector<OpRecord>& ops);

// The entries of `tree` at or under `scope` ("" keeps them all).
nlohmann::json subtree(const nlohmann::json& tree, const std::string& scope);

}  // namespace failsim::checker
