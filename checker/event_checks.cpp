// fsck results, the serving timeline, serving only with write access (the
// reservation), and the final CPs, from events.jsonl, in one pass.
#include "event_checks.hpp"

#include <algorithm>

#include "runfolder/event_reader.hpp"

namespace failsim::checker {

using runfolder::Event;
using runfolder::EventKind;

namespace {

// plexes_in_sync: after the final CP, two plexes in use (not stale) hold the
// same image (the blocks it uses and the superblocks), and no plex is still stale once every failed component was
// repaired (the settle phase repairs them all, and a plex whose disks are
// usable again is resynchronised).
void check_plexes(const runfolder::PlexState& p, const std::string& at, std::vector<Violation>& out) {
  const bool both_in_use = p.stale.size() >= 2 && !p.stale[0] && !p.stale[1];
  if (both_in_use && p.differing_blocks > 0)
    out.push_back({"plexes_in_sync", p.aggregate + ": plexes 0 and 1 are both in use and hold " +
                                         std::to_string(p.differing_blocks) + " blocks of the image differently" + at +
                                         " (after the final CP)"});
  if (p.failed_components > 0) return;
  for (std::size_t i = 0; i < p.stale.size(); ++i)
    if (p.stale[i])
      out.push_back({"plexes_in_sync", p.aggregate + ": plex " + std::to_string(i) + " is still stale" + at +
                                           " (after the final CP), although every failed component was repaired: "
                                           "it was never resynchronised"});
}

}  // namespace

EventReport check_events(const std::string& events_path, const std::map<std::string, std::string>& owners) {
  runfolder::EventReader in(events_path);  // a regular file within the caps, or LineReaderError
  EventReport report;
  std::map<std::string, std::string> holder;  // aggregate -> node holding its disks' reservation
  runfolder::ServingTimeline timeline(owners);
  for (Event e; in.next(e);) {
    timeline.observe(e);
    const std::string at = " at " + std::to_string(e.time_s) + " s";
    switch (e.kind) {
      case EventKind::fsck: {
        const auto& f = *e.get<runfolder::Fsck>();
        ++report.fsck_runs;
        if (!f.ok)
          report.violations.push_back({"fsck", f.aggregate + " plex " + std::to_string(f.plex) + " after a " +
                                                   f.after + at + ": " +
                                                   (f.problems.empty() ? std::string() : f.problems[0])});
        break;
      }
      case EventKind::reservation_taken:
        holder[std::string(e.aggregate())] = e.node;  // preempts whoever held it
        break;
      case EventKind::reservation_released: {
        auto it = holder.find(std::string(e.aggregate()));
        if (it != holder.end() && it->second == e.node) holder.erase(it);
        break;
      }
      case EventKind::serve: {
        // Two nodes may each believe they serve an aggregate (one hung while
        // the other took over); only the holder of its reservation can write
        // it, so serving without the reservation is split brain.
        const std::string aggr(e.aggregate());
        auto it = holder.find(aggr);
        if (it == holder.end() || it->second != e.node)
          report.violations.push_back({"split_brain", aggr + " served by " + e.node + at + " while " +
                                                          (it == holder.end() ? std::string("nobody") : it->second) +
                                                          " held its reservation"});
        break;
      }
      case EventKind::final_cp: {
        const auto& f = *e.get<runfolder::FinalCp>();
        report.final_cps.push_back({e.node, f.aggregate, f.flushed, e.time_s});
        break;
      }
      case EventKind::plex_state: check_plexes(*e.get<runfolder::PlexState>(), at, report.violations); break;
      case EventKind::raid_scrub: {
        // parity_consistent: a RAID plex's parity agrees with its data at
        // the end (what a rebuild from it would need).
        const auto& s = *e.get<runfolder::RaidWork>();
        if (s.mismatched_stripes > 0)
          report.violations.push_back({"parity_consistent", s.aggregate + " plex " + std::to_string(s.plex) + ": " +
                                                                std::to_string(s.mismatched_stripes) +
                                                                " stripes whose parity disagrees with their data" + at});
        break;
      }
      case EventKind::raid_group_failed: {
        const auto& f = *e.get<runfolder::RaidWork>();
        report.failed_plexes[f.aggregate].insert(f.plex);
        break;
      }
      default: break;
    }
  }
  runfolder::Serving serving = timeline.finish();
  report.server_at_end = std::move(serving.server_at_end);
  report.takeovers = std::move(serving.takeovers);
  report.outages = std::move(serving.outages);
  report.served_by_non_owner = serving.served_by_non_owner;
  report.end_s = serving.end_s;
  return report;
}

}  // namespace failsim::checker
