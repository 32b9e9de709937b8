// Stopping a campaign on SIGINT or SIGTERM: no new case starts, the cases
// running are stopped, and the campaign still prints and writes its
// partial summary and removes its temporary folder.
//
// The children run in a process group of their own, led by an idle process
// forked for that purpose, so the handler can stop them all with one
// kill() - async-signal-safe, and without knowing the pool's pids - and
// never reaches the shell or CI job that started failsim.
#pragma once

#include <sys/types.h>

#include <csignal>

namespace failsim::cli {

class CampaignStop {
 public:
  CampaignStop();   // installs the handlers and forks the group's leader
  ~CampaignStop();  // restores the handlers, ends the leader
  CampaignStop(const CampaignStop&) = delete;
  CampaignStop& operator=(const CampaignStop&) = delete;

  // In a child, first thing: default signal handling, and the group.
  void enter_child() const;
  // In the parent, just after forking `child`: the group, from this side.
  void adopt(pid_t child) const;
  // The signal that asked the campaign to stop (0: none).
  int requested() const;

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

}  // namespace failsim::cli
