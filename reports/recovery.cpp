// Walks forward from each takeover_started and giveback_started event to the
// events of the aggregate moved, up to it being served again; when it was
// unserved comes from the serving timeline, as everywhere.
#include "recovery.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "runfolder/serving_timeline.hpp"

namespace failsim::reports {

using nlohmann::json;
using runfolder::EventKind;

const std::vector<std::string>& takeover_segment_names() {
  static const std::vector<std::string> names{"detection", "fencing",     "aggregate load",
                                              "replay",    "recovery CP", "first reply"};
  return names;
}

const std::vector<std::string>& giveback_segment_names() {
  static const std::vector<std::string> names{"final CP", "handover",    "aggregate load",
                                              "replay",   "recovery CP", "first reply"};
  return names;
}

json Recovery::to_json() const {
  json segs = json::array(), durations = json::object();
  for (const Segment& s : segments) {
    segs.push_back({{"name", s.name}, {"start_s", s.start_s}, {"end_s", s.end_s}, {"duration_s", s.duration_s()}});
    // By name too, spaces as underscores: a stable JSON pointer for sweeps (/durations_s/replay).
    std::string key = s.name;
    std::replace(key.begin(), key.end(), ' ', '_');
    durations[key] = s.duration_s();
  }
  json j{{"kind", kind},       {"node", node},         {"partner", partner},   {"aggregate", aggregate},
         {"start_s", start_s}, {"blocks_read", blocks_read}, {"replayed", replayed}, {"skipped", skipped},
         {"segments", segs}, {"durations_s", durations}};
  j["served_s"] = served_s ? json(*served_s) : json(nullptr);
  j["outage_s"] = outage_s ? json(*outage_s) : json(nullptr);
  j["first_reply_s"] = first_reply_s ? json(*first_reply_s) : json(nullptr);
  j["start_to_first_reply_s"] = first_reply_s ? json(*first_reply_s - start_s) : json(nullptr);
  if (!refused.empty()) j["refused"] = refused;
  return j;
}

namespace {

std::optional<double> first_reply_after(const RunData& run, const std::string& aggregate, double t) {
  double best = std::numeric_limits<double>::infinity();
  for (const Request& q : run.requests)
    if (q.answered() && q.aggregate == aggregate && q.done_s >= t && q.done_s < best) best = q.done_s;
  return best < std::numeric_limits<double>::infinity() ? std::optional<double>(best) : std::nullopt;
}

// The steps of `node` bringing `aggr` into service, from event index `from`:
// reservation, load, replay, serve. Stops at the node's crash.
struct Steps {
  std::optional<double> load_start_s, load_end_s, replayed_s, served_s, finished_giveback_s;
  std::uint64_t blocks_read = 0, replayed = 0, skipped = 0;
  std::string refused;
};

Steps follow(const RunData& run, std::size_t from, const std::string& node, const std::string& aggr,
             const std::string& giver) {
  Steps s;
  for (std::size_t i = from; i < run.events.size(); ++i) {
    const runfolder::Event& e = run.events[i];
    const double t = e.time_s;
    const EventKind kind = e.kind;
    const std::string& n = e.node;
    if (n == giver && kind == EventKind::giveback_finished && !s.finished_giveback_s) s.finished_giveback_s = t;
    if (n != node) continue;
    if (kind == EventKind::crash) break;
    if (kind == EventKind::takeover_refused) {
      s.refused = e.text().empty() ? "refused" : std::string(e.text());
      break;
    }
    if (e.aggregate() != aggr) continue;
    if (const auto* loaded = e.get<runfolder::AggregateLoaded>(); loaded && !s.load_start_s) {
      s.load_start_s = t;
      s.load_end_s = t + loaded->load_s;
      s.blocks_read = loaded->blocks_read;
    } else if (const auto* replayed = e.get<runfolder::Replayed>(); replayed && s.load_start_s && !s.replayed_s) {
      s.replayed_s = t;
      s.replayed = replayed->replayed;
      s.skipped = replayed->skipped;
    } else if (kind == EventKind::serve) {
      s.served_s = t;
      break;
    }
  }
  return s;
}

// The aggregate's outage that `t` falls in (from its server stopping to the
// next serve, or to the run's end).
const runfolder::Outage* outage_at(const runfolder::Serving& serving, const std::string& aggr, double t) {
  for (const runfolder::Outage& o : serving.outages)
    if (o.aggregate == aggr && o.from_s <= t && t <= o.to_s) return &o;
  return nullptr;
}

// The outage a serve at `served_s` ended.
std::optional<double> outage_ended_by(const runfolder::Serving& serving, const std::string& aggr,
                                      std::optional<double> served_s) {
  if (!served_s) return std::nullopt;
  for (const runfolder::Outage& o : serving.outages)
    if (o.aggregate == aggr && o.to_s == *served_s) return o.duration_s();
  return std::nullopt;
}

void add(std::vector<Segment>& segs, const std::string& name, std::optional<double> a, std::optional<double> b) {
  if (a && b && *b >= *a) segs.push_back({name, *a, *b});
}

void finish(const RunData& run, const runfolder::Serving& serving, Recovery& r, const Steps& s,
            std::optional<double> before_load_s, const std::string& before_load_name) {
  add(r.segments, before_load_name, before_load_s, s.load_start_s);
  add(r.segments, "aggregate load", s.load_start_s, s.load_end_s);
  add(r.segments, "replay", s.load_end_s, s.replayed_s);
  add(r.segments, "recovery CP", s.replayed_s, s.served_s);
  r.served_s = s.served_s;
  r.outage_s = outage_ended_by(serving, r.aggregate, s.served_s);
  r.blocks_read = s.blocks_read;
  r.replayed = s.replayed;
  r.skipped = s.skipped;
  r.refused = s.refused;
  if (s.served_s) r.first_reply_s = first_reply_after(run, r.aggregate, *s.served_s);
  add(r.segments, "first reply", r.served_s, r.first_reply_s);
}

}  // namespace

std::vector<Recovery> build_recoveries(const RunData& run) {
  std::vector<Recovery> out;
  const std::vector<std::string> nodes = run.nodes();
  auto partner_of = [&](const std::string& n) {
    for (const std::string& m : nodes)
      if (m != n) return m;
    return std::string();
  };
  std::vector<std::string> aggregates;
  std::map<std::string, std::string> owners;
  for (const auto& a : run.scenario.at("cluster").at("aggregates")) {
    aggregates.push_back(a.at("name").get<std::string>());
    owners[aggregates.back()] = run.owner_of(aggregates.back());
  }
  runfolder::ServingTimeline timeline(std::move(owners));
  for (const runfolder::Event& e : run.events) timeline.observe(e);
  const runfolder::Serving serving = timeline.finish();

  for (std::size_t i = 0; i < run.events.size(); ++i) {
    const runfolder::Event& e = run.events[i];
    const EventKind kind = e.kind;
    const std::string& node = e.node;
    const double t = e.time_s;
    if (kind == EventKind::takeover_started) {
      const std::string victim = partner_of(node);
      // This node's latest detection of the partner's failure before it.
      std::optional<double> detected_s;
      for (std::size_t j = i; j-- > 0;) {
        const runfolder::Event& p = run.events[j];
        if (p.kind == EventKind::partner_declared_dead && p.node == node) detected_s = p.time_s;
        if (detected_s || (p.kind == EventKind::serve && p.node == victim)) break;  // before: an earlier failure
      }
      for (const std::string& aggr : aggregates) {
        if (run.owner_of(aggr) != victim) continue;
        Recovery r{.kind = "takeover", .node = node, .partner = victim, .aggregate = aggr};
        // From its owner ceasing to serve it; a takeover of an aggregate still served starts here.
        const runfolder::Outage* outage = outage_at(serving, aggr, t);
        r.start_s = outage ? outage->from_s : t;
        // Detection: until this node declared the partner dead, or (a negotiated takeover) started.
        const double detected_or_started_s = detected_s.value_or(t);
        add(r.segments, "detection", r.start_s, detected_or_started_s);
        finish(run, serving, r, follow(run, i, node, aggr, ""), detected_or_started_s, "fencing");
        out.push_back(std::move(r));
      }
    } else if (kind == EventKind::giveback_started) {
      const std::string owner = partner_of(node);
      for (const std::string& aggr : aggregates) {
        if (run.owner_of(aggr) != owner) continue;
        Recovery r{.kind = "giveback", .node = node, .partner = owner, .aggregate = aggr, .start_s = t};
        Steps s = follow(run, i, owner, aggr, node);
        add(r.segments, "final CP", t, s.finished_giveback_s);
        finish(run, serving, r, s, s.finished_giveback_s, "handover");
        out.push_back(std::move(r));
      }
    }
  }
  return out;
}

}  // namespace failsim::reports
