// Building the trace events. Timestamps in microseconds, as the format wants.
#include "chrome_trace.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/lanes.hpp"

namespace failsim::reports {

using nlohmann::json;

namespace {

// Times go out as microseconds with nanosecond resolution: spans computed
// in whole nanoseconds, so spans that follow each other in the run follow
// each other in the trace too (viewers read ts and dur as whole ns).
long long ns(double s) { return std::llround(s * 1e9); }
double us(long long ns) { return static_cast<double>(ns) / 1e3; }
double us(double s) { return us(ns(s)); }

class Trace {
 public:
  void process(int pid, const std::string& name, int sort) {
    events_.push_back({{"name", "process_name"}, {"ph", "M"}, {"ts", 0}, {"pid", pid}, {"tid", 0}, {"args", {{"name", name}}}});
    events_.push_back(
        {{"name", "process_sort_index"}, {"ph", "M"}, {"ts", 0}, {"pid", pid}, {"tid", 0}, {"args", {{"sort_index", sort}}}});
  }
  void thread(int pid, int tid, const std::string& name) {
    events_.push_back({{"name", "thread_name"}, {"ph", "M"}, {"ts", 0}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}});
    events_.push_back(
        {{"name", "thread_sort_index"}, {"ph", "M"}, {"ts", 0}, {"pid", pid}, {"tid", tid}, {"args", {{"sort_index", tid}}}});
  }
  void span(int pid, int tid, const std::string& cat, const std::string& name, double start_s, double end_s,
            const json& args) {
    json e{{"name", name}, {"cat", cat}, {"ph", "X"}, {"ts", us(start_s)}, {"dur", us(std::max(0LL, ns(end_s) - ns(start_s)))},
           {"pid", pid}, {"tid", tid}};
    if (!args.empty()) e["args"] = args;
    events_.push_back(std::move(e));
  }
  void counter(int pid, const std::string& name, double t_s, const json& values) {
    events_.push_back({{"name", name}, {"ph", "C"}, {"ts", us(t_s)}, {"pid", pid}, {"tid", 0}, {"args", values}});
  }
  void instant(int pid, const std::string& name, double t_s, bool global, const json& args) {
    events_.push_back({{"name", name}, {"cat", "marker"}, {"ph", "i"}, {"s", global ? "g" : "p"}, {"ts", us(t_s)},
                       {"pid", pid}, {"tid", 0}, {"args", args}});
  }
  json events() && { return std::move(events_); }

 private:
  json events_ = json::array();
};

// Spans of one node lane spread over sub-lanes where they overlap.
void node_lane(Trace& tr, int pid, int& next_tid, const std::string& lane, const std::vector<const Span*>& spans) {
  std::vector<std::pair<double, double>> iv;
  for (const Span* s : spans) iv.emplace_back(s->start_s, s->end_s);
  const std::vector<std::size_t> sub = assign_lanes(iv);
  const std::size_t lanes = sub.empty() ? 0 : *std::max_element(sub.begin(), sub.end()) + 1;
  const int first_tid = next_tid;
  for (std::size_t l = 0; l < lanes; ++l)
    tr.thread(pid, next_tid++, l == 0 ? lane : lane + " (" + std::to_string(l + 1) + ")");
  for (std::size_t i = 0; i < spans.size(); ++i)
    tr.span(pid, first_tid + static_cast<int>(sub[i]), lane == "state" ? "state" : "activity", spans[i]->name,
            spans[i]->start_s, spans[i]->end_s, spans[i]->args);
}

}  // namespace

json chrome_trace(const Analysis& a) {
  Trace tr;
  const auto& nodes = a.timeline.nodes;
  std::map<std::string, int> pid_of;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const int pid = static_cast<int>(i) + 1;
    pid_of[nodes[i]] = pid;
    tr.process(pid, "node " + nodes[i], pid);
    int next_tid = 1;
    std::vector<const Span*> states;
    for (const Span& s : a.timeline.states)
      if (s.node == nodes[i]) states.push_back(&s);
    node_lane(tr, pid, next_tid, "state", states);
    std::vector<std::string> lanes;  // activity lanes in order of first use
    for (const Span& s : a.timeline.activities)
      if (s.node == nodes[i] && std::find(lanes.begin(), lanes.end(), s.lane) == lanes.end()) lanes.push_back(s.lane);
    for (const std::string& lane : lanes) {
      std::vector<const Span*> spans;
      for (const Span& s : a.timeline.activities)
        if (s.node == nodes[i] && s.lane == lane) spans.push_back(&s);
      node_lane(tr, pid, next_tid, lane, spans);
    }
  }
  for (const NvramPoint& p : a.series.nvram)
    if (pid_of.count(p.node))
      tr.counter(pid_of[p.node], "NVRAM log bytes", p.time_s,
                 {{"own", p.own_log_bytes}, {"takeover", p.takeover_log_bytes}});

  const int disks_pid = static_cast<int>(nodes.size()) + 1;
  tr.process(disks_pid, "devices", disks_pid);
  for (const UsagePoint& u : a.series.usage) {
    if (u.resource == "nvram" || u.resource == "interconnect") {
      if (pid_of.count(u.node)) tr.counter(pid_of[u.node], u.resource + " utilisation", u.start_s, {{"busy", u.utilisation}});
    } else {
      tr.counter(disks_pid, u.resource + " by " + u.node, u.start_s, {{"busy", u.utilisation}});
    }
  }

  const int clients_pid = disks_pid + 1;
  tr.process(clients_pid, "clients", clients_pid);
  std::map<std::uint64_t, std::vector<std::size_t>> by_client;
  for (std::size_t i = 0; i < a.run.requests.size(); ++i) by_client[a.run.requests[i].client].push_back(i);
  int tid = 1;
  for (const auto& [client, idx] : by_client) {
    std::vector<std::pair<double, double>> iv;
    for (std::size_t i : idx) {
      const Request& q = a.run.requests[i];
      iv.emplace_back(q.invoke_s, q.outcome.empty() ? a.timeline.end_s : q.done_s);
    }
    const std::vector<std::size_t> sub = assign_lanes(iv);
    const std::size_t lanes = sub.empty() ? 0 : *std::max_element(sub.begin(), sub.end()) + 1;
    for (std::size_t l = 0; l < lanes; ++l)
      tr.thread(clients_pid, tid + static_cast<int>(l),
                "client " + std::to_string(client) + (l == 0 ? "" : " (" + std::to_string(l + 1) + ")"));
    for (std::size_t k = 0; k < idx.size(); ++k) {
      const Request& q = a.run.requests[idx[k]];
      json args{{"xid", q.xid}, {"aggregate", q.aggregate}, {"phase", a.latency.phase_of[idx[k]]}};
      args["outcome"] = q.answered() ? q.result : q.outcome.empty() ? "none" : "unknown";
      tr.span(clients_pid, tid + static_cast<int>(sub[k]), "request", q.answered() ? q.op : q.op + " (unknown)",
              iv[k].first, iv[k].second, args);
    }
    tid += static_cast<int>(lanes);
  }

  for (const Marker& m : a.timeline.markers) {
    const bool global = !pid_of.count(m.node);
    tr.instant(global ? 1 : pid_of[m.node], m.label, m.time_s, global, {{"kind", m.kind}});
  }
  return {{"traceEvents", std::move(tr).events()},
          {"displayTimeUnit", "ms"},
          {"otherData",
           {{"scenario", a.run.scenario.value("name", "")}, {"seed", a.run.scenario.value("seed", json(nullptr))}}}};
}

}  // namespace failsim::reports
