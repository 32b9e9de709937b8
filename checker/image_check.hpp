// image_matches_memory: after the run, each aggregate's disk image, loaded
// without the log (final-state.json), must equal what the node serving it
// holds in memory (memory-state.json), once that node's final CP flushed it
// (its final_cp event). A final CP that did not finish is a violation too:
// the image could not be compared. Such an aggregate's memory is then what
// the history is judged against, since its disks lack what its log holds.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/event_checks.hpp"
#include "checker/exactly_once.hpp"
#include "runfolder/final_state.hpp"

namespace failsim::checker {

struct ImageReport {
  std::vector<Violation> violations;  // image_matches_memory
  std::set<std::string> judge_memory;  // aggregates whose final CP did not finish
};

// The two files as read, and their names for the messages. Of
// final-state.json only the aggregates compared are read as records (the
// exactly-once check reads the rest). Throws runfolder::FormatError naming
// the file when memory-state.json and the final_cp events disagree on which
// aggregates were served, or a compared aggregate is malformed.
struct FinalStates {
  const nlohmann::json& disk;  // final-state.json
  const runfolder::Trees& memory;  // memory-state.json
  std::string disk_file, memory_file;
};
ImageReport check_image_matches_memory(const FinalStates& states, const std::vector<FinalCpSeen>& final_cps);

}  // namespace failsim::checker
