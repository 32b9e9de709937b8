// The file system's on-disk image: every CP gives an image that loads back
// to exactly the in-memory tree and passes fsck, a crash at any block write
// of a CP (torn included) leaves the previous image intact, one plex may be
// lost, and fsck catches corruption.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "model/filesystem.hpp"
#include "model/image_walk.hpp"
#include "image_surgery.hpp"
#include "sim/memory/memory_block_device.hpp"
#include "sim/memory/client_workload.hpp"

namespace failsim {
namespace {

using namespace model;
using sim::memory::MemoryBlockDevice;

const FsConfig small_fs{1024, 4096, 512, 1u << 20};

void write_plan(const CpPlan& plan, MemoryBlockDevice& dev) {
  for (const auto& b : plan.blocks) dev.write(b.bno, b.bytes);
  dev.write(0, plan.superblock);
  dev.write(1, plan.superblock);
}

std::vector<Change> ops_for(std::uint64_t seed, int clients, int count) {
  std::mt19937_64 rng(seed);
  std::vector<Change> ops;
  for (int c = 1; c <= clients; ++c) {
    auto mine = sim::memory::random_client_ops(rng, c, count);
    ops.insert(ops.end(), mine.begin(), mine.end());
  }
  // Interleave clients deterministically so directories share pages.
  std::shuffle(ops.begin() + clients, ops.end(), rng);
  return ops;
}

RC_GTEST_PROP(FsImage, EveryCpLoadsBackToTheSameTreeAndPassesFsck, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const int count = *rc::gen::inRange(1, 150);
  const int cp_every = *rc::gen::inRange(1, 40);
  Filesystem fs(small_fs);
  MemoryBlockDevice dev(small_fs.block_size, small_fs.block_count);
  write_plan(fs.build_cp(0), dev);
  fs.commit_cp();
  int n = 0;
  for (const Change& c : ops_for(seed, 3, count)) {
    fs.apply(c);
    if (++n % cp_every != 0) continue;
    write_plan(fs.build_cp(n), dev);
    fs.commit_cp();
    auto report = fsck({&dev});
    RC_ASSERT(report.problems == std::vector<std::string>{});
    LoadResult loaded = load_image({&dev});
    RC_ASSERT(loaded.error == "");
    RC_ASSERT(loaded.fs->tree() == fs.tree());
    RC_ASSERT(loaded.superblock.max_lsn == static_cast<std::uint64_t>(n));
    // Continue from the loaded copy half of the time: both must behave alike.
    if (n % 2 == 0) fs = std::move(*loaded.fs);
  }
}

RC_GTEST_PROP(FsImage, CrashAtAnyBlockWriteOfACpLeavesAConsistentImage, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  Filesystem fs(small_fs);
  MemoryBlockDevice dev(small_fs.block_size, small_fs.block_count);
  write_plan(fs.build_cp(0), dev);
  fs.commit_cp();
  auto ops = ops_for(seed, 2, 60);
  for (std::size_t i = 0; i < ops.size() / 2; ++i) fs.apply(ops[i]);
  write_plan(fs.build_cp(1), dev);
  fs.commit_cp();
  const auto before = fs.tree();
  for (std::size_t i = ops.size() / 2; i < ops.size(); ++i) fs.apply(ops[i]);
  const auto after = fs.tree();
  CpPlan plan = fs.build_cp(2);

  // Writes in CP order: content blocks, superblock copy 0, copy 1. Cut at
  // write k, which lands torn (a prefix of `keep` bytes).
  std::vector<BlockWrite> writes = plan.blocks;
  writes.push_back({0, plan.superblock});
  writes.push_back({1, plan.superblock});
  const auto k = *rc::gen::inRange<std::size_t>(0, writes.size());
  const auto keep = *rc::gen::inRange<std::size_t>(0, small_fs.block_size + 1);
  for (std::size_t i = 0; i < k; ++i) dev.write(writes[i].bno, writes[i].bytes);
  dev.write(writes[k].bno, writes[k].bytes, keep);

  auto report = fsck({&dev});
  RC_ASSERT(report.problems == std::vector<std::string>{});
  LoadResult loaded = load_image({&dev});
  RC_ASSERT(loaded.error == "");
  const auto tree = loaded.fs->tree();
  // Atomic: all of the CP or none of it.
  RC_ASSERT(tree == before || tree == after);
  if (k < plan.blocks.size()) RC_ASSERT(tree == before);
}

TEST(FsImage, MirroredAggregateSurvivesTheLossOfEitherPlex) {
  for (int lost = 0; lost < 2; ++lost) {
    Filesystem fs(small_fs);
    MemoryBlockDevice plex0(small_fs.block_size, small_fs.block_count), plex1(small_fs.block_size, small_fs.block_count);
    int n = 0;
    for (const Change& c : ops_for(11, 2, 80)) {
      fs.apply(c);
      if (++n % 10 == 0 || n == 1) {
        CpPlan plan = fs.build_cp(n);
        write_plan(plan, plex0);
        write_plan(plan, plex1);
        fs.commit_cp();
      }
    }
    (lost == 0 ? plex0 : plex1).dead = true;
    LoadResult loaded = load_image({&plex0, &plex1});
    ASSERT_EQ(loaded.error, "");
    EXPECT_EQ(loaded.fs->tree(), fs.tree());
  }
}

TEST(FsImage, ABadBlockOnOnePlexIsReadFromTheOther) {
  Filesystem fs(small_fs);
  MemoryBlockDevice plex0(small_fs.block_size, small_fs.block_count), plex1(small_fs.block_size, small_fs.block_count);
  for (const Change& c : ops_for(5, 2, 40)) fs.apply(c);
  CpPlan plan = fs.build_cp(1);
  write_plan(plan, plex0);
  write_plan(plan, plex1);
  fs.commit_cp();
  for (const auto& b : plan.blocks) plex0.unreadable.insert(b.bno);
  LoadResult loaded = load_image({&plex0, &plex1});
  ASSERT_EQ(loaded.error, "");
  EXPECT_EQ(loaded.fs->tree(), fs.tree());
  EXPECT_FALSE(fsck({&plex0}).ok());
  EXPECT_TRUE(fsck({&plex0, &plex1}).ok());
}

TEST(FsImage, FsckCatchesCorruptionAndLostWrites) {
  Filesystem fs(small_fs);
  MemoryBlockDevice dev(small_fs.block_size, small_fs.block_count);
  for (const Change& c : ops_for(9, 2, 40)) fs.apply(c);
  CpPlan plan = fs.build_cp(1);
  write_plan(plan, dev);
  fs.commit_cp();
  ASSERT_TRUE(fsck({&dev}).ok());

  // A flipped bit in any block is caught.
  for (const auto& b : plan.blocks) {
    MemoryBlockDevice copy = dev;
    auto bytes = b.bytes;
    bytes[bytes.size() / 2] ^= 0x10;
    copy.write(b.bno, bytes);
    EXPECT_FALSE(fsck({&copy}).ok()) << "block " << b.bno;
    EXPECT_FALSE(load_image({&copy}).fs.has_value());
  }
  // A lost write (the old contents of a block, intact in themselves) is
  // caught by the checksum its parent pointer carries.
  Filesystem fs2 = std::move(*load_image({&dev}).fs);
  fs2.apply(Change{OpType::append, 1, 1000, "/c1/a", {}, 0, 0, 0, "lost"});
  fs2.apply(Change{OpType::create, 1, 1001, "/c1/zz", {}, 0, 0, 0644, {}});
  CpPlan plan2 = fs2.build_cp(2);
  MemoryBlockDevice lost = dev;
  for (std::size_t i = 1; i < plan2.blocks.size(); ++i) lost.write(plan2.blocks[i].bno, plan2.blocks[i].bytes);
  lost.write(0, plan2.superblock);
  lost.write(1, plan2.superblock);
  EXPECT_FALSE(fsck({&lost}).ok());
}

TEST(FsImage, FsckCountsLeakedBlocks) {
  Filesystem fs(small_fs);
  MemoryBlockDevice dev(small_fs.block_size, small_fs.block_count);
  fs.apply(Change{OpType::create, 1, 1, "/f", {}, 0, 0, 0644, {}});
  CpPlan plan = fs.build_cp(1);
  write_plan(plan, dev);
  auto sb = decode_superblock(plan.superblock);
  ASSERT_TRUE(sb);
  sb->used_blocks += 1;  // claims a block nothing points to
  auto bad = encode_superblock(*sb, small_fs.block_size);
  dev.write(0, bad);
  dev.write(1, bad);
  auto report = fsck({&dev});
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("leaked"), std::string::npos);
}

// Corruption behind right checksums (found by fuzz/image_fuzzer): a file size
// the limit forbids, or one near 2^64 whose page count used to wrap to 0, is
// refused instead of being allocated by the first read of the file.
TEST(FsImage, ACorruptFileSizeIsRefusedNotTrusted) {
  for (std::uint64_t size : {~std::uint64_t{0}, ~std::uint64_t{0} - 100, small_fs.max_file_size_bytes + 1}) {
    Filesystem fs(small_fs);
    MemoryBlockDevice dev(small_fs.block_size, small_fs.block_count);
    fs.apply(Change{OpType::create, 1, 1, "/f", {}, 0, 0, 0644, {}});  // empty: its root is a hole
    write_plan(fs.build_cp(1), dev);
    fs.commit_cp();
    testing::edit_inode(dev, 2, [&](InodeRecord& r) { r.size = size; });
    LoadResult loaded = load_image({&dev}, small_fs.max_file_size_bytes);
    EXPECT_FALSE(loaded.fs.has_value()) << size;
    EXPECT_NE(loaded.error, "") << size;
  }
}

// A directory claiming more slots than its pages hold (a hole in a
// directory, which no CP writes) is refused before its slots are allocated.
TEST(FsImage, ADirectoryWithAHoleIsRefused) {
  Filesystem fs(small_fs);
  MemoryBlockDevice dev(small_fs.block_size, small_fs.block_count);
  fs.apply(Change{OpType::mkdir, 1, 1, "/d", {}, 0, 0, 0755, {}});
  write_plan(fs.build_cp(1), dev);
  fs.commit_cp();
  // 1000 slots under a two-level tree that is one hole: nothing to read.
  testing::edit_inode(dev, 2, [](InodeRecord& r) {
    r.size = 1000ull * dir_slot_bytes;
    r.root = BlobRoot{BlockRef{0, 0}, 2};
  });
  auto report = fsck({&dev});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems[0].find("readable"), std::string::npos) << report.problems[0];
  EXPECT_FALSE(load_image({&dev}).fs.has_value());
}

}  // namespace
}  // namespace failsim
