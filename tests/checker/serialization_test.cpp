// The serialization search (checker/serialization.hpp): it finds an order
// when one exists - also when replies arrive out of order and for changes
// with unknown outcome - and refuses histories that real time, the results
// or the final state rule out. A property: every history produced by
// applying concurrent changes in some real-time-consistent order is accepted.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <deque>

#include "checker/exactly_once.hpp"
#include "checker/reference_fs.hpp"
#include "checker/serialization.hpp"
#include "checker/fs_tree.hpp"

namespace failsim::checker {
namespace {

using model::OpType;
using model::Result;
using nlohmann::json;
using Outcome = SerializationSearch::Outcome;

ClientOp op(model::ClientId client, OpType type, std::string path, double invoked_s, std::optional<double> completed_s,
            std::optional<Result> result, std::string data = "") {
  ClientOp o;
  o.change.type = type;
  o.change.client = client;
  o.change.path = std::move(path);
  o.change.data = std::move(data);
  o.change.mode = type == OpType::mkdir ? model::default_dir_mode : model::default_file_mode;
  o.aggregate = "aggr0";
  o.invoked_s = invoked_s;
  o.completed_s = completed_s;
  o.result = result;
  return o;
}

// The final tree after applying `order` (indices into ops) once each.
json tree_after(const std::vector<ClientOp>& ops, const std::vector<std::size_t>& order) {
  ReferenceFs fs;
  for (std::size_t i : order) fs.apply(ops[i].change);
  return runfolder::tree_json(tree_records(fs.tree()));
}

SerializationSearch search(const std::vector<ClientOp>& ops, const json& final_tree, std::uint64_t budget = 1'000'000) {
  std::vector<const ClientOp*> ptrs;
  for (const auto& o : ops) ptrs.push_back(&o);
  return find_serialization(ptrs, final_tree, "", budget);
}

TEST(Serialization, RepliesOutOfOrderAreExplainedByTheOtherOrder) {
  // Two clients create /a concurrently; the one whose reply came first got
  // EEXIST, so the server must have applied the other first.
  std::vector<ClientOp> ops = {op(1, OpType::create, "/a", 0.0, 1.0, Result::eexist),
                               op(2, OpType::create, "/a", 0.1, 2.0, Result::ok)};
  EXPECT_EQ(search(ops, tree_after(ops, {1})).outcome, Outcome::found);
}

TEST(Serialization, RealTimeOrderIsEnforced) {
  // The same results, but client 1's create completed before client 2's was
  // invoked: nothing explains its EEXIST.
  std::vector<ClientOp> ops = {op(1, OpType::create, "/a", 0.0, 1.0, Result::eexist),
                               op(2, OpType::create, "/a", 1.5, 2.0, Result::ok)};
  auto s = search(ops, tree_after(ops, {1}));
  EXPECT_EQ(s.outcome, Outcome::results_unexplained);
  EXPECT_NE(s.detail.find("client 1 xid 0 (create /a"), std::string::npos) << s.detail;
}

TEST(Serialization, ALostAcknowledgedAppendIsRefused) {
  std::vector<ClientOp> ops = {op(1, OpType::create, "/f", 0.0, 1.0, Result::ok),
                               op(1, OpType::append, "/f", 1.0, 2.0, Result::ok, "x1"),
                               op(1, OpType::append, "/f", 2.0, 3.0, Result::ok, "x2")};
  auto s = search(ops, tree_after(ops, {0, 1}));
  EXPECT_EQ(s.outcome, Outcome::final_state_unexplained);
  EXPECT_NE(s.detail.find("/f differs"), std::string::npos) << s.detail;
}

TEST(Serialization, ADoubleAppliedAppendIsRefused) {
  std::vector<ClientOp> ops = {op(1, OpType::create, "/f", 0.0, 1.0, Result::ok),
                               op(1, OpType::append, "/f", 1.0, 2.0, Result::ok, "x1")};
  EXPECT_EQ(search(ops, tree_after(ops, {0, 1, 1})).outcome, Outcome::final_state_unexplained);
}

TEST(Serialization, AnUnknownOutcomeAppliesOnceOrNotAtAll) {
  std::vector<ClientOp> ops = {op(1, OpType::create, "/f", 0.0, 1.0, Result::ok),
                               op(1, OpType::append, "/f", 1.0, std::nullopt, std::nullopt, "u"),
                               op(1, OpType::append, "/f", 2.0, 3.0, Result::ok, "k")};
  EXPECT_EQ(search(ops, tree_after(ops, {0, 2})).outcome, Outcome::found);        // never applied
  EXPECT_EQ(search(ops, tree_after(ops, {0, 1, 2})).outcome, Outcome::found);     // where it was sent
  EXPECT_EQ(search(ops, tree_after(ops, {0, 2, 1})).outcome, Outcome::found);     // late (a delayed message)
  EXPECT_EQ(search(ops, tree_after(ops, {0, 1, 2, 1})).outcome, Outcome::final_state_unexplained);  // twice
}

TEST(Serialization, FailuresAroundALateReplyAreOrderedWithoutTryingEveryOrder) {
  // mkdir /d replies at 10 s. While it ran, 18 creates under /d/x failed
  // ENOENT, which they give on either side of it, and a create of /d/f
  // failed ENOENT, replying last: that one took effect before the mkdir.
  // Trying the changes in reply order puts mkdir first and the 18 after
  // it, and then every subset of them would be tried before the mkdir
  // moves (2^18 states); a failure that gives its error now is taken at
  // once instead.
  std::vector<ClientOp> ops = {op(1, OpType::mkdir, "/d", 0.0, 10.0, Result::ok)};
  for (int k = 0; k < 18; ++k)
    ops.push_back(op(2 + k, OpType::create, "/d/x/g" + std::to_string(k), 1.0, 11.0 + k, Result::enoent));
  ops.push_back(op(30, OpType::create, "/d/f", 1.0, 40.0, Result::enoent));
  const auto s = search(ops, tree_after(ops, {0}), 10'000);
  EXPECT_EQ(s.outcome, Outcome::found);
  EXPECT_LT(s.states, 100u);
  // And a failure no state explains is refused, not left undecided.
  ops.push_back(op(31, OpType::create, "/d/g", 50.0, 51.0, Result::enoent));
  EXPECT_EQ(search(ops, tree_after(ops, {0}), 10'000).outcome, Outcome::results_unexplained);
}

TEST(Serialization, TheBudgetEndsTheSearchUndecided) {
  // Many concurrent appends to different files and a final state no order
  // gives: proving that visits every subset, far more than the budget.
  std::vector<ClientOp> ops;
  for (int c = 0; c < 20; ++c) ops.push_back(op(c + 1, OpType::create, "/f" + std::to_string(c), 0.0, 10.0, Result::ok));
  json impossible = tree_after(ops, {});
  auto s = search(ops, impossible, 1000);
  EXPECT_EQ(s.outcome, Outcome::budget_exhausted);
  EXPECT_GE(s.states, 1000u);
}

TEST(Serialization, PrivateNamespacesAreJudgedPerClient) {
  std::map<model::ClientId, std::vector<ClientOp>> history;
  history[1] = {op(1, OpType::mkdir, "/c1", 0.0, 1.0, Result::ok), op(1, OpType::create, "/c1/a", 1.0, 2.0, Result::ok)};
  history[2] = {op(2, OpType::mkdir, "/c2", 0.0, 1.0, Result::ok)};
  ReferenceFs fs;
  for (auto* o : {&history[1][0], &history[1][1], &history[2][0]}) fs.apply(o->change);
  json final_state = {{"aggregates", {{"aggr0", runfolder::tree_json(tree_records(fs.tree()))}}}};
  auto ok = check_exactly_once(history, final_state, false);
  EXPECT_TRUE(ok.violations.empty());
  EXPECT_EQ(ok.ops_checked, 3u);

  final_state["aggregates"]["aggr0"]["/stray"] = {{"type", "file"}, {"mode", 420}, {"size", 0}, {"sha256", ""}};
  auto stray = check_exactly_once(history, final_state, false);
  ASSERT_EQ(stray.violations.size(), 1u);
  EXPECT_EQ(stray.violations[0].property, "no_phantom_changes");
}

// A history made by running changes in a random order: each change takes
// effect at a moment between its invocation and its completion, and its
// result is the one the reference gives at that moment. Some outcomes are
// left unknown (applied or not).
struct MadeHistory {
  std::vector<ClientOp> ops;
  json final_tree;
};

rc::Gen<MadeHistory> made_histories() {
  return rc::gen::exec([] {
    const int clients = *rc::gen::inRange(1, 5);  // any overlap: closed and open loop alike
    const int count = *rc::gen::inRange(1, 40);
    const std::vector<std::string> paths = {"/a", "/b", "/d", "/d/x", "/d/y"};
    MadeHistory h;
    ReferenceFs fs;
    double now = 0;
    for (int i = 0; i < count; ++i) {
      const int c = *rc::gen::inRange(1, clients + 1);
      const auto type = *rc::gen::element(OpType::create, OpType::mkdir, OpType::append, OpType::unlink,
                                          OpType::rmdir, OpType::rename, OpType::truncate);
      ClientOp o = op(c, type, *rc::gen::elementOf(paths), 0, 0, std::nullopt, "p" + std::to_string(i));
      o.change.xid = static_cast<model::Xid>(i + 1);
      if (type == OpType::rename) o.change.to = *rc::gen::elementOf(paths);
      if (type == OpType::truncate) o.change.size = *rc::gen::inRange(0, 4);
      // It takes effect at `now`; invoked up to 3 steps before, completes up to 3 after.
      now += 1;
      o.invoked_s = now - *rc::gen::inRange(0, 4) - 0.5;
      const Result r = fs.apply(o.change);
      if (*rc::gen::inRange(0, 8) == 0) {
        o.result.reset();  // the client gave up; it did take effect
      } else {
        o.result = r;
        o.completed_s = now + *rc::gen::inRange(0, 4) + 0.5;
      }
      h.ops.push_back(std::move(o));
    }
    // Unknown outcomes that never took effect.
    const int lost = *rc::gen::inRange(0, 3);
    for (int i = 0; i < lost; ++i) {
      ClientOp o = op(1, OpType::append, "/a", *rc::gen::inRange(0, count + 1) + 0.25, std::nullopt, std::nullopt, "lost");
      h.ops.push_back(std::move(o));
    }
    h.final_tree = runfolder::tree_json(tree_records(fs.tree()));
    return h;
  });
}

std::vector<std::uint32_t> stable_sorted_order(const std::vector<OpRecord>& ops) {
  std::vector<std::uint32_t> order(ops.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return ops[a].invoked_s < ops[b].invoked_s; });
  return order;
}

// Clients' lists one after another, as a shared part is built: sorted runs
// with ties within and across them.
RC_GTEST_PROP(Serialization, TheInvocationOrderOfSortedRunsIsTheStableSortOrder, ()) {
  std::vector<OpRecord> ops;
  const int runs = *rc::gen::inRange(0, 12);
  for (int r = 0; r < runs; ++r) {
    std::vector<int> times = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 8));
    std::sort(times.begin(), times.end());
    for (int t : times) ops.push_back(OpRecord{.invoked_s = t * 0.5});
  }
  RC_ASSERT(invocation_order(ops) == stable_sorted_order(ops));
}

TEST(Serialization, TheInvocationOrderOfManyShortRunsIsTheStableSortOrder) {
  // More runs than the merge takes: the order falls back on a sort.
  std::vector<OpRecord> ops;
  for (int i = 0; i < 30000; ++i) ops.push_back(OpRecord{.invoked_s = static_cast<double>((i * 41) % 101)});  // runs of 2 or 3
  EXPECT_EQ(invocation_order(ops), stable_sorted_order(ops));
}

RC_GTEST_PROP(Serialization, EveryHistoryMadeByARealOrderIsAccepted, ()) {
  const MadeHistory h = *made_histories();
  std::vector<const ClientOp*> ptrs;
  for (const auto& o : h.ops) ptrs.push_back(&o);
  const auto s = find_serialization(ptrs, h.final_tree, "", 5'000'000);
  RC_ASSERT(s.outcome == Outcome::found);
}

RC_GTEST_PROP(Serialization, AFinalStateNoOrderGivesIsRefused, ()) {
  MadeHistory h = *made_histories();
  bool changed = false;
  for (auto& [path, e] : h.final_tree.items())
    if (e["type"] == "file") {
      e["sha256"] = "not the hash of any content";
      changed = true;
      break;
    }
  RC_PRE(changed);
  std::vector<const ClientOp*> ptrs;
  for (const auto& o : h.ops) ptrs.push_back(&o);
  RC_ASSERT(find_serialization(ptrs, h.final_tree, "", 5'000'000).outcome == Outcome::final_state_unexplained);
}

}  // namespace
}  // namespace failsim::checker
