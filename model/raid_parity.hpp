// The parity of a RAID group, as a filer's RAID layer computes it: RAID 4
// (one XOR row-parity column) and RAID-DP, which is Row-Diagonal Parity
// (Corbett et al., FAST 2004): a row-parity column plus a diagonal-parity
// column, so that any two whole columns of a stripe can be rebuilt. Pure byte
// arithmetic over the cells a caller hands in; where the blocks live is the
// caller's business (sim/run/block_store).
//
// RDP with prime p: RDP columns 0..p-2 are data (our data columns 0..n-1;
// columns n..p-2 are imaginary all-zero columns, never stored), RDP column p-1
// is row parity (our column n), and the diagonal parity is our column n+1. A
// stripe has p-1 rows. Cell (r, c) for c in 0..p-1 lies on diagonal
// (r + c) mod p; diagonal p-1 is not stored; diagonal-parity row d holds the
// XOR of diagonal d (d = 0..p-2), row-parity cells included.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace failsim::model {

enum class RaidType : std::uint8_t { raid4, raid_dp };

struct RaidGeometry {
  RaidType type = RaidType::raid4;
  int data_disks = 1;  // >= 1

  int parity_disks() const { return type == RaidType::raid4 ? 1 : 2; }
  // Data columns first, then row parity, then (raid_dp) diagonal parity.
  int columns() const { return data_disks + parity_disks(); }
  int row_parity_column() const { return data_disks; }
  int diagonal_parity_column() const { return data_disks + 1; }  // raid_dp only
  // raid_dp: the smallest prime p >= max(3, data_disks + 1); raid4: 0.
  int prime() const;
  // raid4: 1; raid_dp: p - 1.
  int rows_per_stripe() const;
  bool is_parity_column(int column) const { return column >= data_disks; }
  friend bool operator==(const RaidGeometry&, const RaidGeometry&) = default;
};

// A stripe's blocks: cell(column, row) -> the block_size bytes of that cell
// (0 <= column < columns(), 0 <= row < rows_per_stripe()). The functions below
// call it any number of times per cell and expect the same bytes each time.
using StripeCells = std::function<std::span<std::uint8_t>(int column, int row)>;

struct CellPos {
  int column = 0;
  int row = 0;
  bool operator==(const CellPos&) const = default;
};

// Writes every parity cell of the stripe from its data cells.
void compute_parity(const RaidGeometry& g, std::uint32_t block_size, const StripeCells& cells);

// The parity cells a change of data cell `data` must be XORed into (old XOR
// new), in column order then row order: raid4 one; raid_dp the row parity
// and the stored diagonal(s) - the data cell's own diagonal and the diagonal
// of the row-parity cell that changes with it (two or three cells in all).
std::vector<CellPos> parity_cells_of(const RaidGeometry& g, CellPos data);

// Rebuilds the `lost` cells (any columns, data or parity; whole columns or
// single cells such as latent sector errors) from the rest, in place. It
// peels: an equation (a row, or in raid_dp a stored diagonal) with exactly one
// lost cell gives that cell, which may free another equation, and so on;
// RDP's two-column reconstruction is such a chain. Any up to parity_disks()
// whole columns always rebuild. Returns false when the lost set is beyond
// that (or names a cell outside the stripe); the cells are then untouched,
// since the whole chain is planned before any byte is written.
bool reconstruct(const RaidGeometry& g, std::uint32_t block_size, std::span<const CellPos> lost,
                 const StripeCells& cells);

// Parity scrub: the parity cells whose stored bytes differ from what
// compute_parity would write from the data cells (empty: consistent), in
// column order then row order. A flipped data cell therefore shows as exactly
// parity_cells_of(that cell); a flipped parity cell as itself.
std::vector<CellPos> scrub(const RaidGeometry& g, std::uint32_t block_size, const StripeCells& cells);

}  // namespace failsim::model
