// Repairs of failed components: a scheduled repair fault (disk_replace,
// shelf_repair, loop_repair, hba_repair) and the settle phase's repair of
// everything that failed, so that liveness is judged on a healed system. A
// failed disk is replaced by a blank one: what it held is gone. A plex of a
// mirrored aggregate takes the new disk in through its resync from the
// other plex (resync.hpp), out of use until then; an aggregate with one
// plex that lost a disk stays lost.
#pragma once

#include "sim/run/world.hpp"

namespace failsim::sim {

// A repair fault: its repair event (the kind and the target), then the
// repair; a repair of something that has not failed changes nothing.
void apply_repair(World& w, const FaultSpec& f);
// The settle phase's repairs: every failed HBA, loop, shelf and disk, each
// with a repair event naming it.
void repair_everything(World& w);

}  // namespace failsim::sim
