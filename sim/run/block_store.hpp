// The bytes of the simulated disks, kept apart from the faults injected on
// them (FoundationDB's decorator idea): true bytes -> reservation check ->
// fault layer (dead disks, unreachable paths, latent sector errors, torn
// writes at a crash). SimGrid only times the I/O; this store holds what the
// disks contain, so the checker can always read the truth.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "model/block_device.hpp"

namespace failsim::sim {

// One plex: blocks striped over its disks (block b on disk b % disks.size()).
struct PlexLayout {
  std::vector<std::string> disks;
};

// Zeroed bytes that cost nothing until written: calloc takes large sizes as
// fresh pages the kernel zeroes on first touch, so an aggregate's untouched
// blocks take neither time to clear nor resident memory.
class ZeroedBytes {
 public:
  explicit ZeroedBytes(std::size_t size);
  std::uint8_t* data() { return bytes_.get(); }
  const std::uint8_t* data() const { return bytes_.get(); }

 private:
  struct Free {
    void operator()(std::uint8_t* p) const;
  };
  std::unique_ptr<std::uint8_t[], Free> bytes_;
};

class BlockStore {
 public:
  struct Aggregate {
    std::string name;
    std::uint32_t block_size = 4096;
    std::uint64_t blocks = 0;
    std::vector<PlexLayout> plexes;
    std::vector<ZeroedBytes> bytes;  // per plex: the true contents
  };

  // Whether `node` can reach `disk` now (paths through HBAs and loops).
  using Reach = std::function<bool(const std::string& node, const std::string& disk)>;

  void add_aggregate(std::string name, std::uint32_t block_size, std::uint64_t blocks, std::vector<PlexLayout> plexes);
  void set_reach(Reach reach, std::vector<std::string> nodes) {
    reach_ = std::move(reach);
    nodes_ = std::move(nodes);
  }

  // ---- faults ----
  void fail_disk(const std::string& disk) { dead_disks_.insert(disk); }
  void add_latent_error(const std::string& disk, std::uint64_t disk_block) { latent_[disk].insert(disk_block); }

  // ---- reservations (SCSI-3 persistent reservations, per aggregate) ----
  void reserve(const std::string& aggregate, const std::string& node) { holder_[aggregate] = node; }
  void release(const std::string& aggregate, const std::string& node);
  const std::string* holder(const std::string& aggregate) const;

  // ---- I/O ----
  // Writes a block to one plex. The reservation is checked first: a
  // non-holder's write is rejected and recorded. A dead or unreachable disk
  // takes nothing. Its plex goes stale when another plex takes the write the
  // writer could not put there, or when no node reaches the disk (dead, or
  // its shelf or every loop gone): it misses writes from now on (SyncMirror
  // takes it offline until a resync, which is not modelled), so it keeps an
  // older image that is whole rather than a mix of two.
  // `keep` < block size: a torn write (a prefix lands).
  enum class WriteResult { ok, rejected, no_plex };
  WriteResult write_plex(const std::string& node, const std::string& aggregate, int plex, model::BlockNo bno,
                         std::span<const std::uint8_t> data, std::size_t keep = SIZE_MAX);
  // The disk a block of a plex lives on.
  const std::string& disk_of(const std::string& aggregate, int plex, model::BlockNo bno) const;

  // What `node` reads: each plex as a BlockDevice, faults applied.
  std::vector<std::unique_ptr<model::BlockDevice>> plexes_seen_by(const std::string& node,
                                                                  const std::string& aggregate) const;
  // The true bytes, for the checker: no faults, no reachability.
  std::vector<std::unique_ptr<model::BlockDevice>> true_plexes(const std::string& aggregate) const;

  struct Rejection {
    std::string node, aggregate;
    model::BlockNo bno;
  };
  const std::vector<Rejection>& rejections() const { return rejections_; }
  const std::map<std::string, Aggregate>& aggregates() const { return aggregates_; }
  bool stale(const std::string& aggregate, int plex) const { return stale_.contains({aggregate, plex}); }

  // ---- repair and resync ----
  // A failed disk replaced by a new, blank one: it works again and holds
  // zeros (what it held is gone).
  void replace_disk(const std::string& disk);
  // SyncMirror's resync: plex `to` takes every block of plex `from` and is no
  // longer stale. Returns how many blocks differed (were copied).
  std::uint64_t resync_plex(const std::string& aggregate, int from, int to);
  // How many blocks two plexes hold differently (0: equal).
  std::uint64_t differing_blocks(const std::string& aggregate, int a, int b) const;

 private:
  bool disk_usable(const std::string& node, const std::string& disk) const;
  std::map<std::string, Aggregate> aggregates_;
  std::set<std::string> dead_disks_;
  std::map<std::string, std::set<std::uint64_t>> latent_;
  std::map<std::string, std::string> holder_;
  std::set<std::pair<std::string, int>> stale_;  // (aggregate, plex)
  std::vector<Rejection> rejections_;
  Reach reach_;
  std::vector<std::string> nodes_;  // who may reach the disks
};

}  // namespace failsim::sim
