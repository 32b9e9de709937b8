// failsim's exit statuses, one list for every command, so that a CI job can
// tell a broken property from bad input, from failsim's own failure, from a
// search that could not decide.
#pragma once

#include "checker/judge.hpp"

namespace failsim::cli {

enum ExitStatus : int {
  exit_held = 0,       // every property held
  exit_violated = 1,   // a property was violated
  exit_bad_input = 2,  // bad input: options, scenario files, run folders, an output that cannot be written
  exit_internal = 3,   // failsim itself failed, or a simulation hit the wall-clock limit
  exit_undecided = 4,  // nothing violated, but a part was left undecided
};

inline int exit_status_of(checker::Outcome outcome) {
  switch (outcome) {
    case checker::Outcome::held: return exit_held;
    case checker::Outcome::violated: return exit_violated;
    case checker::Outcome::undecided: return exit_undecided;
  }
  return exit_violated;
}

// The --help text that lists them.
inline constexpr const char* exit_status_help =
    "Exit status: 0 every property held; 1 a property was violated; 2 bad input; 3 failsim itself failed or a "
    "simulation hit the wall-clock limit (--max-wall-s); 4 undecided (the checker's search ran out of its budget) "
    "with nothing violated. A campaign stopped by SIGINT or SIGTERM exits 128 + the signal, unless a case it "
    "ran failed.";

}  // namespace failsim::cli
