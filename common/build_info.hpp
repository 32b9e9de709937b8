// Which build of failsim wrote a result: the one definition of the build
// string, "failsim VERSION (commit C)" ("failsim VERSION" outside a git
// checkout), exactly what `failsim --version` prints. Every file that holds
// results records it as `build`: summary.json, report.json, sweep.json,
// campaign.json and junit.xml; `failsim sweep --merge` refuses shards whose
// builds differ. It is constant for the life of a binary, so the same
// scenario and seed still give the same bytes.
#pragma once

#include <string>

namespace failsim {

const std::string& build_name();

}  // namespace failsim
