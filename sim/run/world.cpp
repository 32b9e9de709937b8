// World helpers: reachability under faults, the faulty client network,
// control messages, the interconnect.
#include "world.hpp"

#include <algorithm>

#include "model/image_walk.hpp"
#include "sim/run/activity_counts.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

bool World::reachable(int node, const std::string& disk) const {
  if (failed_version_ != reach_cache_version_) {
    reach_cache_[0].clear();
    reach_cache_[1].clear();
    reach_cache_version_ = failed_version_;
  }
  auto [it, added] = reach_cache_[node].try_emplace(disk, false);
  if (added) it->second = topology->reachable(node_name(node), disk, failed_components_);
  return it->second;
}

void World::fail_component(const std::string& name) {
  if (failed_components_.insert(name).second) ++failed_version_;
}

bool World::repair_component(const std::string& name) {
  if (failed_components_.erase(name) == 0) return false;
  ++failed_version_;
  return true;
}

void World::event(int node, EventKind kind, nlohmann::json fields) {
  recorder->event(now(), node >= 0 ? node_name(node) : "", kind, std::move(fields));
}

namespace {
// Delivers a message after `delay_s`, from `from`, as a detached put.
void deliver(sg4::Mailbox* mb, Message* m, std::uint64_t bytes, sg4::Host* from, double delay_s) {
  ++activity_counts().messages;
  if (delay_s <= 0) {
    mb->put_init(m, bytes)->detach();
    return;
  }
  ++activity_counts().actors;
  sg4::Actor::create("delayed", from, [mb, m, bytes, delay_s] {
    sg4::this_actor::sleep_for(delay_s);
    mb->put_init(m, bytes)->detach();
  });
}
}  // namespace

void World::send_to_node(int node, Message* m, std::uint64_t bytes, sg4::Host* from) {
  std::uniform_real_distribution<double> u(0, 1);
  const bool cut = partitioned(m->client, node);
  if (cut || (loss_probability > 0 && u(net_rng) < loss_probability)) {
    delete m;
    return;
  }
  sg4::Mailbox* mb = node_mailbox[node];
  if (duplicate_probability > 0 && u(net_rng) < duplicate_probability) deliver(mb, new Message(*m), bytes, from, delay_s);
  deliver(mb, m, bytes, from, delay_s);
}

void World::send_to_client(model::ClientId client, Message* m, sg4::Host* from, int from_node) {
  std::uniform_real_distribution<double> u(0, 1);
  const bool cut = partitioned(client, from_node);
  if (cut || (loss_probability > 0 && u(net_rng) < loss_probability)) {
    delete m;
    return;
  }
  sg4::Mailbox* mb = client_mailboxes.at(client - 1);
  if (duplicate_probability > 0 && u(net_rng) < duplicate_probability) deliver(mb, new Message(*m), 128, from, delay_s);
  deliver(mb, m, 128, from, delay_s);
}

bool World::partitioned(model::ClientId client, int node) const {
  for (const Partition& p : partitions)
    if ((!p.client || *p.client == client) && (p.node < 0 || p.node == node)) return true;
  return false;
}

bool World::interconnect_carries(int from) {
  if (!interconnect_up || !interconnect_from_up[from]) return false;
  return interconnect_loss_probability <= 0 ||
         std::uniform_real_distribution<double>(0, 1)(interconnect_rng) >= interconnect_loss_probability;
}

void World::send_over_interconnect(int from, Message* m) {
  if (!interconnect_carries(from)) {
    delete m;
    return;
  }
  deliver(node_mailbox[1 - from], m, 64, node_host[from], interconnect_delay_s);
}

void World::tell_node(int node, Control control, double hang_s) {
  auto* m = new Message{};
  m->kind = Message::Kind::control;
  m->control = control;
  m->hang_s = hang_s;
  node_mailbox[node]->put_init(m, 0)->detach();
  ++activity_counts().messages;
}

void World::lose_power_both(double duration_s) {
  for (int n = 0; n < 2; ++n) tell_node(n, Control::crash);
  if (duration_s <= 0) return;
  ++activity_counts().actors;
  sg4::Actor::create("power_return", sg4::Host::by_name("controller"), [this, duration_s] {
    sg4::this_actor::sleep_for(duration_s);
    if (settled) return;  // the settle phase powered them on
    for (int n = 0; n < 2; ++n) tell_node(n, Control::boot);
  });
}

void World::cut_interconnect(double duration_s) {
  if (!interconnect_up || settled) return;
  interconnect_up = false;
  // Nobody is told: in-flight and later mirror writes fail, heartbeats stop
  // arriving, and each node draws its own conclusions.
  event(-1, EventKind::fault, {{"fault", "interconnect_down"}});
  if (duration_s > 0) {
    ++activity_counts().actors;
    sg4::Actor::create("interconnect_repair", sg4::Host::by_name("controller"), [this, duration_s] {
      sg4::this_actor::sleep_for(duration_s);
      if (!settled) restore_interconnect();
    });
  }
}

void World::fsck(const std::string& aggregate, const std::string& when) {
  auto plexes = store.true_plexes(aggregate);
  for (std::size_t p = 0; p < plexes.size(); ++p) {
    // A plex out of use (stale: SyncMirror took it offline) or failed (more
    // disks lost than its RAID groups cover) holds no image to check.
    if (store.stale(aggregate, static_cast<int>(p)) || store.plex_failed(aggregate, static_cast<int>(p))) continue;
    model::FsckReport r = model::fsck({plexes[p].get()});
    // An aggregate not formatted yet has no image to check.
    if (r.generation == 0 && r.problems.size() == 1) continue;
    nlohmann::json problems = nlohmann::json::array();
    for (std::size_t i = 0; i < r.problems.size() && i < 3; ++i) problems.push_back(r.problems[i]);
    recorder->event(now(), "", EventKind::fsck,
                    {{"aggregate", aggregate}, {"plex", p}, {"after", when}, {"ok", r.ok()},
                     {"generation", r.generation}, {"problems", problems}});
  }
}

void World::restore_interconnect() {
  if (interconnect_up) return;
  interconnect_up = true;
  event(-1, EventKind::repair, {{"fault", "interconnect_down"}});
}

}  // namespace failsim::sim
