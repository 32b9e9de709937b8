// The serving timeline, event by event.
#include "serving_timeline.hpp"

#include <algorithm>

#include "runfolder/event_reader.hpp"

namespace failsim::runfolder {

const std::string* ServingTimeline::owner_of(const std::string& aggregate) const {
  auto it = owners_.find(aggregate);
  return it == owners_.end() ? nullptr : &it->second;
}

bool ServingTimeline::concerns(EventKind kind) {
  return kind == EventKind::serve || kind == EventKind::stop_serving || kind == EventKind::crash ||
         kind == EventKind::resume || kind == EventKind::end;
}

void ServingTimeline::observe(const Event& e) {
  last_s_ = std::max(last_s_, e.time_s);
  switch (e.kind) {
    case EventKind::serve: serve(e.get<OnAggregate>()->aggregate, e.node, e.time_s); break;
    case EventKind::stop_serving: stop(e.get<OnAggregate>()->aggregate, e.node, e.time_s); break;
    case EventKind::crash: stop("", e.node, e.time_s); break;
    case EventKind::resume: resume(e.node, e.time_s, e.get<Resume>()->hung_s); break;
    case EventKind::end:
      if (!ended_) end(e.time_s);
      break;
    default: break;
  }
}

// A serve by another node moves the service address: the node serving
// before (hung, say, and fenced off since) no longer answers for it.
void ServingTimeline::serve(const std::string& aggr, const std::string& node, double t) {
  std::string& server = serving_[aggr];
  if (!ended_ && !server.empty() && server != node) silent_handover_[aggr] = {server, node, t};
  server = node;
  if (ended_) return;  // after the run's end: the end state is taken
  const std::string* owner = owner_of(aggr);
  const bool by_owner = owner && *owner == node;
  if (owner && !by_owner) out_.served_by_non_owner = true;
  if (auto u = unserved_since_.find(aggr); u != unserved_since_.end()) {
    out_.outages.push_back({aggr, u->second, t});
    unserved_since_.erase(u);
  }
  if (auto l = owner_lost_at_.find(aggr); l != owner_lost_at_.end()) {
    if (!by_owner) out_.takeovers.push_back({aggr, *owner, node, l->second.first, t, l->second.second});
    owner_lost_at_.erase(l);  // served again, by another node or by the owner itself (its own restart)
  }
  if (auto g = given_back_.find(aggr); g != given_back_.end()) {
    if (by_owner) out_.givebacks.push_back({aggr, g->second.first, *owner, g->second.second, t});
    given_back_.erase(g);
  }
}

void ServingTimeline::stop(const std::string& aggr, const std::string& node, double t) {
  for (auto it = serving_.begin(); it != serving_.end();) {
    if (it->second != node || (!aggr.empty() && it->first != aggr)) {
      ++it;
      continue;
    }
    if (!ended_) {
      unserved_since_.emplace(it->first, t);
      const std::string* owner = owner_of(it->first);
      const EventKind how = aggr.empty() ? EventKind::crash : EventKind::stop_serving;
      if (owner && *owner == node) owner_lost_at_.emplace(it->first, std::pair{t, how});
      if (owner && *owner != node) given_back_.emplace(it->first, std::pair{node, t});
    }
    it = serving_.erase(it);
  }
}

// A hung node writes nothing until it resumes, so what the hang did is
// known only now: its aggregates that another node took meanwhile were
// taken over from the hang's start; those it still serves were unanswered
// for the whole hang.
void ServingTimeline::resume(const std::string& node, double t, double hung_s) {
  if (ended_) return;
  const double from_s = t - hung_s;
  for (auto it = silent_handover_.begin(); it != silent_handover_.end();) {
    const auto& [aggr, handover] = *it;
    if (handover.silent != node || handover.at_s < from_s) {
      ++it;
      continue;
    }
    out_.outages.push_back({aggr, from_s, handover.at_s});
    if (const std::string* owner = owner_of(aggr); owner && *owner == node)
      out_.takeovers.push_back({aggr, *owner, handover.taker, from_s, handover.at_s, EventKind::resume});
    it = silent_handover_.erase(it);
  }
  for (const auto& [aggr, server] : serving_)
    if (server == node) out_.outages.push_back({aggr, from_s, t});
}

void ServingTimeline::end(double t) {
  out_.end_s = t;
  out_.server_at_end = serving_;
  for (const auto& [aggr, since] : unserved_since_) out_.outages.push_back({aggr, since, t});
  unserved_since_.clear();
  ended_ = true;
}

Serving ServingTimeline::finish() {
  if (!ended_) end(last_s_);
  return out_;
}

Serving serving_timeline(const std::string& events_path, const std::map<std::string, std::string>& owners) {
  ServingTimeline timeline(owners);
  EventReader in(events_path);
  for (Event e; in.next(e);) timeline.observe(e);
  return timeline.finish();
}

}  // namespace failsim::runfolder
