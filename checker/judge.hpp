// Judges a run folder with every check: exactly-once and results (private
// or shared namespaces, any client concurrency), fsck after every CP and
// crash, split brain, aggregates served at the end (by their owners, with
// automatic giveback), scenario expectations. Throws HistoryError when the
// folder cannot be read.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "checker/exactly_once.hpp"

namespace failsim::checker {

// What a judged run shows. Undecided is its own outcome, never a pass: a
// part the search could not settle may hide a violation.
enum class Outcome { held, violated, undecided };
std::string_view outcome_name(Outcome outcome);  // "held", "violated", "undecided"

// An acknowledged change an out-of-envelope run lost, within the loss its
// scenario accepts (expect.loss_only_acked_after_s).
struct LostChange {
  model::ClientId client = 0;
  model::Xid xid = 0;
  std::string op;  // "client 3 xid 17 (append /c3/f1, invoked at 1.25 s)"
  double acked_s = 0;
};

struct Verdict {
  std::vector<Violation> violations;
  // Damage an out-of-envelope scenario expects (expect.data_loss,
  // expect.split_brain_free: false): shown, not counted as violations.
  std::vector<Violation> expected_violations;
  std::vector<LostChange> lost_changes;
  std::uint64_t ops_checked = 0, unknown_ops = 0, fsck_runs = 0, search_states = 0;
  std::vector<std::string> undecided;  // parts whose serialization search ran out of budget
  Outcome outcome() const {
    return !violations.empty() ? Outcome::violated : !undecided.empty() ? Outcome::undecided : Outcome::held;
  }
  bool valid() const { return outcome() == Outcome::held; }  // every property proved
  nlohmann::json to_json() const;
};

Verdict judge_run_folder(const std::string& dir, std::uint64_t search_states = default_search_states);

}  // namespace failsim::checker
