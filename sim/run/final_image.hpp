// The run's final CP and the images final-state.json and memory-state.json
// are written from. After the world's "end" event (the run's end, where
// liveness is judged), the clients issue nothing more and each node goes on
// until every aggregate it serves is flushed: nothing changed in memory
// since the last CP the core built, and no CP in flight. That CP is an
// ordinary one of the core (its CP timer, or the one a log half or an ack
// waiting for the disk starts), with its disk writes through the node's
// queues; the simulator only waits for it, up to final_cp_limit_s. Then, at
// one instant, each served aggregate's final_cp event says whether it was
// flushed, and the images are taken: every aggregate's disks loaded as a
// booting node loads them (the core's load_image, without the log), and
// what each serving node holds in memory; then each mirrored aggregate's
// plex_state event says which plexes are stale and whether they hold the
// same blocks (resync.hpp).
#pragma once

#include "runfolder/final_state.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

struct FinalImages {
  runfolder::Trees disk;    // every aggregate (an image that does not load: no paths)
  runfolder::Trees memory;  // every aggregate a node serves at the end
};

// How long the final CP may take after the run's end: a CP timer's period
// (server.cp_interval_s), and final_cp_writes_s for that CP's writes (ample:
// the settle phase has ended every slowdown).
inline constexpr double final_cp_writes_s = 30;
inline double final_cp_limit_s(const Scenario& scenario) { return scenario.server.cp_interval_s + final_cp_writes_s; }

// Runs in the controller's actor, after the "end" event; returns at the
// latest final_cp_limit_s later.
FinalImages final_cp_phase(World& w);

}  // namespace failsim::sim
