// `failsim sweep --merge DIR...`: shard folders back into one sweep. The
// shards must come from the same sweep (the same digest), the same failsim
// build (sweep.json's build, present) and the same N, hold each K from 1 to
// N once, and together every run of the grid once.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sweep/results.hpp"

namespace failsim::sweep {

struct MergePlan {
  SweepResult result;  // the whole sweep, no shard
  std::vector<std::pair<std::string, std::string>> run_folders;  // shard's run folder -> its name in the sweep folder
};

// Throws SweepError naming the folder and what is wrong with the set.
MergePlan plan_merge(const std::vector<std::string>& dirs);
// Copies the kept run folders of the shards into `into`.
void copy_run_folders(const MergePlan& plan, const std::string& into);

}  // namespace failsim::sweep
