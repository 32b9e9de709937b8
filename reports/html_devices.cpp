// report.html: NVRAM occupancy, CP durations, device utilisation.
#include <algorithm>
#include <map>
#include <tuple>

#include "reports/format.hpp"
#include "reports/html_parts.hpp"

namespace failsim::reports::html {

namespace {

// Whether `node` went down between two of its samples.
bool went_down(const Analysis& a, const std::string& node, double from_s, double to_s) {
  for (const Span& s : a.timeline.states)
    if (s.node == node && s.name == "down" && s.start_s >= from_s && s.start_s <= to_s) return true;
  return false;
}

// The NVRAM occupancy chart and its figures (pictures, numbers).
void nvram_part(const Analysis& a, std::string& pictures, std::string& numbers) {
  const double end_s = a.timeline.end_s;
  const auto& pts = a.series.nvram;
  if (pts.empty()) {
    pictures = "<p>This run folder has no NVRAM samples (it was written before failsim recorded them).</p>";
  } else {
    std::uint64_t half = 0, peak = 0;
    for (const NvramPoint& p : pts) {
      half = std::max(half, p.half_bytes);
      peak = std::max({peak, p.own_log_bytes, p.takeover_log_bytes});
    }
    const double kib = 1024;
    SvgChart c(kChartWidth_px, 240, {0, end_s, false, "time (s)"},
               {0, std::max<double>(static_cast<double>(std::max(peak, half)), 1) * 1.05 / kib, false, "NVRAM log (KiB)"});
    c.axes();
    mark_run(c, a);
    c.hrule(static_cast<double>(half) / kib, "#888", "one log half");
    std::vector<std::pair<std::string, std::string>> keys;
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < a.timeline.nodes.size(); ++i) {
      const std::string& n = a.timeline.nodes[i];
      // One line per stretch the node was up: no line across the time it was down.
      std::vector<Points> own(1), takeover(1);
      std::uint64_t own_peak = 0, takeover_peak = 0;
      double last_s = -1;
      for (const NvramPoint& p : pts) {
        if (p.node != n) continue;
        if (last_s >= 0 && went_down(a, n, last_s, p.time_s)) {
          own.emplace_back();
          takeover.emplace_back();
        }
        last_s = p.time_s;
        own.back().emplace_back(p.time_s, static_cast<double>(p.own_log_bytes) / kib);
        takeover.back().emplace_back(p.time_s, static_cast<double>(p.takeover_log_bytes) / kib);
        own_peak = std::max(own_peak, p.own_log_bytes);
        takeover_peak = std::max(takeover_peak, p.takeover_log_bytes);
      }
      for (const Points& line : own) c.steps(line, series_color(i), 1.8);
      keys.emplace_back(n + " own log", series_color(i));
      if (takeover_peak > 0) {
        for (const Points& line : takeover) c.steps(line, series_color(i + 3), 1.8);
        keys.emplace_back(n + " log of taken-over aggregates", series_color(i + 3));
      }
      rows.push_back({n, "peak own log (KiB)", fixed(static_cast<double>(own_peak) / kib, 1)});
      if (takeover_peak > 0) rows.push_back({n, "peak takeover log (KiB)", fixed(static_cast<double>(takeover_peak) / kib, 1)});
    }
    rows.push_back({"", "log half (KiB)", fixed(static_cast<double>(half) / kib, 1)});
    pictures = c.svg("NVRAM occupancy over time") + legend(keys);
    numbers = table({"node", "figure", "value"}, rows, "NVRAM");
  }
}

// The CP durations chart and its figures.
void cp_part(const Analysis& a, std::string& pictures, std::string& numbers) {
  const double end_s = a.timeline.end_s;
  const auto cps = a.cps();
  double cp_max_ms = 1;
  for (const Span* s : cps) cp_max_ms = std::max(cp_max_ms, s->duration_s() * 1e3);
  SvgChart c(kChartWidth_px, 200, {0, end_s, false, "CP start (s)"}, {0, cp_max_ms * 1.1, false, "CP duration (ms)"});
  c.axes();
  mark_run(c, a);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < a.timeline.nodes.size(); ++i) {
    const std::string& n = a.timeline.nodes[i];
    double sum = 0, max = 0;
    std::size_t count = 0;
    for (const Span* s : cps)
      if (s->node == n) {
        const double d = s->duration_s() * 1e3;
        c.rect(s->start_s, s->start_s, 0, d, series_color(i),
               n + " CP of " + s->args.value("aggregate", "") + " at " + s3(s->start_s) + " s: " + ms(d) + " ms, " +
                   std::to_string(s->args.value("blocks", 0)) + " blocks");
        sum += d;
        max = std::max(max, d);
        ++count;
      }
    if (count)
      rows.push_back({n, std::to_string(count), ms(sum / static_cast<double>(count)), ms(max)});
  }
  std::vector<std::pair<std::string, std::string>> keys;
  for (std::size_t i = 0; i < a.timeline.nodes.size(); ++i) keys.emplace_back(a.timeline.nodes[i], series_color(i));
  pictures += c.svg("CP durations over time") + legend(keys);
  numbers += table({"node", "CPs", "mean ms", "max ms"}, rows, "consistency points");
}

// How the log fills between CPs (report.json's "log"), when the run has CPs to pair.
void log_part(const Analysis& a, std::string& numbers) {
  if (a.log.cps > 0) {
    const LogFigures& f = a.log;
    std::vector<std::vector<std::string>> log_rows{
        {"CPs paired with the one before", std::to_string(f.cps)},
        {"changes per CP, mean", fixed(*f.mean_changes_per_cp(), 1)},
        {"changes per CP, max", std::to_string(f.max_changes_per_cp)},
        {"time between CPs, mean (s)", s3(*f.mean_interval_s())}};
    if (auto b = f.log_bytes_per_change()) log_rows.push_back({"log bytes per change", fixed(*b, 1)});
    if (auto c = f.changes_per_half()) log_rows.push_back({"changes per log half", fixed(*c, 0)});
    numbers += table({"figure", "value"}, log_rows, "log between CPs");
  }
}

}  // namespace

std::string nvram_cp_section(const Analysis& a) {
  std::string pictures, numbers;
  nvram_part(a, pictures, numbers);
  cp_part(a, pictures, numbers);
  log_part(a, numbers);
  return section("nvram", "NVRAM occupancy and consistency points", pictures, numbers,
                 "Occupancy is sampled every 0.1 s of a running node and at each CP's start and end; a CP frees the "
                 "half it froze once its superblock is durable.");
}

std::string utilisation_section(const Analysis& a) {
  const auto& usage = a.series.usage;
  if (usage.empty())
    return section("utilisation", "Interconnect and disk utilisation",
                   "<p>This run folder has no device samples (it was written before failsim recorded them).</p>", "");
  // Per node: the NVRAM and interconnect DMA channels, and its busiest disk in each interval.
  using Interval = std::tuple<double, double, double>;  // start, end, busy %
  std::map<std::pair<std::string, std::string>, std::vector<Interval>> series;
  std::map<std::tuple<std::string, double, double>, double> busiest;
  for (const UsagePoint& u : usage) {
    if (u.resource == "nvram" || u.resource == "interconnect") {
      series[{u.node, u.resource}].emplace_back(u.start_s, u.end_s, u.utilisation * 100);
    } else {
      double& b = busiest[{u.node, u.start_s, u.end_s}];
      b = std::max(b, u.utilisation * 100);
    }
  }
  for (const auto& [k, v] : busiest)
    series[{std::get<0>(k), "busiest disk"}].emplace_back(std::get<1>(k), std::get<2>(k), v);
  // Each interval flat at its value; a new line where intervals do not touch (the node was down).
  std::map<std::pair<std::string, std::string>, std::vector<Points>> lines;
  double peak = 1;
  for (const auto& [k, intervals] : series) {
    std::vector<Points>& l = lines[k];
    double last_end = -1;
    for (const auto& [start, end, v] : intervals) {
      if (l.empty() || start != last_end) l.emplace_back();
      l.back().emplace_back(start, v);
      l.back().emplace_back(end, v);
      last_end = end;
      peak = std::max(peak, v);
    }
  }
  SvgChart c(kChartWidth_px, 240, {0, a.timeline.end_s, false, "time (s)"}, {0, std::min(100.0, peak * 1.1), false, "busy (%)"});
  c.axes();
  mark_run(c, a);
  std::vector<std::pair<std::string, std::string>> keys;
  std::size_t i = 0;
  for (const auto& [k, parts] : lines) {
    for (const Points& pts : parts) c.line(pts, series_color(i), 1.5);
    keys.emplace_back(k.first + " " + k.second, series_color(i));
    ++i;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [node, m] : a.series.mean_utilisation)
    for (const auto& [res, mean] : m)
      rows.push_back({node, res, fixed(mean * 100, 2), fixed(a.series.peak_utilisation.at(node).at(res) * 100, 2)});
  return section("utilisation", "Interconnect and disk utilisation", c.svg("device utilisation over time") + legend(keys),
                 table({"node", "device", "mean busy %", "peak busy %"}, rows),
                 "Busy time of each node's NVRAM and interconnect (mirror) DMA channels and of each disk it wrote, "
                 "per 0.1 s sample interval of a running node; the chart shows each node's busiest disk.");
}

}  // namespace failsim::reports::html
