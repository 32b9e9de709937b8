// The block store's RAID groups: whatever was written reads back byte for
// byte through lost disks (one per group in RAID-4, two in RAID-DP), a
// rebuild onto a spare restores the disk's exact contents and leaves the
// parity consistent, writes while degraded keep parity right, and a disk a
// write could not reach is failed by RAID. The parity code itself has its
// own tests (tests/model/raid_parity_test.cpp); this is its use in the
// simulator's store.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/run/block_store.hpp"
#include "sim/scenario/raid_groups.hpp"

namespace failsim::sim {
namespace {

constexpr std::uint32_t block_size = 64;

struct Layout {
  RaidSpec raid;
  int disks = 0, spares = 0;
  std::uint64_t blocks = 0;
};

BlockStore make_store(const Layout& l) {
  PlexLayout p;
  for (int d = 0; d < l.disks + l.spares; ++d) (d < l.disks ? p.disks : p.spares).push_back("s.d" + std::to_string(d));
  BlockStore store;
  store.add_aggregate("a", block_size, l.blocks, l.raid, {p});
  return store;
}

std::vector<std::uint8_t> pattern(std::uint64_t seed) {
  std::vector<std::uint8_t> b(block_size);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(seed * 131 + i * 7 + (seed >> 3));
  return b;
}

// What every block of the plex reads as, through its faults.
std::map<model::BlockNo, std::vector<std::uint8_t>> read_all(const BlockStore& store, std::uint64_t blocks,
                                                           bool* all_read) {
  std::map<model::BlockNo, std::vector<std::uint8_t>> out;
  auto plexes = store.true_plexes("a");
  *all_read = true;
  for (model::BlockNo b = 0; b < blocks; ++b) {
    std::vector<std::uint8_t> bytes(block_size);
    if (plexes[0]->read(b, bytes)) out[b] = bytes;
    else *all_read = false;
  }
  return out;
}

rc::Gen<Layout> layouts() {
  return rc::gen::exec([] {
    Layout l;
    l.raid.level = *rc::gen::element(RaidLevel::raid4, RaidLevel::raid_dp);
    l.disks = *rc::gen::inRange(parity_disks(l.raid.level) + 1, 13);
    l.raid.group_size = *rc::gen::element(0, parity_disks(l.raid.level) + 1, 5);
    while (raid_group_sizes(l.disks, l.raid).empty()) ++l.disks;
    l.spares = *rc::gen::inRange(0, 3);
    l.blocks = *rc::gen::inRange<std::uint64_t>(1, 200);
    return l;
  });
}

// Per group, at most its parity's worth of lost disks.
std::vector<std::string> losable_disks(const Layout& l) {
  std::vector<std::string> out;
  int start = 0;
  for (int size : raid_group_sizes(l.disks, l.raid)) {
    const int take = *rc::gen::inRange(0, parity_disks(l.raid.level) + 1);
    auto cols = *rc::gen::unique<std::vector<int>>(take, rc::gen::inRange(0, size));
    for (int c : cols) out.push_back("s.d" + std::to_string(start + c));
    start += size;
  }
  return out;
}

RC_GTEST_PROP(RaidStore, LostDisksWithinParityReadBackAndRebuildExactly, ()) {
  const Layout l = *layouts();
  BlockStore store = make_store(l);
  std::map<model::BlockNo, std::vector<std::uint8_t>> written;
  auto write_some = [&](int n) {
    for (int i = 0; i < n; ++i) {
      const model::BlockNo b = *rc::gen::inRange<std::uint64_t>(0, l.blocks);
      const auto bytes = pattern(*rc::gen::arbitrary<std::uint32_t>());
      RC_ASSERT(store.write_plex("", "a", 0, b, bytes) == BlockStore::WriteResult::ok);
      written[b] = bytes;
    }
  };
  write_some(*rc::gen::inRange(0, 60));
  const std::vector<std::string> lost = losable_disks(l);
  for (const auto& d : lost) store.fail_disk(d);
  write_some(*rc::gen::inRange(0, 30));  // degraded writes move the parity only
  bool all_read = false;
  auto seen = read_all(store, l.blocks, &all_read);
  RC_ASSERT(all_read);
  for (const auto& [b, bytes] : written) RC_ASSERT(seen[b] == bytes);
  // Rebuild what the spares allow, then replace the rest and rebuild them too.
  while (auto r = store.next_rebuild()) RC_ASSERT(store.finish_rebuild(*r));
  for (const auto& d : lost) store.replace_disk(d);
  while (auto r = store.next_rebuild()) RC_ASSERT(store.finish_rebuild(*r));
  seen = read_all(store, l.blocks, &all_read);
  RC_ASSERT(all_read);
  for (const auto& [b, bytes] : written) RC_ASSERT(seen[b] == bytes);
  RC_ASSERT(store.scrub("a", 0).mismatched_stripes == 0u);
}

TEST(RaidStore, OneLostDiskTooManyLosesTheBlocksOfItsGroup) {
  for (RaidLevel level : {RaidLevel::none, RaidLevel::raid4, RaidLevel::raid_dp}) {
    Layout l{{level, 0, 20e6}, parity_disks(level) + 3, 0, 40};
    BlockStore store = make_store(l);
    for (model::BlockNo b = 0; b < l.blocks; ++b) store.write_plex("", "a", 0, b, pattern(b));
    for (int d = 0; d <= parity_disks(level); ++d) store.fail_disk("s.d" + std::to_string(d));
    bool all_read = true;
    read_all(store, l.blocks, &all_read);
    EXPECT_FALSE(all_read) << static_cast<int>(level);
  }
}

TEST(RaidStore, LatentSectorErrorIsReadFromParity) {
  Layout l{{RaidLevel::raid4, 0, 20e6}, 4, 0, 30};
  BlockStore store = make_store(l);
  for (model::BlockNo b = 0; b < l.blocks; ++b) store.write_plex("", "a", 0, b, pattern(b));
  store.add_latent_error("s.d0", 0);  // plex block 0: data disk 0, disk block 0
  std::vector<std::uint8_t> out(block_size);
  ASSERT_TRUE(store.plexes_seen_by("n0", "a")[0]->read(0, out));
  EXPECT_EQ(out, pattern(0));
  // Plain striping has nothing to rebuild it from.
  Layout none{{RaidLevel::none, 0, 20e6}, 4, 0, 30};
  BlockStore plain = make_store(none);
  plain.add_latent_error("s.d0", 0);
  EXPECT_FALSE(plain.plexes_seen_by("n0", "a")[0]->read(0, out));
}

TEST(RaidStore, ADiskTheWriterCannotReachIsFailedByRaid) {
  Layout l{{RaidLevel::raid4, 0, 20e6}, 4, 1, 30};
  BlockStore store = make_store(l);
  store.set_reach([](const std::string& node, const std::string& disk) { return node != "n0" || disk != "s.d3"; },
                  {"n0", "n1"});
  ASSERT_EQ(store.write_plex("n0", "a", 0, 0, pattern(1)), BlockStore::WriteResult::ok);
  EXPECT_EQ(store.take_lost_disks(), std::vector<std::string>{"s.d3"});
  EXPECT_TRUE(store.dead("s.d3"));
  auto r = store.next_rebuild();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->onto, "s.d4");
  EXPECT_TRUE(store.finish_rebuild(*r));
  EXPECT_EQ(store.scrub("a", 0).mismatched_stripes, 0u);
}

TEST(RaidStore, AGroupBeyondItsParityFailsAndIsNotRebuilt) {
  for (RaidLevel level : {RaidLevel::raid4, RaidLevel::raid_dp}) {
    Layout l{{level, 0, 20e6}, 6, 3, 30};
    BlockStore store = make_store(l);
    for (model::BlockNo b = 0; b < l.blocks; ++b) store.write_plex("", "a", 0, b, pattern(b));
    store.fail_disk("s.d0");
    auto first = store.next_rebuild();
    ASSERT_TRUE(first.has_value());
    EXPECT_TRUE(store.take_failed_groups().empty());
    // More disks fail while the first rebuild runs: the group is beyond its parity.
    for (int d = 1; d <= parity_disks(level); ++d) store.fail_disk("s.d" + std::to_string(d));
    const std::vector<BlockStore::FailedGroup> failed = store.take_failed_groups();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].disk, "s.d" + std::to_string(parity_disks(level)));
    // Nothing is rebuilt from a failed group, and the running rebuild is
    // abandoned: its spare is a spare again, not a disk of zeros in the group.
    while (auto r = store.next_rebuild()) ADD_FAILURE() << "rebuild of " << r->disk << " in a failed group";
    EXPECT_FALSE(store.finish_rebuild(*first));
    bool all_read = true;
    read_all(store, l.blocks, &all_read);
    EXPECT_FALSE(all_read);
    std::vector<std::uint8_t> out(block_size);
    EXPECT_FALSE(store.plexes_seen_by("n0", "a")[0]->read(0, out));
  }
}

TEST(RaidStore, StripesARebuildCannotRebuildReadAsLostNotAsZeros) {
  // RAID-4 degraded by one disk, with a latent error on another in stripe 0:
  // that stripe cannot be rebuilt; the rest is.
  Layout l{{RaidLevel::raid4, 0, 20e6}, 4, 1, 30};
  BlockStore store = make_store(l);
  for (model::BlockNo b = 0; b < l.blocks; ++b) store.write_plex("", "a", 0, b, pattern(b + 1));
  store.fail_disk("s.d0");
  store.add_latent_error("s.d1", 0);
  auto r = store.next_rebuild();
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(store.finish_rebuild(*r));
  const auto seen = store.plexes_seen_by("n0", "a");
  std::vector<std::uint8_t> out(block_size);
  EXPECT_FALSE(seen[0]->read(0, out)) << "block 0 (data disk 0, row 0) was not rebuilt; it must not read as zeros";
  ASSERT_TRUE(seen[0]->read(3, out));  // data disk 0, row 1: rebuilt
  EXPECT_EQ(out, pattern(4));
  const BlockStore::Scrub scrub = store.scrub("a", 0);
  EXPECT_EQ(scrub.mismatched_stripes, 0u) << "the scrub leaves out the stripe with unknown contents";
  EXPECT_EQ(scrub.unverified_stripes, 1u) << "and says so";
}

}  // namespace
}  // namespace failsim::sim
