// A DMA engine of a node: NVRAM writes, one at a time in issue order, as
// SimGrid transfers from the node's host, into its own NVRAM card over the
// PCI link, or (the mirror channel) into the partner's across the
// interconnect. A slow device moves the same bytes in `slowdown` times the
// time; an interconnect latency spike delays each completion.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "model/server_io.hpp"
#include "sim/run/event_loop.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

struct NvramWrite {
  model::Token token;
  int target_node;
  model::Region region;
  std::uint64_t offset;
  std::vector<std::uint8_t> bytes;
  bool resync = false;  // copy the whole own region
  bool failed = false;  // completes at once as failed
  double started_s = 0;
  double expected_s = 0;
  std::function<void()> halfway;  // called halfway through the transfer (a point fault's)
};

class DmaChannel {
 public:
  // `up`: whether the node runs (a channel of a node that is down idles);
  // `ended`: the node's end of a write, transferred or failed at once.
  DmaChannel(World& world, EventLoop& loop, int node, bool mirror, std::function<bool()> up,
             std::function<void(NvramWrite&)> ended);

  void enqueue(NvramWrite w);
  // Power goes: the write under way tears through `tear`; the rest are lost.
  void lose_power(const std::function<void(NvramWrite&)>& tear);
  // The bytes the write moves (a resync: the whole own region).
  std::uint64_t bytes_of(const NvramWrite& w) const;

  // Completed transfers over the run, across crashes.
  std::uint64_t write_bytes() const { return write_bytes_; }
  double busy_s() const { return busy_s_; }

 private:
  void pump();
  void finish();

  World& w_;
  EventLoop& loop_;
  const int node_;
  const bool mirror_;
  std::function<bool()> up_;
  std::function<void(NvramWrite&)> ended_;
  std::deque<NvramWrite> queue_;
  bool busy_ = false;
  std::uint64_t write_bytes_ = 0;
  double busy_s_ = 0;
};

}  // namespace failsim::sim
