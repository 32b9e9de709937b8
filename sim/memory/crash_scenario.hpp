// A crash-and-recover scenario on the in-memory cluster, judged against an
// oracle that applies every change exactly once: the core's crash property
// test runs thousands of them, and `failsim demo` runs one and tells it.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "model/log_entry.hpp"

namespace failsim::sim::memory {

struct CrashCase {
  std::uint64_t seed = 1;
  model::LogMode mode = model::LogMode::request;
  bool ack_after_disk = false;
  int plexes = 1;
  int clients = 2;
  int ops_per_client = 30;
  int victim = 0;
  bool takeover = false;
  std::uint64_t crash_at_action = 50;  // the victim's n-th action after start-up
  std::uint64_t giveback_delay_steps = 20;
  // The giveback is asked for while a CP of the survivor's takeover group
  // runs, after a change logged behind it was acked (the CP lacks it).
  bool giveback_during_cp = false;
  // The victim's NVRAM battery is dead: its log is gone with the crash, and
  // only the partner's mirror holds what it acked since its last CP.
  bool battery_lost = false;
};
std::ostream& operator<<(std::ostream& os, const CrashCase& c);

struct CrashOutcome {
  std::string failure;  // empty: every property held
  std::uint64_t ops_answered = 0;
  std::uint64_t duplicate_replies = 0;
  std::uint64_t entries_replayed = 0;
  std::uint64_t entries_skipped = 0;
  std::uint64_t cps = 0;
  std::uint64_t fsck_runs = 0;
};

// Runs the case. With `narrate`, writes what happens, step by step (each CP
// too with `narrate_cps`).
CrashOutcome run_crash_case(const CrashCase& cc, std::ostream* narrate = nullptr, bool narrate_cps = false);

}  // namespace failsim::sim::memory
