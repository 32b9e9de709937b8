// Throughput bins (in total and per aggregate), latency quantiles per bin,
// NVRAM samples and utilisation from sample deltas.
#include "series.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "reports/latency.hpp"
#include "runfolder/ack_gap.hpp"

namespace failsim::reports {

using nlohmann::json;

namespace {

// The smallest 1-2-5 interval that cuts the run into at most 300 bins.
double bin_width_s(double end_s) {
  for (double decade = 1e-3;; decade *= 10)
    for (double m : {1.0, 2.0, 5.0})
      if (end_s / (m * decade) <= 300) return m * decade;
}

std::size_t bin_of(double t, double bin_s, std::size_t bins) {
  return std::min(bins - 1, static_cast<std::size_t>(t / bin_s));
}

std::vector<ThroughputBin> throughput(const RunData& run, double bin_s) {
  const double end_s = run.end_s();
  const auto bins = static_cast<std::size_t>(std::max(1.0, std::ceil(end_s / bin_s)));
  std::vector<ThroughputBin> out(bins);
  for (std::size_t i = 0; i < bins; ++i) {
    out[i].start_s = static_cast<double>(i) * bin_s;
    out[i].end_s = static_cast<double>(i + 1) * bin_s;
  }
  for (const Request& q : run.requests) {
    ++out[bin_of(q.invoke_s, bin_s, bins)].invoked;
    if (q.answered()) ++out[bin_of(q.done_s, bin_s, bins)].acked;
  }
  for (ThroughputBin& b : out) b.acks_per_s = static_cast<double>(b.acked) / bin_s;
  return out;
}

std::map<std::string, AggregateAcks> acks_by_aggregate(const RunData& run, double bin_s, std::size_t bins) {
  std::map<std::string, AggregateAcks> out;
  for (const auto& a : run.scenario.at("cluster").at("aggregates")) out[a.at("name").get<std::string>()].acked.resize(bins);
  std::map<std::string, double> first_invoke_s;
  std::map<std::string, std::vector<double>> acks_s;
  // A request still waiting when the run ended: no outcome, or the one the
  // simulator writes for it after the end (a client giving up is earlier).
  std::set<std::string> waiting_at_end;
  const double end_s = run.run_end_s();
  for (const Request& q : run.requests) {
    AggregateAcks& a = out[q.aggregate];
    a.acked.resize(bins);
    first_invoke_s.try_emplace(q.aggregate, q.invoke_s);  // requests are in invocation order
    if (q.outcome.empty() || (q.outcome == "info" && q.done_s >= end_s)) waiting_at_end.insert(q.aggregate);
    if (!q.answered()) continue;
    ++a.acked[bin_of(q.done_s, bin_s, bins)];
    ++a.total;
    acks_s[q.aggregate].push_back(q.done_s);
  }
  for (const auto& [aggr, first_s] : first_invoke_s) {
    const runfolder::AckGap gap =
        runfolder::longest_ack_gap(first_s, std::move(acks_s[aggr]),
                                   waiting_at_end.contains(aggr) ? std::optional<double>(end_s) : std::nullopt);
    AggregateAcks& a = out[aggr];
    a.longest_gap_s = gap.longest_s;
    a.gap_from_s = gap.from_s;
    a.gap_to_s = gap.to_s;
  }
  return out;
}

std::vector<LatencyBin> latency_bins(const RunData& run, double bin_s, std::size_t bins) {
  std::vector<std::vector<double>> ms(bins);
  for (const Request& q : run.requests)
    if (q.answered()) ms[bin_of(q.invoke_s, bin_s, bins)].push_back(q.latency_s() * 1e3);
  std::vector<LatencyBin> out(bins);
  for (std::size_t i = 0; i < bins; ++i) {
    out[i].start_s = static_cast<double>(i) * bin_s;
    out[i].end_s = static_cast<double>(i + 1) * bin_s;
    const Percentiles p = percentiles(std::move(ms[i]));
    out[i].acked = p.count;
    out[i].p50_ms = p.p50_ms;
    out[i].p99_ms = p.p99_ms;
    out[i].max_ms = p.max_ms;
  }
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
  s.acks_by_aggregate = acks_by_aggregate(run, s.bin_s, s.throughput.size());
  s.latency = latency_bins(run, s.bin_s, s.throughput.size());
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

namespace {

json by_aggregate_json(const std::map<std::string, AggregateAcks>& by_aggregate, double bin_s) {
  json out = json::object();
  for (const auto& [aggr, a] : by_aggregate) {
    const std::uint64_t peak = a.acked.empty() ? 0 : *std::max_element(a.acked.begin(), a.acked.end());
    out[aggr] = {{"acked", a.total},
                 {"peak_acks_per_s", static_cast<double>(peak) / bin_s},
                 {"longest_gap_s", a.longest_gap_s},
                 {"longest_gap_from_s", a.gap_from_s},
                 {"longest_gap_to_s", a.gap_to_s},
                 {"acked_per_interval", a.acked}};
  }
  return out;
}

// Per interval, as columns; null where no request issued in it was acked.
json latency_json(const std::vector<LatencyBin>& bins, double bin_s) {
  json start = json::array(), acked = json::array(), p50 = json::array(), p99 = json::array(), max = json::array();
  double peak_p50 = 0, peak_p99 = 0;
  for (const LatencyBin& b : bins) {
    start.push_back(b.start_s);
    acked.push_back(b.acked);
    p50.push_back(b.acked ? json(b.p50_ms) : json(nullptr));
    p99.push_back(b.acked ? json(b.p99_ms) : json(nullptr));
    max.push_back(b.acked ? json(b.max_ms) : json(nullptr));
    peak_p50 = std::max(peak_p50, b.p50_ms);
    peak_p99 = std::max(peak_p99, b.p99_ms);
  }
  return {{"interval_s", bin_s}, {"binned_by", "issue time"}, {"peak_p50_ms", peak_p50}, {"peak_p99_ms", peak_p99},
          {"start_s", start},    {"acked", acked},             {"p50_ms", p50},          {"p99_ms", p99},
          {"max_ms", max}};
}

}  // namespace

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
  return {{"throughput",
           {{"interval_s", bin_s},
            {"peak_acks_per_s", static_cast<double>(peak_acked) / bin_s},
            {"by_aggregate", by_aggregate_json(acks_by_aggregate, bin_s)}}},
          {"latency_quantiles", latency_json(latency, bin_s)},
          {"nvram", {{"log_half_bytes", half}, {"peak_log_bytes", nvram_peak}, {"samples", nvram.size()}}},
          {"utilisation", util}};
}

}  // namespace failsim::reports
