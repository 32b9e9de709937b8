// Forked measurements.
#include "measure.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace failsim::bench {

Measured in_child(const std::function<std::vector<double>()>& work) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::cout.flush();
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    int code = 0;
    try {
      std::vector<double> values = work();
      const auto bytes = values.size() * sizeof(double);
      if (::write(fds[1], values.data(), bytes) != static_cast<ssize_t>(bytes)) code = 3;
    } catch (const std::exception& e) {
      std::cerr << "bench: " << e.what() << "\n";
      code = 3;
    }
    ::close(fds[1]);
    std::cout.flush();
    ::_exit(code);
  }
  ::close(fds[1]);
  Measured m;
  double v = 0;
  while (::read(fds[0], &v, sizeof v) == static_cast<ssize_t>(sizeof v)) m.values.push_back(v);
  ::close(fds[0]);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a measurement's process failed");
  return m;
}

}  // namespace failsim::bench
