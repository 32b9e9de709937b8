// The serialization search: depth-first over the changes that may take
// effect next, undoing changes on the reference file system to backtrack,
// with a memo of the (changes done, state) pairs already explored.
#include "serialization.hpp"

#include <algorithm>
#include <cassert>
#include <limits>
#include <unordered_set>

#include "checker/reference_fs.hpp"
#include "common/final_state.hpp"

namespace failsim::checker {

using nlohmann::json;

json subtree(const json& tree, const std::string& scope) {
  if (scope.empty()) return tree;
  json out = json::object();
  for (auto& [path, e] : tree.items())
    if (path == scope || path.starts_with(scope + "/")) out[path] = e;
  return out;
}

std::string describe(const ClientOp& op) {
  std::string s = "client " + std::to_string(op.change.client) + " xid " + std::to_string(op.change.xid) + " (" +
                  std::string(model::to_string(op.change.type)) + " " + op.change.path;
  if (op.change.type == model::OpType::rename) s += " -> " + op.change.to;
  return s + ", invoked at " + std::to_string(op.invoked_s) + " s)";
}

namespace {

constexpr double never = std::numeric_limits<double>::infinity();

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Search {
 public:
  Search(const std::vector<const ClientOp*>& ops, const json& final_tree, const std::string& scope,
         std::uint64_t max_states)
      : final_(final_tree), scope_(scope), max_states_(max_states) {
    for (const ClientOp* op : ops)
      ops_.push_back({op, op->invoked_s, op->result ? op->completed_s.value_or(never) : never, op->result.has_value()});
    std::stable_sort(ops_.begin(), ops_.end(), [](const Op& a, const Op& b) { return a.invoked_s < b.invoked_s; });
    done_.assign(ops_.size(), false);
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i].known) ++known_left_;
      else unknown_.push_back(i);
    }
    advance_lo();
  }

  SerializationSearch run() {
    SerializationSearch out;
    note_depth();
    visited_.insert(key());
    if (explore()) return out;
    out.states = states_;
    if (states_ >= max_states_) {
      out.outcome = SerializationSearch::Outcome::budget_exhausted;
      out.detail = "undecided after " + std::to_string(states_) + " search states (the longest explained prefix has " +
                   std::to_string(best_known_done_) + " of " + std::to_string(known_total()) + " changes" +
                   (stuck_.empty() ? "" : "; there, " + stuck_) + ")";
    } else if (best_known_done_ < known_total()) {
      out.outcome = SerializationSearch::Outcome::results_unexplained;
      out.detail = !stuck_.empty() ? stuck_
                                   : "no order of the changes consistent with real time explains their results (the "
                                     "longest explained prefix has " + std::to_string(best_known_done_) + " of " +
                                     std::to_string(known_total()) + " changes)";
    } else {
      out.outcome = SerializationSearch::Outcome::final_state_unexplained;
      out.detail = final_difference_;
    }
    return out;
  }

 private:
  struct Op {
    const ClientOp* op;
    double invoked_s, completed_s;  // completed_s: never for an unknown outcome
    bool known;
  };
  struct Frame {
    std::vector<std::size_t> candidates;
    std::size_t next = 0;
    std::size_t applied = ops_none;  // the candidate applied below this frame, if any
    ReferenceFs::Undo undo;
  };
  static constexpr std::size_t ops_none = std::numeric_limits<std::size_t>::max();

  std::size_t known_total() const {
    return static_cast<std::size_t>(std::count_if(ops_.begin(), ops_.end(), [](const Op& o) { return o.known; }));
  }
  std::uint64_t key() const { return mix(done_hash_) ^ fs_.state_hash(); }
  void advance_lo() {
    while (lo_ < ops_.size() && (done_[lo_] || !ops_[lo_].known)) ++lo_;
  }

  // The changes that may take effect next: none still pending completed
  // before they were invoked. Unknown outcomes never block anything, and
  // come last, so the search first tries them nowhere, then late.
  std::vector<std::size_t> candidates() {
    std::vector<std::size_t> out, unknown;
    for (std::size_t i : unknown_)
      if (i < lo_ && !done_[i]) unknown.push_back(i);
    double first_completion = never;
    for (std::size_t i = lo_; i < ops_.size() && ops_[i].invoked_s <= first_completion; ++i) {
      if (done_[i]) continue;
      (ops_[i].known ? out : unknown).push_back(i);
      first_completion = std::min(first_completion, ops_[i].completed_s);
    }
    // Servers reply in the order changes take effect, so the order of the
    // replies is the first guess.
    std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) { return ops_[a].completed_s < ops_[b].completed_s; });
    out.insert(out.end(), unknown.begin(), unknown.end());
    reorder_by_results(out);
    return out;
  }

  // When the first guess gives another result than its client saw, some
  // other change must take effect before it (typically one whose reply was
  // lost and came late, on a retransmission). Try first the changes after
  // which it does give its result, rather than any change that happens to
  // reply earlier: a needless change taken early is found out only much
  // deeper in the search. (Also moving a change ahead of a first guess that
  // would take its result away was tried, and left more parts undecided.)
  void reorder_by_results(std::vector<std::size_t>& order) {
    if (order.size() < 2 || !ops_[order[0]].known) return;
    const std::size_t first = order[0];
    if (gives_its_result(first)) return;
    std::stable_partition(order.begin() + 1, order.end(),
                          [&](std::size_t y) { return gives_its_result_after(y, first); });
  }
  bool gives_its_result_after(std::size_t before, std::size_t i) {
    ReferenceFs::Undo undo;
    fs_.apply(ops_[before].op->change, undo);
    const bool same = gives_its_result(i);
    fs_.undo(undo);
    return same;
  }
  bool gives_its_result(std::size_t i) {
    ReferenceFs::Undo undo;
    const bool same = fs_.apply(ops_[i].op->change, undo) == *ops_[i].op->result;
    fs_.undo(undo);
    return same;
  }

  // Applies change i; false (and nothing applied) when it gives another
  // result than its client saw or leads to a state already explored.
  bool apply(std::size_t i, ReferenceFs::Undo& undo) {
    ++states_;
    const Op& o = ops_[i];
    const model::Result r = fs_.apply(o.op->change, undo);
    if (o.known && r != *o.op->result) {
      if (known_done_ == best_known_done_ && stuck_.empty())
        stuck_ = describe(*o.op) + " got " + std::string(model::to_string(*o.op->result)) +
                 "; no order of the changes consistent with real time explains it (after the longest explained "
                 "prefix, " + std::to_string(known_done_) + " changes, it gives " + std::string(model::to_string(r)) +
                 ")";
      fs_.undo(undo);
      return false;
    }
    mark(i, true);
    if (!visited_.insert(key()).second) {
      mark(i, false);
      fs_.undo(undo);
      return false;
    }
    note_depth();
    return true;
  }
  void take_back(std::size_t i, const ReferenceFs::Undo& undo) {
    mark(i, false);
    fs_.undo(undo);
  }
  void mark(std::size_t i, bool done) {
    done_[i] = done;
    done_hash_ ^= mix(i + 1);
    if (!ops_[i].known) return;
    if (done) {
      ++known_done_, --known_left_;
      advance_lo();
    } else {
      --known_done_, ++known_left_;
      lo_ = std::min(lo_, i);
    }
  }
  void note_depth() {
    if (known_done_ > best_known_done_) {
      best_known_done_ = known_done_;
      stuck_.clear();
    }
  }

  bool final_matches() {
    json mine = subtree(tree_json(fs_.tree()), scope_);
    if (mine == final_) return true;
    if (final_difference_.empty()) {
      for (auto& [path, e] : mine.items())
        if (!final_.contains(path) || final_[path] != e) {
          final_difference_ = path + (final_.contains(path) ? " differs" : " is missing");
          break;
        }
      if (final_difference_.empty())
        for (auto& [path, e] : final_.items())
          if (!mine.contains(path)) {
            final_difference_ = path + " should not exist";
            break;
          }
      final_difference_ = "the final state matches no serialization of the changes (" + final_difference_ + ")";
    }
    return false;
  }

  // Depth first, iteratively (histories are long): each frame holds the
  // candidates at one point and the undo record of the one applied below it.
  // When no frame has an untried candidate left, nothing can be backtracked
  // to: the path so far is kept and the stack and memo forgotten, so a
  // history without concurrency is checked in constant memory.
  bool explore() {
    if (known_left_ == 0 && final_matches()) return true;
    std::vector<Frame> stack;
    std::size_t open = 0;  // frames with an untried candidate
    auto push = [&] {
      stack.push_back({candidates()});
      if (!stack.back().candidates.empty()) ++open;
    };
    push();
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.applied != ops_none) {
        take_back(f.applied, f.undo);
        f.applied = ops_none;
      }
      if (f.next == f.candidates.size() || states_ >= max_states_) {
        stack.pop_back();
        continue;
      }
      const std::size_t i = f.candidates[f.next++];
      if (f.next == f.candidates.size()) --open;
      if (!apply(i, f.undo)) continue;
      f.applied = i;
      if (known_left_ == 0 && final_matches()) return true;
      if (open == 0) {
        stack.clear();
        visited_.clear();  // every later state has more changes done than any forgotten one
        visited_.insert(key());
      }
      push();
    }
    return false;
  }

  std::vector<Op> ops_;
  std::vector<std::size_t> unknown_;  // indices of the changes with unknown outcome
  std::vector<bool> done_;
  std::size_t lo_ = 0;                // the first pending change with a known outcome
  std::size_t known_left_ = 0, known_done_ = 0, best_known_done_ = 0;
  std::uint64_t done_hash_ = 0;
  ReferenceFs fs_;
  const json& final_;
  std::string scope_;
  std::uint64_t max_states_, states_ = 0;
  // Pairs (changes done, state) already explored. A 64-bit hash stands for
  // the pair: a collision (odds about n^2 / 2^64) could only hide an order.
  std::unordered_set<std::uint64_t> visited_;
  std::string stuck_, final_difference_;
};

}  // namespace

SerializationSearch find_serialization(const std::vector<const ClientOp*>& ops, const json& final_tree,
                                       const std::string& scope, std::uint64_t max_states) {
  return Search(ops, final_tree, scope, max_states).run();
}

}  // namespace failsim::checker
