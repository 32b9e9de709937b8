// Builds the analysis and report.json.
#include "analysis.hpp"

#include <algorithm>

#include "common/build_info.hpp"

namespace failsim::reports {

using nlohmann::json;

Analysis analyse(const RunData& run) {
  Analysis a{run};
  double first_invoke_s = 0, last_ack_s = 0;
  for (const Request& q : run.requests) {
    if (a.ops.issued++ == 0) first_invoke_s = q.invoke_s;  // requests are in invocation order
    if (q.answered()) {
      ++a.ops.answered;
      last_ack_s = std::max(last_ack_s, q.done_s);
    } else {
      ++a.ops.unknown;  // gave up, or the run ended first
    }
  }
  if (a.ops.answered > 0 && last_ack_s > first_invoke_s)
    a.ops.acks_per_s = static_cast<double>(a.ops.answered) / (last_ack_s - first_invoke_s);
  a.timeline = build_timeline(run);
  a.ownership = build_ownership(run);
  a.recoveries = build_recoveries(run);
  a.latency = analyse_latency(run, a.recoveries);
  a.series = build_series(run);
  a.log = build_log_figures(run);
  a.storage = build_storage(run);
  return a;
}

std::vector<const Span*> Analysis::cps() const {
  std::vector<const Span*> out;
  for (const Span& s : timeline.activities)
    if (s.name == "CP") out.push_back(&s);
  return out;
}

namespace {

json span_json(const Span& s) {
  json j{{"node", s.node}, {"lane", s.lane}, {"name", s.name}, {"start_s", s.start_s}, {"end_s", s.end_s},
         {"duration_s", s.duration_s()}};
  if (!s.args.empty()) j["args"] = s.args;
  return j;
}

}  // namespace

json Analysis::to_json() const {
  json states = json::array(), activities = json::array(), markers = json::array();
  for (const Span& s : timeline.states) states.push_back(span_json(s));
  for (const Span& s : timeline.activities) activities.push_back(span_json(s));
  for (const Marker& m : timeline.markers)
    markers.push_back({{"time_s", m.time_s}, {"node", m.node}, {"kind", m.kind}, {"label", m.label}});
  json takeovers = json::array(), givebacks = json::array();
  for (const Recovery& r : recoveries) (r.kind == "takeover" ? takeovers : givebacks).push_back(r.to_json());
  json cp_list = json::array();
  double cp_max_s = 0, cp_sum_s = 0;
  for (const Span* s : cps()) {
    cp_list.push_back(span_json(*s));
    cp_max_s = std::max(cp_max_s, s->duration_s());
    cp_sum_s += s->duration_s();
  }
  const json& sc = run.scenario;
  json report = {
      {"format", "failsim-report/1"},
      {"build", build_name()},  // which failsim wrote this report (common/build_info.hpp)
      {"run",
       {{"scenario", sc.value("name", "")},
        {"build", run.summary.value("build", json(nullptr))},  // which failsim ran it; null: not recorded
        {"description", sc.value("description", "")},
        {"seed", sc.value("seed", json(nullptr))},
        {"simulated_s", run.summary.value("simulated_s", json(nullptr))},
        {"last_event_s", timeline.end_s}}},
      {"verdict", run.verdict ? *run.verdict : json(nullptr)},
      {"ops",
       {{"issued", ops.issued},
        {"answered", ops.answered},
        {"unknown", ops.unknown},
        {"acks_per_s", ops.acks_per_s},
        {"retransmissions", run.summary.value("ops", json::object()).value("retransmissions", json(nullptr))}}},
      {"ack_latency", latency.to_json()},
      {"takeovers", takeovers},
      {"givebacks", givebacks},
      {"cps",
       {{"count", cp_list.size()},
        {"max_duration_s", cp_max_s},
        {"mean_duration_s", cp_list.empty() ? 0.0 : cp_sum_s / static_cast<double>(cp_list.size())},
        {"list", cp_list}}},
      {"log", log.to_json()},
      {"series", series.to_json()},
      {"timeline", {{"nodes", timeline.nodes}, {"end_s", timeline.end_s}, {"states", states},
                    {"activities", activities}, {"markers", markers}, {"ownership", ownership.to_json()}}},
  };
  // Absent, not empty, without storage events: such a run's report.json is as it was before the section.
  if (!storage.empty()) report["storage"] = storage.to_json();
  return report;
}

}  // namespace failsim::reports
