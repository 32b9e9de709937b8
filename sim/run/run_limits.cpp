// The wall-clock limit: a real-time interval timer in the child.
#include "run_limits.hpp"

#include <sys/time.h>
#include <sys/wait.h>

#include <csignal>
#include <cstring>
#include <sstream>

namespace failsim::sim {

namespace {
double limit_s = default_wall_limit_s;
}

void set_wall_limit_s(double seconds) { limit_s = seconds; }
double wall_limit_s() { return limit_s; }

void arm_wall_limit() {
  if (limit_s <= 0) return;
  std::signal(SIGALRM, SIG_DFL);
  itimerval t{};
  t.it_value.tv_sec = static_cast<time_t>(limit_s);
  t.it_value.tv_usec = static_cast<suseconds_t>((limit_s - static_cast<double>(t.it_value.tv_sec)) * 1e6);
  ::setitimer(ITIMER_REAL, &t, nullptr);
}

std::string child_death(int status) {
  if (WIFEXITED(status)) return {};
  std::ostringstream s;
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
    s << "stopped at the wall-clock limit of " << limit_s << " s (--max-wall-s; 0 for none)";
  else if (WIFSIGNALED(status))
    s << "died of signal " << WTERMSIG(status) << " (" << ::strsignal(WTERMSIG(status)) << ")";
  else
    s << "ended with wait status " << status;
  return s.str();
}

}  // namespace failsim::sim
