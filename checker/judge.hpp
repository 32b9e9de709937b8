// Judges a run folder with every check: exactly-once and results (private
// or shared namespaces, any client concurrency), fsck after every CP and
// crash, split brain, aggregates served at the end, scenario expectations. Throws HistoryError when the folder cannot be read.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "checker/exactly_once.hpp"

namespace failsim::checker {

struct Verdict {
  std::vector<Violation> violations;
  std::uint64_t ops_checked = 0, unknown_ops = 0, fsck_runs = 0, search_states = 0;
  std::vector<std::string> undecided;  // parts whose serialization search ran out of budget
  bool valid() const { return violations.empty(); }
  nlohmann::json to_json() const;
};

Verdict judge_run_folder(const std::string& dir, std::uint64_t search_states = default_search_states);

}  // namespace failsim::checker
