// The wall-clock limit of a forked simulation: the child arms a real-time
// timer and SIGALRM ends it when it runs too long (a livelock in zero
// simulated time, a run far bigger than meant). One value per process, set
// by the command line (--max-wall-s) before it forks.
#pragma once

#include <string>

namespace failsim {

constexpr double default_wall_limit_s = 600;
// The limits the interval timer applies as given: from its microsecond
// rounding (less rounds to 0, which means no timer) to about three years.
constexpr double min_wall_limit_s = 0.001;
constexpr double max_wall_limit_s = 1e8;
void set_wall_limit_s(double seconds);  // 0: none
double wall_limit_s();

// In a forked child, before simulating.
void arm_wall_limit();

// What ended a child, from its exit code as the fork pool reports it (the
// exit status, or 128 + the signal): "exited with status 3", "stopped at
// the wall-clock limit of 600 s (--max-wall-s; 0 for none)", "died of
// signal 11 (Segmentation fault)".
std::string child_end(int code);
// The same code from a waitpid() status.
int exit_code_of(int wait_status);

}  // namespace failsim
