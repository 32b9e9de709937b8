// The crash scenario of the in-memory driver (sim/memory/crash_scenario.hpp)
// as the tests use it: the generator of cases for the crash property, and the
// scenario's names in failsim::testing.
#pragma once

#include <rapidcheck.h>

#include "sim/memory/crash_scenario.hpp"

namespace failsim::testing {

using sim::memory::CrashCase;
using sim::memory::CrashOutcome;
using sim::memory::run_crash_case;

// Cases over every crash point, both recovery paths, both logging modes.
rc::Gen<CrashCase> crash_cases();

}  // namespace failsim::testing
