// One events.jsonl line as a typed record: when, which node ("" for the
// world's own events), its kind, and the fields of that kind. Fields a line
// lacks read as zero or empty, as the simulator omits empty ones; a field of
// the wrong type is an error naming it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "runfolder/event_kind.hpp"

namespace failsim::runfolder {

// power_on, settle.
struct NoFields {};
struct Crash {
  std::string cause;  // "fault", "halt", ...
};
enum class BootMode : std::uint8_t { recover, after_takeover };
struct Boot {
  BootMode mode = BootMode::recover;
};
struct Resume {
  double hung_s = 0;
};
// serve, stop_serving, reservation_taken, reservation_released.
struct OnAggregate {
  std::string aggregate;
};
struct AggregateLoaded {
  std::string aggregate;
  std::uint64_t blocks_read = 0;
  double load_s = 0;
};
struct SuperblockWrite {
  std::string aggregate;
  std::uint64_t copy = 0;  // the block the superblock copy went to
};
struct ReservationRejection {
  std::string aggregate;
  std::uint64_t block = 0;
};
struct PartnerDeclaredDead {
  std::string partner;
};
struct HeartbeatMissed {
  std::string via;
};
// A node's report sample (every 0.1 s, and at each CP's start and end).
struct Sample {
  std::string at;  // "timer", "cp_started", "cp_finished"
  std::uint64_t own_log_bytes = 0, takeover_log_bytes = 0, log_half_bytes = 0;
  std::uint64_t nvram_write_bytes = 0, mirror_write_bytes = 0;
  double nvram_busy_s = 0, mirror_busy_s = 0;
  std::map<std::string, double> disk_busy_s;
  std::map<std::string, std::uint64_t> disk_writes;
};
// The core's notices (model::NoticeKind) without figures of their own.
struct Note {
  std::string aggregate, text;
};
struct CpStarted {
  std::string aggregate, text;
  std::uint64_t blocks = 0, max_lsn = 0;
};
struct CpFinished {
  std::string aggregate, text;
  std::uint64_t generation = 0, max_lsn = 0;
};
struct Replayed {
  std::string aggregate, text;
  std::uint64_t replayed = 0, skipped = 0;
};
struct ReplayMismatch {
  std::string aggregate, text;
  std::uint64_t lsn = 0;
};
struct RequestTooLarge {
  std::string aggregate, text;
  std::uint64_t entry_bytes = 0, half_bytes = 0;
};
// fault, fault_armed, repair: the fault kind and what it hit.
struct FaultNote {
  std::string fault, target_node, target;
  // crash_during_replay: the replay entry it crashed in, of how many (0: none named).
  std::uint64_t entry = 0, of = 0;
};
struct Fsck {
  std::string aggregate, after;  // after: "cp", "crash", ...
  std::uint64_t plex = 0, generation = 0;
  bool ok = false;
  std::vector<std::string> problems;  // the first few
};
// raid_disk_failed, raid_rebuild_started, raid_rebuild_finished, raid_scrub,
// raid_group_failed.
struct RaidWork {
  std::string aggregate, disk, onto, cause;  // cause: why RAID failed a disk ("unreachable")
  std::uint64_t plex = 0, bytes = 0, mismatched_stripes = 0;
  std::uint64_t unverified_stripes = 0;  // raid_scrub: stripes it could not check (a lost disk, rows not rebuilt)
  std::optional<std::uint64_t> group;  // the RAID group in the plex, from 0 (rebuilds, a group failing)
  double expected_s = 0, duration_s = 0;
  bool ok = false;
};
struct End {
  bool clients_done = false, served_by_owners = false;
};
// The node serving `aggregate` after the run's end: its disks hold what it
// holds in memory (flushed), or its final CP did not finish in time.
struct FinalCp {
  std::string aggregate;
  bool flushed = false;
  std::uint64_t generation = 0;  // of its file system's last CP
};

// resync_started, resync_finished, resync_abandoned: plex copied from
// from_plex, bytes to copy, how long it ran (0 at its start) and how long it
// takes (bytes over timing.resync_rate_Bps); differing_blocks: at its end,
// the blocks that differed (were copied), 0 before.
struct Resync {
  std::string aggregate;
  std::uint64_t plex = 0, from_plex = 0, bytes = 0, differing_blocks = 0;
  double duration_s = 0, expected_duration_s = 0;
};
// After the final CP, a mirrored aggregate's plexes: stale, per plex (it
// needs a resync: it missed writes, or holds a replaced blank disk);
// differing_blocks: blocks of the aggregate's newest image (both superblock
// copies included) that plex 0 and plex 1 hold differently;
// failed_components: components still failed then.
struct PlexState {
  std::string aggregate;
  std::vector<bool> stale;
  std::uint64_t differing_blocks = 0, failed_components = 0;
};

using EventPayload = std::variant<NoFields, Crash, Boot, Resume, OnAggregate, AggregateLoaded, SuperblockWrite,
                                  ReservationRejection, PartnerDeclaredDead, HeartbeatMissed, Sample, Note, CpStarted,
                                  CpFinished, Replayed, ReplayMismatch, RequestTooLarge, FaultNote, Fsck, RaidWork,
                                  End, FinalCp, Resync, PlexState>;

struct Event {
  double time_s = 0;
  std::string node;  // "" for the world's events
  EventKind kind = EventKind::power_on;
  EventPayload payload;

  template <class Payload>
  const Payload* get() const {
    return std::get_if<Payload>(&payload);
  }
  // The aggregate the event is about; "" when it names none.
  std::string_view aggregate() const;
  // A notice's text ("" for kinds without one).
  std::string_view text() const;
};

// The payload type a kind carries, default-constructed.
EventPayload empty_payload(EventKind kind);

// One parsed line. Throws FormatError naming the field (without the file
// and line: the reader adds them).
Event decode_event(const nlohmann::json& line);
// The kind's fields as the simulator writes them (empty ones left out),
// without time_s, node and kind.
nlohmann::json payload_json(const Event& e);

}  // namespace failsim::runfolder
