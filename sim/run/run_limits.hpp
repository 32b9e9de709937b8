// Limits that keep a run from hanging. Simulated time: a run ends at
// phases.fault_phase_s + phases.settle_s whether or not it settled, and a
// watchdog ends the engine if actors still run after that (a failsim bug).
// Wall clock: the forked child that simulates arms a timer and is killed by
// SIGALRM when it runs too long (a livelock in zero simulated time).
#pragma once

#include <string>

namespace failsim::sim {

// The wall-clock limit of each forked simulation, in seconds (0: none). One
// value per process, set by the command line before it forks.
constexpr double default_wall_limit_s = 600;
void set_wall_limit_s(double seconds);
double wall_limit_s();

// In the forked child, before simulating: SIGALRM ends it at the limit.
void arm_wall_limit();

// How a forked simulation ended, for a message: "" when it exited, else what
// killed it (the wall-clock limit named as such).
std::string child_death(int wait_status);

// Simulated seconds the engine may go on after the run's end before the
// watchdog stops it.
constexpr double stop_grace_s = 60;

}  // namespace failsim::sim
