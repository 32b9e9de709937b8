// fsck results, the serving timeline, and serving only with write access
// (the reservation), from events.jsonl, in one pass.
#include "event_checks.hpp"

#include "checker/line_reader.hpp"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

namespace failsim::checker {

using nlohmann::json;

namespace {

// Who serves what, event by event.
class Timeline {
 public:
  Timeline(const std::map<std::string, std::string>& owners, EventReport& report) : owners_(owners), r_(report) {}

  // A serve by another node moves the service address: the node serving
  // before (hung, say, and fenced off since) no longer answers for it.
  // Whether it may write the aggregate is judged from the reservations.
  void serve(const std::string& aggr, const std::string& node, double t) {
    serving_[aggr] = node;
    if (ended_) return;  // after the run's end: the end state is taken
    const auto owner = owners_.find(aggr);
    const bool by_owner = owner != owners_.end() && owner->second == node;
    if (owner != owners_.end() && !by_owner) r_.served_by_non_owner = true;
    if (auto u = unserved_since_.find(aggr); u != unserved_since_.end()) {
      r_.outages.push_back({aggr, u->second, t});
      unserved_since_.erase(u);
    }
    if (auto l = owner_lost_at_.find(aggr); l != owner_lost_at_.end()) {
      if (!by_owner) r_.takeovers.push_back({aggr, owner->second, node, l->second, t});
      owner_lost_at_.erase(l);  // served again, by its partner or by the owner itself (its own restart)
    }
  }
  // `aggr` empty: every aggregate `node` serves (a crash).
  void stop(const std::string& aggr, const std::string& node, double t) {
    for (auto it = serving_.begin(); it != serving_.end();) {
      if (it->second != node || (!aggr.empty() && it->first != aggr)) {
        ++it;
        continue;
      }
      if (ended_) {
        it = serving_.erase(it);
        continue;
      }
      unserved_since_.emplace(it->first, t);
      const auto owner = owners_.find(it->first);
      if (owner != owners_.end() && owner->second == node) owner_lost_at_.emplace(it->first, t);
      it = serving_.erase(it);
    }
  }
  void end(double t) {
    r_.end_s = t;
    r_.server_at_end = serving_;
    for (const auto& [aggr, since] : unserved_since_) r_.outages.push_back({aggr, since, t});
    unserved_since_.clear();
    ended_ = true;
  }

 private:
  const std::map<std::string, std::string>& owners_;
  EventReport& r_;
  std::map<std::string, std::string> serving_;        // aggregate -> node serving it now
  std::map<std::string, double> unserved_since_;      // aggregate -> when its server stopped
  std::map<std::string, double> owner_lost_at_;       // aggregate -> when its owner stopped serving it
  bool ended_ = false;  // past the world's "end" event: the end state is taken, split brain still watched
};

}  // namespace

EventReport check_events(const std::string& events_path, const std::map<std::string, std::string>& owners) {
  LineReader in(events_path);  // a regular file within the caps, or LineReaderError
  EventReport report;
  std::map<std::string, std::string> holder;  // aggregate -> node holding its disks' reservation
  Timeline timeline(owners, report);
  bool ended = false;  // the world's "end" event: the state judged as the run's end
  double last_s = 0;
  std::size_t line_no = 0;
  for (std::string_view line; in.next(line);) {
    ++line_no;
    json e;
    try {
      e = json::parse(line);
    } catch (const std::exception& err) {
      throw HistoryError(events_path + ":" + std::to_string(line_no) + ": " + err.what());
    }
    const std::string kind = e.value("kind", "");
    const std::string node = e.value("node", "");
    const double t = e.value("time_s", 0.0);
    last_s = std::max(last_s, t);
    const std::string at = " at " + std::to_string(t) + " s";
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
      timeline.serve(aggr, node, t);
    } else if (kind == "stop_serving") {
      timeline.stop(e.value("aggregate", ""), node, t);
    } else if (kind == "crash") {
      timeline.stop("", node, t);
    } else if (kind == "end" && !ended) {
      timeline.end(t);
      ended = true;
    }
  }
  if (!ended) timeline.end(last_s);
  return report;
}

}  // namespace failsim::checker
