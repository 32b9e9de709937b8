// report.html: storage recovery (reports/storage.hpp). A lane per RAID group
// and per resynced plex over the run, with the degraded windows, the
// rebuilds and the resyncs; then their tables, the latency inside degraded
// windows against outside, the plexes after the final CP and the parity
// scrub. No section at all when the run has no storage event.
#include <map>
#include <set>

#include "reports/format.hpp"
#include "reports/html_parts.hpp"

namespace failsim::reports::html {

namespace {

const std::string kDegraded = "#f4a261", kBeyond = "#e63946", kRebuild = "#2a9d8f", kResync = "#457b9d";

std::string group_name(const std::string& aggregate, std::uint64_t plex, std::uint64_t group) {
  return aggregate + " plex " + std::to_string(plex) + " group " + std::to_string(group);
}
std::string plex_name(const std::string& aggregate, std::uint64_t plex) {
  return aggregate + " plex " + std::to_string(plex);
}
std::string opt_s(const std::optional<double>& v, const std::string& none) { return v ? s3(*v) : none; }
std::string mib(std::uint64_t bytes) { return fixed(static_cast<double>(bytes) / (1 << 20), 1); }
std::string mb_per_s(const std::optional<double>& Bps) { return Bps ? fixed(*Bps / 1e6, 2) : "-"; }

// One lane per RAID group that was degraded or rebuilt, one per resynced plex.
std::vector<std::string> lanes(const Storage& s) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  auto add = [&](const std::string& n) {
    if (seen.insert(n).second) out.push_back(n);
  };
  for (const DegradedWindow& w : s.degraded) add(group_name(w.aggregate, w.plex, w.group));
  for (const RebuildRecord& r : s.rebuilds) add(r.group ? group_name(r.aggregate, r.plex, *r.group) : plex_name(r.aggregate, r.plex));
  for (const ResyncRecord& r : s.resyncs) add(plex_name(r.aggregate, r.plex) + " resync");
  return out;
}

std::string storage_chart(const Analysis& a) {
  const Storage& s = a.storage;
  const std::vector<std::string> names = lanes(s);
  if (names.empty()) return "";
  std::map<std::string, double> y_of;
  const int lane_h = 22, top = 10;
  for (std::size_t i = 0; i < names.size(); ++i) y_of[names[i]] = top + 4 + static_cast<double>(i) * (lane_h + 8);
  const int height = top + static_cast<int>(names.size()) * (lane_h + 8) + 44;
  const double end_s = std::max(a.timeline.end_s, 1e-3);
  SvgChart c(kChartWidth_px, height, {0, end_s, false, "seconds"}, {0, 1, false, ""}, 200, 12, top, 40);
  c.axes(true, false);
  for (const auto& [name, y] : y_of) c.text_px(c.left() - 6, y + 15, name, "end", 11, "#222");
  // Windows first, the work drawn over them in the lower half of the lane.
  for (const DegradedWindow& w : s.degraded) {
    const double y = y_of[group_name(w.aggregate, w.plex, w.group)];
    c.rect_px_y(w.start_s, w.end_s, y, y + lane_h, w.beyond_tolerance() ? kBeyond : kDegraded,
                "degraded, " + std::to_string(w.max_missing_disks) + " disk(s) missing at most: " + s3(w.duration_s()) +
                    " s" + (w.restored ? "" : ", still at the run's end"));
  }
  for (const RebuildRecord& r : s.rebuilds) {
    const double y = y_of[r.group ? group_name(r.aggregate, r.plex, *r.group) : plex_name(r.aggregate, r.plex)];
    c.rect_px_y(r.start_s, r.end_s.value_or(end_s), y + lane_h / 2.0, y + lane_h, kRebuild,
                "rebuild of " + r.disk + " onto " + r.onto + ": " + r.outcome() + ", " + opt_s(r.duration_s(), "unfinished") + " s");
  }
  for (const ResyncRecord& r : s.resyncs) {
    const double y = y_of[plex_name(r.aggregate, r.plex) + " resync"];
    c.rect_px_y(r.start_s, r.end_s.value_or(end_s), y, y + lane_h, kResync,
                "resync from plex " + std::to_string(r.from_plex) + ": " + r.outcome() + ", " + opt_s(r.duration_s(), "unfinished") + " s");
  }
  return c.svg("storage recovery over time") +
         legend({{"degraded", kDegraded}, {"beyond RAID tolerance", kBeyond}, {"rebuild", kRebuild}, {"resync", kResync}});
}

std::string work_tables(const Storage& s) {
  std::string out;
  std::vector<std::vector<std::string>> rows;
  for (const RebuildRecord& r : s.rebuilds)
    rows.push_back({r.aggregate, std::to_string(r.plex), r.group ? std::to_string(*r.group) : "-", r.disk,
                    r.onto + " (" + r.target() + ")", s3(r.start_s), opt_s(r.end_s, "-"), opt_s(r.duration_s(), "unfinished"),
                    mib(r.bytes), mb_per_s(r.rate_Bps()), r.outcome()});
  if (!rows.empty())
    out += table({"aggregate", "plex", "group", "failed disk", "onto", "start s", "end s", "duration s", "MiB", "MB/s", "outcome"},
                 rows, "RAID reconstructions");
  rows.clear();
  for (const DegradedWindow& w : s.degraded) {
    std::string disks;
    for (const std::string& d : w.disks) disks += (disks.empty() ? "" : " ") + d;
    rows.push_back({w.aggregate, std::to_string(w.plex), std::to_string(w.group), s3(w.start_s),
                    w.restored ? s3(w.end_s) : "run end", s3(w.duration_s()), disks,
                    std::to_string(w.max_missing_disks) + " of parity " + std::to_string(w.parity_disks),
                    w.beyond_tolerance() ? "yes" : "no"});
  }
  if (!rows.empty())
    out += table({"aggregate", "plex", "group", "from s", "to s", "duration s", "disks missing", "most at once", "beyond tolerance"},
                 rows, "Degraded RAID groups");
  rows.clear();
  for (const ResyncRecord& r : s.resyncs)
    rows.push_back({r.aggregate, std::to_string(r.plex), std::to_string(r.from_plex), r.node, s3(r.start_s),
                    opt_s(r.end_s, "-"), opt_s(r.duration_s(), "unfinished"), mib(r.bytes), mb_per_s(r.rate_Bps()),
                    std::to_string(r.differing_blocks), r.outcome()});
  if (!rows.empty())
    out += table({"aggregate", "plex", "from plex", "node", "start s", "end s", "duration s", "MiB", "MB/s", "blocks differing", "outcome"},
                 rows, "SyncMirror resyncs");
  return out;
}

std::string state_tables(const Storage& s) {
  std::string out;
  std::vector<std::vector<std::string>> rows;
  if (!s.degraded.empty()) {
    for (const auto& [name, p] : {std::pair{"acked inside a degraded window", &s.latency_degraded},
                                  std::pair{"acked outside", &s.latency_not_degraded}})
      rows.push_back({name, std::to_string(p->count), ms(p->p50_ms), ms(p->p99_ms), ms(p->max_ms)});
    out += table({"requests of a degraded aggregate", "count", "p50 ms", "p99 ms", "max ms"}, rows,
                 "ack latency, degraded or not");
    rows.clear();
  }
  for (const PlexStateRecord& p : s.plex_states) {
    std::string stale;
    for (std::size_t i = 0; i < p.stale.size(); ++i)
      stale += (i ? ", " : "") + std::to_string(i) + (p.stale[i] ? " stale" : " in sync");
    rows.push_back({s3(p.time_s), p.aggregate, stale, std::to_string(p.differing_blocks), std::to_string(p.failed_components)});
  }
  if (!rows.empty())
    out += table({"time s", "aggregate", "plexes", "blocks differing", "components failed"}, rows,
                 "plexes after the final CP");
  rows.clear();
  for (const ScrubRecord& x : s.scrubs)
    rows.push_back({x.aggregate, std::to_string(x.plex), std::to_string(x.mismatched_stripes), x.ok ? "ok" : "MISMATCH"});
  if (!rows.empty())
    out += table({"aggregate", "plex", "stripes mismatched", "result"}, rows,
                 "parity scrub: " + std::to_string(s.scrubs.size()) + " plexes, " +
                     std::to_string(s.scrub_mismatched_stripes()) + " mismatched stripes");
  return out;
}

}  // namespace

std::string storage_section(const Analysis& a) {
  if (a.storage.empty()) return "";
  return section("storage", "Storage recovery", storage_chart(a), work_tables(a.storage) + state_tables(a.storage),
                 "A RAID group is degraded from its first missing disk (failed, or on a failed shelf) until the "
                 "rebuild that restores its last one, or the run's end. Rebuild and resync rates are bytes over "
                 "duration. Latency: acknowledged requests whose ack came while a group of their aggregate was "
                 "degraded, against the rest (takeovers inside the window count in it too). The same records: "
                 "report.json's storage, rebuilds.csv, degraded.csv, resyncs.csv.",
                 true);
}

}  // namespace failsim::reports::html
