// RAID 4 and RAID-DP (Row-Diagonal Parity) over the cells of one stripe.
// Everything is written in terms of the stripe's parity equations: each row,
// and in raid_dp each stored diagonal, is a set of cells whose XOR is zero.
// Computing parity, checking it and rebuilding lost cells all walk the same
// equations, so the three cannot disagree about which cell covers which.
#include "raid_parity.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <optional>

namespace failsim::model {

namespace {

bool is_prime(int v) {
  if (v < 2) return false;
  for (int d = 2; d * d <= v; ++d)
    if (v % d == 0) return false;
  return true;
}

// The cells of one parity equation; the parity cell it defines is the last.
using Equation = std::vector<CellPos>;

// Rows first (row parity last in each), then raid_dp's stored diagonals
// d = 0..p-2, each ending with its diagonal-parity cell (n+1, d). Rows come
// first because diagonals cover row-parity cells.
std::vector<Equation> equations(const RaidGeometry& g) {
  const int n = g.data_disks;
  const int rows = g.rows_per_stripe();
  std::vector<Equation> eqs;
  for (int r = 0; r < rows; ++r) {
    Equation e;
    for (int c = 0; c <= n; ++c) e.push_back({c, r});
    eqs.push_back(std::move(e));
  }
  if (g.type != RaidType::raid_dp) return eqs;
  const int p = g.prime();
  for (int d = 0; d <= p - 2; ++d) {
    Equation e;
    // RDP columns 0..p-1: data 0..n-1, imaginary zero columns n..p-2 (left
    // out: they add nothing), row parity at RDP column p-1 (our column n).
    for (int c = 0; c < n; ++c) {
      const int r = ((d - c) % p + p) % p;
      if (r != p - 1) e.push_back({c, r});
    }
    const int parity_row = (d + 1) % p;  // (d - (p - 1)) mod p
    if (parity_row != p - 1) e.push_back({n, parity_row});
    e.push_back({n + 1, d});
    eqs.push_back(std::move(e));
  }
  return eqs;
}

std::span<std::uint8_t> bytes_of(const StripeCells& cells, CellPos at, std::uint32_t block_size) {
  std::span<std::uint8_t> s = cells(at.column, at.row);
  assert(s.size() >= block_size);
  return s.first(block_size);
}

// Sets `target` (a member of `e`) to the XOR of the other members of `e`.
void solve(const Equation& e, CellPos target, std::uint32_t block_size, const StripeCells& cells) {
  std::span<std::uint8_t> out = bytes_of(cells, target, block_size);
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  for (const CellPos& c : e) {
    if (c == target) continue;
    std::span<std::uint8_t> in = bytes_of(cells, c, block_size);
    for (std::uint32_t i = 0; i < block_size; ++i) out[i] ^= in[i];
  }
}

bool in_stripe(const RaidGeometry& g, CellPos c) {
  return c.column >= 0 && c.column < g.columns() && c.row >= 0 && c.row < g.rows_per_stripe();
}

struct Step {
  CellPos cell;
  std::size_t equation;
};

// The order in which peeling rebuilds the lost cells, or nothing if some lost
// cell is on no equation that ever gets down to one unknown.
std::optional<std::vector<Step>> peel(const RaidGeometry& g, const std::vector<Equation>& eqs,
                                      std::span<const CellPos> lost) {
  const int rows = g.rows_per_stripe();
  std::vector<char> unknown(static_cast<std::size_t>(g.columns() * rows), 0);
  auto index = [rows](CellPos c) { return static_cast<std::size_t>(c.column * rows + c.row); };
  std::size_t left = 0;
  for (const CellPos& c : lost) {
    if (!unknown[index(c)]) ++left;
    unknown[index(c)] = 1;
  }
  std::vector<Step> plan;
  for (bool progress = true; left > 0 && progress;) {
    progress = false;
    for (std::size_t i = 0; i < eqs.size(); ++i) {
      int count = 0;
      CellPos last{};
      for (const CellPos& c : eqs[i])
        if (unknown[index(c)]) ++count, last = c;
      if (count != 1) continue;
      plan.push_back({last, i});
      unknown[index(last)] = 0;
      --left;
      progress = true;
    }
  }
  if (left > 0) return std::nullopt;
  return plan;
}

}  // namespace

int RaidGeometry::prime() const {
  if (type != RaidType::raid_dp) return 0;
  int p = std::max(3, data_disks + 1);
  while (!is_prime(p)) ++p;
  return p;
}

int RaidGeometry::rows_per_stripe() const { return type == RaidType::raid_dp ? prime() - 1 : 1; }

void compute_parity(const RaidGeometry& g, std::uint32_t block_size, const StripeCells& cells) {
  assert(g.data_disks >= 1);
  for (const Equation& e : equations(g)) solve(e, e.back(), block_size, cells);
}

std::vector<CellPos> parity_cells_of(const RaidGeometry& g, CellPos data) {
  assert(data.column >= 0 && data.column < g.data_disks && data.row >= 0 && data.row < g.rows_per_stripe());
  const int n = g.data_disks;
  std::vector<CellPos> out{{n, data.row}};
  if (g.type != RaidType::raid_dp) return out;
  const int p = g.prime();
  // The data cell's own diagonal, and the diagonal of the row-parity cell of
  // its row (RDP column p-1), which changes by the same delta.
  for (int d : {(data.row + data.column) % p, (data.row + p - 1) % p})
    if (d != p - 1) out.push_back({n + 1, d});
  std::sort(out.begin() + 1, out.end(), [](CellPos a, CellPos b) { return a.row < b.row; });
  return out;
}

bool reconstruct(const RaidGeometry& g, std::uint32_t block_size, std::span<const CellPos> lost,
                 const StripeCells& cells) {
  assert(g.data_disks >= 1);
  for (const CellPos& c : lost)
    if (!in_stripe(g, c)) return false;
  const std::vector<Equation> eqs = equations(g);
  const auto plan = peel(g, eqs, lost);
  if (!plan) return false;
  for (const Step& s : *plan) solve(eqs[s.equation], s.cell, block_size, cells);
  return true;
}

std::vector<CellPos> scrub(const RaidGeometry& g, std::uint32_t block_size, const StripeCells& cells) {
  assert(g.data_disks >= 1);
  // Parity as compute_parity would write it, into scratch cells; the data
  // cells are read where they are.
  const int rows = g.rows_per_stripe();
  const int n = g.data_disks;
  std::vector<std::uint8_t> scratch(static_cast<std::size_t>(g.parity_disks() * rows) * block_size);
  auto expected = [&](int column, int row) {
    const std::size_t at = static_cast<std::size_t>((column - n) * rows + row) * block_size;
    return std::span<std::uint8_t>(scratch).subspan(at, block_size);
  };
  StripeCells recomputed = [&](int column, int row) {
    return column < n ? cells(column, row) : expected(column, row);
  };
  compute_parity(g, block_size, recomputed);
  std::vector<CellPos> bad;
  for (int column = n; column < g.columns(); ++column)
    for (int row = 0; row < rows; ++row) {
      std::span<std::uint8_t> stored = bytes_of(cells, {column, row}, block_size);
      std::span<std::uint8_t> want = expected(column, row);
      if (!std::equal(stored.begin(), stored.end(), want.begin())) bad.push_back({column, row});
    }
  return bad;
}

}  // namespace failsim::model
