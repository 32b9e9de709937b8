// Every kind of line the simulator writes to events.jsonl, and its one name
// table: the names are the run folder's contract (README, "The run folder");
// past the reader and before the writer, a kind is an EventKind.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace failsim::runfolder {

enum class EventKind : std::uint8_t {
  // The node's lifecycle and devices (sim/run/node_driver.cpp, node_partner.cpp).
  power_on,
  boot,
  crash,
  resume,
  aggregate_loaded,
  superblock_write,
  reservation_taken,
  reservation_released,
  reservation_rejection,
  serve,
  stop_serving,
  partner_declared_dead,
  heartbeat_missed,
  sample,
  // What the core noticed (model::NoticeKind, under the same names).
  cp_started,
  cp_finished,
  replayed,
  replay_mismatch,
  load_failed,
  takeover_started,
  takeover_refused,
  takeover_disabled,
  takeover_enabled,
  serving,
  giveback_started,
  giveback_finished,
  log_discarded,
  log_full,
  request_too_large,
  fenced,
  log_lost,
  takeover_requested,
  storage_lost,
  // The world's (node ""): faults, repairs, phases, checks of the disks.
  fault,
  fault_armed,
  repair,
  settle,
  fsck,
  // RAID (the world's, sim/run/raid_rebuilds.cpp): a disk RAID failed, a
  // rebuild of a lost disk onto a spare or its replacement, a parity scrub,
  // a group that lost more disks than its parity covers.
  raid_disk_failed,
  raid_rebuild_started,
  raid_rebuild_finished,
  raid_scrub,
  raid_group_failed,
  end,
  // After the end, per aggregate a node serves (sim/run/final_image.hpp):
  // whether its final CP flushed it to disk.
  final_cp,
  // SyncMirror resync of a stale plex (sim/run/resync.hpp), node: the node
  // serving the aggregate, on whose behalf it runs.
  resync_started,
  resync_finished,
  resync_abandoned,
  // After the final CP, per mirrored aggregate (world's): each plex stale or
  // not, and how many blocks the plexes hold differently.
  plex_state,
};

inline constexpr std::size_t event_kind_count = static_cast<std::size_t>(EventKind::plex_state) + 1;

std::string_view to_string(EventKind kind);
// The kind named `name`; nullopt for a name no event has.
std::optional<EventKind> parse_event_kind(std::string_view name);

}  // namespace failsim::runfolder
