// The wall-clock limit: a real-time interval timer in the child.
#include "common/wall_limit.hpp"

#include <sys/time.h>
#include <sys/wait.h>

#include <csignal>
#include <cstring>
#include <sstream>

namespace failsim {

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

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

std::string child_end(int code) {
  std::ostringstream s;
  if (code == 128 + SIGALRM)
    s << "stopped at the wall-clock limit of " << limit_s << " s (--max-wall-s; 0 for none)";
  else if (code > 128)
    s << "died of signal " << code - 128 << " (" << ::strsignal(code - 128) << ")";
  else
    s << "exited with status " << code;
  return s.str();
}

}  // namespace failsim
