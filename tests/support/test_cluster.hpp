// The in-memory driver (sim/memory/memory_cluster.hpp) by the name the
// benchmarks know it (bench/core_bench.cpp).
#pragma once

#include "sim/memory/memory_cluster.hpp"

namespace failsim::testing {

using TestCluster = sim::memory::MemoryCluster;
using TestClusterConfig = sim::memory::MemoryClusterConfig;

}  // namespace failsim::testing
