// Each final CP's disk image against the serving node's memory.
#include "image_check.hpp"

#include "runfolder/format_error.hpp"

namespace failsim::checker {

using runfolder::FormatError;

namespace {

std::string at(double time_s) { return " at " + std::to_string(time_s) + " s"; }

// The aggregate's paths in final-state.json (none when it lacks the aggregate).
runfolder::Tree disk_tree(const FinalStates& states, const std::string& aggregate) {
  const nlohmann::json& doc = states.disk;
  if (!doc.is_object() || !doc.contains("aggregates") || !doc["aggregates"].is_object())
    throw FormatError(states.disk_file + ": aggregates: expected an object");
  const nlohmann::json& aggregates = doc["aggregates"];
  auto it = aggregates.find(aggregate);
  if (it == aggregates.end()) return {};
  try {
    return runfolder::read_tree(*it, "aggregates." + aggregate);
  } catch (const FormatError& e) {
    throw FormatError(states.disk_file + ": " + e.what());
  }
}

}  // namespace

ImageReport check_image_matches_memory(const FinalStates& states, const std::vector<FinalCpSeen>& final_cps) {
  ImageReport report;
  std::set<std::string> named;
  for (const FinalCpSeen& f : final_cps) {
    named.insert(f.aggregate);
    auto memory = states.memory.find(f.aggregate);
    if (memory == states.memory.end())
      throw FormatError(states.memory_file + ": aggregates." + f.aggregate + ": missing, and events.jsonl says " +
                        f.node + " served it" + at(f.time_s));
    if (!f.flushed) {
      report.violations.push_back(
          {"image_matches_memory", f.aggregate + ": " + f.node + "'s final CP had not finished" + at(f.time_s) +
                                       ", so its disk image could not be compared with its memory (the history is "
                                       "judged against its memory instead)"});
      report.judge_memory.insert(f.aggregate);
      continue;
    }
    const runfolder::Tree disk = disk_tree(states, f.aggregate);
    if (auto d = runfolder::first_difference(disk, memory->second))
      report.violations.push_back(
          {"image_matches_memory", f.aggregate + ": the disk image after " + f.node + "'s final CP" + at(f.time_s) +
                                       " differs from " + f.node + "'s memory at " + d->path + ": on disk " +
                                       runfolder::describe(d->left) + ", in memory " + runfolder::describe(d->right)});
  }
  for (const auto& [aggregate, tree] : states.memory)
    if (!named.contains(aggregate))
      throw FormatError(states.memory_file + ": aggregates." + aggregate +
                        ": no final_cp event in events.jsonl names this aggregate");
  return report;
}

}  // namespace failsim::checker
