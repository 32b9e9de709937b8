// SyncMirror resync of stale plexes while their aggregate is served
// (resync.hpp), and the plexes' state at the end of the run.
#include "sim/run/resync.hpp"

#include <algorithm>

#include "model/image_walk.hpp"
#include "sim/run/node_driver.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

namespace {

// The node serving `aggregate` now and up, or -1.
int serving_node(const World& w, const std::string& aggregate) {
  auto it = w.service.find(aggregate);
  if (it == w.service.end() || !w.nodes[it->second]->up()) return -1;
  return it->second;
}

// Every disk of the plex works and `node` reaches it (with RAID: enough of
// each group's disks to read it all).
bool plex_usable(const World& w, int node, const BlockStore::Aggregate& a, int plex) {
  if (a.raid.level != RaidLevel::none) return w.store.plex_whole_for(w.node_name(node), a.name, plex);
  const auto disks = a.plexes[plex].disks();
  return std::all_of(disks.begin(), disks.end(), [&](const std::string& d) { return w.reachable(node, d); });
}

// A plex that holds the aggregate and that `node` can read whole: one to copy from.
bool complete(const World& w, int node, const BlockStore::Aggregate& a, int plex) {
  return !needs_resync(w, a.name, plex) && plex_usable(w, node, a, plex);
}

// The event fields every resync event carries (differing_blocks is known at its end).
nlohmann::json fields(const std::string& aggregate, const ResyncState::Running& r, double duration_s) {
  return {{"aggregate", aggregate},   {"plex", r.plex},
          {"from_plex", r.from_plex}, {"bytes", r.bytes},
          {"duration_s", duration_s}, {"expected_duration_s", r.expected_s},
          {"differing_blocks", 0}};
}

bool writes_in_flight(const World& w, const std::string& aggregate) {
  return std::any_of(w.nodes.begin(), w.nodes.end(), [&](const auto& n) { return n && n->writes_in_flight(aggregate); });
}

void finish(World& w, const std::string& aggregate, std::uint64_t id) {
  auto it = w.resync.running.find(aggregate);
  if (it == w.resync.running.end() || it->second.id != id) return;  // abandoned meanwhile
  const ResyncState::Running r = it->second;
  w.resync.running.erase(it);
  // The plex's replaced disks join it now, blank, and take the copy.
  for (const std::string& disk : w.store.aggregates().at(aggregate).plexes[r.plex].disks())
    if (w.resync.replaced.erase(disk) > 0) w.store.replace_disk(disk);
  const std::uint64_t differing = w.store.resync_plex(aggregate, r.from_plex, r.plex);
  w.resync.blank.erase({aggregate, r.plex});
  nlohmann::json f = fields(aggregate, r, w.now() - r.started_s);
  f["differing_blocks"] = differing;
  w.event(r.node, EventKind::resync_finished, std::move(f));
  update_resyncs(w);
}

void start(World& w, const BlockStore::Aggregate& a, int node, int plex, int from_plex) {
  ResyncState::Running r;
  r.node = node;
  r.plex = plex;
  r.from_plex = from_plex;
  r.id = ++w.resync.next_id;
  r.bytes = a.blocks * a.block_size;  // the whole plex: what changed is not known
  r.started_s = w.now();
  r.expected_s = static_cast<double>(r.bytes) / w.scenario.timing.resync_rate_Bps;
  w.event(node, EventKind::resync_started, fields(a.name, r, 0));
  // A daemon: a resync still running when the run stops does not hold the engine.
  r.timer = sg4::Actor::create("resync", sg4::Host::by_name("controller"),
                               [&w, aggregate = a.name, id = r.id, expected_s = r.expected_s] {
                                 sg4::this_actor::sleep_for(expected_s);
                                 // The copy is taken when no write of the aggregate is on
                                 // its way: one queued while the plex was stale would land
                                 // on the source after the copy, and the plex would miss it.
                                 while (!w.stop && writes_in_flight(w, aggregate)) sg4::this_actor::sleep_for(1e-4);
                                 finish(w, aggregate, id);
                               });
  r.timer->daemonize();
  w.resync.running[a.name] = std::move(r);
}

void abandon(World& w, const std::string& aggregate) {
  auto it = w.resync.running.find(aggregate);
  ResyncState::Running r = std::move(it->second);
  w.resync.running.erase(it);
  w.event(r.node, EventKind::resync_abandoned, fields(aggregate, r, w.now() - r.started_s));
  r.timer->kill();
}

// The first plex that needs a resync and that `node` can write whole, and the
// first complete plex to copy it from; false when there is no such pair.
bool pick(const World& w, int node, const BlockStore::Aggregate& a, int* plex, int* from_plex) {
  *plex = *from_plex = -1;
  for (int p = 0; p < static_cast<int>(a.plexes.size()); ++p) {
    if (*plex < 0 && needs_resync(w, a.name, p) && plex_usable(w, node, a, p)) *plex = p;
    if (*from_plex < 0 && complete(w, node, a, p)) *from_plex = p;
  }
  return *plex >= 0 && *from_plex >= 0;
}

// The blocks of the aggregate's newest image (read from both plexes, as a
// booting node reads it) and both superblock copies that plexes 0 and 1 hold
// differently. Blocks no image uses may differ: a CP write torn by a crash
// lands a different prefix on each plex, and nothing reads it.
std::uint64_t differing_image_blocks(const World& w, const std::string& aggregate) {
  const auto plexes = w.store.true_plexes(aggregate);
  const model::ImageWalk walk = model::walk_image({plexes[0].get(), plexes[1].get()});
  std::vector<model::BlockNo> blocks = walk.used_blocks;
  blocks.push_back(0);
  blocks.push_back(1);
  std::vector<std::uint8_t> a(plexes[0]->block_size()), b(a.size());
  std::uint64_t n = 0;
  for (model::BlockNo bno : blocks) {
    plexes[0]->read(bno, a);
    plexes[1]->read(bno, b);
    n += a != b;
  }
  return n;
}

}  // namespace

bool needs_resync(const World& w, const std::string& aggregate, int plex) {
  return w.store.stale(aggregate, plex) || w.resync.blank.contains({aggregate, plex});
}

bool note_disk_replaced(World& w, const std::string& disk) {
  for (const auto& [name, a] : w.store.aggregates()) {
    // A RAID group rebuilds its replaced disk itself (World::start_rebuilds).
    if (a.plexes.size() < 2 || a.raid.level != RaidLevel::none) continue;
    for (int p = 0; p < static_cast<int>(a.plexes.size()); ++p) {
      if (!a.plexes[p].holds(disk)) continue;
      w.resync.blank.insert({name, p});
      w.resync.replaced.insert(disk);
      return true;
    }
  }
  return false;
}

void update_resyncs(World& w) {
  for (const auto& [name, a] : w.store.aggregates()) {
    if (a.plexes.size() < 2) continue;
    const int node = serving_node(w, name);
    if (auto it = w.resync.running.find(name); it != w.resync.running.end()) {
      const ResyncState::Running& r = it->second;
      if (node == r.node && plex_usable(w, node, a, r.plex) && complete(w, node, a, r.from_plex)) continue;
      abandon(w, name);
    }
    int plex = -1, from_plex = -1;
    if (node >= 0 && pick(w, node, a, &plex, &from_plex)) start(w, a, node, plex, from_plex);
  }
}

bool resync_pending(const World& w) {
  for (const auto& [name, a] : w.store.aggregates()) {
    bool needed = false, source = false;
    for (int p = 0; p < static_cast<int>(a.plexes.size()); ++p) (needs_resync(w, name, p) ? needed : source) = true;
    if (needed && source) return true;
  }
  return false;
}

void record_plexes_at_end(World& w) {
  for (const auto& [name, a] : w.store.aggregates()) {
    if (a.plexes.size() < 2) continue;
    nlohmann::json stale = nlohmann::json::array();
    for (int p = 0; p < static_cast<int>(a.plexes.size()); ++p) stale.push_back(needs_resync(w, name, p));
    // Aggregates have one or two plexes (the scenario check): plex 0 against plex 1.
    w.event(-1, EventKind::plex_state,
            {{"aggregate", name},
             {"stale", stale},
             {"differing_blocks", differing_image_blocks(w, name)},
             {"failed_components", w.failed_components().size()}});
  }
}

}  // namespace failsim::sim
