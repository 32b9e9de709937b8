// The reference file system under a tree no real workload makes but a
// hostile history can: directories nested 400,000 levels deep by renames
// (each rename moves one node, so building it is cheap). Destroying it must
// not recurse once per level: a recursive destructor overflowed the stack.
#include <gtest/gtest.h>

#include "checker/reference_fs.hpp"

namespace failsim::checker {
namespace {

model::Change change(model::OpType type, std::string path, std::string to = "") {
  model::Change c;
  c.type = type;
  c.client = 1;
  c.path = std::move(path);
  c.to = std::move(to);
  c.mode = model::default_dir_mode;
  return c;
}

// /d, then repeatedly: mkdir /n; rename /d -> /n/d; rename /n -> /d. Each
// round puts the whole tree one level deeper under a new /d.
void nest(ReferenceFs& fs, int levels, ReferenceFs::UndoLog* log = nullptr) {
  ASSERT_EQ(fs.apply(ChangeRef::of(change(model::OpType::mkdir, "/d")), log), model::Result::ok);
  for (int i = 0; i < levels; ++i) {
    ASSERT_EQ(fs.apply(ChangeRef::of(change(model::OpType::mkdir, "/n")), log), model::Result::ok);
    ASSERT_EQ(fs.apply(ChangeRef::of(change(model::OpType::rename, "/d", "/n/d")), log), model::Result::ok);
    ASSERT_EQ(fs.apply(ChangeRef::of(change(model::OpType::rename, "/n", "/d")), log), model::Result::ok);
  }
}

TEST(ReferenceDeep, A400000LevelTreeIsDestroyedWithoutRecursion) {
  auto fs = std::make_unique<ReferenceFs>();
  nest(*fs, 400000);
  fs.reset();  // crashed with a stack overflow when each level's destructor ran the next
  SUCCEED();
}

TEST(ReferenceDeep, AnUndoLogHoldingADeepTreeIsClearedWithoutRecursion) {
  ReferenceFs fs;
  ReferenceFs::UndoLog log;
  nest(fs, 200000, &log);
  fs.undo_to(log, 0);  // back to the empty tree, every node freed on the way
  EXPECT_TRUE(fs.tree().empty());
  nest(fs, 200000);
}

}  // namespace
}  // namespace failsim::checker
