// The handlers, and the process group the campaign's children run in.
#include "campaign_stop.hpp"

#include <sys/wait.h>
#include <unistd.h>

namespace failsim::cli {

namespace {

volatile std::sig_atomic_t stop_signal = 0;
volatile pid_t group = 0;  // the children's process group (its leader's pid); 0: none

extern "C" void on_stop(int signo) {
  stop_signal = signo;
  if (group > 0) ::kill(-group, SIGTERM);  // the leader and every case running
}

}  // namespace

CampaignStop::CampaignStop() {
  stop_signal = 0;
  const pid_t leader = ::fork();
  if (leader == 0) {
    // Idle until the campaign ends: it only keeps the group alive.
    for (;;) ::pause();
  }
  if (leader > 0 && ::setpgid(leader, leader) == 0) group = leader;
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the pool's wait() returns, and the campaign looks at the flag
  ::sigaction(SIGINT, &sa, &old_int_);
  ::sigaction(SIGTERM, &sa, &old_term_);
}

CampaignStop::~CampaignStop() {
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
  if (group > 0) {
    const pid_t leader = group;
    group = 0;
    ::kill(leader, SIGKILL);
    ::waitpid(leader, nullptr, 0);  // ECHILD when the pool's wait() reaped it already
  }
}

void CampaignStop::enter_child() const {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (group > 0) ::setpgid(0, group);
  if (stop_signal) ::_exit(128 + SIGTERM);  // the stop came between the fork and the group
}

int CampaignStop::requested() const { return stop_signal; }

}  // namespace failsim::cli
