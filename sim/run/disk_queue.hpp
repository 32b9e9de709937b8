// One node's requests to one disk: block writes served one at a time, FIFO
// by arrival across both nodes (the disk is one device: its DiskArm in
// World, disk_arm.hpp, orders both nodes' requests and says which one it
// serves). Each request, once the disk is free and it is first, positions
// (seek and rotation drawn from this node's stream for the disk,
// disk_timing.hpp), then transfers over the FC loop as a SimGrid transfer;
// the disk is busy through both. The node whose request is next when the
// disk frees is told through its grant mailbox for the disk (a message
// relayed by the controller, out of band, at no time), since the other
// node's event loop waits on its own activities only. A request to a disk
// the node cannot reach fails at once, with no time spent, without waiting
// for the disk.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "model/disk_format.hpp"
#include "sim/run/disk_arm.hpp"
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
  // Whether a write of `aggregate` waits here or is under way.
  bool holds_write_of(const std::string& aggregate) const {
    return std::any_of(queue_.begin(), queue_.end(), [&](const DiskRequest& r) { return r.aggregate == aggregate; });
  }
  // Power goes: the request being transferred tears through `tear`; the
  // rest are lost (the disk serves the other node's next), and the disk's
  // positioning draws start over.
  void lose_power(const std::function<void(DiskRequest&)>& tear);

 private:
  void pump();
  // The first request waits for the disk: until told it is free for it.
  void wait_for_disk();
  void transfer(double slowdown, double busy_since_s);
  void finish(bool transferred, double busy_s);
  // The disk may be free for the other node's request now: tell it so.
  void pass_on();

  World& w_;
  EventLoop& loop_;
  const int node_;
  const std::string disk_;
  const Hooks& hooks_;
  DiskArm& arm_;
  simgrid::s4u::Mailbox* grants_;  // where this node is told the disk is free for it
  char* grant_ = nullptr;          // a grant's payload (none: a grant says nothing more)
  std::deque<DiskRequest> queue_;
  bool busy_ = false;     // the first request is waiting for the disk, or in service
  bool waiting_ = false;  // ... waiting for the disk, its grant mailbox listened to
  std::mt19937_64 rng_;
};

}  // namespace failsim::sim
