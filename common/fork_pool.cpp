// fork, _exit, wait: the children never return into the caller's code.
#include "common/fork_pool.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>

#include "common/interrupts.hpp"
#include "common/wall_limit.hpp"

namespace failsim {

namespace {

[[noreturn]] void child(std::uint64_t i, const ForkTasks& how, pid_t parent) {
  become_child_process(parent);  // dies with the parent; the parent's interrupt handler is not its own
  arm_wall_limit();
  int code = 3;
  try {
    code = how.in_child(i);
  } catch (const std::exception& e) {
    std::cerr << "failsim: task " << i << ": internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "failsim: task " << i << ": internal error\n";
  }
  std::cout.flush();
  std::cerr.flush();
  // _exit: the parent's atexit handlers and stdio buffers are not the child's to run.
  ::_exit(code);
}

}  // namespace

void run_forked(const std::vector<std::uint64_t>& tasks, const ForkTasks& how) {
  assert(how.jobs >= 1 && how.in_child && how.on_exit);
  std::map<pid_t, std::uint64_t> running;
  std::size_t next = 0;
  std::string fork_failure;
  auto reap_one = [&] {
    int status = 0;
    pid_t pid = ::wait(&status);
    if (pid < 0) {
      assert(errno == EINTR && "wait() with children running can only be interrupted");
      return;
    }
    auto it = running.find(pid);
    if (it == running.end()) return;  // a child the caller forked elsewhere
    const std::uint64_t i = it->second;
    running.erase(it);
    unwatch_child(pid);
    how.on_exit(i, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  };
  while ((next < tasks.size() && fork_failure.empty()) || !running.empty()) {
    while (next < tasks.size() && fork_failure.empty() && static_cast<int>(running.size()) < how.jobs) {
      const std::uint64_t i = tasks[next];
      if (how.before_fork) how.before_fork(i);
      // Buffered output would otherwise be written twice, once by each process.
      std::cout.flush();
      std::cerr.flush();
      std::fflush(nullptr);
      const pid_t parent = ::getpid();
      const pid_t pid = ::fork();
      if (pid < 0) {
        fork_failure = std::strerror(errno);
        break;
      }
      if (pid == 0) child(i, how, parent);
      if (how.after_fork) how.after_fork(i, pid);
      watch_child(pid);
      running[pid] = i;
      ++next;
    }
    if (!running.empty()) reap_one();
  }
  if (!fork_failure.empty()) throw ForkError("cannot fork: " + fork_failure);
}

}  // namespace failsim
