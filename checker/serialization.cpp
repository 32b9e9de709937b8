// The serialization search: depth-first over the changes that may take
// effect next, undoing changes on the reference file system to backtrack,
// with a memo of the (changes done, state) pairs explored without success.
//
// Memory per search step is a few words: the candidates of every frame share
// one array, the undo records one log, the memo holds bare hashes.
#include "serialization.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

#include "checker/reference_fs.hpp"
#include "checker/state_set.hpp"
#include "checker/fs_tree.hpp"

namespace failsim::checker {

using nlohmann::json;

json subtree(const json& tree, const std::string& scope) {
  if (scope.empty()) return tree;
  json out = json::object();
  for (auto& [path, e] : tree.items())
    if (path == scope || path.starts_with(scope + "/")) out[path] = e;
  return out;
}

namespace {

constexpr double never = std::numeric_limits<double>::infinity();

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

std::vector<std::uint32_t> invocation_order(const std::vector<OpRecord>& ops) {
  // Changes often come as runs already in invocation order (clients' lists
  // one after another): a k-way merge of the runs reads the records in
  // sequence, where a comparison sort of indices would jump about a large
  // array.
  constexpr std::size_t max_runs = 4096;  // beyond, the heap costs more than a sort
  std::vector<std::uint32_t> order(ops.size());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;  // [begin, end) of each sorted run
  for (std::size_t b = 0; b < ops.size() && runs.size() <= max_runs;) {
    std::size_t e = b + 1;
    while (e < ops.size() && ops[e - 1].invoked_s <= ops[e].invoked_s) ++e;
    runs.emplace_back(static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e));
    b = e;
  }
  if (runs.size() > max_runs) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return ops[a].invoked_s < ops[b].invoked_s; });
    return order;
  }
  // A min-heap of the runs' heads; a tie goes to the earlier run, as in a stable sort.
  auto later = [&](std::uint32_t r, std::uint32_t q) {
    const double a = ops[runs[r].first].invoked_s, b = ops[runs[q].first].invoked_s;
    return a > b || (a == b && r > q);
  };
  std::vector<std::uint32_t> heap(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r) heap[r] = static_cast<std::uint32_t>(r);
  std::make_heap(heap.begin(), heap.end(), later);
  for (std::size_t k = 0; k < order.size(); ++k) {
    std::pop_heap(heap.begin(), heap.end(), later);
    auto& run = runs[heap.back()];
    order[k] = run.first++;
    if (run.first == run.second) heap.pop_back();
    else std::push_heap(heap.begin(), heap.end(), later);
  }
  return order;
}

namespace {

// Sorts the changes by invocation time, stably, in place: an order (4 bytes
// a change) applied cycle by cycle, rather than a second copy of the records.
void sort_by_invocation(std::vector<OpRecord>& ops) {
  auto earlier = [](const OpRecord& a, const OpRecord& b) { return a.invoked_s < b.invoked_s; };
  if (std::is_sorted(ops.begin(), ops.end(), earlier)) return;
  std::vector<std::uint32_t> order = invocation_order(ops);
  // Position k takes the record at order[k].
  for (std::size_t k = 0; k < ops.size(); ++k) {
    if (order[k] == k) continue;
    OpRecord held = ops[k];
    std::size_t j = k;
    while (order[j] != k) {
      const std::size_t next = order[j];
      ops[j] = ops[next];
      order[j] = static_cast<std::uint32_t>(j);
      j = next;
    }
    ops[j] = held;
    order[j] = static_cast<std::uint32_t>(j);
  }
}

class Search {
 public:
  Search(const History& h, const OpList& part, const json& final_tree, const std::string& scope,
         std::uint64_t max_states, const AckedUnknown* acked_unknown)
      : h_(h), part_(part), ops_(part.ops), final_(final_tree), scope_(scope), max_states_(max_states) {
    done_.assign(ops_.size(), false);
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (known(i)) ++known_left_;
      else unknown_.push_back(static_cast<std::uint32_t>(i));
      if (acked_unknown && !known(i) && ops_[i].completed && acked_unknown->contains({ops_[i].client, ops_[i].xid})) {
        if (deadline_.empty()) deadline_.assign(ops_.size(), never);
        deadline_[i] = ops_[i].completed_s;
      }
    }
    known_total_ = known_left_;
    advance_lo();
  }

  SerializationSearch run() {
    SerializationSearch out;
    note_depth();
    if (explore()) {
      for (std::uint32_t i : unknown_)
        if (!done_[i]) out.left_out.emplace_back(ops_[i].client, ops_[i].xid);
      return out;
    }
    out.states = states_;
    if (states_ >= max_states_) {
      out.outcome = SerializationSearch::Outcome::budget_exhausted;
      out.detail = "undecided after " + std::to_string(states_) + " search states (the longest explained prefix has " +
                   std::to_string(best_known_done_) + " of " + std::to_string(known_total_) + " changes" +
                   (stuck_.empty() ? "" : "; there, " + stuck_) + ")";
    } else if (best_known_done_ < known_total_) {
      out.outcome = SerializationSearch::Outcome::results_unexplained;
      out.detail = !stuck_.empty() ? stuck_
                                   : "no order of the changes consistent with real time explains their results (the "
                                     "longest explained prefix has " + std::to_string(best_known_done_) + " of " +
                                     std::to_string(known_total_) + " changes)";
    } else {
      out.outcome = SerializationSearch::Outcome::final_state_unexplained;
      out.detail = final_difference_;
    }
    return out;
  }

 private:
  // One point of the depth-first search: its candidates (in pool_), the next
  // to try, the one applied below it, and the undo log's mark before that.
  struct Frame {  // 20 bytes: a long history holds one per step
    std::uint32_t begin, end, next;
    std::uint32_t applied = none;
    std::uint32_t undo_mark = 0;
  };
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

  bool known(std::size_t i) const { return ops_[i].has_result; }
  double completed_s(std::size_t i) const { return known(i) && ops_[i].completed ? ops_[i].completed_s : never; }
  ChangeRef change(std::size_t i) const { return h_.change(part_, ops_[i]); }

  std::uint64_t key() const { return mix(done_hash_) ^ fs_.state_hash(); }
  // An acknowledged change of unknown effect can no longer take effect once
  // a change invoked after its acknowledgement has: it would come after it
  // in real time. (Depends only on the changes done, so the memo stays sound.)
  bool acked(std::size_t i) const { return !deadline_.empty() && deadline_[i] != never; }
  bool past_deadline(std::size_t i) const {
    return !deadline_.empty() && hi_ > 0 && ops_[hi_ - 1].invoked_s > deadline_[i];
  }
  void advance_lo() {
    while (lo_ < ops_.size() && (done_[lo_] || !known(lo_))) ++lo_;
  }

  // Appends to pool_ the changes that may take effect next: none still
  // pending completed before they were invoked. Unknown outcomes never block
  // anything, and come last, so the search first tries them nowhere, then late.
  void candidates() {
    const std::size_t begin = pool_.size();
    unknown_scratch_.clear();
    for (std::uint32_t i : unknown_) {  // in increasing order
      if (i >= lo_) break;
      if (!done_[i] && !past_deadline(i)) unknown_scratch_.push_back(i);
    }
    double first_completion = never;
    for (std::size_t i = lo_; i < ops_.size() && ops_[i].invoked_s <= first_completion; ++i) {
      if (done_[i] || past_deadline(i)) continue;
      (known(i) ? pool_ : unknown_scratch_).push_back(static_cast<std::uint32_t>(i));
      first_completion = std::min(first_completion, completed_s(i));
    }
    // Servers reply in the order changes take effect, so the order of the
    // replies is the first guess.
    std::sort(pool_.begin() + static_cast<std::ptrdiff_t>(begin), pool_.end(),
              [&](std::uint32_t a, std::uint32_t b) { return completed_s(a) < completed_s(b); });
    pool_.insert(pool_.end(), unknown_scratch_.begin(), unknown_scratch_.end());
    if (take_a_failure_first(begin)) return;
    reorder_by_results(begin);
  }

  // A change that failed changes nothing (the reference model checks before
  // it modifies). If one among the candidates gives its error in the current
  // state, it may take effect now, first, and no other candidate needs
  // trying here: an order that explains the history with it later explains
  // it with it moved here too, since nothing pending must precede a
  // candidate and the states the others see stay the same. Without this, a
  // late reply to such a change made the search try every order of the
  // failures around it (a private part of 33 changes stayed undecided
  // after 2,000,000 states).
  bool take_a_failure_first(std::size_t begin) {
    for (std::size_t k = begin; k < pool_.size(); ++k) {
      const std::uint32_t i = pool_[k];
      if (!known(i) || ops_[i].result == model::Result::ok || !gives_its_result(i)) continue;
      pool_[begin] = i;
      pool_.resize(begin + 1);
      return true;
    }
    return false;
  }

  // When the first guess gives another result than its client saw, some
  // other change must take effect before it (typically one whose reply was
  // lost and came late, on a retransmission). Try first the changes after
  // which it does give its result, rather than any change that happens to
  // reply earlier: a needless change taken early is found out only much
  // deeper in the search. (Also moving a change ahead of a first guess that
  // would take its result away was tried, and left more parts undecided.)
  void reorder_by_results(std::size_t begin) {
    if (pool_.size() - begin < 2 || !known(pool_[begin])) return;
    const std::uint32_t first = pool_[begin];
    if (gives_its_result(first)) return;
    std::stable_partition(pool_.begin() + static_cast<std::ptrdiff_t>(begin) + 1, pool_.end(),
                          [&](std::uint32_t y) { return gives_its_result_after(y, first); });
  }
  bool gives_its_result_after(std::size_t before, std::size_t i) {
    const std::size_t mark = log_.mark();
    fs_.apply(change(before), &log_);
    const bool same = gives_its_result(i);
    fs_.undo_to(log_, mark);
    return same;
  }
  bool gives_its_result(std::size_t i) {
    const std::size_t mark = log_.mark();
    const std::uint64_t before = fs_.state_hash();
    const model::Result r = fs_.apply(change(i), &log_);
    assert(r == model::Result::ok || fs_.state_hash() == before);  // a failure changes nothing
    (void)before;
    fs_.undo_to(log_, mark);
    return r == ops_[i].result;
  }

  // Applies change i; false (and nothing applied) when it gives another
  // result than its client saw or leads to a state already explored and
  // found to lead nowhere.
  bool apply(std::size_t i) {
    ++states_;
    const OpRecord& o = ops_[i];
    const std::size_t mark = log_.mark();
    const model::Result r = fs_.apply(change(i), &log_);
    if (acked(i) && !known(i) && r != o.result) {  // an acknowledged change survives with the result it gave
      fs_.undo_to(log_, mark);
      return false;
    }
    if (known(i) && r != o.result) {
      if (known_done_ == best_known_done_ && stuck_.empty())
        stuck_ = describe(h_, o) + " got " + std::string(model::to_string(o.result)) +
                 "; no order of the changes consistent with real time explains it (after the longest explained "
                 "prefix, " + std::to_string(known_done_) + " changes, it gives " + std::string(model::to_string(r)) +
                 ")";
      fs_.undo_to(log_, mark);
      return false;
    }
    mark_done(i, true);
    if (visited_.contains(key())) {
      mark_done(i, false);
      fs_.undo_to(log_, mark);
      return false;
    }
    note_depth();
    return true;
  }
  void mark_done(std::size_t i, bool done) {
    done_[i] = done;
    done_hash_ ^= mix(i + 1);
    if (!deadline_.empty()) {  // hi_: one past the last change done, in invocation order
      if (done) hi_ = std::max(hi_, i + 1);
      else
        while (hi_ > 0 && !done_[hi_ - 1]) --hi_;
    }
    if (!known(i)) return;
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
    json mine = subtree(runfolder::tree_json(tree_records(fs_.tree())), scope_);
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
  // candidates at one point and the undo mark of the one applied below it.
  // When no frame has an untried candidate left, nothing can be backtracked
  // to: the path so far is kept and the stack, the undo log and the memo
  // forgotten, so a history without concurrency is checked in constant memory.
  bool explore() {
    if (known_left_ == 0 && final_matches()) return true;
    std::vector<Frame> stack;
    std::size_t open = 0;  // frames with an untried candidate
    auto push = [&] {
      const auto begin = static_cast<std::uint32_t>(pool_.size());
      candidates();
      const auto end = static_cast<std::uint32_t>(pool_.size());
      stack.push_back({begin, end, begin});
      if (end > begin) ++open;
    };
    push();
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.applied != none) {
        mark_done(f.applied, false);
        fs_.undo_to(log_, f.undo_mark);
        f.applied = none;
      }
      if (f.next == f.end || states_ >= max_states_) {
        // Every way on from this state failed: remember it. (Depth first,
        // a state reached again is either on the current path, impossible
        // as every step does one more change, or explored to the end.)
        if (states_ < max_states_) visited_.insert(key());
        pool_.resize(f.begin);
        stack.pop_back();
        continue;
      }
      const std::uint32_t i = pool_[f.next++];
      if (f.next == f.end) --open;
      f.undo_mark = static_cast<std::uint32_t>(log_.mark());
      if (!apply(i)) continue;
      f.applied = i;
      if (known_left_ == 0 && final_matches()) return true;
      if (open == 0) {
        stack.clear();
        pool_.clear();
        log_.clear();
        visited_.clear();  // every later state has more changes done than any forgotten one
      }
      push();
    }
    return false;
  }

  const History& h_;
  const OpList& part_;
  const std::vector<OpRecord>& ops_;
  std::vector<bool> done_;
  std::vector<std::uint32_t> unknown_;  // indices of the changes with unknown outcome, increasing
  std::vector<std::uint32_t> pool_;     // every frame's candidates, bottom frame first
  std::vector<std::uint32_t> unknown_scratch_;
  std::size_t lo_ = 0;                  // the first pending change with a known outcome
  std::size_t known_left_ = 0, known_done_ = 0, best_known_done_ = 0, known_total_ = 0;
  std::uint64_t done_hash_ = 0;
  std::vector<double> deadline_;  // per change: the acknowledgement of an AckedUnknown one; empty when none
  std::size_t hi_ = 0;
  ReferenceFs fs_;
  ReferenceFs::UndoLog log_;
  const json& final_;
  std::string scope_;
  std::uint64_t max_states_, states_ = 0;
  // Pairs (changes done, state) explored to the end without success. Only
  // failed states are kept, so a search that never backtracks keeps none. A
  // 64-bit hash stands for the pair: a collision (odds about n^2 / 2^64)
  // could only hide an order.
  StateSet visited_;
  std::string stuck_, final_difference_;
};

}  // namespace

SerializationSearch find_serialization(const History& h, OpList& part, const json& final_tree,
                                       const std::string& scope, std::uint64_t max_states,
                                       const AckedUnknown* acked_unknown) {
  // Indices and undo marks are 32 bits (a change logs at most a few records).
  assert(part.ops.size() < std::numeric_limits<std::uint32_t>::max() / 8);
  sort_by_invocation(part.ops);
  return Search(h, part, final_tree, scope, max_states, acked_unknown).run();
}

SerializationSearch find_serialization(const std::vector<const ClientOp*>& ops, const json& final_tree,
                                       const std::string& scope, std::uint64_t max_states) {
  History h;
  std::map<model::ClientId, std::vector<ClientOp>> one;
  auto& list = one[0];
  for (const ClientOp* op : ops) list.push_back(*op);
  to_history(one, h);
  return find_serialization(h, h.clients[0], final_tree, scope, max_states);
}

}  // namespace failsim::checker
