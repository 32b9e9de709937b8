// Splits the history into independent parts and searches each for a
// serialization.
#include "exactly_once.hpp"

#include "checker/serialization.hpp"

namespace failsim::checker {

using nlohmann::json;

namespace {

void judge_part(const std::string& name, const std::vector<const ClientOp*>& ops, const json& final_tree,
                const std::string& scope, std::uint64_t max_states, ExactlyOnceReport& report) {
  for (const ClientOp* op : ops) {
    ++report.ops_checked;
    if (!op->result) ++report.unknown_ops;
  }
  const SerializationSearch s =
      find_serialization(ops, subtree(final_tree, scope), scope, max_states + 10 * static_cast<std::uint64_t>(ops.size()));
  report.search_states += s.states;
  switch (s.outcome) {
    case SerializationSearch::Outcome::found: break;
    case SerializationSearch::Outcome::results_unexplained:
      report.violations.push_back({"results", name + ": " + s.detail});
      break;
    case SerializationSearch::Outcome::final_state_unexplained:
      report.violations.push_back({"exactly_once", name + ": " + s.detail});
      break;
    case SerializationSearch::Outcome::budget_exhausted: report.undecided.push_back(name + ": " + s.detail); break;
  }
}

}  // namespace

ExactlyOnceReport check_exactly_once(const std::map<model::ClientId, std::vector<ClientOp>>& history,
                                     const json& final_state, bool shared_namespace, std::uint64_t max_states) {
  ExactlyOnceReport report;
  const json& aggregates = final_state.at("aggregates");
  auto final_tree = [&](const std::string& aggregate) { return aggregates.value(aggregate, json::object()); };

  if (shared_namespace) {
    std::map<std::string, std::vector<const ClientOp*>> parts;  // aggregate -> its changes
    for (const auto& [client, ops] : history)
      for (const ClientOp& op : ops) parts[op.aggregate].push_back(&op);
    for (const auto& [aggregate, ops] : parts) judge_part(aggregate, ops, final_tree(aggregate), "", max_states, report);
    return report;
  }

  std::map<std::string, std::vector<std::string>> homes;  // aggregate -> client directories
  for (const auto& [client, ops] : history) {
    if (ops.empty()) continue;
    const std::string home = "/c" + std::to_string(client);
    const std::string& aggregate = ops.front().aggregate;
    homes[aggregate].push_back(home);
    std::vector<const ClientOp*> part;
    for (const ClientOp& op : ops) part.push_back(&op);
    judge_part("client " + std::to_string(client) + " on " + aggregate, part, final_tree(aggregate), home, max_states,
               report);
  }
  // Changes no client issued: paths outside every client's directory.
  for (auto& [aggregate, tree] : aggregates.items()) {
    for (auto& [path, e] : tree.items()) {
      bool owned = false;
      for (const std::string& home : homes[aggregate])
        if (path == home || path.starts_with(home + "/")) owned = true;
      if (!owned) report.violations.push_back({"no_phantom_changes", aggregate + ": " + path + " was created by no client"});
    }
  }
  return report;
}

}  // namespace failsim::checker
