// `failsim check --random N`: a campaign (campaign.hpp) of N generated
// scenarios (checker/scenario_gen). The same seed gives the same N
// scenarios; case I alone is `--random N --seed S --case I`; the first
// violating case is shrunk to a scenario file.
#pragma once

#include <iosfwd>

#include "check_command.hpp"

namespace failsim::cli {

int random_campaign(const CheckOptions& options, std::ostream& out, std::ostream& err);

}  // namespace failsim::cli
