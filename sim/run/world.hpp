// The state shared by the actors of one simulation: the scenario, the
// SimGrid hosts, the disks' bytes, the NVRAM contents, which node serves
// which aggregate (service addresses), the interconnect, the client network
// and the faults in force. Actors run one at a time in SimGrid, so plain
// fields are safe.
#pragma once

#include <simgrid/s4u.hpp>

#include <cassert>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "model/change.hpp"
#include "model/server_io.hpp"
#include "sim/run/block_store.hpp"
#include "sim/run/disk_arm.hpp"
#include "sim/run/recorder.hpp"
#include "sim/run/resync.hpp"
#include "sim/run/topology.hpp"
#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

using runfolder::EventKind;

class NodeDriver;
struct PointsReached;

// What a node tells its partner about itself, in every heartbeat over the
// interconnect and in its mailbox block on the disks. Standing state, not
// one-shot notices: a partner that was down, or missed a heartbeat, learns
// it from the next one.
struct PeerState {
  std::uint64_t incarnation = 0;  // 0: never written
  std::uint64_t seq = 0;          // orders the states of one incarnation, whichever way they came
  double written_s = 0;
  // Its log is whole in the partner's mirror region and every new entry goes
  // there, as of the partner incarnation it names (a copy made before the
  // partner's restart says nothing of what the restarted partner holds).
  bool mirror_in_sync = false;
  std::uint64_t mirror_partner_incarnation = 0;
  bool holds_partner_aggregates = false;  // its takeover group is not idle
  bool waiting_for_giveback = false;      // its aggregates are held by the partner, and it reaches their disks
  // Which wait this is (a node waits for giveback anew after each restart
  // or request), and the partner's wait it last gave back to.
  std::uint64_t wait_seq = 0, gave_back_to = 0;
  // A standing request to the partner (takeover_request or log_lost) and its
  // number; and the number of the partner's request this node refused.
  std::optional<model::PartnerMessageKind> request;
  std::uint64_t request_seq = 0, refused_seq = 0;
};

// What the world does to a node's power.
// hang: the node's CPU stops for Message::hang_s, then goes on with what it
// believed; its devices and in-flight I/O carry on meanwhile.
// battery_failed: the node's NVRAM controller raises its battery alert (the
// node's own hardware telling it, not the world).
enum class Control : std::uint8_t { crash, reboot, boot, stop, hang, battery_failed };

// Messages between actors (mailbox payloads).
struct Message {
  enum class Kind { request, reply, partner, heartbeat, control } kind = Kind::request;
  // request / reply
  std::string aggregate;
  model::Change change;
  model::Result result = model::Result::ok;
  model::ClientId client = 0;
  model::Xid xid = 0;
  // partner messages and heartbeats
  int from = 0;
  std::uint64_t incarnation = 0;
  model::PartnerMessageKind partner_kind{};
  PeerState state;  // heartbeats
  Control control{};
  double hang_s = 0;
};

// The bytes of one NVRAM region, zeroed when sized: calloc gives fresh
// pages the kernel zeroes on first touch, so the regions (8 MiB in the
// default scenario) cost no memset and no page faults until written (they
// were 8.4M instructions and 2,048 page faults of every default run). The
// vector operations the simulator uses.
class NvramRegion {
 public:
  void assign(std::size_t size, std::uint8_t value) {
    assert(value == 0 && "NVRAM starts zeroed");
    bytes_ = ZeroedBytes(size);
    size_ = size;
  }
  std::size_t size() const { return size_; }
  std::uint8_t* begin() { return bytes_.data(); }
  std::uint8_t* end() { return bytes_.data() + size_; }
  const std::uint8_t* begin() const { return bytes_.data(); }
  const std::uint8_t* end() const { return bytes_.data() + size_; }

 private:
  ZeroedBytes bytes_{0};
  std::size_t size_ = 0;
};

// A point fault armed for a node: fires at the k-th time the node reaches it.
struct PointFault {
  FaultKind kind;
  std::uint64_t remaining = 1;
};

struct World {
  Scenario scenario;
  std::string out_dir;
  simgrid::s4u::Host* node_host[2] = {};
  simgrid::s4u::Host* nvram_host[2] = {};
  std::vector<simgrid::s4u::Host*> client_hosts;
  // Looked up once: in SimGrid 3.32 Mailbox::by_name is a simcall, a
  // context switch at every send.
  simgrid::s4u::Mailbox* node_mailbox[2] = {};
  std::vector<simgrid::s4u::Mailbox*> client_mailboxes;  // client c at c - 1
  std::map<std::string, simgrid::s4u::Host*> disk_hosts;
  // Each disk as both nodes share it: the order of their requests and the
  // one it serves (disk_arm.hpp), made as a node first queues a request for it.
  std::map<std::string, DiskArm> disk_arms;
  std::vector<std::unique_ptr<NodeDriver>> nodes;

  BlockStore store;
  NvramRegion nvram[2][2];             // [node][region]: the true NVRAM contents
  std::map<std::string, int> service;  // aggregate -> node serving it now
  std::map<std::string, int> owner;    // aggregate -> home node
  bool interconnect_up = true;
  // Gray interconnect failures: one direction down (from node n to its
  // partner), messages and mirror writes lost with a probability, delayed.
  bool interconnect_from_up[2] = {true, true};
  double interconnect_loss_probability = 0, interconnect_delay_s = 0;
  std::mt19937_64 interconnect_rng;
  // Whether what `from` sends over the interconnect now gets through.
  bool interconnect_carries(int from);
  // Slow devices: service time multipliers.
  double nvram_slowdown[2] = {1, 1};
  double interconnect_slowdown = 1;
  std::map<std::string, double> disk_slowdown;
  // Disks, shelves, loops and HBAs failed now: a fault adds one, a repair
  // takes it out again.
  const std::set<std::string>& failed_components() const { return failed_components_; }
  bool component_failed(const std::string& name) const { return failed_components_.contains(name); }
  void fail_component(const std::string& name);
  bool repair_component(const std::string& name);  // false: it had not failed
  std::unique_ptr<Topology> topology;
  ResyncState resync;  // SyncMirror resyncs running, plexes holding a blank disk (resync.hpp)
  std::vector<PointFault> armed[2];
  PointsReached* points = nullptr;  // counted for `check --exhaustive` (simulation.hpp); null: not counted
  bool nvram_battery_dead[2] = {false, false};
  // Mailbox blocks on the shared disks: what each node last wrote there,
  // through its own paths; its partner reads it through its own.
  PeerState mailbox[2];

  // Client network faults.
  // Client network partitions: a client (none: every client) cut off from a
  // node (-1: from both).
  struct Partition {
    std::optional<model::ClientId> client;
    int node = -1;
  };
  std::vector<Partition> partitions;
  bool partitioned(model::ClientId client, int node) const;
  double loss_probability = 0, duplicate_probability = 0, delay_s = 0;
  std::mt19937_64 net_rng;

  std::unique_ptr<Recorder> recorder;
  int clients_running = 0;
  // A client mounts its aggregate before it sends: it waits on service_up,
  // which every start of service (and the run's end) notifies.
  simgrid::s4u::MutexPtr service_mutex = simgrid::s4u::Mutex::create();
  simgrid::s4u::ConditionVariablePtr service_up = simgrid::s4u::ConditionVariable::create();
  bool settled = false;  // the fault phase is over
  double hung_until_s[2] = {0, 0};  // a node_hang's end, per node
  bool stop = false;     // every actor ends
  bool clients_stop = false;  // the run's end: clients issue nothing more (the nodes go on to their final CP)
  bool clients_done_at_end = false, served_by_owners_at_end = false;  // at the run's end
  double end_s = 0;                                                   // the time of the `end` event

  // Helpers shared by the actors.
  double now() const { return simgrid::s4u::Engine::get_clock(); }
  const std::string& node_name(int n) const { return scenario.cluster.nodes[n]; }
  int node_index(const std::string& name) const { return name == scenario.cluster.nodes[0] ? 0 : 1; }
  // Whether a node reaches a disk under the failed components. Cached: a
  // search of the topology per disk request and heartbeat was a few percent
  // of a run, and the answer changes only when a component fails or is
  // repaired (each bumps failed_version_, which the cache is keyed on: a
  // repair after a failure leaves the set's size as it was).
  bool reachable(int node, const std::string& disk) const;
  void event(int node, EventKind kind, nlohmann::json fields = {});
  // A message over the interconnect from node `from` to its partner:
  // through the gray faults in force.
  void send_over_interconnect(int from, Message* m);
  // Client <-> node traffic through the faulty client network.
  void send_to_node(int node, Message* m, std::uint64_t bytes, simgrid::s4u::Host* from);
  void send_to_client(model::ClientId client, Message* m, simgrid::s4u::Host* from, int from_node);
  // Power to a node's actor: crash, reboot, boot, stop.
  void tell_node(int node, Control control, double hang_s = 0);
  // Both nodes lose power now, and regain it after duration_s (0: at the
  // settle phase): a point fault's (power_loss_at_nvram_write).
  void lose_power_both(double duration_s);
  // The interconnect fails for duration_s (0: until the settle phase).
  void cut_interconnect(double duration_s);
  void restore_interconnect();
  // fsck of an aggregate's true image (each plex on its own), as an event.
  void fsck(const std::string& aggregate, const std::string& when);

  // ---- RAID (raid_rebuilds.cpp) ----
  // RAID failed a disk a write could not reach.
  void raid_disk_lost(const std::string& disk);
  // Starts every rebuild a lost disk can have now (onto a spare, or onto its
  // replacement), each taking its bytes over the aggregate's rate.
  void start_rebuilds();
  // A parity scrub of every RAID plex, as events.
  void scrub_parity();

 private:
  std::set<std::string> failed_components_;
  std::uint64_t failed_version_ = 0;                    // bumped by every change to failed_components_
  mutable std::map<std::string, bool> reach_cache_[2];  // per node: disk -> reachable
  mutable std::uint64_t reach_cache_version_ = 0;       // the failed_version_ the cache holds for
};

}  // namespace failsim::sim
