// Percentiles, phases and CDFs of the client ack latency.
#include "latency.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace failsim::reports {

using nlohmann::json;

const std::vector<std::string>& phase_names() {
  static const std::vector<std::string> names{"before fault",    "during takeover", "after takeover",
                                              "during giveback", "after giveback",  "after fault"};
  return names;
}

json Percentiles::to_json() const {
  return {{"count", count},   {"p50_ms", p50_ms}, {"p90_ms", p90_ms}, {"p99_ms", p99_ms},
          {"p999_ms", p999_ms}, {"max_ms", max_ms}, {"mean_ms", mean_ms}};
}

Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  p.count = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    std::size_t i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
  };
  p.p50_ms = at(0.5);
  p.p90_ms = at(0.9);
  p.p99_ms = at(0.99);
  p.p999_ms = at(0.999);
  p.max_ms = at(1.0);
  p.mean_ms = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  return p;
}

json LatencyReport::to_json() const {
  json phases = json::object(), ops = json::object(), cdf = json::object(), tail = json::object(),
       win = json::array();
  for (const auto& [k, p] : by_phase) phases[k] = p.to_json();
  for (const auto& [k, p] : by_op) ops[k] = p.to_json();
  for (const auto& [k, pts] : cdf_by_phase) {
    json a = json::array();
    for (const auto& [ms, f] : pts) a.push_back({ms, f});
    cdf[k] = a;
  }
  for (const auto& [k, pts] : tail_by_phase) {
    json a = json::array();
    for (const auto& [ms, f] : pts) a.push_back({ms, f});
    tail[k] = a;
  }
  for (const Window& w : windows) win.push_back({{"phase", w.phase}, {"start_s", w.start_s}, {"end_s", w.end_s}});
  return {{"all", all.to_json()},
          {"by_phase", phases},
          {"by_op", ops},
          {"phase_rule",
           "a request belongs to the takeover or giveback window its lifetime overlaps, else to the phase in force "
           "when it was invoked"},
          {"windows", win},
          {"first_fault_s", first_fault_s ? json(*first_fault_s) : json(nullptr)},
          {"cdf_by_phase", cdf},
          {"tail_by_phase", tail}};
}

namespace {

// At most `points` points of the empirical CDF of sorted `v`: every sample
// when few, else evenly spaced ranks plus the last.
std::vector<std::pair<double, double>> cdf_points(const std::vector<double>& v, std::size_t points) {
  std::vector<std::pair<double, double>> out;
  const std::size_t n = v.size();
  if (n == 0) return out;
  const auto fraction = [n](std::size_t i) { return static_cast<double>(i + 1) / static_cast<double>(n); };
  if (n <= points) {
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(v[i], fraction(i));
    return out;
  }
  for (std::size_t k = 0; k < points; ++k) {
    const std::size_t i = k * (n - 1) / (points - 1);
    out.emplace_back(v[i], fraction(i));
  }
  return out;
}

// At most `points` points (latency, fraction at least as slow) of sorted
// `v`: every sample when few, else the ranks whose fraction at least as
// slow is spaced evenly in its logarithm, from 1 (the fastest) to 1/n (the
// slowest).
std::vector<std::pair<double, double>> tail_points(const std::vector<double>& v, std::size_t points) {
  std::vector<std::pair<double, double>> out;
  const std::size_t n = v.size();
  const auto at_least = [n](std::size_t i) { return static_cast<double>(n - i) / static_cast<double>(n); };
  if (n <= points) {
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(v[i], at_least(i));
    return out;
  }
  const double log_n = std::log(static_cast<double>(n));
  std::size_t last = n;  // no index yet
  for (std::size_t k = 0; k < points; ++k) {
    // As slow or slower: from n requests (k = 0) down to 1 (the last k).
    const double slower = std::exp(log_n * (1.0 - static_cast<double>(k) / static_cast<double>(points - 1)));
    const std::size_t count = std::clamp<std::size_t>(static_cast<std::size_t>(std::llround(slower)), 1, n);
    const std::size_t i = n - count;
    if (i == last) continue;
    out.emplace_back(v[i], at_least(i));
    last = i;
  }
  return out;
}

}  // namespace

LatencyReport analyse_latency(const RunData& run, const std::vector<Recovery>& recoveries) {
  LatencyReport r;
  const double end_s = run.end_s();
  for (const Recovery& rec : recoveries)
    if (rec.refused.empty())  // a refused takeover moved nothing: no outage window of its own
      r.windows.push_back({rec.kind == "takeover" ? "during takeover" : "during giveback", rec.start_s,
                         rec.served_s ? *rec.served_s : end_s});
  std::stable_sort(r.windows.begin(), r.windows.end(),
                   [](const Window& a, const Window& b) { return a.start_s < b.start_s; });
  for (const runfolder::Event& e : run.events)
    if (e.kind == runfolder::EventKind::fault || e.kind == runfolder::EventKind::crash) {
      r.first_fault_s = e.time_s;
      break;
    }

  auto phase_of = [&](const Request& q) -> std::string {
    const double a = q.invoke_s, b = q.outcome.empty() ? end_s : q.done_s;
    for (const Window& w : r.windows)
      if (a <= w.end_s && b >= w.start_s) return w.phase;
    const Window* last = nullptr;
    for (const Window& w : r.windows)
      if (w.end_s <= a) last = &w;
    if (last) return last->phase == "during takeover" ? "after takeover" : "after giveback";
    return r.first_fault_s && a >= *r.first_fault_s ? "after fault" : "before fault";
  };

  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_phase, by_op;
  r.phase_of.reserve(run.requests.size());
  for (const Request& q : run.requests) {
    r.phase_of.push_back(phase_of(q));
    if (!q.answered()) continue;
    const double ms = q.latency_s() * 1e3;
    all.push_back(ms);
    by_phase[r.phase_of.back()].push_back(ms);
    by_op[q.op].push_back(ms);
  }
  r.all = percentiles(all);
  for (auto& [k, v] : by_phase) {
    std::sort(v.begin(), v.end());
    r.cdf_by_phase[k] = cdf_points(v, 400);
    r.tail_by_phase[k] = tail_points(v, 400);
    r.by_phase[k] = percentiles(std::move(v));
  }
  for (auto& [k, v] : by_op) r.by_op[k] = percentiles(std::move(v));
  return r;
}

}  // namespace failsim::reports
