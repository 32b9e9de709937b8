// Runs tasks each in a forked child process, a bounded number at a time.
// SimGrid allows one Engine per process, so every simulation of a campaign
// or a sweep runs in a child of its own; the parent only schedules and
// collects. Used by `failsim check --random` and `failsim sweep`.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

namespace failsim {

// fork() failed: the machine is out of processes or memory.
struct ForkError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ForkTasks {
  int jobs = 1;  // children at a time, at least 1
  // In the parent, just before task i is forked (optional).
  std::function<void(std::uint64_t i)> before_fork;
  // In the parent, just after task i was forked as process `pid` (optional).
  std::function<void(std::uint64_t i, pid_t pid)> after_fork;
  // In the child: does task i and returns its exit status. An exception
  // escaping it ends the child with status 3 (an internal error).
  std::function<int(std::uint64_t i)> in_child;
  // In the parent, as each child ends, in the order they end: its exit
  // status, or 128 + the signal that killed it.
  std::function<void(std::uint64_t i, int status)> on_exit;
};

// Each child runs under the wall-clock limit (common/wall_limit.hpp), and is
// killed when failsim is interrupted or dies (common/interrupts.hpp).
// Runs every task of `tasks` and returns when all children have ended.
// Throws ForkError (after waiting for the children already started).
void run_forked(const std::vector<std::uint64_t>& tasks, const ForkTasks& how);

}  // namespace failsim
