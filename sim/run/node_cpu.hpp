// A node's CPU: the core's events wait here in arrival order and are handled
// one at a time, each charged its cycles (the event's and those of the
// actions it gives, from the scenario's timing) as one Exec on the node's
// host.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/server_io.hpp"
#include "sim/run/event_loop.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

class Cpu {
 public:
  // parity_disks: per aggregate, the parity disks of its RAID groups (the
  // XOR work each written block costs).
  Cpu(const TimingSpec& timing, std::map<std::string, int> parity_disks, EventLoop& loop)
      : timing_(timing), parity_disks_(std::move(parity_disks)), loop_(loop) {}

  // Queues an event; true when the CPU was idle (the caller takes it up).
  bool push(model::Event e);
  // The next event to handle; none when there is none or the node is down
  // (the CPU goes idle).
  std::optional<model::Event> take(bool up);
  // Power goes: the queued events are lost.
  void lose_power();

  std::uint64_t cycles(const model::Event& e, const std::vector<model::Action>& actions) const;
  // Spends `cycles` on the node's host, then `done`.
  void spend(std::uint64_t cycles, std::function<void()> done);

 private:
  const TimingSpec& timing_;
  const std::map<std::string, int> parity_disks_;
  EventLoop& loop_;
  std::deque<model::Event> queue_;
  bool busy_ = false;
};

}  // namespace failsim::sim
