// `failsim check --random N`: N generated scenarios (checker/scenario_gen),
// each simulated and judged in its own forked process, J at a time; a
// progress line on a terminal; counts per fault kind; the verdict. The same
// seed gives the same N scenarios; case I alone is `--random N --seed S --case I`.
#pragma once

#include <iosfwd>

#include "check_command.hpp"

namespace failsim::cli {

int random_campaign(const CheckOptions& options, std::ostream& out, std::ostream& err);

}  // namespace failsim::cli
