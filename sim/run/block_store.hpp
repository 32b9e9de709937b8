// The bytes of the simulated disks, kept apart from the faults injected on
// them (FoundationDB's decorator idea): true bytes -> reservation check ->
// fault layer (dead disks, unreachable paths, latent sector errors, torn
// writes at a crash). SimGrid only times the I/O; this store holds what the
// disks contain, so the checker can always read the truth. Each plex is a
// set of RAID groups (raid_plex.hpp) with the hot spares of its shelves.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "model/block_device.hpp"
#include "sim/run/raid_plex.hpp"
#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

// One plex: the disks its RAID groups take, in order, and its hot spares.
struct PlexLayout {
  std::vector<std::string> disks;
  std::vector<std::string> spares;
};

class BlockStore {
 public:
  struct Aggregate {
    std::string name;
    std::uint32_t block_size = 4096;
    std::uint64_t blocks = 0;
    RaidSpec raid;
    std::vector<RaidPlex> plexes;
    std::vector<std::vector<std::string>> spares;  // per plex: hot spares not yet taken
  };

  // Whether `node` can reach `disk` now (paths through HBAs and loops).
  using Reach = std::function<bool(const std::string& node, const std::string& disk)>;

  void add_aggregate(std::string name, std::uint32_t block_size, std::uint64_t blocks, const RaidSpec& raid,
                     std::vector<PlexLayout> plexes);
  void set_reach(Reach reach, std::vector<std::string> nodes) {
    reach_ = std::move(reach);
    nodes_ = std::move(nodes);
  }

  // ---- faults ----
  // A disk fails: its bytes are gone. Its RAID group runs degraded (or its
  // plex is lost, beyond the group's parity) until a rebuild.
  void fail_disk(const std::string& disk);
  void add_latent_error(const std::string& disk, std::uint64_t disk_block) { latent_[disk].insert(disk_block); }
  bool dead(const std::string& disk) const { return dead_disks_.contains(disk); }

  // ---- reservations (SCSI-3 persistent reservations, per aggregate) ----
  void reserve(const std::string& aggregate, const std::string& node) { holder_[aggregate] = node; }
  void release(const std::string& aggregate, const std::string& node);
  const std::string* holder(const std::string& aggregate) const;

  // ---- I/O ----
  // Writes a block to one plex. The reservation is checked first: a
  // non-holder's write is rejected and recorded. A write its RAID group
  // cannot take (a dead or unreachable disk beyond the group's parity)
  // lands nothing. Its plex goes stale when another plex takes the write the
  // writer could not put there, or when no node reaches the disk (dead, or
  // its shelf or every loop gone): it misses writes from now on (SyncMirror
  // takes it offline until a resync), so it keeps an older image that is
  // whole rather than a mix of two. A disk of a RAID group the writer could
  // not reach while the rest of the group took the write no longer agrees
  // with the parity: RAID fails it (see lost_disks()).
  // `keep` < block size: a torn write (a prefix lands).
  enum class WriteResult { ok, rejected, no_plex };
  WriteResult write_plex(const std::string& node, const std::string& aggregate, int plex, model::BlockNo bno,
                         std::span<const std::uint8_t> data, std::size_t keep = SIZE_MAX);
  // The disk a block of a plex lives on.
  const std::string& disk_of(const std::string& aggregate, int plex, model::BlockNo bno) const;
  // The parity blocks (disk, disk block) a CP's blocks update in a plex.
  std::set<std::pair<std::string, std::uint64_t>> parity_blocks_of(const std::string& aggregate, int plex,
                                                                   std::span<const model::BlockNo> blocks) const;

  // What `node` reads: each plex as a BlockDevice, faults applied (a block
  // on a disk it cannot read is rebuilt from parity where its group allows).
  // *extra_reads: the disk reads the rebuilds took beyond one per block.
  std::vector<std::unique_ptr<model::BlockDevice>> plexes_seen_by(const std::string& node, const std::string& aggregate,
                                                                  std::uint64_t* extra_reads = nullptr) const;
  // The true bytes, for the checker: no reachability and no latent errors
  // (the bytes are there, only unreadable); a lost disk's blocks rebuilt
  // from parity where its group allows.
  std::vector<std::unique_ptr<model::BlockDevice>> true_plexes(const std::string& aggregate) const;
  // Whether a plex lost more disks than its RAID groups cover (true view).
  bool plex_failed(const std::string& aggregate, int plex) const;
  // Whether `node` reaches enough disks of a plex to read all of it.
  bool plex_whole_for(const std::string& node, const std::string& aggregate, int plex) const;

  struct Rejection {
    std::string node, aggregate;
    model::BlockNo bno;
  };
  const std::vector<Rejection>& rejections() const { return rejections_; }
  const std::map<std::string, Aggregate>& aggregates() const { return aggregates_; }
  bool stale(const std::string& aggregate, int plex) const { return stale_.contains({aggregate, plex}); }

  // ---- RAID reconstruction ----
  // Disks that RAID failed because a write could not reach them (taken once).
  std::vector<std::string> take_lost_disks();
  // A lost disk of a RAID group that could be rebuilt: onto a spare of its
  // plex, or onto itself when it was replaced. Empty when none waits.
  struct Rebuild {
    std::string aggregate;
    int plex = 0, group = 0;
    std::string disk, onto;
    std::uint64_t bytes = 0;
  };
  std::optional<Rebuild> next_rebuild();
  // The rebuild is done: `onto` holds the lost disk's contents, rebuilt from
  // parity. false: some stripe could not be rebuilt (its rows on `onto`
  // read as lost), or the group failed meanwhile (the rebuild is abandoned,
  // `onto` goes back to the spares).
  bool finish_rebuild(const Rebuild& r);
  // RAID groups that lost more disks than their parity covers since the
  // last call (taken once): their blocks are lost until the run ends.
  struct FailedGroup {
    std::string aggregate;
    int plex = 0, group = 0;
    std::string disk;  // the disk whose loss failed it
  };
  std::vector<FailedGroup> take_failed_groups();
  // Stripes whose parity disagrees with their data (a parity scrub of the
  // stripes whose every disk reads).
  struct Scrub {
    std::uint64_t mismatched_stripes = 0, unverified_stripes = 0;  // unverified: a lost disk or unknown rows
  };
  Scrub scrub(const std::string& aggregate, int plex) const;

  // ---- repair and resync ----
  // A failed disk replaced by a new, blank one: it works again and holds
  // zeros (what it held is gone). In a RAID group it is rebuilt (next_rebuild);
  // a disk whose place a spare took becomes a spare.
  void replace_disk(const std::string& disk);
  // SyncMirror's resync: plex `to` takes every block of plex `from` and is no
  // longer stale. Returns how many blocks differed (were copied).
  std::uint64_t resync_plex(const std::string& aggregate, int from, int to);

 private:
  bool disk_usable(const std::string& node, const std::string& disk) const;
  bool readable(const std::string& node, const std::string& disk, std::uint64_t disk_block) const;
  // Holds its bytes: not dead, not being rebuilt onto, not a blank replacement.
  bool alive(const std::string& disk) const;
  // What a rebuild reads: alive, no latent error, not left unrebuilt.
  bool readable_truly(const std::string& disk, std::uint64_t disk_block) const;
  // Its contents are known: not a row a rebuild could not rebuild.
  bool known(const std::string& disk, std::uint64_t disk_block) const;
  std::map<std::string, Aggregate> aggregates_;
  std::set<std::string> dead_disks_;
  std::set<std::string> rebuilding_;  // disks being rebuilt onto: unusable until done
  std::set<std::string> rebuilt_;     // lost disks whose rebuild runs
  std::set<std::string> blank_;       // replaced disks still in a group, waiting for a rebuild
  std::vector<std::string> lost_by_raid_;
  std::map<std::string, std::set<std::uint64_t>> latent_;
  std::map<std::string, std::set<std::uint64_t>> unrebuilt_;  // disk -> rows a rebuild could not rebuild
  std::set<std::tuple<std::string, int, int>> failed_groups_;  // (aggregate, plex, group), each reported once
  std::vector<FailedGroup> newly_failed_;
  std::map<std::string, std::string> holder_;
  std::set<std::pair<std::string, int>> stale_;  // (aggregate, plex)
  std::vector<Rejection> rejections_;
  Reach reach_;
  std::vector<std::string> nodes_;  // who may reach the disks
};

}  // namespace failsim::sim
