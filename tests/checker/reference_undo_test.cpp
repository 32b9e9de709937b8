// The reference model's undo log (checker/reference_fs.hpp) and the search's
// memo (checker/state_set.hpp): taking back any suffix of logged changes
// gives back exactly the tree and the state hash of the prefix, for random
// changes of every type over a colliding namespace; the memo is a set.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <unordered_set>

#include "checker/reference_fs.hpp"
#include "checker/state_set.hpp"

namespace failsim::checker {
namespace {

using model::Change;
using model::OpType;

rc::Gen<Change> change_gen() {
  return rc::gen::exec([] {
    Change c;
    c.type = static_cast<OpType>(*rc::gen::inRange(0, model::op_type_count));
    auto path = [] {
      if (*rc::gen::inRange(0, 30) == 0) return std::string("/");
      std::string p;
      const int depth = *rc::gen::inRange(1, 4);
      // "a.b" sorts between "a" and "a/...": a rename to it moves entries past it.
      for (int i = 0; i < depth; ++i) p += "/" + *rc::gen::element<std::string>("a", "b", "a.b");
      return p;
    };
    c.path = path();
    c.to = path();
    c.offset = *rc::gen::element<std::uint64_t>(0, 2, 7, 40);
    c.size = *rc::gen::element<std::uint64_t>(0, 3, 9, 60);
    c.mode = *rc::gen::element<std::uint32_t>(0644, 0755, 0600);
    c.data = *rc::gen::element<std::string>("x", "hello", std::string(30, 'z'));
    return c;
  });
}

RC_GTEST_PROP(ReferenceUndo, TakingBackASuffixRestoresThePrefixState, ()) {
  const auto prefix = *rc::gen::container<std::vector<Change>>(change_gen());
  const auto suffix = *rc::gen::container<std::vector<Change>>(change_gen());
  ReferenceFs replay, fs;  // replay: the prefix only, never logged
  for (const Change& c : prefix) {
    RC_ASSERT(fs.apply(c) == replay.apply(c));
  }
  ReferenceFs::UndoLog log;
  std::vector<std::size_t> marks;
  for (const Change& c : suffix) {
    marks.push_back(log.mark());
    fs.apply(ChangeRef::of(c), &log);
  }
  // Take back a random number of the newest changes, then the rest.
  const std::size_t keep = *rc::gen::inRange<std::size_t>(0, suffix.size() + 1);
  ReferenceFs partial;
  for (const Change& c : prefix) partial.apply(c);
  for (std::size_t i = 0; i < keep; ++i) partial.apply(suffix[i]);
  fs.undo_to(log, keep < marks.size() ? marks[keep] : log.mark());
  RC_ASSERT(fs.tree() == partial.tree());
  RC_ASSERT(fs.state_hash() == partial.state_hash());
  fs.undo_to(log, 0);
  RC_ASSERT(log.empty());
  RC_ASSERT(fs.tree() == replay.tree());
  RC_ASSERT(fs.state_hash() == replay.state_hash());
}

TEST(ReferenceUndo, AnAppendLogsOnlyTheOldSize) {
  ReferenceFs fs;
  fs.apply(Change{OpType::create, 1, 1, "/f"});
  Change append{OpType::append, 1, 2, "/f"};
  append.data = std::string(1000, 'a');
  for (int i = 0; i < 10; ++i) fs.apply(append);
  const auto before = fs.tree();
  ReferenceFs::UndoLog log;
  append.data = "tail";
  fs.apply(ChangeRef::of(append), &log);
  Change overwrite{OpType::write, 1, 3, "/f"};
  overwrite.offset = 5;
  overwrite.data = "xy";
  fs.apply(ChangeRef::of(overwrite), &log);
  fs.undo_to(log, 0);
  EXPECT_EQ(fs.tree(), before);
}

TEST(ReferenceUndo, ARenameOfADirectoryIsTakenBack) {
  ReferenceFs fs, before;
  for (ReferenceFs* f : {&fs, &before}) {
    f->apply(Change{OpType::mkdir, 1, 1, "/a"});
    f->apply(Change{OpType::create, 1, 2, "/a/x"});
    f->apply(Change{OpType::create, 1, 3, "/c"});
  }
  ReferenceFs::UndoLog log;
  Change rename{OpType::rename, 1, 4, "/a"};
  rename.to = "/d";
  ASSERT_EQ(fs.apply(ChangeRef::of(rename), &log), model::Result::ok);
  EXPECT_EQ(fs.tree().count("/d/x"), 1u);
  fs.undo_to(log, 0);
  EXPECT_EQ(fs.tree(), before.tree());
  EXPECT_EQ(fs.state_hash(), before.state_hash());
}

// A log forgotten (as the search forgets it when nothing is left to
// backtrack to) owns the nodes it took out, and frees them; the tree keeps
// what the changes left. (Run under valgrind or ASan to see a leak or a
// double free.)
TEST(ReferenceUndo, AForgottenLogFreesWhatItHeld) {
  ReferenceFs fs, after;
  for (ReferenceFs* f : {&fs, &after}) {
    f->apply(Change{OpType::mkdir, 1, 1, "/d"});
    f->apply(Change{OpType::create, 1, 2, "/d/x"});
  }
  {
    ReferenceFs::UndoLog log;
    Change unlink{OpType::unlink, 1, 3, "/d/x"};
    Change rmdir{OpType::rmdir, 1, 4, "/d"};
    ASSERT_EQ(fs.apply(ChangeRef::of(unlink), &log), model::Result::ok);
    ASSERT_EQ(fs.apply(ChangeRef::of(rmdir), &log), model::Result::ok);
    log.clear();
    EXPECT_TRUE(log.empty());
    fs.apply(ChangeRef::of(Change{OpType::create, 1, 5, "/y"}), &log);
  }  // the log, with a record of a creation, goes
  after.apply(Change{OpType::unlink, 1, 3, "/d/x"});
  after.apply(Change{OpType::rmdir, 1, 4, "/d"});
  after.apply(Change{OpType::create, 1, 5, "/y"});
  EXPECT_EQ(fs.tree(), after.tree());
  EXPECT_EQ(fs.state_hash(), after.state_hash());
}

RC_GTEST_PROP(StateSet, BehavesAsASet, ()) {
  const auto keys = *rc::gen::container<std::vector<std::uint64_t>>(
      rc::gen::oneOf(rc::gen::inRange<std::uint64_t>(0, 50), rc::gen::arbitrary<std::uint64_t>()));
  StateSet set;
  std::unordered_set<std::uint64_t> ref;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    RC_ASSERT(set.insert(keys[i]) == ref.insert(keys[i]).second);
    if (i % 97 == 96) {
      set.clear();
      ref.clear();
    }
  }
  RC_ASSERT(set.size() == ref.size());
  for (std::uint64_t k : keys) RC_ASSERT(set.contains(k) == ref.contains(k));
}

TEST(StateSet, GrowsPastManyKeysAndClears) {
  StateSet set;
  for (std::uint64_t k = 0; k < 100'000; ++k) ASSERT_TRUE(set.insert(k * 7919));
  for (std::uint64_t k = 0; k < 100'000; ++k) ASSERT_FALSE(set.insert(k * 7919));
  EXPECT_EQ(set.size(), 100'000u);
  set.clear();
  EXPECT_EQ(set.size(), 0u);
  EXPECT_FALSE(set.contains(7919));
  EXPECT_TRUE(set.insert(7919));
}

}  // namespace
}  // namespace failsim::checker
