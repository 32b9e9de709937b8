// Block store: RAID plexes, reservations, faults, rebuilds, and plex views
// for loading.
#include "block_store.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "sim/scenario/raid_groups.hpp"

namespace failsim::sim {

namespace {
// A plex as one node (or the checker) sees it: reads fail where its RAID
// group cannot rebuild what the node cannot read.
class PlexView : public model::BlockDevice {
 public:
  PlexView(const RaidPlex& plex, RaidPlex::Usable usable, std::uint64_t* extra_reads)
      : plex_(plex), usable_(std::move(usable)), extra_reads_(extra_reads) {}
  std::uint32_t block_size() const override { return plex_.block_size(); }
  model::BlockNo block_count() const override { return plex_.blocks(); }
  bool read(model::BlockNo bno, std::span<std::uint8_t> out) const override {
    if (bno >= plex_.blocks() || out.size() != plex_.block_size()) return false;
    std::uint64_t reads = 0;
    const bool ok = plex_.read(bno, out, usable_, &reads);
    if (ok && extra_reads_ && reads > 1) *extra_reads_ += reads - 1;
    return ok;
  }

 private:
  const RaidPlex& plex_;
  RaidPlex::Usable usable_;
  std::uint64_t* extra_reads_;
};
}  // namespace

void BlockStore::add_aggregate(std::string name, std::uint32_t block_size, std::uint64_t blocks,
                               const RaidSpec& raid, std::vector<PlexLayout> plexes) {
  Aggregate a{name, block_size, blocks, raid, {}, {}};
  for (PlexLayout& p : plexes) {
    const int disks = static_cast<int>(p.disks.size());
    a.plexes.emplace_back(raid.level, raid_group_sizes(disks, raid), std::move(p.disks), block_size, blocks);
    a.spares.push_back(std::move(p.spares));
  }
  aggregates_.emplace(std::move(name), std::move(a));
}

void BlockStore::release(const std::string& aggregate, const std::string& node) {
  auto it = holder_.find(aggregate);
  if (it != holder_.end() && it->second == node) holder_.erase(it);
}

const std::string* BlockStore::holder(const std::string& aggregate) const {
  auto it = holder_.find(aggregate);
  return it == holder_.end() ? nullptr : &it->second;
}

bool BlockStore::disk_usable(const std::string& node, const std::string& disk) const {
  return !dead_disks_.contains(disk) && !rebuilding_.contains(disk) && !blank_.contains(disk) &&
         (!reach_ || reach_(node, disk));
}

bool BlockStore::readable(const std::string& node, const std::string& disk, std::uint64_t disk_block) const {
  if (!disk_usable(node, disk) || !known(disk, disk_block)) return false;
  auto it = latent_.find(disk);
  return it == latent_.end() || !it->second.contains(disk_block);
}

bool BlockStore::known(const std::string& disk, std::uint64_t disk_block) const {
  auto it = unrebuilt_.find(disk);
  return it == unrebuilt_.end() || !it->second.contains(disk_block);
}

bool BlockStore::alive(const std::string& disk) const {
  return !dead_disks_.contains(disk) && !rebuilding_.contains(disk) && !blank_.contains(disk);
}

bool BlockStore::readable_truly(const std::string& disk, std::uint64_t disk_block) const {
  if (!alive(disk) || !known(disk, disk_block)) return false;
  auto it = latent_.find(disk);
  return it == latent_.end() || !it->second.contains(disk_block);
}

void BlockStore::fail_disk(const std::string& disk) {
  if (!dead_disks_.insert(disk).second) return;
  unrebuilt_.erase(disk);
  for (auto& [name, a] : aggregates_) {
    for (std::size_t p = 0; p < a.plexes.size(); ++p) {
      RaidPlex& plex = a.plexes[p];
      plex.lose(disk);
      const int g = plex.group_of(disk);
      if (g >= 0 && !plex.group_whole(g, [this](const std::string& d) { return alive(d); }) &&
          failed_groups_.emplace(name, static_cast<int>(p), g).second)
        newly_failed_.push_back({name, static_cast<int>(p), g, disk});
    }
    for (auto& spares : a.spares) std::erase(spares, disk);
  }
}

std::vector<BlockStore::FailedGroup> BlockStore::take_failed_groups() { return std::exchange(newly_failed_, {}); }

BlockStore::WriteResult BlockStore::write_plex(const std::string& node, const std::string& aggregate, int plex,
                                               model::BlockNo bno, std::span<const std::uint8_t> data,
                                               std::size_t keep) {
  const std::string* h = holder(aggregate);
  if (h && *h != node) {
    rejections_.push_back({node, aggregate, bno});
    return WriteResult::rejected;
  }
  Aggregate& a = aggregates_.at(aggregate);
  assert(bno < a.blocks && data.size() == a.block_size);
  if (stale_.contains({aggregate, plex})) return WriteResult::no_plex;
  RaidPlex& target = a.plexes.at(plex);
  auto takes_for = [this](const std::string& n) {
    return [this, n](const std::string& disk) { return disk_usable(n, disk); };
  };
  std::vector<std::string> missed;
  if (target.land(bno, data, keep, takes_for(node),
                  [&](const std::string& disk, std::uint64_t b) { return readable(node, disk, b); }, &missed)) {
    // RAID fails what the write could not reach: it no longer agrees with the parity.
    for (const std::string& disk : missed)
      if (!dead_disks_.contains(disk)) {
        fail_disk(disk);
        lost_by_raid_.push_back(disk);
      }
    return WriteResult::ok;
  }
  // A plex that misses a write another plex takes must never take later
  // ones (its image would mix two CPs): it goes stale. A write no plex can
  // take (the writer lost every path) leaves every plex whole: that node's
  // CP fails before its superblock, and the other node may still write them
  // all.
  bool other_takes = false;
  for (std::size_t q = 0; q < a.plexes.size(); ++q)
    if (static_cast<int>(q) != plex && !stale_.contains({aggregate, static_cast<int>(q)}) &&
        a.plexes[q].can_take(bno, takes_for(node)))
      other_takes = true;
  if (other_takes ||
      std::none_of(nodes_.begin(), nodes_.end(), [&](const std::string& n) { return target.can_take(bno, takes_for(n)); }))
    stale_.insert({aggregate, plex});
  return WriteResult::no_plex;
}

const std::string& BlockStore::disk_of(const std::string& aggregate, int plex, model::BlockNo bno) const {
  const RaidPlex& p = aggregates_.at(aggregate).plexes.at(plex);
  const RaidPlex::Cell c = p.locate(bno);
  return p.disk_at(c.group, c.column);
}

std::set<std::pair<std::string, std::uint64_t>> BlockStore::parity_blocks_of(
    const std::string& aggregate, int plex, std::span<const model::BlockNo> blocks) const {
  return aggregates_.at(aggregate).plexes.at(plex).parity_blocks_of(blocks);
}

std::vector<std::unique_ptr<model::BlockDevice>> BlockStore::plexes_seen_by(const std::string& node,
                                                                           const std::string& aggregate,
                                                                           std::uint64_t* extra_reads) const {
  std::vector<std::unique_ptr<model::BlockDevice>> out;
  for (const RaidPlex& p : aggregates_.at(aggregate).plexes)
    out.push_back(std::make_unique<PlexView>(
        p, [this, node](const std::string& disk, std::uint64_t b) { return readable(node, disk, b); }, extra_reads));
  return out;
}

std::vector<std::unique_ptr<model::BlockDevice>> BlockStore::true_plexes(const std::string& aggregate) const {
  std::vector<std::unique_ptr<model::BlockDevice>> out;
  for (const RaidPlex& p : aggregates_.at(aggregate).plexes)
    out.push_back(std::make_unique<PlexView>(
        p, [this](const std::string& disk, std::uint64_t b) { return alive(disk) && known(disk, b); }, nullptr));
  return out;
}

bool BlockStore::plex_failed(const std::string& aggregate, int plex) const {
  return !aggregates_.at(aggregate).plexes.at(plex).whole_with([this](const std::string& disk) { return alive(disk); });
}

bool BlockStore::plex_whole_for(const std::string& node, const std::string& aggregate, int plex) const {
  return aggregates_.at(aggregate).plexes.at(plex).whole_with(
      [&](const std::string& disk) { return disk_usable(node, disk); });
}

std::vector<std::string> BlockStore::take_lost_disks() { return std::exchange(lost_by_raid_, {}); }

std::optional<BlockStore::Rebuild> BlockStore::next_rebuild() {
  for (auto& [name, a] : aggregates_) {
    if (parity_disks(a.raid.level) == 0) continue;  // plain striping: nothing to rebuild from
    for (std::size_t p = 0; p < a.plexes.size(); ++p) {
      const RaidPlex& plex = a.plexes[p];
      for (const std::string& disk : plex.disks()) {
        if (rebuilding_.contains(disk) || rebuilt_.contains(disk)) continue;
        // A failed group has nothing to rebuild from.
        const int group = plex.group_of(disk);
        if (!plex.group_whole(group, [this](const std::string& d) { return alive(d); })) continue;
        std::string onto;
        if (blank_.contains(disk)) {
          onto = disk;
        } else if (dead_disks_.contains(disk) && !a.spares[p].empty()) {
          onto = a.spares[p].front();
          a.spares[p].erase(a.spares[p].begin());
        } else {
          continue;
        }
        rebuilding_.insert(onto);
        rebuilt_.insert(disk);
        return Rebuild{name, static_cast<int>(p), group, disk, onto, plex.disk_blocks() * a.block_size};
      }
    }
  }
  return std::nullopt;
}

bool BlockStore::finish_rebuild(const Rebuild& r) {
  rebuilding_.erase(r.onto);
  rebuilt_.erase(r.disk);
  if (dead_disks_.contains(r.onto)) {  // the spare died on the way
    blank_.erase(r.onto);
    return false;
  }
  Aggregate& a = aggregates_.at(r.aggregate);
  RaidPlex& plex = a.plexes.at(r.plex);
  if (failed_groups_.contains({r.aggregate, r.plex, r.group})) {
    // Abandoned: the group lost more disks meanwhile; the target is what it was.
    if (r.onto != r.disk) a.spares.at(static_cast<std::size_t>(r.plex)).push_back(r.onto);
    return false;
  }
  blank_.erase(r.onto);
  std::vector<std::uint64_t> unrebuilt;
  const bool whole = plex.rebuild(
      r.disk, r.onto, [this](const std::string& disk, std::uint64_t b) { return readable_truly(disk, b); }, &unrebuilt);
  if (!unrebuilt.empty()) unrebuilt_[r.onto].insert(unrebuilt.begin(), unrebuilt.end());
  return whole;
}

BlockStore::Scrub BlockStore::scrub(const std::string& aggregate, int plex) const {
  Scrub s;
  s.mismatched_stripes = aggregates_.at(aggregate).plexes.at(plex).scrub_mismatches(
      [this](const std::string& disk) { return alive(disk); },
      [this](const std::string& disk, std::uint64_t b) { return known(disk, b); }, &s.unverified_stripes);
  return s;
}

void BlockStore::replace_disk(const std::string& disk) {
  if (dead_disks_.erase(disk) == 0) return;
  latent_.erase(disk);
  unrebuilt_.erase(disk);
  for (auto& [name, a] : aggregates_)
    for (std::size_t p = 0; p < a.plexes.size(); ++p) {
      RaidPlex& plex = a.plexes[p];
      if (plex.holds(disk)) {
        plex.lose(disk);  // blank
        // In a RAID group the blank disk is rebuilt before it is read.
        if (parity_disks(a.raid.level) > 0) blank_.insert(disk);
      } else if (plex.was_home_of(disk)) {
        a.spares[p].push_back(disk);  // a spare took its place: the new disk is a spare now
      }
    }
}

std::uint64_t BlockStore::resync_plex(const std::string& aggregate, int from, int to) {
  Aggregate& a = aggregates_.at(aggregate);
  auto truly = [this](const std::string& disk, std::uint64_t) { return alive(disk); };
  auto takes = [this](const std::string& disk) { return alive(disk); };
  std::vector<std::uint8_t> src(a.block_size), dst(a.block_size);
  std::uint64_t copied = 0;
  for (model::BlockNo b = 0; b < a.blocks; ++b) {
    if (!a.plexes[from].read(b, src, truly)) continue;
    if (a.plexes[to].read(b, dst, truly) && dst == src) continue;
    copied += a.plexes[to].land(b, src, SIZE_MAX, takes, truly, nullptr);
  }
  stale_.erase({aggregate, to});
  return copied;
}

}  // namespace failsim::sim
