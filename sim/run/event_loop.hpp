// A node actor's event loop: its inbox, the SimGrid activities it has under
// way, its timers, and its incarnation (one boot's lifetime). A timer or a
// completion issued in an earlier incarnation (the node crashed or rebooted
// since) is dropped here, the one place that guards against stale work.
#pragma once

#include <simgrid/s4u.hpp>

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "sim/run/world.hpp"

namespace failsim::sim {

class EventLoop {
 public:
  explicit EventLoop(simgrid::s4u::Mailbox* inbox) : inbox_(inbox) {}

  std::uint64_t incarnation() const { return incarnation_; }
  void next_incarnation() { ++incarnation_; }
  // At a crash: cancels every activity under way and forgets every timer.
  void drop_all();

  // `fire` at time_s, in this incarnation only.
  void at(double time_s, std::function<void()> fire);
  // Waits for `a` (started); `done` when it completes, in this incarnation only.
  void start(simgrid::s4u::ActivityPtr a, std::function<void()> done);

  // Starts receiving from the inbox.
  void open_inbox();
  // Until `stop`: hands each message to `on_message` (which owns it) and
  // runs the timers and completions as they come due.
  void run(const bool& stop, const std::function<void(Message*)>& on_message);

 private:
  struct Timer {
    double at_s;
    std::uint64_t seq;
    std::uint64_t incarnation;
    std::function<void()> fire;
    bool operator>(const Timer& o) const { return at_s != o.at_s ? at_s > o.at_s : seq > o.seq; }
  };
  struct Running {  // an activity under way and what its completion does
    simgrid::s4u::ActivityPtr activity;
    std::uint64_t incarnation;
    std::function<void()> done;
  };
  void fire_due_timers();
  void complete(std::size_t running_index);

  simgrid::s4u::Mailbox* inbox_;
  Message* received_ = nullptr;
  std::uint64_t incarnation_ = 0;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::uint64_t timer_seq_ = 0;
  std::vector<Running> running_;
  std::vector<simgrid::s4u::ActivityPtr> activities_;  // the inbox, then running_'s activities
};

}  // namespace failsim::sim
