// The storage section's records (storage.hpp): rebuilds and resyncs paired
// from their start and end events, the plex states, the scrub, the latency
// inside and outside degraded windows, and their report.json form.
#include "storage.hpp"

#include <map>
#include <tuple>

namespace failsim::reports {

using nlohmann::json;
using runfolder::EventKind;

std::optional<double> RebuildRecord::duration_s() const {
  if (!end_s) return std::nullopt;
  return *end_s - start_s;
}
std::optional<double> RebuildRecord::rate_Bps() const {
  const std::optional<double> d = duration_s();
  if (!d || *d <= 0) return std::nullopt;
  return static_cast<double>(bytes) / *d;
}
std::optional<double> ResyncRecord::duration_s() const {
  if (!end_s) return std::nullopt;
  return *end_s - start_s;
}
std::optional<double> ResyncRecord::rate_Bps() const {
  const std::optional<double> d = duration_s();
  if (abandoned || !d || *d <= 0) return std::nullopt;  // an abandoned resync did not copy `bytes`
  return static_cast<double>(bytes) / *d;
}

std::uint64_t Storage::scrub_mismatched_stripes() const {
  std::uint64_t n = 0;
  for (const ScrubRecord& s : scrubs) n += s.mismatched_stripes;
  return n;
}

namespace {

// Rebuilds: a finished event closes the open rebuild of the same disk onto
// the same target.
std::vector<RebuildRecord> pair_rebuilds(const RunData& run, const std::vector<std::optional<std::uint64_t>>& groups) {
  std::vector<RebuildRecord> out;
  std::map<std::tuple<std::string, std::uint64_t, std::string, std::string>, std::size_t> open;
  for (const runfolder::Event& e : run.events) {
    const auto* w = e.get<runfolder::RaidWork>();
    if (!w) continue;
    const auto key = std::make_tuple(w->aggregate, w->plex, w->disk, w->onto);
    if (e.kind == EventKind::raid_rebuild_started) {
      RebuildRecord r;
      r.aggregate = w->aggregate;
      r.plex = w->plex;
      if (out.size() < groups.size()) r.group = groups[out.size()];
      r.disk = w->disk;
      r.onto = w->onto;
      r.start_s = e.time_s;
      r.bytes = w->bytes;
      r.expected_s = w->expected_s;
      open[key] = out.size();
      out.push_back(std::move(r));
    } else if (e.kind == EventKind::raid_rebuild_finished) {
      auto it = open.find(key);
      if (it == open.end()) continue;  // no start seen: nothing to measure it from
      out[it->second].end_s = e.time_s;
      out[it->second].ok = w->ok;
      open.erase(it);
    }
  }
  return out;
}

// Resyncs: per aggregate and plex, at most one runs at a time.
std::vector<ResyncRecord> pair_resyncs(const RunData& run) {
  std::vector<ResyncRecord> out;
  std::map<std::pair<std::string, std::uint64_t>, std::size_t> open;
  for (const runfolder::Event& e : run.events) {
    const auto* r = e.get<runfolder::Resync>();
    if (!r) continue;
    const auto key = std::make_pair(r->aggregate, r->plex);
    if (e.kind == EventKind::resync_started) {
      ResyncRecord x;
      x.aggregate = r->aggregate;
      x.node = e.node;
      x.plex = r->plex;
      x.from_plex = r->from_plex;
      x.bytes = r->bytes;
      x.start_s = e.time_s;
      x.expected_duration_s = r->expected_duration_s;
      open[key] = out.size();
      out.push_back(std::move(x));
      continue;
    }
    auto it = open.find(key);
    if (it == open.end()) continue;
    ResyncRecord& x = out[it->second];
    x.end_s = e.time_s;
    x.abandoned = e.kind == EventKind::resync_abandoned;
    x.differing_blocks = r->differing_blocks;
    open.erase(it);
  }
  return out;
}

// Acked requests whose ack came inside a degraded window of their aggregate.
void split_latency(const RunData& run, Storage& s) {
  std::vector<double> inside_ms, outside_ms;
  for (const Request& q : run.requests) {
    if (!q.answered()) continue;
    bool inside = false;
    for (const DegradedWindow& w : s.degraded)
      inside = inside || (w.aggregate == q.aggregate && q.done_s >= w.start_s && q.done_s <= w.end_s);
    (inside ? inside_ms : outside_ms).push_back(q.latency_s() * 1e3);
  }
  s.latency_degraded = percentiles(std::move(inside_ms));
  s.latency_not_degraded = percentiles(std::move(outside_ms));
}

json optional_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

Storage build_storage(const RunData& run) {
  Storage s;
  RaidGroupHistory groups = trace_raid_groups(run);
  s.degraded = std::move(groups.windows);
  s.rebuilds = pair_rebuilds(run, groups.rebuild_group);
  s.resyncs = pair_resyncs(run);
  for (const runfolder::Event& e : run.events) {
    if (const auto* p = e.get<runfolder::PlexState>(); p && e.kind == EventKind::plex_state)
      s.plex_states.push_back({e.time_s, p->aggregate, p->stale, p->differing_blocks, p->failed_components});
    if (const auto* w = e.get<runfolder::RaidWork>(); w && e.kind == EventKind::raid_scrub)
      s.scrubs.push_back({w->aggregate, w->plex, w->mismatched_stripes, w->unverified_stripes, w->ok});
  }
  if (!s.degraded.empty()) split_latency(run, s);
  return s;
}

json Storage::to_json() const {
  json rebuild_list = json::array(), degraded_list = json::array(), resync_list = json::array();
  json plex_list = json::array(), scrub_list = json::array();
  for (const RebuildRecord& r : rebuilds)
    rebuild_list.push_back({{"aggregate", r.aggregate}, {"plex", r.plex},
                            {"group", r.group ? json(*r.group) : json(nullptr)}, {"disk", r.disk},
                            {"onto", r.onto}, {"target", r.target()}, {"outcome", r.outcome()},
                            {"start_s", r.start_s}, {"end_s", optional_json(r.end_s)},
                            {"duration_s", optional_json(r.duration_s())}, {"bytes", r.bytes},
                            {"expected_s", r.expected_s}, {"rate_Bps", optional_json(r.rate_Bps())}});
  for (const DegradedWindow& w : degraded)
    degraded_list.push_back({{"aggregate", w.aggregate}, {"plex", w.plex}, {"group", w.group},
                             {"start_s", w.start_s}, {"end_s", w.end_s}, {"duration_s", w.duration_s()},
                             {"restored", w.restored}, {"disks", w.disks},
                             {"max_missing_disks", w.max_missing_disks}, {"parity_disks", w.parity_disks},
                             {"beyond_tolerance", w.beyond_tolerance()}});
  for (const ResyncRecord& r : resyncs)
    resync_list.push_back({{"aggregate", r.aggregate}, {"plex", r.plex}, {"from_plex", r.from_plex},
                           {"node", r.node}, {"outcome", r.outcome()}, {"start_s", r.start_s},
                           {"end_s", optional_json(r.end_s)}, {"duration_s", optional_json(r.duration_s())},
                           {"bytes", r.bytes}, {"expected_duration_s", r.expected_duration_s},
                           {"rate_Bps", optional_json(r.rate_Bps())}, {"differing_blocks", r.differing_blocks}});
  for (const PlexStateRecord& p : plex_states)
    plex_list.push_back({{"time_s", p.time_s}, {"aggregate", p.aggregate}, {"stale", p.stale},
                         {"differing_blocks", p.differing_blocks}, {"failed_components", p.failed_components}});
  for (const ScrubRecord& x : scrubs)
    scrub_list.push_back({{"aggregate", x.aggregate}, {"plex", x.plex}, {"mismatched_stripes", x.mismatched_stripes},
                          {"unverified_stripes", x.unverified_stripes}, {"ok", x.ok}});
  json latency = nullptr;
  if (!degraded.empty())
    latency = {{"degraded", latency_degraded.to_json()}, {"not_degraded", latency_not_degraded.to_json()}};
  return {{"rebuilds", rebuild_list},
          {"degraded", degraded_list},
          {"degraded_latency", latency},
          {"resyncs", resync_list},
          {"plex_states", plex_list},
          {"scrub", {{"plexes_scrubbed", scrubs.size()}, {"mismatched_stripes", scrub_mismatched_stripes()},
                     {"plexes", scrub_list}}}};
}

}  // namespace failsim::reports
