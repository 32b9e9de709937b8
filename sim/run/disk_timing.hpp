// The service time of one disk request, as the node driver's per-disk FIFO
// charges it: positioning (seek uniform in [0, 2 * seek_s], rotational delay
// uniform in [0, rotation_s)) drawn here, then the block's transfer over the
// FC loop and the disk's media link, timed by SimGrid. The timing tests
// check the whole against the M/G/1 (Pollaczek-Khinchine) formula.
#pragma once

#include <random>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

inline double draw_positioning_s(const DiskTiming& t, std::mt19937_64& rng) {
  double seek = std::uniform_real_distribution<double>(0, 2 * t.seek_s)(rng);
  double rotate = std::uniform_real_distribution<double>(0, t.rotation_s)(rng);
  return seek + rotate;
}

}  // namespace failsim::sim
