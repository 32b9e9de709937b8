// report.html: the charts over time below the latency dots - the ack latency
// quantiles per interval (p50, p99, max: Jepsen's latency-quantiles) and the
// acknowledgements per second, in total and per aggregate.
#include <algorithm>

#include "reports/format.hpp"
#include "reports/html_parts.hpp"

namespace failsim::reports::html {

const std::string& quantile_color(const std::string& q) {
  static const std::string p50 = "#4e79a7", p99 = "#f28e2b", max = "#e15759";
  return q == "p50" ? p50 : q == "p99" ? p99 : max;
}

std::string quantiles_chart(const Analysis& a, double lo_ms, double hi_ms) {
  SvgChart c(kChartWidth_px, 220, {0, a.timeline.end_s, false, "issued at (s)"}, {lo_ms, hi_ms, true, "ack latency (ms)"});
  c.axes();
  mark_run(c, a);
  // One line per quantile through the middle of each interval; an interval
  // with no acked request breaks the line.
  for (const char* q : {"max", "p99", "p50"}) {
    std::vector<Points> parts(1);
    for (const LatencyBin& b : a.series.latency) {
      if (b.acked == 0) {
        if (!parts.back().empty()) parts.emplace_back();
        continue;
      }
      const double v = std::string(q) == "p50" ? b.p50_ms : std::string(q) == "p99" ? b.p99_ms : b.max_ms;
      parts.back().emplace_back((b.start_s + b.end_s) / 2, v);
    }
    for (const Points& p : parts) {
      c.line(p, quantile_color(q), 1.6);
      if (p.size() == 1) c.dots(p, quantile_color(q), 2);  // a lone interval is no line
    }
  }
  return c.svg("ack latency quantiles over time") +
         legend({{"p50", quantile_color("p50")}, {"p99", quantile_color("p99")}, {"max", quantile_color("max")}});
}

std::string throughput_chart(const Analysis& a, double& peak_acks_per_s) {
  const double bin_s = a.series.bin_s;
  auto flat = [&](const std::vector<std::uint64_t>& acked) {  // each interval flat at its rate
    Points p;
    const auto& bins = a.series.throughput;
    for (std::size_t i = 0; i < bins.size() && i < acked.size(); ++i) {
      const double rate = static_cast<double>(acked[i]) / bin_s;
      p.emplace_back(bins[i].start_s, rate);
      p.emplace_back(bins[i].end_s, rate);
      peak_acks_per_s = std::max(peak_acks_per_s, rate);
    }
    return p;
  };
  std::vector<std::uint64_t> total;
  for (const ThroughputBin& b : a.series.throughput) total.push_back(b.acked);
  const Points all = flat(total);
  SvgChart t(kChartWidth_px, 190, {0, a.timeline.end_s, false, "time (s)"},
             {0, std::max(peak_acks_per_s, 1.0) * 1.1, false, "acks/s per " + fixed(bin_s * 1e3, 0) + " ms"});
  t.axes();
  mark_run(t, a);
  t.line(all, "#bbbbbb", 3);
  std::vector<std::pair<std::string, std::string>> keys{{"all aggregates", "#bbbbbb"}};
  std::size_t i = 0;
  for (const auto& [aggr, acks] : a.series.acks_by_aggregate) {
    t.line(flat(acks.acked), series_color(i), 1.4);
    keys.emplace_back(aggr, series_color(i++));
  }
  return t.svg("acknowledgements per second, in total and per aggregate") + legend(keys);
}

std::vector<std::vector<std::string>> aggregate_ack_rows(const Analysis& a) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [aggr, acks] : a.series.acks_by_aggregate) {
    const std::uint64_t peak = acks.acked.empty() ? 0 : *std::max_element(acks.acked.begin(), acks.acked.end());
    rows.push_back({aggr, std::to_string(acks.total), fixed(static_cast<double>(peak) / a.series.bin_s, 0),
                    s3(acks.longest_gap_s), acks.total ? s3(acks.gap_from_s) + " - " + s3(acks.gap_to_s) : ""});
  }
  return rows;
}

}  // namespace failsim::reports::html
