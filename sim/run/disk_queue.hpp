// One disk's request queue as a node sees it: block writes served one at a
// time in FIFO order, each positioning first (seek and rotation drawn from
// the disk's own random stream, disk_timing.hpp), then its transfer over
// the FC loop as a SimGrid transfer. A request to a disk the node cannot
// reach fails at once, with no time spent.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "model/disk_format.hpp"
#include "sim/run/event_loop.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

struct DiskRequest {
  std::string aggregate;
  int plex;
  model::BlockNo bno;
  std::shared_ptr<const std::vector<std::uint8_t>> bytes;
  std::uint64_t batch;
  double started_s = 0, expected_s = 0;  // of the transfer (0: not started)
  // A parity block's write (RAID): only its time is charged here; the store
  // updates the parity as the data block lands.
  std::string parity_disk;
};

class DiskQueue {
 public:
  struct Hooks {
    std::function<bool()> up;  // whether the node runs (a queue of a node that is down idles)
    // Before a request's positioning starts: true if a fault crashed the node there.
    std::function<bool(DiskRequest&)> crashed_before_transfer;
    // A request ended: transferred (after busy_s of positioning and
    // transfer), or failed at once unreachable.
    std::function<void(const std::string& disk, DiskRequest&, bool transferred, double busy_s)> ended;
  };
  DiskQueue(World& world, EventLoop& loop, int node, std::string disk, const Hooks& hooks);

  void submit(DiskRequest r);
  // Power goes: the request being transferred tears through `tear`; the
  // rest are lost, and the disk's positioning draws start over.
  void lose_power(const std::function<void(DiskRequest&)>& tear);

 private:
  void pump();
  void transfer(double slowdown, double busy_since_s);
  void finish(bool transferred, double busy_s);

  World& w_;
  EventLoop& loop_;
  const int node_;
  const std::string disk_;
  const Hooks& hooks_;
  std::deque<DiskRequest> queue_;
  bool busy_ = false;
  std::mt19937_64 rng_;
};

}  // namespace failsim::sim
