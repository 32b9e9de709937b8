// How many SimGrid activities a simulation issues, by kind: the simulator
// counts each call it makes, so that the benchmark can measure SimGrid's
// floor on failsim's real mix per change rather than on a hand model.
// Per process: a simulation runs alone in its process (one Engine each).
// Counting costs an increment per activity; nothing reads the counts but
// the benchmark, and they change no output.
#pragma once

#include <cstdint>

namespace failsim::sim {

struct ActivityCounts {
  std::uint64_t execs = 0;        // CPU work on a node (this_actor::exec_init)
  std::uint64_t transfers = 0;    // NVRAM, mirror and disk writes (Comm::sendto_async)
  std::uint64_t messages = 0;     // mailbox sends (put_init, detached): requests, replies, partner, control, disk grants
  std::uint64_t receives = 0;     // mailbox receives posted (get_async)
  std::uint64_t waits = 0;        // Activity::wait_any_for calls
  std::uint64_t timed_waits = 0;  // ... of which with a timeout (a timer set and cleared in SimGrid)
  std::uint64_t actors = 0;       // actors created after the start (delayed messages, repairs, disk grants)
};

ActivityCounts& activity_counts();

}  // namespace failsim::sim
