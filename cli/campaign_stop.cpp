// The handlers, and the process group the campaign's children run in.
#include "campaign_stop.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include "common/interrupts.hpp"

namespace failsim::cli {

namespace {

volatile std::sig_atomic_t stop_signal = 0;
volatile pid_t group = 0;     // the children's process group (its leader's pid); 0: none
volatile pid_t campaign = 0;  // the process that forks the cases

extern "C" void on_stop(int signo) {
  stop_signal = signo;
  // The leader and every case running. Only from the campaign: a case just
  // forked still has this handler, is already in the group, and would
  // otherwise answer the group's SIGTERM with another, for ever.
  if (group > 0 && ::getpid() == campaign) ::kill(-group, SIGTERM);
}

}  // namespace

CampaignStop::CampaignStop() {
  stop_signal = 0;
  const pid_t parent = ::getpid();
  campaign = parent;
  const pid_t leader = ::fork();
  if (leader == 0) {
    // Idle until the campaign ends: it only keeps the group alive. Not the
    // parent's interrupt handler: on the stop's SIGTERM that one would
    // remove the campaign's work folder under the cases still being judged.
    become_child_process(parent);
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

void CampaignStop::adopt(pid_t child) const {
  // Both sides set the group (the usual idiom): whichever runs first, the
  // child is in it before the parent goes on, so a stop reaches it.
  if (group > 0) ::setpgid(child, group);
  if (stop_signal) ::kill(child, SIGTERM);  // the stop came between the fork and the group
}

int CampaignStop::requested() const { return stop_signal; }

}  // namespace failsim::cli
