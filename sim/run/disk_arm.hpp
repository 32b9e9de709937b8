// One disk as both nodes share it: the requests both nodes have queued for
// it, in their order of arrival, and the node whose request it is serving
// (positioning, then transfer). Each node's DiskQueue (disk_queue.hpp)
// keeps its own requests and serves its first one when that one is first
// here and the disk is free; a request that cannot reach the disk fails at
// once without waiting (it never gets to the disk). World holds one per
// disk; actors run one at a time in SimGrid, so a plain record is safe.
#pragma once

#include <deque>

namespace failsim::sim {

class DiskArm {
 public:
  // A request of `node` arrived (it is last).
  void arrive(int node) { order_.push_back(node); }
  // Whether `node`'s first request may start now: the disk is free and that
  // request arrived before every other request waiting for the disk.
  bool may_start(int node) const { return holder_ < 0 && !order_.empty() && order_.front() == node; }
  // `node`'s first request starts: the disk is busy until it leaves.
  void start(int node);
  // `node`'s first request leaves: served, or failed at once (unreachable).
  void leave(int node);
  // `node` lost power: its requests are gone, and the disk is free if it
  // was serving one of them.
  void forget(int node);
  // The node other than `self` to tell that the disk is free for its first
  // request, once per such turn; -1: none (the disk is busy, no request
  // waits, the first is `self`'s, or that node was told already).
  int to_tell(int self);

 private:
  std::deque<int> order_;  // the node of each request waiting or in service, by arrival
  int holder_ = -1;        // the node whose request is in service (-1: the disk is free)
  int told_ = -1;          // the node told the disk is free for it, which has not started yet
};

}  // namespace failsim::sim
