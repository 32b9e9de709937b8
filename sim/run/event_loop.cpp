// The node actor's event loop (event_loop.hpp).
#include "sim/run/event_loop.hpp"

#include <algorithm>

#include "sim/run/activity_counts.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

void EventLoop::at(double time_s, std::function<void()> fire) {
  timers_.push({time_s, ++timer_seq_, incarnation_, std::move(fire)});
}

void EventLoop::start(sg4::ActivityPtr a, std::function<void()> done) {
  activities_.push_back(a);
  running_.push_back({std::move(a), incarnation_, std::move(done)});
}

void EventLoop::drop_all() {
  for (Running& r : running_) r.activity->cancel();
  running_.clear();
  if (!activities_.empty()) activities_.resize(1);  // the inbox stays
  timers_ = {};
}

void EventLoop::open_inbox() {
  activities_.assign(1, inbox_->get_async<Message>(&received_));
  ++activity_counts().receives;
}

// activities_ is what the loop waits on, kept in step with running_ rather
// than rebuilt at every completion: the inbox first, then the running
// activities in the order they started (the order decides which of two
// activities ending at the same instant is handled first).
void EventLoop::run(const bool& stop, const std::function<void(Message*)>& on_message) {
  ActivityCounts& counts = activity_counts();
  while (!stop) {
    double timeout = timers_.empty() ? -1 : std::max(0.0, timers_.top().at_s - sg4::Engine::get_clock());
    ++counts.waits;
    counts.timed_waits += timeout >= 0;
    ssize_t i = sg4::Activity::wait_any_for(activities_, timeout);
    if (i < 0) {
      fire_due_timers();
    } else if (i == 0) {
      Message* m = received_;
      activities_[0] = inbox_->get_async<Message>(&received_);
      ++counts.receives;
      on_message(m);
    } else {
      complete(static_cast<std::size_t>(i - 1));
    }
  }
  activities_[0]->cancel();
  for (Running& r : running_) r.activity->cancel();
}

void EventLoop::fire_due_timers() {
  while (!timers_.empty() && timers_.top().at_s <= sg4::Engine::get_clock()) {
    auto fire = timers_.top().fire;
    const std::uint64_t issued_in = timers_.top().incarnation;
    timers_.pop();
    if (issued_in == incarnation_) fire();
  }
}

void EventLoop::complete(std::size_t running_index) {
  Running r = std::move(running_[running_index]);
  running_.erase(running_.begin() + static_cast<std::ptrdiff_t>(running_index));
  activities_.erase(activities_.begin() + static_cast<std::ptrdiff_t>(running_index) + 1);
  if (r.incarnation == incarnation_) r.done();
}

}  // namespace failsim::sim
