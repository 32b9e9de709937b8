// report.html: ack latency over time with its quantiles and throughput, and
// the latency tail (1 - CDF, log scale) and percentiles by phase and change
// type.
#include <algorithm>
#include <map>

#include "reports/format.hpp"
#include "reports/html_parts.hpp"

namespace failsim::reports::html {

namespace {

// Beyond kMaxDots answered requests, each of kSlices time slices shows its
// fastest and slowest request: the outage and the tail stay visible.
constexpr std::size_t kMaxDots = 6000, kSlices = 1500;

std::vector<std::size_t> requests_to_draw(const std::vector<Request>& q, const std::vector<std::size_t>& answered,
                                          double end_s) {
  if (answered.size() <= kMaxDots) return answered;
  std::vector<std::size_t> shown;
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> slice;  // slice -> (fastest, slowest)
  for (std::size_t i : answered) {
    const auto k = static_cast<std::size_t>(q[i].invoke_s / std::max(end_s, 1e-9) * kSlices);
    auto [it, added] = slice.try_emplace(k, i, i);
    if (q[i].latency_s() < q[it->second.first].latency_s()) it->second.first = i;
    if (q[i].latency_s() > q[it->second.second].latency_s()) it->second.second = i;
  }
  for (const auto& [k, fs] : slice) {
    shown.push_back(fs.first);
    if (fs.second != fs.first) shown.push_back(fs.second);
  }
  return shown;
}

}  // namespace

std::string latency_time_section(const Analysis& a) {
  const auto& q = a.run.requests;
  std::vector<std::size_t> answered;
  double lo = 1e300, hi = 0;
  for (std::size_t i = 0; i < q.size(); ++i)
    if (q[i].answered()) {
      answered.push_back(i);
      lo = std::min(lo, q[i].latency_s() * 1e3);
      hi = std::max(hi, q[i].latency_s() * 1e3);
    }
  if (answered.empty()) lo = hi = 1;
  lo = decade_floor(std::max(lo, 1e-3));
  hi = decade_ceil(std::max(hi, lo * 10));
  const double end_s = a.timeline.end_s;
  SvgChart c(kChartWidth_px, 300, {0, end_s, false, "issued at (s)"}, {lo, hi, true, "ack latency (ms)"});
  c.axes();
  mark_run(c, a);
  const std::vector<std::size_t> shown = requests_to_draw(q, answered, end_s);
  // The tail (beyond the run's p99) drawn larger: a handful of slow requests stay visible among thousands.
  std::map<std::string, Points> by_phase, tail_by_phase;
  for (std::size_t i : shown) {
    const double latency_ms = q[i].latency_s() * 1e3;
    auto& to = latency_ms > a.latency.all.p99_ms ? tail_by_phase : by_phase;
    to[a.latency.phase_of[i]].emplace_back(q[i].invoke_s, latency_ms);
  }
  std::vector<std::pair<std::string, std::string>> keys;
  for (const std::string& ph : phase_names())
    if (by_phase.count(ph) || tail_by_phase.count(ph)) {
      c.dots(by_phase[ph], phase_color(ph));
      c.dots(tail_by_phase[ph], phase_color(ph), 3.2);
      keys.emplace_back(ph, phase_color(ph));
    }
  keys.emplace_back("fault", "#d62728");

  double peak_acks_per_s = 0;
  std::string pictures = c.svg("ack latency over time") + legend(keys) + quantiles_chart(a, lo, hi) +
                         throughput_chart(a, peak_acks_per_s);
  if (shown.size() < answered.size())
    pictures += "<p class=\"note\">" + std::to_string(shown.size()) + " of " + std::to_string(answered.size()) +
                " requests drawn: the fastest and slowest of each of " + std::to_string(kSlices) +
                " time slices.</p>";
  const Percentiles& p = a.latency.all;
  std::vector<std::vector<std::string>> rows{
      {"requests acked", std::to_string(p.count)}, {"p50 (ms)", ms(p.p50_ms)},   {"p90 (ms)", ms(p.p90_ms)},
      {"p99 (ms)", ms(p.p99_ms)},                  {"p99.9 (ms)", ms(p.p999_ms)}, {"max (ms)", ms(p.max_ms)},
      {"mean (ms)", ms(p.mean_ms)},
      {"peak throughput (acks/s)", fixed(peak_acks_per_s, 0)}};
  for (const Window& w : a.latency.windows) rows.push_back({w.phase + " (s)", s3(w.start_s) + " - " + s3(w.end_s)});
  const std::string numbers =
      table({"figure", "value"}, rows) +
      table({"aggregate", "acked", "peak acks/s", "longest gap (s)", "gap from - to (s)"}, aggregate_ack_rows(a),
            "acknowledgements per aggregate");
  return section("latency-time", "Client ack latency over time", pictures, numbers,
                 "Each dot is one acknowledged change, at the time it was issued (larger: slower than the run's p99); "
                 "the shaded bands are the takeover and giveback windows, red rules the faults. Below: the p50, p99 "
                 "and max of the changes issued in each " + fixed(a.series.bin_s * 1e3, 0) + " ms interval, then "
                 "acknowledgements per second in total and per aggregate. The longest gap is the longest time an "
                 "aggregate's clients went without an ack, from the first request issued to it.",
                 true);
}

namespace {

// The fraction of requests at least as slow as x, both axes logarithmic:
// the slowest request of each phase is the last point, at 1/count.
std::string tail_chart(const Analysis& a) {
  double lo = 1e300, hi = 0;
  std::size_t most = 1;
  for (const auto& [ph, pts] : a.latency.tail_by_phase)
    for (const auto& [x, f] : pts) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
      most = std::max(most, a.latency.by_phase.at(ph).count);
    }
  if (hi == 0) lo = hi = 1;
  lo = decade_floor(std::max(lo, 1e-3));
  hi = decade_ceil(std::max(hi, lo * 10));
  const double floor = decade_floor(1.0 / static_cast<double>(most));
  SvgChart c(kChartWidth_px, 300, {lo, hi, true, "ack latency (ms)"},
             {std::min(floor, 0.1), 1, true, "fraction at least this slow"}, 70);
  c.axes();
  std::vector<std::pair<std::string, std::string>> keys;
  for (const std::string& ph : phase_names()) {
    auto it = a.latency.tail_by_phase.find(ph);
    if (it == a.latency.tail_by_phase.end()) continue;
    // A step down just after each point: at least as slow as x holds until the next point's latency.
    const auto& t = it->second;
    Points pts;
    for (std::size_t i = 0; i < t.size(); ++i) {
      pts.push_back(t[i]);
      if (i + 1 < t.size()) pts.emplace_back(t[i].first, t[i + 1].second);
    }
    c.line(pts, phase_color(ph), 2);
    c.dots({t.back()}, phase_color(ph), 3);  // the slowest request
    keys.emplace_back(ph + " (" + std::to_string(a.latency.by_phase.at(ph).count) + ")", phase_color(ph));
  }
  return c.svg("latency tail by phase (1 - CDF, log scale)") + legend(keys);
}

}  // namespace

std::string latency_cdf_section(const Analysis& a) {
  auto row = [](const std::string& name, const Percentiles& p) {
    return std::vector<std::string>{name, std::to_string(p.count), ms(p.p50_ms), ms(p.p90_ms),
                                    ms(p.p99_ms), ms(p.p999_ms), ms(p.max_ms)};
  };
  const std::vector<std::string> header{"", "acked", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"};
  std::vector<std::vector<std::string>> phases{row("all", a.latency.all)}, ops;
  for (const std::string& ph : phase_names())
    if (a.latency.by_phase.count(ph)) phases.push_back(row(ph, a.latency.by_phase.at(ph)));
  for (const auto& [op, p] : a.latency.by_op) ops.push_back(row(op, p));
  return section("latency-cdf", "Latency tail by phase and percentiles by change type", tail_chart(a),
                 table(header, phases, "by phase") + table(header, ops, "by change type"),
                 "The tail: for each latency, the fraction of the phase's acknowledged changes at least that slow "
                 "(1 - CDF), both axes logarithmic, so the slowest requests stay visible; the dot is the slowest. A "
                 "request belongs to the takeover or giveback window its lifetime overlaps, else to the phase in "
                 "force when it was issued.",
                 true);
}

}  // namespace failsim::reports::html
