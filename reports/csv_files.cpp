// CSV writers: fixed decimals (times to the nanosecond), no locale.
#include "csv_files.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

#include "common/write_file.hpp"
#include "reports/format.hpp"
#include "reports/run_data.hpp"

namespace failsim::reports {

namespace {

void latency_csv(const Analysis& a, std::ostream& out) {
  const auto& q = a.run.requests;
  std::vector<std::size_t> order(q.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return q[x].done_s < q[y].done_s; });
  out << "time_s,invoke_s,client,xid,aggregate,op,result,latency_ms,phase\n";
  for (std::size_t i : order) {
    const Request& r = q[i];
    if (!r.answered()) continue;
    out << fixed(r.done_s, 9) << ',' << fixed(r.invoke_s, 9) << ',' << r.client << ',' << r.xid << ','
        << csv_field(r.aggregate) << ',' << csv_field(r.op) << ',' << csv_field(r.result) << ','
        << fixed(r.latency_s() * 1e3, 6) << ',' << a.latency.phase_of[i] << '\n';
  }
}

// Per interval: the existing columns, then the latency quantiles of the
// changes issued in it (empty where none was acked), then the acks of each
// aggregate (a column `acked_NAME` each).
void throughput_csv(const Analysis& a, std::ostream& out) {
  out << "interval_start_s,interval_end_s,invoked,acked,acks_per_s,issued_acked,p50_ms,p99_ms,max_ms";
  for (const auto& [aggr, acks] : a.series.acks_by_aggregate) out << ',' << csv_field("acked_" + aggr);
  out << '\n';
  const auto& bins = a.series.throughput;
  for (std::size_t i = 0; i < bins.size(); ++i) {
    const ThroughputBin& b = bins[i];
    out << fixed(b.start_s, 6) << ',' << fixed(b.end_s, 6) << ',' << b.invoked << ',' << b.acked << ','
        << fixed(b.acks_per_s, 3);
    const LatencyBin& l = a.series.latency.at(i);
    out << ',' << l.acked;
    if (l.acked)
      out << ',' << fixed(l.p50_ms, 6) << ',' << fixed(l.p99_ms, 6) << ',' << fixed(l.max_ms, 6);
    else
      out << ",,,";
    for (const auto& [aggr, acks] : a.series.acks_by_aggregate) out << ',' << acks.acked.at(i);
    out << '\n';
  }
}

void nvram_csv(const Analysis& a, std::ostream& out) {
  out << "time_s,node,at,own_log_bytes,takeover_log_bytes,log_half_bytes\n";
  for (const NvramPoint& p : a.series.nvram)
    out << fixed(p.time_s, 9) << ',' << csv_field(p.node) << ',' << p.at << ',' << p.own_log_bytes << ','
        << p.takeover_log_bytes << ',' << p.half_bytes << '\n';
}

void utilisation_csv(const Analysis& a, std::ostream& out) {
  out << "interval_start_s,interval_end_s,node,resource,utilisation\n";
  for (const UsagePoint& u : a.series.usage)
    out << fixed(u.start_s, 9) << ',' << fixed(u.end_s, 9) << ',' << csv_field(u.node) << ','
        << csv_field(u.resource) << ',' << fixed(u.utilisation, 6) << '\n';
}

void cps_csv(const Analysis& a, std::ostream& out) {
  out << "start_s,end_s,duration_s,node,aggregate,blocks,interrupted\n";
  for (const Span* s : a.cps())
    out << fixed(s->start_s, 9) << ',' << fixed(s->end_s, 9) << ',' << fixed(s->duration_s(), 9) << ','
        << csv_field(s->node) << ',' << csv_field(s->args.value("aggregate", "")) << ','
        << s->args.value("blocks", 0) << ',' << (s->args.contains("interrupted") ? 1 : 0) << '\n';
}

}  // namespace

std::vector<std::string> write_csv_files(const Analysis& a, FileSet& set) {
  const std::vector<std::pair<std::string, void (*)(const Analysis&, std::ostream&)>> files{
      {"latency.csv", latency_csv},
      {"throughput.csv", throughput_csv},
      {"nvram.csv", nvram_csv},
      {"utilisation.csv", utilisation_csv},
      {"cps.csv", cps_csv}};
  std::vector<std::string> names;
  for (const auto& [name, write] : files) {
    std::ostringstream out;
    write(a, out);
    set.write(name, out.str());
    names.push_back(name);
  }
  for (std::string& name : write_storage_csv_files(a, set)) names.push_back(std::move(name));
  return names;
}

}  // namespace failsim::reports
