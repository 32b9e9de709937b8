// The final CP after the run's end, and the disk and memory images taken
// when it is over (final_image.hpp).
#include "final_image.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>

#include "model/filesystem.hpp"
#include "sim/run/node_driver.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

namespace {

// A file system's paths as final-state records.
runfolder::Tree tree_of(const model::Filesystem& fs) {
  runfolder::Tree out;
  for (const auto& [path, info] : fs.tree())
    out.emplace_hint(out.end(), path, info.type == model::InodeType::dir
                          ? runfolder::PathState::dir(info.mode)
                          : runfolder::PathState::file(info.mode, info.size, info.contents));
  return out;
}

// The file system the node serving `aggregate` holds in memory now, and
// that node; nullptr when nobody up serves it.
const model::Filesystem* served(const World& w, const std::string& aggregate, int* node) {
  auto it = w.service.find(aggregate);
  if (it == w.service.end() || !w.nodes[it->second]->up()) return nullptr;
  *node = it->second;
  return w.nodes[it->second]->server()->filesystem(aggregate);
}

// Its disks hold all it holds in memory: nothing changed since the last CP
// the core built, and that CP is durable.
bool flushed(const model::Filesystem& fs) { return !fs.dirty() && !fs.cp_in_flight(); }

bool every_served_aggregate_flushed(const World& w) {
  for (const auto& a : w.scenario.cluster.aggregates) {
    int node = -1;
    const model::Filesystem* fs = served(w, a.name, &node);
    if (fs && !flushed(*fs)) return false;
  }
  return true;
}

// What the aggregate's disks hold, loaded as a booting node loads them:
// the core's load path, every plex as it is, no log replayed.
runfolder::Tree disk_tree(const World& w, const std::string& aggregate) {
  auto plexes = w.store.true_plexes(aggregate);
  std::vector<const model::BlockDevice*> views;
  for (auto& p : plexes) views.push_back(p.get());
  model::LoadResult loaded = model::load_image(views);
  return loaded.fs ? tree_of(*loaded.fs) : runfolder::Tree{};
}

}  // namespace

FinalImages final_cp_phase(World& w) {
  w.clients_stop = true;
  w.service_up->notify_all();  // clients still waiting to mount give up
  const double until_s = w.now() + final_cp_limit_s(w.scenario);
  while (w.now() < until_s && !every_served_aggregate_flushed(w))
    sg4::this_actor::sleep_for(std::min(0.05, until_s - w.now()));
  // One instant from here on: the events, and both images.
  FinalImages images;
  for (const auto& a : w.scenario.cluster.aggregates) {
    int node = -1;
    if (const model::Filesystem* fs = served(w, a.name, &node)) {
      w.event(node, EventKind::final_cp,
              {{"aggregate", a.name}, {"flushed", flushed(*fs)}, {"generation", fs->generation()}});
      images.memory.emplace(a.name, tree_of(*fs));
    }
    images.disk.emplace(a.name, disk_tree(w, a.name));
  }
  w.scrub_parity();
  record_plexes_at_end(w);
  return images;
}

}  // namespace failsim::sim
