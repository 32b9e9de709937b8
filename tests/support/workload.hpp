// The in-memory driver's client workload (sim/memory/client_workload.hpp) by
// the names the benchmarks know it (bench/).
#pragma once

#include "sim/memory/client_workload.hpp"

namespace failsim::testing {

using sim::memory::ClientDriver;
using sim::memory::ClientOpStream;
using sim::memory::random_client_ops;

}  // namespace failsim::testing
