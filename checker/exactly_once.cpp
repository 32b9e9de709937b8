// Branching replay of each client's history on the reference file system.
#include "exactly_once.hpp"

#include "common/final_state.hpp"
#include "checker/reference_fs.hpp"

namespace failsim::checker {

using nlohmann::json;

namespace {
constexpr std::size_t max_branches = 64;

std::string describe(const ClientOp& op) {
  std::string s = "client " + std::to_string(op.change.client) + " xid " + std::to_string(op.change.xid) + " (" +
                  std::string(model::to_string(op.change.type)) + " " + op.change.path;
  if (op.change.type == model::OpType::rename) s += " -> " + op.change.to;
  return s + ", invoked at " + std::to_string(op.invoked_s) + " s)";
}

// The entries of `tree` at or under `home`.
json subtree(const json& tree, const std::string& home) {
  json out = json::object();
  for (auto& [path, e] : tree.items())
    if (path == home || path.rfind(home + "/", 0) == 0) out[path] = e;
  return out;
}
}  // namespace

ExactlyOnceReport check_private_namespaces(const std::map<model::ClientId, std::vector<ClientOp>>& history,
                                           const json& final_state) {
  ExactlyOnceReport report;
  std::map<std::string, std::vector<std::string>> homes;  // aggregate -> client homes
  for (const auto& [client, ops] : history) {
    if (ops.empty()) continue;
    const std::string home = "/c" + std::to_string(client);
    const std::string& aggregate = ops.front().aggregate;
    homes[aggregate].push_back(home);
    bool concurrent = false;
    for (std::size_t i = 1; i < ops.size(); ++i)
      if (ops[i - 1].completed_s && ops[i].invoked_s < *ops[i - 1].completed_s) concurrent = true;
    if (concurrent) {
      report.not_judged.push_back(client);
      continue;
    }
    std::vector<ReferenceFs> branches{ReferenceFs()};
    bool diverged = false;
    for (const ClientOp& op : ops) {
      ++report.ops_checked;
      if (!op.result) {
        ++report.unknown_ops;
        std::vector<ReferenceFs> next = branches;
        for (ReferenceFs& fs : branches) {
          fs.apply(op.change);
          next.push_back(std::move(fs));
        }
        if (next.size() > max_branches) next.erase(next.begin() + max_branches, next.end());
        branches = std::move(next);
        continue;
      }
      std::vector<ReferenceFs> keep;
      std::string expected;
      for (ReferenceFs& fs : branches) {
        model::Result r = fs.apply(op.change);
        if (r == *op.result) keep.push_back(std::move(fs));
        else expected = std::string(model::to_string(r));
      }
      if (keep.empty()) {
        report.violations.push_back({"results", describe(op) + " got " + std::string(model::to_string(*op.result)) +
                                                    "; applied exactly once it gives " + expected});
        diverged = true;
        break;
      }
      branches = std::move(keep);
    }
    if (diverged) continue;
    const json actual = subtree(final_state.at("aggregates").value(aggregate, json::object()), home);
    bool matched = false;
    for (const ReferenceFs& fs : branches)
      if (subtree(tree_json(fs.tree()), home) == actual) matched = true;
    if (!matched) {
      const json want = subtree(tree_json(branches.front().tree()), home);
      std::string where = "?";
      for (auto& [path, e] : want.items())
        if (!actual.contains(path) || actual[path] != e) {
          where = path + (actual.contains(path) ? " differs" : " is missing");
          break;
        }
      if (where == "?")
        for (auto& [path, e] : actual.items())
          if (!want.contains(path)) {
            where = path + " should not exist";
            break;
          }
      report.violations.push_back({"exactly_once", "client " + std::to_string(client) + " on " + aggregate +
                                                       ": the final state matches no exactly-once application of its "
                                                       "changes (" + where + ")"});
    }
  }
  // Changes no client issued: paths outside every client's home.
  for (auto& [aggregate, tree] : final_state.at("aggregates").items()) {
    for (auto& [path, e] : tree.items()) {
      bool owned = false;
      for (const std::string& home : homes[aggregate])
        if (path == home || path.rfind(home + "/", 0) == 0) owned = true;
      if (!owned) report.violations.push_back({"no_phantom_changes", aggregate + ": " + path + " was created by no client"});
    }
  }
  return report;
}

}  // namespace failsim::checker
