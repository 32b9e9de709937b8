// Builds the SimGrid platform of a scenario: hosts for the nodes, their
// NVRAM, the clients and the disks; links for each NVRAM's PCI bus, the
// interconnect, the client network, each FC loop (shared by its disks) and
// each disk's media rate; a route for every pair that talks. Call after the
// Engine is configured (CM02, no cross-traffic) and before actors start.
#pragma once

#include "sim/run/world.hpp"

namespace failsim::sim {

void build_platform(World& w);

// Seconds one transfer of `bytes` takes on a link: latency + size / bandwidth.
inline double transfer_s(const LinkTiming& l, std::uint64_t bytes) {
  return l.latency_s + static_cast<double>(bytes) / l.bandwidth_Bps;
}

}  // namespace failsim::sim
