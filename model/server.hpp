// The file server as a state machine (sans-I/O): events in, actions out. No
// clock, no randomness, no blocking. It logs each change to its own NVRAM and
// mirrors it to the partner's (claims 77, 85), replies once both copies are
// in place (claim 84), delays disk output to consistency points (claim 79),
// and recovers the same way after its own crash and its partner's (claims
// 81-83, 105, 106).
//
// A node runs up to two log groups: its own (aggregates it owns, logged in
// its own region and mirrored to the partner) and a takeover group (the
// partner's aggregates after a takeover, logged in the mirror region, local
// only). Each group has one LSN sequence, a two-half log region and its own
// CPs, which cover every aggregate of the group.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "filesystem.hpp"
#include "log_entry.hpp"
#include "nvram_log.hpp"
#include "server_io.hpp"

namespace failsim::model {

struct ServerConfig {
  std::vector<std::string> own_aggregates;      // served from this node in normal operation
  std::vector<std::string> partner_aggregates;  // taken over when the partner dies
  LogMode log_mode = LogMode::request;
  // When a change is acknowledged: once logged in NVRAM (and mirrored) - the
  // design's claim 84 - or only after a CP has put it on disk, the
  // conventional alternative, kept to measure what NVRAM buys. With `disk`, a
  // CP starts as soon as changes wait for one (group commit).
  bool ack_after_disk = false;
  std::uint64_t nvram_half_bytes = 1u << 20;   // each half of a log region
  std::uint64_t cp_interval_ns = 10'000'000'000;  // a CP at least this often (10 s)
  FsConfig fs;                                  // for formatting; loaded images carry their own
  bool has_partner = true;                      // false: a single node, nothing mirrored
  // After losing the mirror, acks that rest on local NVRAM alone wait this
  // long: by then the partner has seen the interconnect fail and will not
  // take over from a mirror that lacks them. At least the partner's failure
  // detection time; 0 acks at once (tests that drive both sides by hand).
  std::uint64_t mirror_loss_grace_ns = 0;
};

enum class GroupState : std::uint8_t {
  idle,          // nothing served
  loading,       // reservations taken, images being read and replayed
  recovery_cp,   // the CP that makes replayed changes durable before serving
  serving,
  giving_back,   // final CP before the partner gets its aggregates back
};
std::string_view to_string(GroupState s);

class Server {
 public:
  explicit Server(ServerConfig config);

  // Handles one event, appending the actions it leads to.
  void handle(const Event& e, std::vector<Action>& out);

  // ---- observation, read-only: tests, samples, and final-state.json (built from filesystem()) ----
  struct GroupView {
    GroupState state;
    bool mirrored;
    Lsn next_lsn;
    std::uint64_t log_bytes_used;
    std::size_t in_flight;
    std::size_t stalled;
    bool cp_running;
  };
  GroupView own_group() const { return view(own_); }
  GroupView takeover_group() const { return view(takeover_); }
  // The file system of an aggregate this node has loaded, if any.
  const Filesystem* filesystem(const std::string& aggregate) const;
  bool partner_mirror_valid() const { return partner_mirror_valid_; }
  // Booted after a takeover, or gave its aggregates away: the partner holds
  // them, and this node waits for giveback.
  bool waiting_for_giveback() const {
    return own_.state == GroupState::idle && (boot_mode_ == BootMode::after_takeover || gave_way_);
  }
  // Every entry of our own log is in the partner's mirror, and new ones go there.
  bool mirror_in_sync() const { return mirror_complete_; }
  // A takeover asked of the partner and not yet answered by a takeover or a refusal.
  bool requested_takeover() const { return gave_way_; }
  const ServerConfig& config() const { return config_; }

 private:
  struct Aggregate {
    std::string name;
    std::optional<Filesystem> fs;
    bool read_done = false;  // loaded, or failed to load
  };
  struct InFlight {
    std::uint16_t aggregate = 0;
    ClientId client = 0;
    Xid xid = 0;
    Result result = Result::ok;
    bool local_done = false;
    bool mirror_done = false;
    bool local_only = false;  // no mirror copy: acked only outside a grace period
    bool on_disk = false;     // a finished CP holds it (waited for with ack_after_disk)
  };
  struct Cp {
    int half = -1;  // the frozen half (-1: a CP that freezes no half: recovery, giveback)
    Lsn max_lsn = 0;  // the last change it holds
    bool giveback = false;  // the final CP before a giveback (a CP already running when it was asked for is not)
    std::vector<std::pair<std::uint16_t, CpPlan>> plans;  // per loaded aggregate, blocks moved out
    int phase = 0;              // 0: blocks, 1: superblock copy 0, 2: copy 1
    std::set<Token> outstanding;
    bool fenced = false;        // a write failed
    bool rejected = false;      // ... because another node holds the reservation
  };
  struct Group {
    Region region = Region::own;
    bool own = true;         // own group (mirrored to the partner) or takeover group
    GroupState state = GroupState::idle;
    std::vector<Aggregate> aggregates;
    LogRegion books;
    Lsn next_lsn = 1;
    bool mirrored = false;           // new entries are mirror-written
    std::set<Token> mirror_setup;    // mirror writes of a log reset or resync in flight
    std::map<Lsn, InFlight> in_flight;
    std::set<std::tuple<std::uint16_t, ClientId, Xid>> client_in_flight;  // requests not yet durable
    std::deque<ClientRequest> stalled;
    std::optional<Cp> cp;
    int pending_release = -1;        // half whose CP is durable, waiting for its writes
    Token cp_timer = 0;
    Token grace_timer = 0;           // non-zero: local-only acks wait (see mirror_loss_grace_ns)
    int grace_checks = 0;            // reservation checks in flight at the grace period's end
    std::vector<LogEntry> parsed;  // the region read back during loading
    bool parsed_ready = false;
    bool replay_log = true;        // this load replays the region (false: it is stale)
  };

  GroupView view(const Group& g) const;
  Group* group_of(const std::string& aggregate, int* index);
  Token next_token() { return ++last_token_; }

  void on_boot(const Boot& boot, std::vector<Action>& out);
  void on_request(const ClientRequest& r, std::vector<Action>& out);
  // false: the log has no room until a CP ends; the request waits.
  bool process_request(Group& g, int idx, const ClientRequest& r, std::vector<Action>& out);
  void on_entry_part_done(Token token, bool local, bool ok, std::vector<Action>& out);
  void advance_acks(Group& g, std::vector<Action>& out);
  // Mirroring is lost: entries in flight to the mirror now rest on local NVRAM.
  void lose_mirror(Group& g, const char* why, bool grace, std::vector<Action>& out);
  void on_blocks_written(Token token, bool ok, bool rejected, std::vector<Action>& out);
  void start_cp(Group& g, bool freeze, std::vector<Action>& out, bool giveback = false);
  // ack_after_disk: starts a CP when changes wait for one and none runs.
  void maybe_start_ack_cp(Group& g, std::vector<Action>& out);
  // An entry is acked only once on disk: with ack_after_disk, or when it
  // has no mirror copy and the NVRAM battery is dead (one copy, volatile).
  bool needs_disk(const InFlight& f) const { return config_.ack_after_disk || (f.local_only && !nvram_durable_); }
  void on_battery(bool ok, std::vector<Action>& out);
  void finish_cp(Group& g, std::vector<Action>& out);
  void release_frozen_half(Group& g);
  void on_timer(Token timer, std::vector<Action>& out);
  void on_partner_dead(std::vector<Action>& out);
  void on_interconnect(bool up, std::vector<Action>& out);
  void on_partner_message(PartnerMessageKind kind, std::vector<Action>& out);
  // Mirrors our own log again from now on and copies the region as it is.
  void resync_mirror(std::vector<Action>& out);
  void on_giveback_requested(std::vector<Action>& out);
  // A takeover that acked nothing and wrote nothing is handed back untouched.
  void give_up_takeover(Group& g, const char* why, std::vector<Action>& out);
  // This node cannot serve its own aggregates (no path to their disks, or
  // its own log is lost): it asks the partner to take them over, and waits
  // for giveback as after a takeover.
  void request_takeover(PartnerMessageKind why, const char* text, std::vector<Action>& out);
  void on_takeover_request(PartnerMessageKind why, std::vector<Action>& out);
  // Arms `timer` (load_retry_timer_ or takeover_retry_timer_): a load that
  // found no disk, or a request refused, is tried again a little later.
  void arm_retry(Token& timer, std::vector<Action>& out);
  static constexpr std::uint64_t load_retry_ns = 1'000'000'000;
  void maybe_start_giveback_cp(Group& g, std::vector<Action>& out);
  void finish_giveback(Group& g, std::vector<Action>& out);
  void on_reservation(const ReservationTaken& r, std::vector<Action>& out);
  void on_reservation_checked(const ReservationChecked& r, std::vector<Action>& out);
  // Stops serving every aggregate of the group, saying why, and forgets it.
  void stop_group(Group& g, NoticeKind why, const char* text, std::vector<Action>& out);
  // Another node holds our reservations: stop serving the group and halt.
  void fence_off(Group& g, std::vector<Action>& out);
  void on_aggregate_read(const AggregateRead& r, std::vector<Action>& out);
  // replay_log false: the group's log region is stale (the partner replayed
  // it after taking over), so the aggregates load without replay.
  void start_loading(Group& g, std::vector<Action>& out, bool replay_log = true);
  void maybe_finish_loading(Group& g, std::vector<Action>& out);
  void reset_log(Group& g, bool to_partner, std::vector<Action>& out);
  void abandon_group(Group& g);
  void start_serving(Group& g, std::vector<Action>& out);
  void drain_stalled(Group& g, std::vector<Action>& out);
  void arm_cp_timer(Group& g, std::vector<Action>& out);

  ServerConfig config_;
  BootMode boot_mode_ = BootMode::format;
  Group own_;
  Group takeover_;
  bool partner_mirror_valid_ = false;
  // The mirror region's contents survived (its header was found at boot, or
  // the partner wrote it since): a log_lost request may take over from it.
  bool mirror_intact_ = true;
  // Our own log is whole in the partner's mirror: set when a copy of the
  // region lands, cleared when an entry misses it. Stopping to serve (giving
  // way) leaves it as it is.
  bool mirror_complete_ = false;
  // The NVRAM battery is good (see Boot::nvram_battery_ok).
  bool nvram_durable_ = true;
  // Own aggregates handed to the partner at our request: waiting for giveback.
  bool gave_way_ = false;
  Token load_retry_timer_ = 0;
  bool takeover_mirror_was_valid_ = false;  // partner_mirror_valid_ before the takeover began
  // The takeover under way has replayed nothing and acked nothing yet: it
  // may be given up and its reservations released.
  bool takeover_fresh_ = true;
  // The takeover was asked for by a partner that lost its own log: our
  // copy is the only one, so it is never given up, only retried.
  bool takeover_for_lost_log_ = false;
  Token takeover_retry_timer_ = 0;
  bool interconnect_up_ = true;
  Token last_token_ = 0;
  // Which group and entry each outstanding token belongs to.
  struct TokenUse {
    Group* group;
    Lsn lsn;  // 0: not an entry write
  };
  std::map<Token, TokenUse> tokens_;
};

}  // namespace failsim::model
