// The server's sans-I/O boundary: the events a driver feeds in and the
// actions the server asks for. The driver owns time, devices and the
// network; it performs each action and reports its completion as an event
// carrying the action's token. Contract: writes of one kind to one device
// (local NVRAM, the interconnect, one aggregate's disks) complete in the
// order they were issued, as a DMA engine or a disk queue does.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "block_device.hpp"
#include "change.hpp"
#include "result.hpp"

namespace failsim::model {

using Token = std::uint64_t;

// A node's NVRAM holds its own log region and the mirror of its partner's.
enum class Region : std::uint8_t { own = 0, partner_mirror = 1 };

// How a node starts: on a new cluster (format its aggregates), after its
// own crash with nobody having taken over (replay its own NVRAM), or after
// its partner took over (discard its stale NVRAM, wait for giveback).
enum class BootMode : std::uint8_t { format, recover, after_takeover };

enum class PartnerMessageKind : std::uint8_t {
  mirror_in_sync,     // the sender's log is whole in the receiver's mirror region
  giveback_done,      // the sender flushed and released the receiver's aggregates
  takeover_request,   // the sender cannot reach its aggregates' disks: take them over from an in-sync mirror
  log_lost,           // the sender's own NVRAM log is gone: take over from whatever mirror copy survived
  takeover_refused,   // the receiver's request cannot be met: the sender holds no usable mirror
  rebooted,           // the sender came up again: its mirror of the receiver's log must be copied anew
  mirror_lost,        // the sender no longer mirrors its log to the receiver: the receiver's copy may lack entries
  took_over,          // the sender holds the receiver's aggregates (it declared the receiver dead)
};

// ---- events ----
struct Boot {
  BootMode mode = BootMode::format;
  // The headers of the node's two NVRAM regions as read at boot (see
  // region_header_valid): a missing one means that region's contents are gone.
  std::vector<std::uint8_t> own_header, mirror_header;
  // The node still holds its partner's aggregates (it crashed during or after
  // a takeover, before giveback): it resumes the takeover from its mirror
  // region, on the same recovery path.
  bool holds_partner_aggregates = false;
  // The NVRAM controller reports its battery good: what is in NVRAM survives
  // a power loss. Without it, an entry with no mirror copy is acked only
  // once a CP has put it on disk.
  bool nvram_battery_ok = true;
};
// The NVRAM controller's alert: the battery failed (or recovered).
struct NvramBattery { bool ok = true; };
struct ClientRequest { std::string aggregate; Change change; };
struct NvramWritten { Token token = 0; };
struct MirrorWritten { Token token = 0; bool ok = true; };  // !ok: the interconnect failed mid-write
// !ok: no plex took them; `rejected`: a disk refused a write because another
// node holds its reservation (this node has been fenced off).
struct BlocksWritten { Token token = 0; bool ok = true; bool rejected = false; };
struct TimerFired { Token timer = 0; };
struct PartnerDead {};      // failure detection: both heartbeats (interconnect, mailbox) stopped
struct InterconnectDown {};
struct InterconnectUp {};
struct PartnerMessage { PartnerMessageKind kind{}; };
struct GivebackRequested {};  // the partner is back and waiting for its aggregates
struct ReservationTaken { std::string aggregate; bool ok = true; };
// The driver's answer to CheckReservation: whether this node still holds it.
struct ReservationChecked { std::string aggregate; bool held = true; };
// The driver's answer to ReadAggregate: the aggregate's plexes, readable
// through BlockDevice during this call only, and the log region's bytes.
struct AggregateRead {
  std::string aggregate;
  std::vector<const BlockDevice*> plexes;
  std::span<const std::uint8_t> log_region;
};

using Event = std::variant<Boot, ClientRequest, NvramWritten, MirrorWritten, BlocksWritten, TimerFired, PartnerDead,
                           InterconnectDown, InterconnectUp, PartnerMessage, GivebackRequested, ReservationTaken,
                           ReservationChecked, AggregateRead, NvramBattery>;

// ---- actions ----
struct WriteNvram { Token token = 0; Region region = Region::own; std::uint64_t offset = 0; std::vector<std::uint8_t> bytes; };
// A remote write into the partner's mirror region, with no work by its CPU.
struct MirrorWrite { Token token = 0; std::uint64_t offset = 0; std::vector<std::uint8_t> bytes; };
// Copies this node's whole own region into the partner's mirror region.
struct ResyncMirror { Token token = 0; };
struct WriteBlocks {
  Token token = 0;
  std::string aggregate;
  std::vector<BlockWrite> blocks;
  bool superblock = false;  // the commit point of a CP
  bool first_plex_only = false;  // only a broken variant sets it (model/mutants.hpp)
};
struct Reply { std::string aggregate; ClientId client = 0; Xid xid = 0; Result result = Result::ok; };
struct ArmTimer { Token timer = 0; std::uint64_t delay_ns = 0; };
struct TakeReservation { std::string aggregate; };  // fences the other node off its disks
struct ReleaseReservation { std::string aggregate; };
// Reads who holds the aggregate's reservation (SCSI READ RESERVATION).
struct CheckReservation { std::string aggregate; };
struct ReadAggregate { std::string aggregate; Region region = Region::own; };
struct ServeAggregate { std::string aggregate; };   // the service address moves to this node
struct StopServing { std::string aggregate; };
struct SendToPartner { PartnerMessageKind kind{}; };
// The node stops itself and boots again (fenced off while it believed it
// served: its memory can no longer be trusted, as ONTAP panics).
struct Halt {};

// What happened, for the run's event log; no driver work.
enum class NoticeKind : std::uint8_t {
  cp_started,         // figures: CpStarted
  cp_finished,        // figures: CpFinished
  replayed,           // figures: Replayed
  replay_mismatch,    // figures: ReplayMismatch
  load_failed,        // text = why
  takeover_started,
  takeover_refused,   // text = why
  takeover_disabled,  // mirroring lost: acks now rest on local NVRAM alone
  takeover_enabled,   // mirror resynchronised
  serving,
  giveback_started,
  giveback_finished,
  log_discarded,      // stale NVRAM dropped after being taken over
  log_full,           // a request waits for a CP to free a log half
  request_too_large,  // figures: RequestTooLarge
  fenced,             // our writes were rejected: another node holds the aggregate
  log_lost,           // text = why: the own NVRAM log did not survive
  takeover_requested, // text = why: this node asks the partner to take its aggregates over
  storage_lost,       // no plex of the aggregate took the CP's writes: no path to its disks
};
std::string_view to_string(NoticeKind k);

// The figures some notices carry, one record per kind; each names its kind.
struct CpStarted {
  static constexpr NoticeKind kind = NoticeKind::cp_started;
  std::uint64_t blocks = 0;   // blocks the CP writes
  std::uint64_t max_lsn = 0;  // the last log entry it makes durable
};
struct CpFinished {
  static constexpr NoticeKind kind = NoticeKind::cp_finished;
  std::uint64_t generation = 0;
  std::uint64_t max_lsn = 0;
};
struct Replayed {
  static constexpr NoticeKind kind = NoticeKind::replayed;
  std::uint64_t replayed = 0;
  std::uint64_t skipped = 0;  // entries already on disk
};
struct ReplayMismatch {
  static constexpr NoticeKind kind = NoticeKind::replay_mismatch;
  std::uint64_t lsn = 0;  // whose replay gave another result than logged
};
struct RequestTooLarge {
  static constexpr NoticeKind kind = NoticeKind::request_too_large;
  std::uint64_t entry_bytes = 0;  // its log entry's bound
  std::uint64_t half_bytes = 0;   // a log half
};
using NoticeFigures = std::variant<std::monostate, CpStarted, CpFinished, Replayed, ReplayMismatch, RequestTooLarge>;

struct Notice {
  NoticeKind kind{};
  std::string aggregate;
  NoticeFigures figures;  // monostate for a kind with no figures
  std::string text;

  // A notice with figures: its kind is theirs.
  template <class Figures>
  static Notice of(std::string aggregate, Figures figures) {
    return Notice{Figures::kind, std::move(aggregate), figures, {}};
  }
};

using Action = std::variant<WriteNvram, MirrorWrite, ResyncMirror, WriteBlocks, Reply, ArmTimer, TakeReservation,
                            ReleaseReservation, CheckReservation, ReadAggregate, ServeAggregate, StopServing, SendToPartner, Halt,
                            Notice>;

}  // namespace failsim::model
