// One node of the simulated cluster: a SimGrid actor that runs the real core
// (model::Server). It feeds the server events through its CPU and carries out
// the server's actions on its devices. Each job is a unit of its own:
// - event_loop: the inbox, timers and activities; drops stale completions;
// - node_cpu: the events waiting for the CPU, their cycles as Execs;
// - dma_channel: NVRAM and mirror writes, one at a time per channel;
// - disk_queue: its requests to a disk, FIFO across both nodes (disk_arm.hpp);
// - point_faults: the faults armed at points of the node's work;
// - node_actions.cpp: each action of the core, carried out;
// - node_devices.cpp: what the node makes of its devices' completions;
// - node_lifecycle.cpp: boot and crash (crash semantics: sim/memory/power_loss.hpp);
// - node_partner.cpp: failure detection and the node's view of its partner;
// - node_samples.cpp: the report samples.
#pragma once

#include <simgrid/s4u.hpp>

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "model/server.hpp"
#include "sim/run/disk_queue.hpp"
#include "sim/run/dma_channel.hpp"
#include "sim/run/event_loop.hpp"
#include "sim/run/node_cpu.hpp"
#include "sim/run/point_faults.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

class NodeDriver {
 public:
  NodeDriver(World& world, int index);
  void run();  // the actor's body

  bool up() const { return server_ != nullptr; }
  const model::Server* server() const { return server_.get(); }
  std::uint64_t incarnation() const { return loop_.incarnation(); }
  // Whether this node's NVRAM accepts the partner's mirror writes: not once
  // it has started taking the partner's aggregates over (the interconnect
  // adapter's remote-write window is closed then).
  // Whether a block write of `aggregate` is queued or under way on one of its disks.
  bool writes_in_flight(const std::string& aggregate) const {
    return std::any_of(disks_.begin(), disks_.end(), [&](const auto& d) { return d.second.holds_write_of(aggregate); });
  }
  bool accepts_mirror_writes() const { return !up() || server_->takeover_group().state == model::GroupState::idle; }

 private:
  struct Batch {  // one WriteBlocks action
    model::Token token;
    std::size_t pending = 0;
    bool ok = true;               // no write was rejected by the reservation
    bool wrote_somewhere = false; // at least one plex took a write
    bool missed = false;          // some write missed a plex that is still in use
    std::string fsck_aggregate;   // a CP's last write: fsck the image after it
  };

  // ---- messages (node_driver.cpp) ----
  void on_message(Message* m);
  void control(Control c);

  // ---- the core, through the CPU (node_driver.cpp) ----
  void submit(model::Event e);
  void next_on_cpu();
  void handle_now(const model::Event& e);
  // Hands the core an aggregate read as this node sees the plexes now;
  // returns the time the loading takes after the CPU.
  double load_aggregate(const model::AggregateRead& read, std::vector<model::Action>& actions);
  // A crash_during_replay armed for the load that gave `actions` (a replay
  // of their Replayed entries): crashes the node in the middle of the
  // replay's cycles, after the hold; true when it will (the actions are dropped).
  bool crash_in_replay(const model::Event& e, const std::vector<model::Action>& actions, double hold_s);

  // ---- the core's actions (node_actions.cpp) ----
  void execute(model::Action& action);
  void act(model::WriteNvram& a);
  void act(model::MirrorWrite& a);
  void act(model::ResyncMirror& a);
  void act(model::WriteBlocks& a);
  void add_parity_writes(const model::WriteBlocks& a, std::uint64_t batch, std::vector<DiskRequest>& requests);
  void act(model::Reply& a);
  void act(model::ArmTimer& a);
  void act(model::TakeReservation& a);
  void act(model::CheckReservation& a);
  void act(model::ReleaseReservation& a);
  void act(model::ReadAggregate& a);
  void act(model::ServeAggregate& a);
  void act(model::StopServing& a);
  void act(model::SendToPartner& a);
  void act(model::Halt& a);
  void act(model::Notice& a);

  // ---- device completions (node_devices.cpp) ----
  void nvram_written(NvramWrite& w);
  void mirror_written(NvramWrite& w);
  void land(NvramWrite& w, std::size_t keep);
  void disk_submit(DiskRequest r);
  // A point fault at a block write about to start (crash_at_cp_block,
  // crash_during_recovery): crashes the node, true.
  bool crash_at_cp_block(DiskRequest& r);
  void disk_ended(const std::string& disk, DiskRequest& r, bool transferred, double busy_s);
  void end_batch(std::map<std::uint64_t, Batch>::iterator it);

  // ---- lifecycle (node_lifecycle.cpp) ----
  void boot_later(double delay_s);
  void do_boot();
  void crash(const std::string& why);
  // The node's devices when power goes (sim/memory/power_loss.hpp).
  void lose_devices();

  // ---- failure detection and the partner (node_partner.cpp) ----
  void heartbeat();
  PeerState my_state();
  // Sends our state over the interconnect now (heartbeats send it too).
  void send_state();
  // Acts on a state the partner published (a heartbeat, or its mailbox block).
  void observe_partner(const PeerState& s);
  // The partner's last state, if heard within the heartbeat timeout.
  bool partner_state_fresh() const;
  // The partner holds the reservation of one of our aggregates (read from the disks).
  bool partner_reserves_ours() const;
  // Gives the partner's aggregates back per the scenario's policy, once
  // serving them, while the partner waits.
  void schedule_giveback();

  // ---- report samples: observe the run, never change it (node_samples.cpp) ----
  // Writes a `sample` event: NVRAM log occupancy now and the device usage
  // counters so far. Taken at CP boundaries and on the heartbeat timer (at
  // most every kSampleInterval_s), never per change.
  void sample(std::string_view at);
  static constexpr double kSampleInterval_s = 0.1;
  struct DiskUsage {  // cumulative over the run, across crashes; completed transfers only
    std::map<std::string, double> busy_s;          // positioning + transfer, per disk
    std::map<std::string, std::uint64_t> writes;  // block writes per disk
  };
  DiskUsage disk_usage_;
  double next_sample_s_ = 0;

  World& w_;
  const int me_;
  const int partner_;
  EventLoop loop_;
  Cpu cpu_;
  PointFaults faults_;
  std::unique_ptr<model::Server> server_;
  bool booting_ = false;
  bool giveback_scheduled_ = false;

  DmaChannel nvram_, mirror_;
  DiskQueue::Hooks disk_hooks_;
  std::map<std::string, DiskQueue> disks_;
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
