// Storage recovery, from the events: RAID rebuilds, the windows a RAID group
// ran degraded (with client latency inside them against outside), SyncMirror
// resyncs, the plexes' state after the final CP, and the parity scrub. Every
// figure of the storage section is computed here, once; report.json, the
// HTML section and the CSV files read these records.
//
// A run without any storage event (raid_*, resync_*, plex_state) has an
// empty Storage: report.json then has no "storage" key, the page no storage
// section and the folder no storage CSV files, as before they existed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/latency.hpp"
#include "reports/run_data.hpp"

namespace failsim::reports {

// One rebuild of a lost disk, from raid_rebuild_started to
// raid_rebuild_finished. A rebuild still running at the run's end has no
// end, duration or rate.
struct RebuildRecord {
  std::string aggregate;
  std::uint64_t plex = 0;
  std::optional<std::uint64_t> group;  // none when scenario.json does not place the disk
  std::string disk, onto;              // the lost disk; the spare or the replaced disk itself
  double start_s = 0;
  std::optional<double> end_s;
  std::uint64_t bytes = 0;
  double expected_s = 0;  // bytes over the aggregate's reconstruct_rate_Bps, as the event says
  bool ok = false;        // finished with every stripe rebuilt
  std::string target() const { return onto == disk ? "replacement" : "spare"; }
  std::string outcome() const { return !end_s ? "unfinished" : ok ? "finished" : "failed"; }
  std::optional<double> duration_s() const;
  std::optional<double> rate_Bps() const;  // bytes over duration_s
};

// A RAID group with disks missing: from the first loss to the moment its
// last missing disk is back (rebuilt, or, without parity, repaired), or to
// the run's end (restored false).
struct DegradedWindow {
  std::string aggregate;
  std::uint64_t plex = 0, group = 0;
  double start_s = 0, end_s = 0;
  bool restored = false;
  std::vector<std::string> disks;  // every disk missing at some point in it, in loss order
  std::uint64_t max_missing_disks = 0;
  std::uint64_t parity_disks = 0;  // per group, from the aggregate's RAID level
  // More disks missing at once than parity covers: the plex could not be
  // read from this group alone.
  bool beyond_tolerance() const { return max_missing_disks > parity_disks; }
  double duration_s() const { return end_s - start_s; }
};

// One SyncMirror resync, from resync_started to resync_finished or
// resync_abandoned; neither by the run's end: unfinished, no end.
struct ResyncRecord {
  std::string aggregate, node;
  std::uint64_t plex = 0, from_plex = 0, bytes = 0, differing_blocks = 0;
  double start_s = 0, expected_duration_s = 0;
  std::optional<double> end_s;
  bool abandoned = false;
  std::string outcome() const { return !end_s ? "unfinished" : abandoned ? "abandoned" : "finished"; }
  std::optional<double> duration_s() const;
  std::optional<double> rate_Bps() const;  // bytes over duration_s, finished resyncs only
};

struct PlexStateRecord {
  double time_s = 0;
  std::string aggregate;
  std::vector<bool> stale;
  std::uint64_t differing_blocks = 0, failed_components = 0;
};

struct ScrubRecord {
  std::string aggregate;
  std::uint64_t plex = 0, mismatched_stripes = 0, unverified_stripes = 0;
  bool ok = false;
};

struct Storage {
  std::vector<RebuildRecord> rebuilds;          // in start order
  std::vector<DegradedWindow> degraded;   // in start order
  std::vector<ResyncRecord> resyncs;            // in start order
  std::vector<PlexStateRecord> plex_states;
  std::vector<ScrubRecord> scrubs;
  // Acknowledged requests whose ack came while a group of their aggregate
  // was degraded, against all other acknowledged requests.
  Percentiles latency_degraded, latency_not_degraded;

  bool empty() const {
    return rebuilds.empty() && degraded.empty() && resyncs.empty() && plex_states.empty() && scrubs.empty();
  }
  std::uint64_t scrub_mismatched_stripes() const;
  nlohmann::json to_json() const;
};

Storage build_storage(const RunData& run);

// degraded.cpp: the RAID groups through the run, from the disk losses,
// repairs and rebuilds in the events: the degraded windows, and the group of
// each rebuild (a spare takes the group of the disk it was rebuilt for).
struct RaidGroupHistory {
  std::vector<DegradedWindow> windows;                  // in start order
  std::vector<std::optional<std::uint64_t>> rebuild_group;  // per raid_rebuild_started, in order
};
RaidGroupHistory trace_raid_groups(const RunData& run);

}  // namespace failsim::reports
