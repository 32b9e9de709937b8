// NVRAM log entries and regions: round trips in both logging modes, every
// corruption and every tear detected, recovery's parse stopping at the first
// bad entry and never chaining a stale one.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model/crc32c.hpp"
#include "model/log_entry.hpp"
#include "model/nvram_log.hpp"

namespace failsim {
namespace {

using namespace model;

LogEntry request_entry(Lsn lsn, std::uint32_t prev_crc = 0) {
  LogEntry e;
  e.lsn = lsn;
  e.mode = LogMode::request;
  e.prev_crc = prev_crc;
  e.client = 3;
  e.xid = 17 + lsn;
  e.result = Result::eexist;
  e.change = Change{OpType::rename, 3, 17 + lsn, "/c3/a", "/c3/b", 0, 0, 0, {}};
  return e;
}

TEST(Crc32c, MatchesTheKnownCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32c({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}), 0xE3069283u);
}

// The bit-at-a-time definition, against which the sliced tables are checked.
std::uint32_t crc32c_bitwise(std::span<const std::uint8_t> data, std::uint32_t seed) {
  std::uint32_t c = ~seed;
  for (std::uint8_t b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
  }
  return ~c;
}

RC_GTEST_PROP(Crc32c, EqualsTheBitwiseDefinitionAtEveryLengthAndSeed,
              (const std::vector<std::uint8_t>& data, std::uint32_t seed)) {
  RC_ASSERT(crc32c(data, seed) == crc32c_bitwise(data, seed));
  // Chaining over a split equals one pass (entries chain their CRCs this way).
  const std::size_t cut = *rc::gen::inRange<std::size_t>(0, data.size() + 1);
  const std::span<const std::uint8_t> all(data);
  RC_ASSERT(crc32c(all.subspan(cut), crc32c(all.first(cut), seed)) == crc32c(data, seed));
}

TEST(LogEntry, RoundTripsInBothModes) {
  LogEntry req = request_entry(5, 0xABCD);
  auto bytes = encode_entry(req);
  auto d = decode_entry(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->entry, req);
  EXPECT_EQ(d->bytes, bytes.size());

  LogEntry blk;
  blk.lsn = 9;
  blk.mode = LogMode::block;
  blk.aggregate = 1;
  blk.client = 4;
  blk.xid = 2;
  blk.images = {{ImageKind::inode_page, 0, 0, std::vector<std::uint8_t>(992, 7)},
                {ImageKind::file_page, 12, 3, std::vector<std::uint8_t>(992, 9)}};
  bytes = encode_entry(blk);
  d = decode_entry(bytes);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->entry, blk);
}

RC_GTEST_PROP(LogEntry, AnyFlippedBitOrTornTailIsRejected, ()) {
  LogEntry e = request_entry(*rc::gen::inRange<Lsn>(1, 1000));
  auto bytes = encode_entry(e);
  auto torn = bytes;
  torn.resize(*rc::gen::inRange<std::size_t>(0, bytes.size()));
  RC_ASSERT(!decode_entry(torn));
  auto flipped = bytes;
  std::size_t bit = *rc::gen::inRange<std::size_t>(0, bytes.size() * 8);
  flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  RC_ASSERT(!decode_entry(flipped));
}

RC_GTEST_PROP(LogEntry, DecoderTakesArbitraryBytes, (const std::vector<std::uint8_t>& junk)) {
  // Never crashes or reads out of bounds (ASan checks the latter).
  auto d = decode_entry(junk);
  if (d) RC_ASSERT(d->bytes <= junk.size());
}

// Writes entries into a region the way the server does.
struct RegionWriter {
  std::vector<std::uint8_t> region;
  LogRegion books;
  explicit RegionWriter(std::uint64_t half) : region(2 * half, 0), books(half) {}
  void append(Lsn lsn, Result result = Result::eexist) {
    std::uint32_t crc = 0;
    LogEntry e = request_entry(lsn, books.next_prev_crc());
    e.result = result;
    auto bytes = encode_entry(e, &crc);
    ASSERT_TRUE(books.fits(bytes.size()));
    std::uint64_t off = books.place(bytes.size(), lsn, crc);
    std::copy(bytes.begin(), bytes.end(), region.begin() + off);
  }
};

TEST(LogRegion, ParseFindsEntriesOfBothHalvesInOrder) {
  RegionWriter w(1024);
  for (Lsn l = 1; l <= 5; ++l) w.append(l);
  w.books.freeze();
  for (Lsn l = 6; l <= 8; ++l) w.append(l);
  auto parsed = parse_region(w.region, 1024);
  ASSERT_EQ(parsed.size(), 8u);
  for (Lsn l = 1; l <= 8; ++l) EXPECT_EQ(parsed[l - 1].lsn, l);
  EXPECT_EQ(entries_after(parsed, 3).size(), 5u);
  EXPECT_EQ(entries_after(parsed, 3).front().lsn, 4u);
}

TEST(LogRegion, ReplayStopsAtTheFirstTornEntry) {
  RegionWriter w(4096);
  for (Lsn l = 1; l <= 6; ++l) w.append(l);
  // Tear entry 4: everything after it is unreachable, even if intact.
  auto parsed_all = parse_region(w.region, 4096);
  std::size_t off = 0;
  for (int i = 0; i < 3; ++i) off += encode_entry(parsed_all[i]).size();
  w.region[off + 30] ^= 0xFF;
  auto parsed = parse_region(w.region, 4096);
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(entries_after(parsed, 0).size(), 3u);
}

TEST(LogRegion, AStaleEntryFromAnEarlierUseOfAHalfNeverChains) {
  RegionWriter w(4096);
  for (Lsn l = 1; l <= 6; ++l) w.append(l);
  auto old = w.region;
  // A new log over the same half, whose first entry has the size and LSN of
  // the old first entry: the old second entry right behind it has the LSN
  // that would come next, but it does not chain to the new entry.
  RegionWriter fresh(4096);
  fresh.region = old;
  fresh.append(1, Result::ok);
  auto parsed = parse_region(fresh.region, 4096);
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].result, Result::ok);
}

TEST(LogRegion, AGapEndsTheLog) {
  RegionWriter w(4096);
  for (Lsn l = 1; l <= 3; ++l) w.append(l);
  auto parsed = parse_region(w.region, 4096);
  EXPECT_TRUE(entries_after(parsed, 5).empty());
  parsed.erase(parsed.begin() + 1);  // entry 2 lost
  EXPECT_EQ(entries_after(parsed, 0).size(), 1u);
}

TEST(LogRegion, AHalfIsReusedOnlyAfterRelease) {
  LogRegion books(100);
  EXPECT_TRUE(books.fits(60));
  books.place(60, 1, 0);
  EXPECT_FALSE(books.fits(60));
  EXPECT_EQ(books.freeze(), 0);
  EXPECT_TRUE(books.fits(60));
  books.place(60, 2, 0);
  EXPECT_FALSE(books.can_freeze());  // half 0's CP is not durable yet
  books.release(0);
  EXPECT_TRUE(books.can_freeze());
  EXPECT_EQ(books.freeze(), 1);
  EXPECT_EQ(books.active(), 0);
  EXPECT_TRUE(books.fits(100));
}

}  // namespace
}  // namespace failsim
