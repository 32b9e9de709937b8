// Repair faults and the settle phase's repairs (repairs.hpp).
#include "sim/run/repairs.hpp"

namespace failsim::sim {

namespace {

// Takes `name` out of the failed components; a disk is replaced by a blank
// one, which a mirrored plex takes in through its resync. False when it had
// not failed.
bool repair(World& w, const std::string& name, bool disk) {
  if (!w.repair_component(name)) return false;
  if (disk && !note_disk_replaced(w, name)) {
    w.store.replace_disk(name);
    w.start_rebuilds();
  }
  return true;
}

void repair_with_event(World& w, const std::string& name, bool disk) {
  if (repair(w, name, disk)) w.event(-1, EventKind::repair, {{"target", name}});
}

}  // namespace

void apply_repair(World& w, const FaultSpec& f) {
  const std::string target(target_of(f));
  w.event(-1, EventKind::repair, {{"fault", std::string(to_string(f.kind()))}, {"target", target}});
  repair(w, target, f.kind() == FaultKind::disk_replace);
  update_resyncs(w);
}

void repair_everything(World& w) {
  // Paths first, in the order the settle phase always repaired them.
  for (const auto& h : w.scenario.cluster.hbas) repair_with_event(w, h.name, false);
  for (const auto& l : w.scenario.cluster.loops) repair_with_event(w, l.name, false);
  for (const auto& s : w.scenario.cluster.shelves) {
    repair_with_event(w, s.name, false);
    for (int d = 0; d < s.disks; ++d) repair_with_event(w, s.name + ".d" + std::to_string(d), true);
  }
  update_resyncs(w);
}

}  // namespace failsim::sim
