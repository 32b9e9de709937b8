// fsck results, and serving only with write access (the reservation), from events.jsonl.
#include "event_checks.hpp"

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

namespace failsim::checker {

using nlohmann::json;

EventReport check_events(const std::string& events_path) {
  std::ifstream in(events_path);
  if (!in) throw HistoryError(events_path + ": cannot read");
  EventReport report;
  std::map<std::string, std::string> holder;  // aggregate -> node holding its disks' reservation
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    json e;
    try {
      e = json::parse(line);
    } catch (const std::exception& err) {
      throw HistoryError(events_path + ":" + std::to_string(line_no) + ": " + err.what());
    }
    const std::string kind = e.value("kind", "");
    const std::string node = e.value("node", "");
    const std::string at = " at " + std::to_string(e.value("time_s", 0.0)) + " s";
    if (kind == "fsck") {
      ++report.fsck_runs;
      if (!e.value("ok", false)) {
        std::string why = e["problems"].empty() ? "" : e["problems"][0].get<std::string>();
        report.violations.push_back({"fsck", e.value("aggregate", "") + " plex " + std::to_string(e.value("plex", 0)) +
                                                 " after a " + e.value("after", "") + at + ": " + why});
      }
    } else if (kind == "reservation_taken") {
      holder[e.value("aggregate", "")] = node;  // preempts whoever held it
    } else if (kind == "reservation_released") {
      auto it = holder.find(e.value("aggregate", ""));
      if (it != holder.end() && it->second == node) holder.erase(it);
    } else if (kind == "serve") {
      // Two nodes may each believe they serve an aggregate (one hung while
      // the other took over); only the holder of its reservation can write
      // it, so serving without the reservation is split brain.
      const std::string aggr = e.value("aggregate", "");
      auto it = holder.find(aggr);
      if (it == holder.end() || it->second != node)
        report.violations.push_back({"split_brain", aggr + " served by " + node + at + " while " +
                                                        (it == holder.end() ? std::string("nobody") : it->second) +
                                                        " held its reservation"});
    }
  }
  return report;
}

}  // namespace failsim::checker
