// One disk's request queue (disk_queue.hpp).
#include "sim/run/disk_queue.hpp"

#include <algorithm>

#include "sim/memory/power_loss.hpp"
#include "sim/run/activity_counts.hpp"
#include "sim/run/disk_timing.hpp"
#include "sim/run/rng.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

namespace {
std::mt19937_64 positioning_stream(const World& w, int node, const std::string& disk) {
  return make_stream(w.scenario.seed, node == 0 ? "disk0." + disk : "disk1." + disk);
}
}  // namespace

DiskQueue::DiskQueue(World& world, EventLoop& loop, int node, std::string disk, const Hooks& hooks)
    : w_(world), loop_(loop), node_(node), disk_(std::move(disk)), hooks_(hooks),
      rng_(positioning_stream(world, node, disk_)) {}

void DiskQueue::submit(DiskRequest r) {
  queue_.push_back(std::move(r));
  if (!busy_) pump();
}

void DiskQueue::pump() {
  if (queue_.empty() || !hooks_.up()) {
    busy_ = false;
    return;
  }
  busy_ = true;
  if (!w_.reachable(node_, disk_)) {
    // No path, or a dead disk: the request fails at once, no time spent.
    finish(false, 0);
    return;
  }
  if (hooks_.crashed_before_transfer(queue_.front())) return;
  auto slow = w_.disk_slowdown.find(disk_);
  const double slowdown = slow == w_.disk_slowdown.end() ? 1.0 : slow->second;
  const double positioning_s = draw_positioning_s(w_.scenario.timing.disk, rng_) * slowdown;
  loop_.at(w_.now() + positioning_s, [this, slowdown, busy_since_s = w_.now()] { transfer(slowdown, busy_since_s); });
}

void DiskQueue::transfer(double slowdown, double busy_since_s) {
  DiskRequest& r = queue_.front();
  r.started_s = w_.now();
  r.expected_s = static_cast<double>(r.bytes->size()) * slowdown /
                 std::min(w_.scenario.timing.loop_bandwidth_Bps, w_.scenario.timing.disk.transfer_Bps);
  auto comm = sg4::Comm::sendto_async(w_.node_host[node_], w_.disk_hosts.at(disk_),
                                      static_cast<double>(r.bytes->size()) * slowdown);
  ++activity_counts().transfers;
  loop_.start(comm, [this, busy_since_s] { finish(true, w_.now() - busy_since_s); });
}

void DiskQueue::finish(bool transferred, double busy_s) {
  DiskRequest r = std::move(queue_.front());
  queue_.pop_front();
  hooks_.ended(disk_, r, transferred, busy_s);
  pump();
}

void DiskQueue::lose_power(const std::function<void(DiskRequest&)>& tear) {
  const bool under_way = busy_ && !queue_.empty() && queue_.front().started_s > 0 && w_.reachable(node_, disk_);
  power_loss::queue_at_power_loss(queue_, under_way, tear);
  busy_ = false;
  rng_ = positioning_stream(w_, node_, disk_);
}

}  // namespace failsim::sim
