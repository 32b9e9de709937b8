// `failsim check FILE --exhaustive`: bounded-exhaustive crash points, in the
// manner of CrashMonkey and ALICE but on a whole HA pair. The scenario runs
// once and counts the points each node reaches in its fault phase (every
// mirror write issued and landed, every reply about to go out and gone out,
// every disk block write - superblocks among them - and those of a recovery
// CP, every entry of its first replay). Then one case per point and kind:
// the scenario with that one point fault added, run as a campaign
// (campaign.hpp). Up to --max-points cases, spread evenly over the points
// when there are more.
#pragma once

#include "check_command.hpp"

namespace failsim::cli {

int exhaustive_check(const CheckOptions& options);

}  // namespace failsim::cli
