// One node's requests to one disk (disk_queue.hpp).
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

sg4::Mailbox* grant_mailbox(const World& w, int node, const std::string& disk) {
  return sg4::Mailbox::by_name(w.node_name(node) + ".disk_grant." + disk);
}

// Tells `node` the disk is free for its first request. The telling node's
// own actor would send over the interconnect's route (its latency); an
// actor on the controller reaches every node out of band, at no time.
void send_grant(const World& w, int node, const std::string& disk) {
  static char grant;
  sg4::Mailbox* mb = grant_mailbox(w, node, disk);
  ++activity_counts().actors;
  ++activity_counts().messages;
  sg4::Actor::create("disk_grant", sg4::Host::by_name("controller"), [mb] { mb->put_init(&grant, 0)->detach(); });
}
}  // namespace

DiskQueue::DiskQueue(World& world, EventLoop& loop, int node, std::string disk, const Hooks& hooks)
    : w_(world), loop_(loop), node_(node), disk_(std::move(disk)), hooks_(hooks), arm_(world.disk_arms[disk_]),
      grants_(grant_mailbox(world, node, disk_)), rng_(positioning_stream(world, node, disk_)) {}

void DiskQueue::submit(DiskRequest r) {
  arm_.arrive(node_);
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
  if (!arm_.may_start(node_)) {
    wait_for_disk();
    return;
  }
  arm_.start(node_);
  if (hooks_.crashed_before_transfer(queue_.front())) return;
  auto slow = w_.disk_slowdown.find(disk_);
  const double slowdown = slow == w_.disk_slowdown.end() ? 1.0 : slow->second;
  const double positioning_s = draw_positioning_s(w_.scenario.timing.disk, rng_) * slowdown;
  loop_.at(w_.now() + positioning_s, [this, slowdown, busy_since_s = w_.now()] { transfer(slowdown, busy_since_s); });
}

void DiskQueue::wait_for_disk() {
  waiting_ = true;
  ++activity_counts().receives;
  // A grant left over from an earlier wait (a crash came between) only
  // makes the request look again.
  loop_.start(grants_->get_async<char>(&grant_), [this] {
    waiting_ = false;
    pump();
  });
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
  arm_.leave(node_);
  pass_on();
  hooks_.ended(disk_, r, transferred, busy_s);
  pump();
}

void DiskQueue::pass_on() {
  const int next = arm_.to_tell(node_);
  if (next >= 0) send_grant(w_, next, disk_);
}

void DiskQueue::lose_power(const std::function<void(DiskRequest&)>& tear) {
  const bool under_way =
      busy_ && !waiting_ && !queue_.empty() && queue_.front().started_s > 0 && w_.reachable(node_, disk_);
  power_loss::queue_at_power_loss(queue_, under_way, tear);
  busy_ = false;
  waiting_ = false;  // the loop drops the grant mailbox's receive with the node's other work
  arm_.forget(node_);
  pass_on();
  rng_ = positioning_stream(w_, node_, disk_);
}

}  // namespace failsim::sim
