// RAID 4 and RAID-DP parity (model/raid_parity): parity equal to the textbook
// definition, any parity_disks() lost columns rebuilt byte for byte and one
// more refused, single-cell updates through parity_cells_of, and the scrub.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <vector>

#include "model/raid_parity.hpp"

namespace failsim {
namespace {

using namespace model;

// One stripe held in memory: column-major cells of block_size bytes each.
struct Stripe {
  RaidGeometry g;
  std::uint32_t block_size;
  std::vector<std::uint8_t> bytes;

  Stripe(RaidGeometry geometry, std::uint32_t bs)
      : g(geometry), block_size(bs), bytes(static_cast<std::size_t>(g.columns() * g.rows_per_stripe()) * bs) {}
  std::span<std::uint8_t> cell(int column, int row) {
    const std::size_t at = static_cast<std::size_t>(column * g.rows_per_stripe() + row) * block_size;
    return std::span<std::uint8_t>(bytes).subspan(at, block_size);
  }
  StripeCells cells() {
    return [this](int column, int row) { return cell(column, row); };
  }
  void fill_column(int column, std::mt19937_64& rng) {
    for (int r = 0; r < g.rows_per_stripe(); ++r)
      for (std::uint8_t& b : cell(column, r)) b = static_cast<std::uint8_t>(rng());
  }
};

// A stripe of pseudo-random data (and garbage parity) drawn by RapidCheck.
Stripe random_stripe(std::optional<RaidType> only = std::nullopt) {
  const auto type = only ? *only : *rc::gen::element(RaidType::raid4, RaidType::raid_dp);
  const int data_disks = *rc::gen::inRange(1, 13);
  const auto block_size = *rc::gen::inRange<std::uint32_t>(8, 65);
  Stripe s({type, data_disks}, block_size);
  std::mt19937_64 rng(*rc::gen::arbitrary<std::uint64_t>());
  for (int c = 0; c < s.g.columns(); ++c) s.fill_column(c, rng);
  return s;
}

// The parity straight from the definition, independent of the code under
// test: RDP's p-1 x p array with the imaginary columns as zeros, row parity
// in RDP column p-1, and diagonal d the XOR of every (r, c) with (r+c) mod p == d.
std::vector<std::uint8_t> reference_parity(Stripe& s) {
  const int n = s.g.data_disks;
  const std::uint32_t bs = s.block_size;
  const int rows = s.g.rows_per_stripe();
  const int rdp_columns = s.g.type == RaidType::raid_dp ? s.g.prime() : n + 1;
  std::vector<std::vector<std::uint8_t>> a(rows * rdp_columns, std::vector<std::uint8_t>(bs, 0));
  auto at = [&](int r, int c) -> std::vector<std::uint8_t>& { return a[r * rdp_columns + c]; };
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < n; ++c) std::copy_n(s.cell(c, r).begin(), bs, at(r, c).begin());
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < rdp_columns - 1; ++c)
      for (std::uint32_t i = 0; i < bs; ++i) at(r, rdp_columns - 1)[i] ^= at(r, c)[i];
  std::vector<std::uint8_t> out;
  for (int r = 0; r < rows; ++r) out.insert(out.end(), at(r, rdp_columns - 1).begin(), at(r, rdp_columns - 1).end());
  if (s.g.type != RaidType::raid_dp) return out;
  const int p = s.g.prime();
  for (int d = 0; d <= p - 2; ++d) {
    std::vector<std::uint8_t> diag(bs, 0);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < p; ++c)
        if ((r + c) % p == d)
          for (std::uint32_t i = 0; i < bs; ++i) diag[i] ^= at(r, c)[i];
    out.insert(out.end(), diag.begin(), diag.end());
  }
  return out;
}

std::vector<std::uint8_t> stored_parity(Stripe& s) {
  std::vector<std::uint8_t> out;
  for (int c = s.g.data_disks; c < s.g.columns(); ++c)
    for (int r = 0; r < s.g.rows_per_stripe(); ++r) out.insert(out.end(), s.cell(c, r).begin(), s.cell(c, r).end());
  return out;
}

std::vector<int> distinct_columns(const RaidGeometry& g, int count) {
  std::vector<int> all(g.columns());
  for (int c = 0; c < g.columns(); ++c) all[c] = c;
  std::vector<int> picked = *rc::gen::unique<std::vector<int>>(count, rc::gen::elementOf(all));
  return picked;
}

std::vector<CellPos> whole_columns(const RaidGeometry& g, const std::vector<int>& columns) {
  std::vector<CellPos> out;
  for (int c : columns)
    for (int r = 0; r < g.rows_per_stripe(); ++r) out.push_back({c, r});
  return out;
}

RC_GTEST_PROP(RaidParity, ComputeParityEqualsTheDefinition, ()) {
  Stripe s = random_stripe();
  compute_parity(s.g, s.block_size, s.cells());
  RC_ASSERT(stored_parity(s) == reference_parity(s));
}

RC_GTEST_PROP(RaidParity, AnyParityDisksLostColumnsRebuildByteForByte, ()) {
  Stripe s = random_stripe();
  compute_parity(s.g, s.block_size, s.cells());
  const std::vector<std::uint8_t> good = s.bytes;
  const int count = *rc::gen::inRange(1, s.g.parity_disks() + 1);
  const std::vector<CellPos> lost = whole_columns(s.g, distinct_columns(s.g, count));
  std::mt19937_64 rng(*rc::gen::arbitrary<std::uint64_t>());
  for (const CellPos& c : lost)
    for (std::uint8_t& b : s.cell(c.column, c.row)) b = static_cast<std::uint8_t>(rng());
  RC_ASSERT(reconstruct(s.g, s.block_size, lost, s.cells()));
  RC_ASSERT(s.bytes == good);
}

RC_GTEST_PROP(RaidParity, OneColumnMoreThanParityIsRefusedAndLeftUntouched, ()) {
  Stripe s = random_stripe();
  compute_parity(s.g, s.block_size, s.cells());
  const std::vector<CellPos> lost = whole_columns(s.g, distinct_columns(s.g, s.g.parity_disks() + 1));
  for (const CellPos& c : lost) std::ranges::fill(s.cell(c.column, c.row), std::uint8_t{0xA5});
  const std::vector<std::uint8_t> damaged = s.bytes;
  RC_ASSERT(!reconstruct(s.g, s.block_size, lost, s.cells()));
  RC_ASSERT(s.bytes == damaged);
}

// Any set of cells (latent sector errors, partly lost columns): either
// rebuilt exactly, or refused with every cell as it was.
RC_GTEST_PROP(RaidParity, AnyLostCellsRebuildExactlyOrAreRefusedUntouched, ()) {
  Stripe s = random_stripe();
  compute_parity(s.g, s.block_size, s.cells());
  const std::vector<std::uint8_t> good = s.bytes;
  const auto lost = *rc::gen::container<std::vector<CellPos>>(
      rc::gen::construct<CellPos>(rc::gen::inRange(0, s.g.columns()), rc::gen::inRange(0, s.g.rows_per_stripe())));
  for (const CellPos& c : lost) std::ranges::fill(s.cell(c.column, c.row), std::uint8_t{0x5A});
  const std::vector<std::uint8_t> damaged = s.bytes;
  const bool rebuilt = reconstruct(s.g, s.block_size, lost, s.cells());
  RC_TAG(rebuilt);
  RC_ASSERT(s.bytes == (rebuilt ? good : damaged));
}

// Cells of any two columns (whole or in part) of a RAID-DP stripe always
// rebuild: a subset of a two-column loss.
RC_GTEST_PROP(RaidParity, RaidDpRebuildsAnyCellsOfTwoColumns, ()) {
  Stripe s = random_stripe(RaidType::raid_dp);
  compute_parity(s.g, s.block_size, s.cells());
  const std::vector<std::uint8_t> good = s.bytes;
  const std::vector<int> columns = distinct_columns(s.g, 2);
  const auto lost = *rc::gen::container<std::vector<CellPos>>(rc::gen::construct<CellPos>(
      rc::gen::elementOf(columns), rc::gen::inRange(0, s.g.rows_per_stripe())));
  for (const CellPos& c : lost) std::ranges::fill(s.cell(c.column, c.row), std::uint8_t{0x5A});
  RC_ASSERT(reconstruct(s.g, s.block_size, lost, s.cells()));
  RC_ASSERT(s.bytes == good);
}

RC_GTEST_PROP(RaidParity, UpdatingOneDataCellThroughItsParityCellsEqualsARecompute, ()) {
  Stripe s = random_stripe();
  compute_parity(s.g, s.block_size, s.cells());
  const CellPos at{*rc::gen::inRange(0, s.g.data_disks), *rc::gen::inRange(0, s.g.rows_per_stripe())};
  std::vector<std::uint8_t> delta(s.block_size);
  std::mt19937_64 rng(*rc::gen::arbitrary<std::uint64_t>());
  for (std::uint8_t& b : delta) b = static_cast<std::uint8_t>(rng());
  delta[*rc::gen::inRange<std::uint32_t>(0, s.block_size)] |= 1;  // never all zeros
  const std::vector<CellPos> targets = parity_cells_of(s.g, at);
  for (const CellPos& t : targets)
    for (std::uint32_t i = 0; i < s.block_size; ++i) s.cell(t.column, t.row)[i] ^= delta[i];
  for (std::uint32_t i = 0; i < s.block_size; ++i) s.cell(at.column, at.row)[i] ^= delta[i];
  const std::vector<std::uint8_t> updated = s.bytes;
  compute_parity(s.g, s.block_size, s.cells());
  RC_ASSERT(s.bytes == updated);
  RC_ASSERT(targets.size() >= static_cast<std::size_t>(s.g.parity_disks()));
  RC_ASSERT(std::ranges::is_sorted(targets, [](CellPos a, CellPos b) {
    return a.column != b.column ? a.column < b.column : a.row < b.row;
  }));
}

RC_GTEST_PROP(RaidParity, ScrubFindsAFlippedByteInAnyCell, ()) {
  Stripe s = random_stripe();
  compute_parity(s.g, s.block_size, s.cells());
  RC_ASSERT(scrub(s.g, s.block_size, s.cells()).empty());
  const CellPos at{*rc::gen::inRange(0, s.g.columns()), *rc::gen::inRange(0, s.g.rows_per_stripe())};
  const auto offset = *rc::gen::inRange<std::uint32_t>(0, s.block_size);
  s.cell(at.column, at.row)[offset] ^= *rc::gen::inRange<int>(1, 256);
  const std::vector<CellPos> expected =
      s.g.is_parity_column(at.column) ? std::vector<CellPos>{at} : parity_cells_of(s.g, at);
  RC_ASSERT(scrub(s.g, s.block_size, s.cells()) == expected);
}

TEST(RaidParity, GeometryOfBothTypes) {
  const RaidGeometry r4{RaidType::raid4, 7};
  EXPECT_EQ(r4.parity_disks(), 1);
  EXPECT_EQ(r4.columns(), 8);
  EXPECT_EQ(r4.prime(), 0);
  EXPECT_EQ(r4.rows_per_stripe(), 1);
  // data disks -> p: max(3, n + 1) rounded up to a prime.
  const std::vector<std::pair<int, int>> primes{{1, 3}, {2, 3}, {3, 5}, {4, 5}, {5, 7}, {6, 7}, {7, 11}, {12, 13}, {13, 17}, {28, 29}};
  for (auto [n, p] : primes) {
    const RaidGeometry dp{RaidType::raid_dp, n};
    EXPECT_EQ(dp.prime(), p) << n;
    EXPECT_EQ(dp.rows_per_stripe(), p - 1) << n;
    EXPECT_EQ(dp.columns(), n + 2) << n;
  }
}

// p = 3, two data disks, one byte per cell, worked by hand: row parity
// P0 = a^b, P1 = c^e; diagonal 0 = {(0,0) a, (1, RDP column 2) P1},
// diagonal 1 = {(0,1) b, (1,0) c}; diagonal 2 is not stored.
TEST(RaidParity, RaidDpOfTwoDataDisksByHand) {
  Stripe s({RaidType::raid_dp, 2}, 1);
  const std::uint8_t a = 0x01, b = 0x02, c = 0x04, e = 0x08;
  s.cell(0, 0)[0] = a;
  s.cell(1, 0)[0] = b;
  s.cell(0, 1)[0] = c;
  s.cell(1, 1)[0] = e;
  compute_parity(s.g, 1, s.cells());
  EXPECT_EQ(s.cell(2, 0)[0], a ^ b);
  EXPECT_EQ(s.cell(2, 1)[0], c ^ e);
  EXPECT_EQ(s.cell(3, 0)[0], a ^ c ^ e);
  EXPECT_EQ(s.cell(3, 1)[0], b ^ c);
  EXPECT_EQ(parity_cells_of(s.g, {0, 0}), (std::vector<CellPos>{{2, 0}, {3, 0}}));
  EXPECT_EQ(parity_cells_of(s.g, {1, 1}), (std::vector<CellPos>{{2, 1}, {3, 0}}));
  EXPECT_EQ(parity_cells_of(s.g, {0, 1}), (std::vector<CellPos>{{2, 1}, {3, 0}, {3, 1}}));
  EXPECT_EQ(parity_cells_of(s.g, {1, 0}), (std::vector<CellPos>{{2, 0}, {3, 1}}));
}

TEST(RaidParity, Raid4RowParityIsTheXorOfTheRow) {
  Stripe s({RaidType::raid4, 3}, 2);
  const std::uint8_t data[3][2] = {{0x11, 0x80}, {0x22, 0x01}, {0x44, 0x10}};
  for (int c = 0; c < 3; ++c) std::copy_n(data[c], 2, s.cell(c, 0).begin());
  compute_parity(s.g, 2, s.cells());
  EXPECT_EQ(s.cell(3, 0)[0], 0x77);
  EXPECT_EQ(s.cell(3, 0)[1], 0x91);
  EXPECT_EQ(parity_cells_of(s.g, {1, 0}), (std::vector<CellPos>{{3, 0}}));
}

TEST(RaidParity, ACellOutsideTheStripeIsRefusedUntouched) {
  Stripe s({RaidType::raid_dp, 4}, 8);
  std::mt19937_64 rng(7);
  for (int c = 0; c < 4; ++c) s.fill_column(c, rng);
  compute_parity(s.g, 8, s.cells());
  const std::vector<std::uint8_t> before = s.bytes;
  for (CellPos bad : {CellPos{6, 0}, CellPos{-1, 0}, CellPos{0, 4}, CellPos{0, -1}}) {
    const std::vector<CellPos> lost{{0, 0}, bad};
    EXPECT_FALSE(reconstruct(s.g, 8, lost, s.cells()));
    EXPECT_EQ(s.bytes, before);
  }
  EXPECT_TRUE(reconstruct(s.g, 8, {}, s.cells()));
}

}  // namespace
}  // namespace failsim
