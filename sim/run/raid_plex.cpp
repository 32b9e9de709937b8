// A plex's RAID groups and their true bytes (raid_plex.hpp).
#include "sim/run/raid_plex.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "sim/memory/power_loss.hpp"
#include "sim/scenario/raid_groups.hpp"

namespace failsim::sim {

namespace {
model::RaidType type_of(RaidLevel level) {
  return level == RaidLevel::raid_dp ? model::RaidType::raid_dp : model::RaidType::raid4;
}
std::uint64_t rows_per_stripe(const model::RaidGeometry& g, int parity) {
  return parity == 0 ? 1 : static_cast<std::uint64_t>(g.rows_per_stripe());
}
}  // namespace

RaidPlex::RaidPlex(RaidLevel level, const std::vector<int>& group_sizes, std::vector<std::string> disks,
                   std::uint32_t block_size, std::uint64_t blocks)
    : level_(level), parity_(sim::parity_disks(level)), block_size_(block_size), blocks_(blocks) {
  assert(!group_sizes.empty());
  for (int size : group_sizes) data_disks_ += size - parity_;
  assert(data_disks_ > 0);
  rows_ = (blocks + data_disks_ - 1) / data_disks_;
  std::size_t next = 0;
  int first_data = 0;
  for (int size : group_sizes) {
    Group g;
    g.disks.assign(disks.begin() + next, disks.begin() + next + size);
    next += size;
    g.geometry = {type_of(level), size - parity_};
    g.first_data = first_data;
    first_data += size - parity_;
    // Whole parity stripes: the rows past rows_ hold zeros, as their parity.
    const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
    const std::uint64_t rows = (rows_ + rps - 1) / rps * rps;
    for (int d = 0; d < size; ++d) g.bytes.emplace_back(rows * block_size);
    groups_.push_back(std::move(g));
  }
  assert(next == disks.size());
  home_.insert(disks.begin(), disks.end());
}

std::vector<std::string> RaidPlex::disks() const {
  std::vector<std::string> out;
  for (const Group& g : groups_) out.insert(out.end(), g.disks.begin(), g.disks.end());
  return out;
}

RaidPlex::Cell RaidPlex::locate(model::BlockNo bno) const {
  const int k = static_cast<int>(bno % data_disks_);
  std::size_t g = 0;
  while (g + 1 < groups_.size() && groups_[g + 1].first_data <= k) ++g;
  return {static_cast<int>(g), k - groups_[g].first_data, bno / data_disks_};
}

bool RaidPlex::holds(const std::string& disk) const {
  return std::any_of(groups_.begin(), groups_.end(), [&](const Group& g) {
    return std::find(g.disks.begin(), g.disks.end(), disk) != g.disks.end();
  });
}

bool RaidPlex::can_take(model::BlockNo bno, const std::function<bool(const std::string&)>& takes) const {
  const Cell c = locate(bno);
  const Group& g = groups_[c.group];
  if (parity_ == 0) return takes(g.disks[c.column]);
  return std::count_if(g.disks.begin(), g.disks.end(), [&](const std::string& d) { return !takes(d); }) <= parity_;
}

bool RaidPlex::whole_with(const std::function<bool(const std::string&)>& up) const {
  for (std::size_t g = 0; g < groups_.size(); ++g)
    if (!group_whole(static_cast<int>(g), up)) return false;
  return true;
}

int RaidPlex::group_of(const std::string& disk) const {
  for (std::size_t g = 0; g < groups_.size(); ++g)
    if (std::find(groups_[g].disks.begin(), groups_[g].disks.end(), disk) != groups_[g].disks.end())
      return static_cast<int>(g);
  return -1;
}

bool RaidPlex::group_whole(int group, const std::function<bool(const std::string&)>& up) const {
  const Group& g = groups_.at(static_cast<std::size_t>(group));
  return std::count_if(g.disks.begin(), g.disks.end(), [&](const std::string& d) { return !up(d); }) <= parity_;
}

std::span<std::uint8_t> RaidPlex::block_of(const Group& g, int column, std::uint64_t row) const {
  // The bytes are the store's; a const plex lends them to the parity code,
  // which writes only the cells it is asked to rebuild (scratch ones here).
  auto* base = const_cast<std::uint8_t*>(g.bytes[column].data());
  return {base + row * block_size_, block_size_};
}

bool RaidPlex::stripe_known(const Group& g, std::uint64_t stripe, const Usable& known) const {
  const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
  for (const std::string& disk : g.disks)
    for (std::uint64_t row = stripe * rps; row < (stripe + 1) * rps && row < rows_; ++row)
      if (!known(disk, row)) return false;
  return true;
}

bool RaidPlex::rebuild_cells(const Group& g, std::uint64_t stripe, const std::vector<model::CellPos>& lost,
                             std::vector<std::uint8_t>& scratch, std::vector<std::span<std::uint8_t>>* out) const {
  const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
  scratch.assign(lost.size() * block_size_, 0);
  auto cell = [&](int column, int row) -> std::span<std::uint8_t> {
    for (std::size_t i = 0; i < lost.size(); ++i)
      if (lost[i].column == column && lost[i].row == row) return {scratch.data() + i * block_size_, block_size_};
    return block_of(g, column, stripe * rps + static_cast<std::uint64_t>(row));
  };
  if (!model::reconstruct(g.geometry, block_size_, lost, cell)) return false;
  if (out)
    for (std::size_t i = 0; i < lost.size(); ++i) out->emplace_back(scratch.data() + i * block_size_, block_size_);
  return true;
}

bool RaidPlex::read(model::BlockNo bno, std::span<std::uint8_t> out, const Usable& usable,
                    std::uint64_t* disk_reads) const {
  const Cell c = locate(bno);
  const Group& g = groups_[c.group];
  if (usable(g.disks[c.column], c.row)) {
    std::memcpy(out.data(), block_of(g, c.column, c.row).data(), block_size_);
    if (disk_reads) ++*disk_reads;
    return true;
  }
  if (parity_ == 0) return false;
  // Degraded: every readable cell of the stripe is read to rebuild this one.
  const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
  const std::uint64_t stripe = c.row / rps;
  std::vector<model::CellPos> lost;
  std::size_t target = 0;
  for (int col = 0; col < static_cast<int>(g.disks.size()); ++col)
    for (std::uint64_t r = 0; r < rps; ++r)
      if (!usable(g.disks[col], stripe * rps + r)) {
        if (col == c.column && stripe * rps + r == c.row) target = lost.size();
        lost.push_back({col, static_cast<int>(r)});
      }
  std::vector<std::uint8_t> scratch;
  std::vector<std::span<std::uint8_t>> rebuilt;
  if (!rebuild_cells(g, stripe, lost, scratch, &rebuilt)) return false;
  std::memcpy(out.data(), rebuilt[target].data(), block_size_);
  if (disk_reads) *disk_reads += g.disks.size() * rps - lost.size();
  return true;
}

bool RaidPlex::land(model::BlockNo bno, std::span<const std::uint8_t> data, std::size_t keep,
                    const std::function<bool(const std::string&)>& takes_disk, const Usable& readable,
                    std::vector<std::string>* missed) {
  const Cell c = locate(bno);
  Group& g = groups_[c.group];
  const std::string& disk = g.disks[c.column];
  if (parity_ == 0) {
    // Plain striping: the block lands on its disk or nowhere.
    if (!takes_disk(disk)) return false;
    power_loss::land(block_of(g, c.column, c.row), 0, data, keep);
    return true;
  }
  std::vector<int> unreachable;
  for (int col = 0; col < static_cast<int>(g.disks.size()); ++col)
    if (!takes_disk(g.disks[col])) unreachable.push_back(col);
  if (static_cast<int>(unreachable.size()) > parity_) return false;
  // The change the write makes, to carry into the parity.
  std::vector<std::uint8_t> old(block_size_), now;
  if (!read(bno, old, readable)) return false;
  now = old;
  power_loss::land(now, 0, data, keep);
  std::vector<std::uint8_t> delta(block_size_);
  for (std::size_t i = 0; i < delta.size(); ++i) delta[i] = old[i] ^ now[i];
  auto takes = [&](int col) { return std::find(unreachable.begin(), unreachable.end(), col) == unreachable.end(); };
  if (takes(c.column)) std::memcpy(block_of(g, c.column, c.row).data(), now.data(), block_size_);
  const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
  const std::uint64_t stripe = c.row / rps;
  for (const model::CellPos& p :
       model::parity_cells_of(g.geometry, {c.column, static_cast<int>(c.row % rps)})) {
    if (!takes(p.column)) continue;
    std::span<std::uint8_t> cell = block_of(g, p.column, stripe * rps + static_cast<std::uint64_t>(p.row));
    for (std::size_t i = 0; i < delta.size(); ++i) cell[i] ^= delta[i];
  }
  if (missed)
    for (int col : unreachable) missed->push_back(g.disks[col]);
  return true;
}

std::set<std::pair<std::string, std::uint64_t>> RaidPlex::parity_blocks_of(
    std::span<const model::BlockNo> blocks) const {
  std::set<std::pair<std::string, std::uint64_t>> out;
  if (parity_ == 0) return out;
  for (model::BlockNo bno : blocks) {
    const Cell c = locate(bno);
    const Group& g = groups_[c.group];
    const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
    for (const model::CellPos& p : model::parity_cells_of(g.geometry, {c.column, static_cast<int>(c.row % rps)}))
      out.emplace(g.disks[p.column], c.row / rps * rps + static_cast<std::uint64_t>(p.row));
  }
  return out;
}

void RaidPlex::lose(const std::string& disk) {
  for (Group& g : groups_)
    for (std::size_t d = 0; d < g.disks.size(); ++d)
      if (g.disks[d] == disk) {
        const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
        g.bytes[d] = ZeroedBytes((rows_ + rps - 1) / rps * rps * block_size_);
      }
}

bool RaidPlex::rebuild(const std::string& disk, const std::string& onto, const Usable& usable,
                       std::vector<std::uint64_t>* unrebuilt) {
  for (Group& g : groups_) {
    auto it = std::find(g.disks.begin(), g.disks.end(), disk);
    if (it == g.disks.end()) continue;
    const int column = static_cast<int>(it - g.disks.begin());
    *it = onto;
    lose(onto);
    const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
    bool whole = true;
    std::vector<std::uint8_t> scratch;
    for (std::uint64_t stripe = 0; stripe * rps < rows_; ++stripe) {
      std::vector<model::CellPos> lost;
      for (int col = 0; col < static_cast<int>(g.disks.size()); ++col)
        for (std::uint64_t r = 0; r < rps; ++r)
          if (col == column || !usable(g.disks[col], stripe * rps + r)) lost.push_back({col, static_cast<int>(r)});
      std::vector<std::span<std::uint8_t>> rebuilt;
      if (parity_ == 0 || !rebuild_cells(g, stripe, lost, scratch, &rebuilt)) {
        whole = false;
        for (std::uint64_t r = 0; r < rps && stripe * rps + r < rows_; ++r) unrebuilt->push_back(stripe * rps + r);
        continue;
      }
      for (std::size_t i = 0; i < lost.size(); ++i)
        if (lost[i].column == column)
          std::memcpy(block_of(g, column, stripe * rps + static_cast<std::uint64_t>(lost[i].row)).data(),
                      rebuilt[i].data(), block_size_);
    }
    return whole;
  }
  return false;
}

std::uint64_t RaidPlex::scrub_mismatches(const std::function<bool(const std::string&)>& alive, const Usable& known,
                                         std::uint64_t* unverified) const {
  std::uint64_t bad = 0;
  if (parity_ == 0) return 0;
  for (const Group& g : groups_) {
    const std::uint64_t rps = rows_per_stripe(g.geometry, parity_);
    // A lost disk leaves its group's stripes unverifiable.
    const bool whole = std::all_of(g.disks.begin(), g.disks.end(), alive);
    for (std::uint64_t stripe = 0; stripe * rps < rows_; ++stripe) {
      if (!whole || !stripe_known(g, stripe, known)) {
        ++*unverified;
        continue;
      }
      auto cell = [&](int column, int row) { return block_of(g, column, stripe * rps + static_cast<std::uint64_t>(row)); };
      bad += !model::scrub(g.geometry, block_size_, cell).empty();
    }
  }
  return bad;
}

}  // namespace failsim::sim
