// Throughput bins, NVRAM samples and utilisation from sample deltas.
#include "series.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace failsim::reports {

using nlohmann::json;

namespace {

// The smallest 1-2-5 interval that cuts the run into at most 300 bins.
double bin_width_s(double end_s) {
  for (double decade = 1e-3;; decade *= 10)
    for (double m : {1.0, 2.0, 5.0})
      if (end_s / (m * decade) <= 300) return m * decade;
}

std::vector<ThroughputBin> throughput(const RunData& run, double bin_s) {
  const double end_s = run.end_s();
  const auto bins = static_cast<std::size_t>(std::max(1.0, std::ceil(end_s / bin_s)));
  std::vector<ThroughputBin> out(bins);
  for (std::size_t i = 0; i < bins; ++i) {
    out[i].start_s = static_cast<double>(i) * bin_s;
    out[i].end_s = static_cast<double>(i + 1) * bin_s;
  }
  auto bin_of = [&](double t) { return std::min(bins - 1, static_cast<std::size_t>(t / bin_s)); };
  for (const Request& q : run.requests) {
    ++out[bin_of(q.invoke_s)].invoked;
    if (q.answered()) ++out[bin_of(q.done_s)].acked;
  }
  for (ThroughputBin& b : out) b.acks_per_s = static_cast<double>(b.acked) / bin_s;
  return out;
}

struct Counters {
  double time_s = 0;
  std::map<std::string, double> busy_s;  // resource -> busy seconds so far
};

Counters counters_of(double time_s, const runfolder::Sample& sample) {
  Counters c;
  c.time_s = time_s;
  c.busy_s["nvram"] = sample.nvram_busy_s;
  c.busy_s["interconnect"] = sample.mirror_busy_s;
  for (const auto& [disk, s] : sample.disk_busy_s) c.busy_s[disk] = s;
  return c;
}

}  // namespace

Series build_series(const RunData& run) {
  Series s;
  s.bin_s = bin_width_s(run.end_s());
  s.throughput = throughput(run, s.bin_s);
  std::map<std::string, std::optional<Counters>> last;  // node -> its last timer sample since it came up
  std::map<std::string, std::map<std::string, double>> busy_sum;
  std::map<std::string, double> sampled_s;  // per node: time covered by intervals
  for (const runfolder::Event& e : run.events) {
    const std::string& node = e.node;
    if (e.kind == runfolder::EventKind::crash) last[node].reset();  // the down time is no interval of use
    const auto* sample = e.get<runfolder::Sample>();
    if (!sample) continue;
    s.nvram.push_back({e.time_s, node, sample->at, sample->own_log_bytes, sample->takeover_log_bytes,
                       sample->log_half_bytes});
    if (sample->at != "timer") continue;
    Counters now = counters_of(e.time_s, *sample);
    if (auto& prev = last[node]; prev && now.time_s > prev->time_s) {
      const double dt = now.time_s - prev->time_s;
      sampled_s[node] += dt;
      for (const auto& [res, busy] : now.busy_s) {
        const auto it = prev->busy_s.find(res);
        const double delta = std::max(0.0, busy - (it == prev->busy_s.end() ? 0.0 : it->second));
        s.usage.push_back({prev->time_s, now.time_s, node, res, delta / dt});
        busy_sum[node][res] += delta;
        double& peak = s.peak_utilisation[node][res];
        peak = std::max(peak, delta / dt);
      }
    }
    last[node] = std::move(now);
  }
  for (const auto& [node, m] : busy_sum)
    for (const auto& [res, busy] : m) s.mean_utilisation[node][res] = busy / sampled_s.at(node);
  return s;
}

json Series::to_json() const {
  std::uint64_t peak_acked = 0;
  for (const ThroughputBin& b : throughput) peak_acked = std::max(peak_acked, b.acked);
  std::map<std::string, std::uint64_t> nvram_peak;
  std::uint64_t half = 0;
  for (const NvramPoint& p : nvram) {
    nvram_peak[p.node] = std::max(nvram_peak[p.node], p.own_log_bytes + p.takeover_log_bytes);
    half = std::max(half, p.half_bytes);
  }
  json util = json::object();
  for (const auto& [node, m] : mean_utilisation)
    for (const auto& [res, mean] : m) util[node][res] = {{"mean", mean}, {"peak", peak_utilisation.at(node).at(res)}};
  return {{"throughput", {{"interval_s", bin_s}, {"peak_acks_per_s", static_cast<double>(peak_acked) / bin_s}}},
          {"nvram", {{"log_half_bytes", half}, {"peak_log_bytes", nvram_peak}, {"samples", nvram.size()}}},
          {"utilisation", util}};
}

}  // namespace failsim::reports
