// RAID's background work in the world: failing a disk a write could not
// reach, rebuilding lost disks onto spares (or their replacements) at the
// aggregate's reconstruction rate, a group failing beyond its parity, and
// the parity scrub at the run's end.
// The rebuild runs on its own, as the RAID layer of whichever node owns the
// disks would run it; its bytes are rebuilt from parity when it ends.
#include <simgrid/s4u.hpp>

#include "runfolder/event.hpp"
#include "sim/run/activity_counts.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

namespace {
void raid_event(World& w, EventKind kind, const runfolder::RaidWork& work) {
  runfolder::Event e;
  e.kind = kind;
  e.payload = work;
  w.event(-1, kind, runfolder::payload_json(e));
}

double rate_of(const World& w, const std::string& aggregate) {
  for (const auto& a : w.scenario.cluster.aggregates)
    if (a.name == aggregate) return a.raid.reconstruct_rate_Bps;
  return 1;
}
}  // namespace

void World::raid_disk_lost(const std::string& disk) {
  fail_component(disk);
  runfolder::RaidWork work;
  work.disk = disk;
  work.cause = "unreachable";
  raid_event(*this, EventKind::raid_disk_failed, work);
  start_rebuilds();
}

void World::start_rebuilds() {
  for (const BlockStore::FailedGroup& f : store.take_failed_groups()) {
    runfolder::RaidWork work;
    work.aggregate = f.aggregate;
    work.plex = static_cast<std::uint64_t>(f.plex);
    work.group = static_cast<std::uint64_t>(f.group);
    work.disk = f.disk;
    raid_event(*this, EventKind::raid_group_failed, work);
  }
  while (std::optional<BlockStore::Rebuild> r = store.next_rebuild()) {
    runfolder::RaidWork work;
    work.aggregate = r->aggregate;
    work.plex = static_cast<std::uint64_t>(r->plex);
    work.group = static_cast<std::uint64_t>(r->group);
    work.disk = r->disk;
    work.onto = r->onto;
    work.bytes = r->bytes;
    work.expected_s = static_cast<double>(r->bytes) / rate_of(*this, r->aggregate);
    raid_event(*this, EventKind::raid_rebuild_started, work);
    ++activity_counts().actors;
    // A daemon: a rebuild still running when the run stops does not hold the engine.
    sg4::Actor::create("raid_rebuild", sg4::Host::by_name("controller"), [this, rebuild = *r, work]() mutable {
      const double started_s = now();
      sg4::this_actor::sleep_for(work.expected_s);
      if (stop) return;
      work.ok = store.finish_rebuild(rebuild);
      work.duration_s = now() - started_s;
      raid_event(*this, EventKind::raid_rebuild_finished, work);
      start_rebuilds();
    })->daemonize();
  }
}

void World::scrub_parity() {
  for (const auto& [name, a] : store.aggregates()) {
    if (a.raid.level == RaidLevel::none) continue;
    for (std::size_t p = 0; p < a.plexes.size(); ++p) {
      runfolder::RaidWork work;
      work.aggregate = name;
      work.plex = p;
      const BlockStore::Scrub scrub = store.scrub(name, static_cast<int>(p));
      work.mismatched_stripes = scrub.mismatched_stripes;
      work.unverified_stripes = scrub.unverified_stripes;
      work.ok = work.mismatched_stripes == 0;
      raid_event(*this, EventKind::raid_scrub, work);
    }
  }
}

}  // namespace failsim::sim
