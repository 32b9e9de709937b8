// SyncMirror resync. A plex of a mirrored aggregate that missed writes (the
// store marked it stale) or holds a replaced, blank disk is copied from a
// complete plex once every disk of it is usable again, while the aggregate
// keeps being served. The copy is work the node serving the aggregate does:
// it runs only while that node is up and serves it. Should the node go down
// or stop serving it, or either plex lose a disk, the resync is abandoned,
// and it starts over from the beginning when the aggregate is served again
// with both plexes usable, by whichever node serves it then.
//
// The store cannot tell which blocks changed since the last CP both plexes
// hold, so a resync copies the whole plex: blocks * block_size bytes at
// timing.resync_rate_Bps. The bytes move at its end, at one instant
// (BlockStore::resync_plex); until then the plex takes no writes, as the
// store keeps a stale plex out of use, so the copy holds every CP written
// meanwhile.
#pragma once

#include <simgrid/s4u.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace failsim::sim {

struct World;

struct ResyncState {
  struct Running {
    int node = 0;  // on whose behalf: the node serving the aggregate when it started
    int plex = 0, from_plex = 0;
    std::uint64_t id = 0, bytes = 0;
    double started_s = 0, expected_s = 0;
    simgrid::s4u::ActorPtr timer;  // sleeps until the copy is done
  };
  std::map<std::string, Running> running;         // aggregate -> its resync
  std::set<std::pair<std::string, int>> blank;    // (aggregate, plex): holds a replaced disk since its last resync
  // Replaced disks of mirrored plexes: the store keeps them failed (no reads,
  // no writes) until their plex's resync ends, when they join it blank and
  // take the copy.
  std::set<std::string> replaced;
  std::uint64_t next_id = 0;
};

// Whether a plex must be resynchronised before it holds the aggregate again:
// stale in the store, or holding a blank replaced disk.
bool needs_resync(const World& w, const std::string& aggregate, int plex);
// A failed disk was just replaced by a blank one. On a plex of a mirrored
// aggregate, the plex needs a resync, and the new disk joins it only at the
// resync's end (until then the plex is out of use, as a stale one is): true.
// False otherwise (one plex alone has nothing to copy from, and a RAID group
// rebuilds the disk from parity): the caller puts the blank disk in at once.
bool note_disk_replaced(World& w, const std::string& disk);
// Looks at every mirrored aggregate again after something changed (who
// serves it, a component failed or repaired, a CP ended): abandons a resync
// whose node no longer serves the aggregate or whose plexes are no longer
// usable, and starts one where a plex needs it and can get it.
void update_resyncs(World& w);
// Some plex needs a resync and a complete plex could give it one: the
// settle phase waits for it, so the run ends on a healed system.
bool resync_pending(const World& w);
// At the end of the run (after the final CP): a plex_state event per
// mirrored aggregate, what the checker's plexes_in_sync judges.
void record_plexes_at_end(World& w);

}  // namespace failsim::sim
