// Checks of a run's node events (events.jsonl), read once: every on-disk
// image passed fsck after every CP and every crash, no two nodes served one
// aggregate at the same time (split brain), the plexes of every mirrored
// aggregate equal and resynchronised after the final CP (plexes_in_sync: the
// plex_state events), and the serving timeline
// (runfolder/serving_timeline.hpp) the liveness checks and the
// expectations judge, and the final CPs the image check judges by
// (checker/image_check.hpp). Everything here comes from the events, never
// from summary.json's derived figures.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "checker/exactly_once.hpp"
#include "runfolder/serving_timeline.hpp"

namespace failsim::checker {

using runfolder::Outage;
using runfolder::Takeover;

// A final_cp event: after the run's end, `node` served `aggregate` and had
// (flushed) or had not put all it held in memory on disk by then.
struct FinalCpSeen {
  std::string node, aggregate;
  bool flushed = false;
  double time_s = 0;
};

struct EventReport {
  std::vector<Violation> violations;  // fsck, split_brain, plexes_in_sync, parity_consistent
  std::uint64_t fsck_runs = 0;
  std::map<std::string, std::string> server_at_end;  // aggregate -> node serving it when the run ended
  std::vector<Takeover> takeovers;
  std::vector<Outage> outages;
  bool served_by_non_owner = false;  // a node served an aggregate it does not own
  double end_s = 0;
  std::vector<FinalCpSeen> final_cps;  // in file order
  std::map<std::string, std::set<std::uint64_t>> failed_plexes;  // aggregate -> plexes with a RAID group failed
};

// `owners`: aggregate -> its owner node (from the scenario; empty without
// one). Throws HistoryError (a FormatError) for a malformed line,
// runfolder::LineReaderError for a file that cannot be read.
EventReport check_events(const std::string& events_path, const std::map<std::string, std::string>& owners = {});

}  // namespace failsim::checker
