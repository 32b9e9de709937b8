// Block store: striping, reservations, faults, and plex views for loading.
#include "block_store.hpp"

#include <algorithm>

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <new>
#include <memory>

#include "sim/memory/power_loss.hpp"

namespace failsim::sim {

ZeroedBytes::ZeroedBytes(std::size_t size) : bytes_(static_cast<std::uint8_t*>(std::calloc(size, 1))) {
  if (!bytes_ && size > 0) throw std::bad_alloc();
}
void ZeroedBytes::Free::operator()(std::uint8_t* p) const { std::free(p); }

namespace {
// A plex as one node sees it: reads fail on dead or unreachable disks and on
// latent sector errors.
class PlexView : public model::BlockDevice {
 public:
  PlexView(const BlockStore::Aggregate& a, int plex, std::function<bool(const std::string&, std::uint64_t)> ok)
      : a_(a), plex_(plex), ok_(std::move(ok)) {}
  std::uint32_t block_size() const override { return a_.block_size; }
  model::BlockNo block_count() const override { return a_.blocks; }
  bool read(model::BlockNo bno, std::span<std::uint8_t> out) const override {
    if (bno >= a_.blocks || out.size() != a_.block_size) return false;
    const auto& disks = a_.plexes[plex_].disks;
    if (!ok_(disks[bno % disks.size()], bno / disks.size())) return false;
    std::memcpy(out.data(), a_.bytes[plex_].data() + bno * a_.block_size, a_.block_size);
    return true;
  }

 private:
  const BlockStore::Aggregate& a_;
  int plex_;
  std::function<bool(const std::string&, std::uint64_t)> ok_;
};
}  // namespace

void BlockStore::add_aggregate(std::string name, std::uint32_t block_size, std::uint64_t blocks,
                               std::vector<PlexLayout> plexes) {
  Aggregate a{name, block_size, blocks, std::move(plexes), {}};
  for (std::size_t p = 0; p < a.plexes.size(); ++p) a.bytes.emplace_back(std::size_t{block_size} * blocks);
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
  return !dead_disks_.contains(disk) && (!reach_ || reach_(node, disk));
}

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
  const auto& disks = a.plexes.at(plex).disks;
  if (stale_.contains({aggregate, plex})) return WriteResult::no_plex;
  const std::string& disk = disks[bno % disks.size()];
  if (!disk_usable(node, disk)) {
    // A plex that misses a write another plex takes must never take later
    // ones (its image would mix two CPs): it goes stale. A write no plex can
    // take (the writer lost every path) leaves every plex whole: that
    // node's CP fails before its superblock, and the other node may still
    // write them all.
    auto other_takes = [&] {
      for (std::size_t q = 0; q < a.plexes.size(); ++q) {
        const auto& other = a.plexes[q].disks;
        if (static_cast<int>(q) != plex && !stale_.contains({aggregate, static_cast<int>(q)}) &&
            disk_usable(node, other[bno % other.size()]))
          return true;
      }
      return false;
    };
    if (other_takes() ||
        std::none_of(nodes_.begin(), nodes_.end(), [&](const std::string& n) { return disk_usable(n, disk); }))
      stale_.insert({aggregate, plex});
    return WriteResult::no_plex;
  }
  power_loss::land({a.bytes[plex].data(), a.blocks * a.block_size}, bno * a.block_size, data, keep);
  return WriteResult::ok;
}

const std::string& BlockStore::disk_of(const std::string& aggregate, int plex, model::BlockNo bno) const {
  const auto& disks = aggregates_.at(aggregate).plexes.at(plex).disks;
  return disks[bno % disks.size()];
}

std::vector<std::unique_ptr<model::BlockDevice>> BlockStore::plexes_seen_by(const std::string& node,
                                                                           const std::string& aggregate) const {
  std::vector<std::unique_ptr<model::BlockDevice>> out;
  const Aggregate& a = aggregates_.at(aggregate);
  for (std::size_t p = 0; p < a.plexes.size(); ++p)
    out.push_back(std::make_unique<PlexView>(a, static_cast<int>(p), [this, node](const std::string& disk, std::uint64_t b) {
      if (!disk_usable(node, disk)) return false;
      auto it = latent_.find(disk);
      return it == latent_.end() || !it->second.contains(b);
    }));
  return out;
}

void BlockStore::replace_disk(const std::string& disk) {
  if (dead_disks_.erase(disk) == 0) return;
  latent_.erase(disk);
  // Every block of the new disk reads as zeros.
  for (auto& [name, a] : aggregates_)
    for (std::size_t p = 0; p < a.plexes.size(); ++p) {
      const auto& disks = a.plexes[p].disks;
      for (std::size_t d = 0; d < disks.size(); ++d) {
        if (disks[d] != disk) continue;
        for (model::BlockNo b = d; b < a.blocks; b += disks.size())
          std::memset(a.bytes[p].data() + b * a.block_size, 0, a.block_size);
      }
    }
}

std::uint64_t BlockStore::differing_blocks(const std::string& aggregate, int x, int y) const {
  const Aggregate& a = aggregates_.at(aggregate);
  std::uint64_t n = 0;
  for (model::BlockNo b = 0; b < a.blocks; ++b)
    n += std::memcmp(a.bytes[x].data() + b * a.block_size, a.bytes[y].data() + b * a.block_size, a.block_size) != 0;
  return n;
}

std::uint64_t BlockStore::resync_plex(const std::string& aggregate, int from, int to) {
  Aggregate& a = aggregates_.at(aggregate);
  const std::uint64_t copied = differing_blocks(aggregate, from, to);
  std::memcpy(a.bytes[to].data(), a.bytes[from].data(), a.blocks * a.block_size);
  stale_.erase({aggregate, to});
  return copied;
}

std::vector<std::unique_ptr<model::BlockDevice>> BlockStore::true_plexes(const std::string& aggregate) const {
  std::vector<std::unique_ptr<model::BlockDevice>> out;
  const Aggregate& a = aggregates_.at(aggregate);
  for (std::size_t p = 0; p < a.plexes.size(); ++p)
    out.push_back(std::make_unique<PlexView>(a, static_cast<int>(p), [](const std::string&, std::uint64_t) { return true; }));
  return out;
}

}  // namespace failsim::sim
