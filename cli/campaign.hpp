// A campaign: cases, each a scenario simulated and judged in its own forked
// process, J at a time; a progress line on a terminal; counts per fault
// kind; the verdict (the worst outcome decides the exit status); a stop on
// SIGINT or SIGTERM; campaign.json and junit.xml with --report. Where its
// cases come from is its CaseSource: generated (`check --random`,
// random_campaign.cpp) or one scenario with a point fault at each point it
// reaches (`check FILE --exhaustive`, exhaustive.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "campaign_stop.hpp"
#include "check_command.hpp"
#include "sim/scenario/scenario.hpp"

namespace failsim::cli {

struct CaseSource {
  std::string title;        // the summary's first words and the progress line's: "random scenarios"
  std::string about;        // the summary's first line ends with it, in brackets: "seed 5"
  std::uint64_t count = 0;  // cases 0..count-1 (--case: that one alone)
  std::function<sim::Scenario(std::uint64_t index)> scenario;
  std::string rerun;                     // the command that reruns the cases ("--case I" is appended)
  std::vector<std::string> fault_kinds;  // the kinds the cases may schedule, for the counts
  std::string exhaustive;                // campaign.json: the scenario file enumerated ("": a random campaign)
  // Shrinks violating case `index` into a scenario file and returns its name
  // (empty function: cases are not shrunk).
  std::function<std::string(std::uint64_t index, const std::filesystem::path& work, const CampaignStop& stop)> shrink;
};

int run_campaign(const CheckOptions& options, const CaseSource& source, std::ostream& out, std::ostream& err);

}  // namespace failsim::cli
