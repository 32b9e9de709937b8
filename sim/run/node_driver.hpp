// One node of the simulated cluster: a SimGrid actor that runs the real core
// (model::Server). It feeds the server events, charges its CPU cycles as
// Execs on the node's host, and carries out its actions as SimGrid
// activities: NVRAM and mirror writes as sendto over the PCI link and the
// interconnect (one at a time per channel, as a DMA engine), disk writes
// through a per-disk FIFO (seek and rotation drawn per request, the transfer
// as a sendto over the FC loop), replies over the client network. It also
// runs failure detection (heartbeats over the interconnect and in mailbox
// blocks) and carries out crashes and the point faults armed on the node.
#pragma once

#include <simgrid/s4u.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "model/server.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

class NodeDriver {
 public:
  NodeDriver(World& world, int index);
  void run();  // the actor's body

  bool up() const { return server_ != nullptr; }
  const model::Server* server() const { return server_.get(); }
  std::uint64_t incarnation() const { return incarnation_; }
  // Whether this node's NVRAM accepts the partner's mirror writes: not once
  // it has started taking the partner's aggregates over (the interconnect
  // adapter's remote-write window is closed then).
  bool accepts_mirror_writes() const { return !up() || server_->takeover_group().state == model::GroupState::idle; }

 private:
  struct Timer {
    double at_s;
    std::uint64_t seq;
    std::function<void()> fire;
    bool operator>(const Timer& o) const { return at_s != o.at_s ? at_s > o.at_s : seq > o.seq; }
  };
  struct Running {  // an activity under way and what its completion does
    simgrid::s4u::ActivityPtr activity;
    std::function<void()> done;
  };
  struct NvramWrite {  // a write to local NVRAM, or across the interconnect
    model::Token token;
    int target_node;
    model::Region region;
    std::uint64_t offset;
    std::vector<std::uint8_t> bytes;
    bool resync = false;   // copy the whole own region
    bool failed = false;   // completes at once as failed
    double started_s = 0;
    double expected_s = 0;
  };
  struct Channel {
    std::deque<NvramWrite> queue;
    bool busy = false;
  };
  struct DiskRequest {
    std::string aggregate;
    int plex;
    model::BlockNo bno;
    std::shared_ptr<const std::vector<std::uint8_t>> bytes;
    std::uint64_t batch;
    double started_s = 0, expected_s = 0;
  };
  struct Disk {
    std::deque<DiskRequest> queue;
    bool busy = false;
    std::mt19937_64 rng;
  };
  struct Batch {  // one WriteBlocks action
    model::Token token;
    std::size_t pending = 0;
    bool ok = true;               // no write was rejected by the reservation
    bool wrote_somewhere = false; // at least one plex took a write
    bool missed = false;          // some write missed a plex that is still in use
    std::string fsck_aggregate;   // a CP's last write: fsck the image after it
  };

  // ---- the event loop ----
  void at(double time_s, std::function<void()> fire);
  void start(simgrid::s4u::ActivityPtr a, std::function<void()> done);
  void on_message(Message* m);
  void control(Control c);

  // ---- the core ----
  void submit(model::Event e);  // through the CPU
  void next_on_cpu();
  std::uint64_t event_cycles(const model::Event& e) const;
  std::uint64_t action_cycles(const std::vector<model::Action>& actions) const;
  void handle_now(const model::Event& e);
  void execute(model::Action& a);

  // ---- devices ----
  void enqueue(Channel& ch, NvramWrite w);
  void pump(Channel& ch);
  void land(NvramWrite& w, std::size_t keep);
  void disk_submit(DiskRequest r);
  void disk_pump(const std::string& disk);
  void disk_done(const std::string& disk);

  // ---- lifecycle and faults ----
  void boot_later(double delay_s);
  // Gives the partner's aggregates back per the scenario's policy, once
  // serving them, while the partner waits.
  void schedule_giveback();
  void do_boot();
  void crash(const std::string& why);
  bool point_fault(FaultKind kind);
  void heartbeat();

  // ---- what the partner tells us, and what we tell it ----
  PeerState my_state();
  // Sends our state over the interconnect now (heartbeats send it too).
  void send_state();
  // Acts on a state the partner published (a heartbeat, or its mailbox block).
  void observe_partner(const PeerState& s);
  // The partner's last state, if heard within the heartbeat timeout.
  bool partner_state_fresh() const;
  // The partner holds the reservation of one of our aggregates (read from the disks).
  bool partner_reserves_ours() const;

  // ---- report samples: observe the run, never change it ----
  // Writes a `sample` event: NVRAM log occupancy now and the device usage
  // counters so far. Taken at CP boundaries and on the heartbeat timer (at
  // most every kSampleInterval_s), never per change.
  void sample(std::string_view at);
  static constexpr double kSampleInterval_s = 0.1;
  struct Usage {  // cumulative over the run, across crashes; completed transfers only
    std::uint64_t nvram_write_bytes = 0, mirror_write_bytes = 0;
    double nvram_busy_s = 0, mirror_busy_s = 0;
    std::map<std::string, double> disk_busy_s;          // positioning + transfer, per disk
    std::map<std::string, std::uint64_t> disk_writes;  // block writes per disk
  };
  Usage usage_;
  double next_sample_s_ = 0;

  World& w_;
  const int me_;
  const int partner_;
  simgrid::s4u::Mailbox* mailbox_;
  std::unique_ptr<model::Server> server_;
  std::uint64_t incarnation_ = 0;
  bool booting_ = false;
  bool giveback_scheduled_ = false;

  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::uint64_t timer_seq_ = 0;
  std::vector<Running> running_;
  std::vector<simgrid::s4u::ActivityPtr> activities_;  // the inbox, then running_'s activities

  std::deque<model::Event> cpu_queue_;
  bool cpu_busy_ = false;

  Channel nvram_, mirror_;
  std::map<std::string, Disk> disks_;
  std::map<std::uint64_t, Batch> batches_;
  std::uint64_t next_batch_ = 0;
  std::mt19937_64 rng_;

  // Requests to the partner (standing until answered) and what we saw of it.
  std::optional<model::PartnerMessageKind> request_;
  std::uint64_t request_count_ = 0, request_seq_ = 0;
  std::uint64_t refused_seq_ = 0;            // the partner's request our core refused
  std::uint64_t partner_request_seen_ = 0;   // the partner's last request handed to our core
  PeerState partner_state_;                  // the freshest state heard from the partner
  double partner_state_heard_s_ = -1;
  // We are waiting for giveback and saw the partner hold our aggregates
  // since: its state no longer holding them then means it gave them back.
  bool saw_partner_hold_ = false;
  std::uint64_t wait_seq_ = 0, wait_count_ = 0;  // our current wait for giveback (0: not waiting)
  std::uint64_t gave_back_to_ = 0;              // the partner's wait we last gave back to
  std::uint64_t state_seq_ = 0;
  // The partner incarnation our last completed mirror copy was made for.
  std::uint64_t mirror_synced_partner_incarnation_ = 0;
  double last_resync_try_s_ = 0;
  double last_dead_retry_s_ = 0;
  bool partner_in_sync_told_ = false;  // what our core was last told of the partner's mirroring

  // Failure detection.
  double last_ic_heartbeat_s_ = 0;
  std::uint64_t partner_incarnation_seen_ = 0;
  bool ic_believed_up_ = true;
  bool partner_declared_dead_ = false;
};

}  // namespace failsim::sim
