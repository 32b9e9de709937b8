// The name table of event kinds, in EventKind's order.
#include "event_kind.hpp"

#include <array>

namespace failsim::runfolder {

namespace {

constexpr std::array<std::string_view, event_kind_count> names{
    "power_on",          "boot",
    "crash",             "resume",
    "aggregate_loaded",  "superblock_write",
    "reservation_taken", "reservation_released",
    "reservation_rejection", "serve",
    "stop_serving",      "partner_declared_dead",
    "heartbeat_missed",  "sample",
    "cp_started",        "cp_finished",
    "replayed",          "replay_mismatch",
    "load_failed",       "takeover_started",
    "takeover_refused",  "takeover_disabled",
    "takeover_enabled",  "serving",
    "giveback_started",  "giveback_finished",
    "log_discarded",     "log_full",
    "request_too_large", "fenced",
    "log_lost",          "takeover_requested",
    "storage_lost",      "fault",
    "fault_armed",       "repair",
    "settle",            "fsck",
    "raid_disk_failed",  "raid_rebuild_started",
    "raid_rebuild_finished", "raid_scrub",
    "raid_group_failed",
    "end",               "final_cp",
    "resync_started",    "resync_finished",
    "resync_abandoned",  "plex_state",
};

}  // namespace

std::string_view to_string(EventKind kind) { return names.at(static_cast<std::size_t>(kind)); }

std::optional<EventKind> parse_event_kind(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<EventKind>(i);
  return std::nullopt;
}

}  // namespace failsim::runfolder
