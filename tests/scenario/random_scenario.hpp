// RapidCheck generator of valid scenarios that set every field, over its
// whole valid range: arbitrary doubles and 64-bit integers, Unicode names,
// random cluster topologies (always with both nodes reaching every shelf of
// every aggregate), faults of every kind with targets that exist.
#pragma once

#include <rapidcheck.h>

#include "sim/scenario/scenario.hpp"

namespace failsim::test {

rc::Gen<sim::Scenario> valid_scenario();

}  // namespace failsim::test
