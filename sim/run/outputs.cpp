// final-state.json, memory-state.json, summary.json and the text summary.
#include "outputs.hpp"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "common/build_info.hpp"
#include "common/write_file.hpp"
#include "runfolder/serving_timeline.hpp"

namespace failsim::sim {

using nlohmann::json;

namespace {

// `sorted`: ascending.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// Takeovers, givebacks and the aggregates unserved at the end: the
// serving timeline of the run's events (runfolder/serving_timeline.hpp),
// the one definition the checker and the reports use too.
runfolder::Serving serving_of(const World& w) {
  std::map<std::string, std::string> owners;
  for (const auto& a : w.scenario.cluster.aggregates) owners[a.name] = a.owner;
  runfolder::ServingTimeline timeline(std::move(owners));
  for (const runfolder::Event& e : w.recorder->serving_events()) timeline.observe(e);
  return timeline.finish();
}

}  // namespace

int write_outputs(World& w, const FinalImages& images, const std::string& dir, std::ostream& out) {
  write_file(dir + "/final-state.json", runfolder::state_json(images.disk).dump(1) + '\n');
  write_file(dir + "/memory-state.json", runfolder::state_json(images.memory).dump(1) + '\n');

  Recorder::Stats st = w.recorder->stats();
  std::sort(st.latencies_s.begin(), st.latencies_s.end());  // once, for every percentile
  const runfolder::Serving serving = serving_of(w);
  std::vector<double> takeover_s, giveback_s;
  for (const runfolder::Takeover& t : serving.takeovers) takeover_s.push_back(t.duration_s());
  for (const runfolder::Giveback& g : serving.givebacks) giveback_s.push_back(g.duration_s());
  std::vector<std::string> unserved_at_end;
  for (const auto& a : w.scenario.cluster.aggregates)
    if (!serving.server_at_end.contains(a.name)) unserved_at_end.push_back(a.name);
  json latency{{"p50_ms", percentile(st.latencies_s, 0.5) * 1e3},
               {"p90_ms", percentile(st.latencies_s, 0.9) * 1e3},
               {"p99_ms", percentile(st.latencies_s, 0.99) * 1e3},
               {"p999_ms", percentile(st.latencies_s, 0.999) * 1e3},
               {"max_ms", percentile(st.latencies_s, 1.0) * 1e3}};
  // The outage clients saw, per aggregate (runfolder/ack_gap.hpp).
  const std::map<std::string, runfolder::AckGap> ack_gaps = w.recorder->ack_gaps(w.end_s);
  json ack_gap_json = json::object();
  for (const auto& [aggregate, gap] : ack_gaps) ack_gap_json[aggregate] = gap.longest_s;
  json summary{{"build", build_name()},  // which failsim ran it (common/build_info.hpp)
               {"scenario", w.scenario.name},
               {"seed", w.scenario.seed},
               {"simulated_s", w.now()},
               {"ops", {{"issued", st.issued}, {"answered", st.answered}, {"unknown", st.unknown},
                        {"retransmissions", st.retransmissions}}},
               {"ack_latency", latency},
               {"takeover_s", takeover_s},
               {"giveback_s", giveback_s},
               {"unserved_aggregates", unserved_at_end},
               {"longest_ack_gap_s", ack_gap_json},
               {"reservation_rejections", w.store.rejections().size()}};
  write_file(dir + "/summary.json", summary.dump(1) + '\n');

  out << "scenario " << w.scenario.name << " (seed " << w.scenario.seed << "): " << std::fixed << std::setprecision(3)
      << w.now() << " s simulated\n"
      << "  ops: " << st.issued << " issued, " << st.answered << " answered, " << st.unknown << " unknown, "
      << st.retransmissions << " retransmissions\n"
      << "  ack latency ms: p50 " << latency["p50_ms"].get<double>() << ", p99 " << latency["p99_ms"].get<double>()
      << ", max " << latency["max_ms"].get<double>() << "\n";
  for (const runfolder::Takeover& t : serving.takeovers)
    out << "  takeover: " << t.duration_s() << " s from "
        << (t.stopped_by == runfolder::EventKind::crash    ? "crash"
            : t.stopped_by == runfolder::EventKind::resume ? "the owner hanging"
                                                           : "the owner stopping")
        << " to the partner serving " << t.aggregate << "\n";
  for (const auto& [aggregate, gap] : ack_gaps)
    out << "  " << aggregate << ": clients went " << gap.longest_s << " s at most without an ack (" << gap.from_s
        << " - " << gap.to_s << " s)\n";
  for (double t : giveback_s) out << "  giveback: " << t << " s\n";
  // A fault after the last change was answered meets no client traffic:
  // the scenario most likely meant it earlier.
  for (const FaultSpec& f : w.scenario.faults)
    if (st.answered + st.unknown > 0 && f.at_s > w.recorder->last_completion_s())
      out << "  warning: the fault " << to_string(f.kind()) << " at " << f.at_s
          << " s comes after the workload ended at " << w.recorder->last_completion_s()
          << " s: no client change meets it\n";
  for (const auto& a : unserved_at_end) out << "  " << a << " is not served at the end\n";
  return 0;
}

}  // namespace failsim::sim
