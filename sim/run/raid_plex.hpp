// One plex's disks as RAID groups (sim/scenario/raid_groups.hpp), with each
// disk's true bytes. Plex block b lives on data disk b mod D of the plex's D
// data disks (taken group by group), at disk block b / D; each group's
// parity disks hold real parity of its rows (model/raid_parity.hpp: XOR for
// RAID-4, row-diagonal parity for RAID-DP). A block whose disk cannot be
// read is rebuilt from the rest of its stripe; a write updates the parity
// by the change it makes (old XOR new) as it lands, so parity is never
// behind the data (the real system closes that "write hole" with NVRAM).
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "model/block_device.hpp"
#include "model/raid_parity.hpp"
#include "sim/run/zeroed_bytes.hpp"
#include "sim/scenario/settings.hpp"

namespace failsim::sim {

class RaidPlex {
 public:
  // `disks` in group order (group_sizes from raid_group_sizes).
  RaidPlex(RaidLevel level, const std::vector<int>& group_sizes, std::vector<std::string> disks,
           std::uint32_t block_size, std::uint64_t blocks);

  // Whether a block of a disk can be read (or, for writes, the disk taken)
  // now, by whoever asks: dead, unreachable, a latent sector error.
  using Usable = std::function<bool(const std::string& disk, std::uint64_t disk_block)>;

  struct Cell {
    int group;
    int column;
    std::uint64_t row;  // the block on that disk
  };
  Cell locate(model::BlockNo bno) const;
  const std::string& disk_at(int group, int column) const { return groups_[group].disks[column]; }
  std::uint32_t block_size() const { return block_size_; }
  std::uint64_t blocks() const { return blocks_; }
  std::uint64_t disk_blocks() const { return rows_; }
  bool holds(const std::string& disk) const;
  // The disks of the groups now, in group order.
  std::vector<std::string> disks() const;
  // Whether the plex was built with this disk (a spare may hold its place now).
  bool was_home_of(const std::string& disk) const { return home_.contains(disk); }
  // Whether the group of `bno` can take a write: its disk (plain striping),
  // or all but at most its parity disks, `takes`.
  bool can_take(model::BlockNo bno, const std::function<bool(const std::string& disk)>& takes) const;
  // Whether every group keeps enough disks `up` to read all its blocks.
  bool whole_with(const std::function<bool(const std::string& disk)>& up) const;
  // The group `disk` is in (-1: none), and whether that group keeps enough
  // disks `up` (at most its parity count not).
  int group_of(const std::string& disk) const;
  bool group_whole(int group, const std::function<bool(const std::string& disk)>& up) const;

  // Reads block `bno`: from its disk, or rebuilt from its stripe. Adds the
  // disk blocks read to *disk_reads. false: more of the stripe is lost than
  // its parity covers.
  bool read(model::BlockNo bno, std::span<std::uint8_t> out, const Usable& usable,
            std::uint64_t* disk_reads = nullptr) const;
  // A write of `bno` lands: its first `keep` bytes, on its data disk and on
  // the parity disks the writer `takes` (reads the old contents through
  // `readable`, to compute the parity change). false:
  // nothing lands (the group has lost more disks than its parity covers, or
  // the old contents cannot be read to compute the parity change).
  // *missed: the disks of the group the writer could not reach; they no
  // longer agree with the parity.
  bool land(model::BlockNo bno, std::span<const std::uint8_t> data, std::size_t keep,
            const std::function<bool(const std::string& disk)>& takes, const Usable& readable,
            std::vector<std::string>* missed);
  // The parity blocks (disk, disk block) a set of written blocks updates:
  // each once, so a full stripe costs one write per parity disk per row.
  std::set<std::pair<std::string, std::uint64_t>> parity_blocks_of(std::span<const model::BlockNo> blocks) const;

  // A disk's bytes are gone (it failed, or was pulled).
  void lose(const std::string& disk);
  // `onto` (a spare, or the blank disk that replaced `disk`) takes the place
  // of `disk` in its group and receives its contents, rebuilt from the rest
  // of each stripe. false: some stripe could not be rebuilt; the disk is
  // placed anyway, and *unrebuilt gets the rows of `onto` whose contents are
  // therefore unknown (the store makes them unreadable).
  bool rebuild(const std::string& disk, const std::string& onto, const Usable& usable,
               std::vector<std::uint64_t>* unrebuilt);
  // Parity scrub: the stripes whose parity disagrees with their data, in
  // the groups whose every disk is `alive` (a degraded group has nothing to
  // check its parity against), leaving out stripes with a cell not `known`
  // (a row a rebuild could not rebuild); *unverified gets how many stripes
  // were left out. A latent sector error still holds its bytes here, as
  // the true view; the scrub compares them.
  std::uint64_t scrub_mismatches(const std::function<bool(const std::string& disk)>& alive, const Usable& known,
                                 std::uint64_t* unverified) const;

 private:
  struct Group {
    std::vector<std::string> disks;  // data columns, then parity
    std::vector<ZeroedBytes> bytes;  // per disk: rows_ blocks
    model::RaidGeometry geometry;
    int first_data = 0;  // the plex's data disk number of column 0
  };
  std::span<std::uint8_t> block_of(const Group& g, int column, std::uint64_t row) const;
  // Whether every cell of a stripe of `g` is `known`.
  bool stripe_known(const Group& g, std::uint64_t stripe, const Usable& known) const;
  // The stripe (rows of one parity stripe) around `row`, with `lost` cells
  // rebuilt into `scratch`: cell(column, r) for the parity code.
  bool rebuild_cells(const Group& g, std::uint64_t stripe, const std::vector<model::CellPos>& lost,
                     std::vector<std::uint8_t>& scratch, std::vector<std::span<std::uint8_t>>* out) const;

  RaidLevel level_;
  int parity_;
  std::uint32_t block_size_;
  std::uint64_t blocks_;
  std::uint64_t rows_ = 0;  // blocks per disk
  int data_disks_ = 0;
  std::vector<Group> groups_;
  std::set<std::string> home_;
};

}  // namespace failsim::sim
