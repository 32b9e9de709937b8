// An in-memory driver for the core: two nodes, their NVRAM regions, shared
// disks with reservations, an interconnect, and a seeded scheduler that
// completes I/O in random order (keeping each device's writes in issue
// order, as the server's contract says). A crash tears the writes a node has
// in flight. `failsim demo` and the core's tests use it to put the real
// server through every crash point without the simulator.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "sim/memory/memory_block_device.hpp"
#include "model/server.hpp"

namespace failsim::sim::memory {

struct MemoryClusterConfig {
  model::LogMode log_mode = model::LogMode::request;
  bool ack_after_disk = false;
  std::uint64_t nvram_half_bytes = 64 * 1024;
  model::FsConfig fs{1024, 8192, 1024, 1u << 20};
  int plexes = 1;  // per aggregate: 2 mirrors it (SyncMirror)
  // Chance, per scheduling step, that a live node's armed CP timer fires.
  double timer_chance = 0.02;
  bool fsck_images = true;  // after every CP and crash (benchmarks turn it off)
};

class MemoryCluster {
 public:
  // Two nodes; node i owns "aggr<i>". Both are formatted and serving on return.
  MemoryCluster(const MemoryClusterConfig& config, std::uint64_t seed);

  static std::string aggregate_name(int node) { return "aggr" + std::to_string(node); }

  // ---- faults and operator actions ----
  void boot(int node, model::BootMode mode);
  // The node loses power: its server state is gone, the write at the head of
  // each of its queues lands torn (a random prefix), the rest never starts.
  // battery_lost: the node's NVRAM loses its contents with the power.
  void crash(int node, bool battery_lost = false);
  void partner_dead(int survivor) { deliver(survivor, model::PartnerDead{}); }
  void request_giveback(int survivor) { deliver(survivor, model::GivebackRequested{}); }
  void cut_interconnect();
  void restore_interconnect();
  bool up(int node) const { return servers_[node] != nullptr; }

  // ---- clients ----
  // Sends a request to whichever node serves the aggregate; lost if none.
  void send(const std::string& aggregate, const model::Change& c);
  std::vector<model::Reply> take_replies() { return std::exchange(replies_, {}); }

  // ---- scheduling ----
  bool step();  // completes one pending I/O or message; false when none is pending
  void run_until_quiet(std::size_t max_steps = 1'000'000);
  void fire_timers(int node);

  // ---- observation ----
  int server_of(const std::string& aggregate) const;
  const model::Server* server(int node) const { return servers_[node].get(); }
  std::vector<const model::BlockDevice*> plexes(const std::string& aggregate) const;
  MemoryBlockDevice& plex(const std::string& aggregate, int i) { return *disks_.at(aggregate)[i]; }
  std::vector<std::uint8_t>& nvram(int node, model::Region r) { return nvram_[node][static_cast<int>(r)]; }
  struct NodeNotice {
    int node;
    model::Notice notice;
  };
  std::vector<NodeNotice> notices;
  std::vector<std::string> fsck_failures;  // fsck after every CP and every crash
  std::uint64_t reservation_rejections = 0;
  std::uint64_t cps_finished = 0;
  std::uint64_t fsck_runs = 0;
  std::mt19937_64& rng() { return rng_; }
  // Called before each action is carried out (a test may crash the node there).
  std::function<void(int node, const model::Action&)> before_action;

 private:
  enum Channel { nvram_ch = 0, mirror_ch = 1, control_ch = 2, disk_ch = 3 };
  struct Pending {
    model::Event done;  // the completion to deliver
    enum Kind { none, nvram_write, resync, disk_write, read } kind = none;
    int target = 0;  // nvram_write: whose NVRAM
    model::Region region = model::Region::own;
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> bytes;
    std::string aggregate;
    std::vector<model::BlockWrite> blocks;
    bool superblock = false;
    bool first_plex_only = false;
    int issuer = 0;
  };

  void deliver(int node, const model::Event& e);
  void execute(int node, model::Action a);
  void enqueue(int node, int channel, Pending p) { queues_[{node, channel}].push_back(std::move(p)); }
  void complete(int node, Pending& p);
  void apply_write(Pending& p, bool torn);
  void check_images(const char* when);
  int aggregate_index(const std::string& name) const { return name.back() - '0'; }

  MemoryClusterConfig config_;
  std::mt19937_64 rng_;
  std::unique_ptr<model::Server> servers_[2];
  std::vector<std::uint8_t> nvram_[2][2];  // [node][region]
  std::map<std::string, std::vector<std::unique_ptr<MemoryBlockDevice>>> disks_;
  std::map<std::string, int> holder_;   // reservations
  std::map<std::string, int> service_;  // service addresses
  std::map<std::pair<int, int>, std::deque<Pending>> queues_;
  std::vector<model::Token> timers_[2];
  std::set<std::string> formatted_;  // aggregates whose first CP is durable
  bool interconnect_up_ = true;
  std::vector<model::Reply> replies_;
};

}  // namespace failsim::sim::memory
