// Splits the history into independent parts and searches each for a
// serialization, freeing each part once judged.
#include "exactly_once.hpp"

#include <algorithm>

#include "checker/serialization.hpp"

namespace failsim::checker {

using nlohmann::json;

namespace {

void judge_part(const std::string& name, const History& h, OpList& part, const json& final_tree,
                const std::string& scope, std::uint64_t max_states, const AckedUnknown* acked_unknown,
                ExactlyOnceReport& report) {
  for (const OpRecord& op : part.ops) {
    ++report.ops_checked;
    if (!op.has_result) ++report.unknown_ops;
  }
  const SerializationSearch s = find_serialization(h, part, subtree(final_tree, scope), scope,
                                                   max_states + 10 * static_cast<std::uint64_t>(part.ops.size()),
                                                   acked_unknown);
  part.release();
  report.search_states += s.states;
  switch (s.outcome) {
    case SerializationSearch::Outcome::found:
      report.left_out.insert(report.left_out.end(), s.left_out.begin(), s.left_out.end());
      break;
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

ExactlyOnceReport check_exactly_once(History& history, const json& final_state, bool shared_namespace,
                                     std::uint64_t max_states, const AckedUnknown* acked_unknown) {
  ExactlyOnceReport report;
  const json& aggregates = final_state.at("aggregates");
  auto final_tree = [&](const std::string& aggregate) { return aggregates.value(aggregate, json::object()); };

  if (shared_namespace) {
    // A part per aggregate. Each part's room is taken at once. The clients'
    // lists, each in invocation order, are merged into the parts: a part is
    // built in invocation order (its search needs no sort) reading every
    // list in sequence, and a list is freed once read. A tie goes to the
    // lower client id, as in a stable sort of the lists one after another.
    std::map<std::uint32_t, std::pair<std::size_t, std::size_t>> sizes;  // aggregate's string id -> changes, data bytes
    for (const auto& [client, list] : history.clients)
      for (const OpRecord& op : list.ops) {
        auto& [changes, bytes] = sizes[op.aggregate];
        ++changes;
        bytes += op.data_len;
      }
    std::map<std::string, OpList> parts;       // judged in the order of the aggregates' names
    std::map<std::uint32_t, OpList*> part_of;  // aggregate's string id -> its part
    for (const auto& [id, size] : sizes) {
      OpList& part = parts[std::string(history.strings[id])];
      part.ops.reserve(size.first);
      part.data.reserve(size.second);
      part_of[id] = &part;
    }
    struct Cursor {
      OpList* list;
      std::size_t next;
      model::ClientId client;
      double invoked_s() const { return list->ops[next].invoked_s; }
    };
    std::vector<Cursor> heads;
    for (auto& [client, list] : history.clients)
      if (!list.ops.empty()) heads.push_back({&list, 0, client});
    auto later = [](const Cursor& a, const Cursor& b) {
      return a.invoked_s() > b.invoked_s() || (a.invoked_s() == b.invoked_s() && a.client > b.client);
    };
    std::make_heap(heads.begin(), heads.end(), later);
    while (!heads.empty()) {
      std::pop_heap(heads.begin(), heads.end(), later);
      Cursor& c = heads.back();
      const OpRecord& op = c.list->ops[c.next];
      part_of.at(op.aggregate)->add_copy(*c.list, op);
      if (++c.next < c.list->ops.size()) {
        std::push_heap(heads.begin(), heads.end(), later);
      } else {
        c.list->release();
        heads.pop_back();
      }
    }
    for (auto& [aggregate, part] : parts)
      judge_part(aggregate, history, part, final_tree(aggregate), "", max_states, acked_unknown, report);
    return report;
  }

  std::map<std::string, std::vector<std::string>> homes;  // aggregate -> client directories
  for (auto& [client, list] : history.clients) {
    if (list.ops.empty()) continue;
    const std::string home = "/c" + std::to_string(client);
    const std::string aggregate(history.strings[list.ops.front().aggregate]);
    homes[aggregate].push_back(home);
    judge_part("client " + std::to_string(client) + " on " + aggregate, history, list, final_tree(aggregate), home,
               max_states, acked_unknown, report);
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

ExactlyOnceReport check_exactly_once(const std::map<model::ClientId, std::vector<ClientOp>>& history,
                                     const json& final_state, bool shared_namespace, std::uint64_t max_states) {
  History h;
  to_history(history, h);
  return check_exactly_once(h, final_state, shared_namespace, max_states);
}

}  // namespace failsim::checker
