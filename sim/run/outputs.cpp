// final-state.json, summary.json and the text summary.
#include "outputs.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "common/final_state.hpp"
#include "common/write_file.hpp"
#include "model/filesystem.hpp"
#include "sim/run/node_driver.hpp"

namespace failsim::sim {

using nlohmann::json;

namespace {

// `sorted`: ascending.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// Takeovers and givebacks, from the node events.
struct Durations {
  std::vector<double> takeover_s, giveback_s;
};
Durations durations(const World& w, const std::string& dir) {
  Durations d;
  std::ifstream events(dir + "/events.jsonl");
  std::vector<json> ev;
  // Only these kinds matter here; the rest (report samples, most of the
  // file) are not parsed. nlohmann::json writes a top-level kind exactly so.
  auto wanted = [](const std::string& line) {
    return line.find("\"kind\":\"crash\"") != std::string::npos ||
           line.find("\"kind\":\"giveback_started\"") != std::string::npos ||
           line.find("\"kind\":\"serve\"") != std::string::npos;
  };
  for (std::string line; std::getline(events, line);)
    if (wanted(line)) ev.push_back(json::parse(line));
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const std::string kind = ev[i]["kind"];
    if (kind == "crash") {
      // From the crash to the partner serving the crashed node's aggregates.
      const std::string victim = ev[i]["node"];
      for (std::size_t j = i + 1; j < ev.size(); ++j)
        if (ev[j]["kind"] == "serve" && ev[j]["node"] != victim &&
            w.owner.at(ev[j]["aggregate"].get<std::string>()) == w.node_index(victim)) {
          d.takeover_s.push_back(ev[j]["time_s"].get<double>() - ev[i]["time_s"].get<double>());
          break;
        }
    } else if (kind == "giveback_started") {
      const std::string survivor = ev[i]["node"];
      for (std::size_t j = i + 1; j < ev.size(); ++j)
        if (ev[j]["kind"] == "serve" && ev[j]["node"] != survivor) {
          d.giveback_s.push_back(ev[j]["time_s"].get<double>() - ev[i]["time_s"].get<double>());
          break;
        }
    }
  }
  return d;
}

}  // namespace

int write_outputs(World& w, const std::string& dir, std::ostream& out) {
  json aggregates = json::object();
  std::vector<std::string> unserved;
  for (const auto& a : w.scenario.cluster.aggregates) {
    const model::Filesystem* fs = nullptr;
    auto it = w.service.find(a.name);
    if (it != w.service.end() && w.nodes[it->second]->up()) fs = w.nodes[it->second]->server()->filesystem(a.name);
    if (fs) {
      aggregates[a.name] = tree_json(fs->tree());
      continue;
    }
    // Nobody serves it: what its disks hold, as the checker would read them.
    unserved.push_back(a.name);
    auto plexes = w.store.true_plexes(a.name);
    std::vector<const model::BlockDevice*> views;
    for (auto& p : plexes) views.push_back(p.get());
    model::LoadResult loaded = model::load_image(views);
    aggregates[a.name] = loaded.fs ? tree_json(loaded.fs->tree()) : json::object();
  }
  write_file(dir + "/final-state.json", json{{"aggregates", aggregates}}.dump(1) + '\n');

  Recorder::Stats st = w.recorder->stats();
  std::sort(st.latencies_s.begin(), st.latencies_s.end());  // once, for every percentile
  const Durations d = durations(w, dir);
  json latency{{"p50_ms", percentile(st.latencies_s, 0.5) * 1e3},
               {"p90_ms", percentile(st.latencies_s, 0.9) * 1e3},
               {"p99_ms", percentile(st.latencies_s, 0.99) * 1e3},
               {"p999_ms", percentile(st.latencies_s, 0.999) * 1e3},
               {"max_ms", percentile(st.latencies_s, 1.0) * 1e3}};
  json summary{{"scenario", w.scenario.name},
               {"seed", w.scenario.seed},
               {"simulated_s", w.now()},
               {"ops", {{"issued", st.issued}, {"answered", st.answered}, {"unknown", st.unknown},
                        {"retransmissions", st.retransmissions}}},
               {"ack_latency", latency},
               {"takeover_s", d.takeover_s},
               {"giveback_s", d.giveback_s},
               {"unserved_aggregates", unserved},
               {"reservation_rejections", w.store.rejections().size()}};
  write_file(dir + "/summary.json", summary.dump(1) + '\n');

  out << "scenario " << w.scenario.name << " (seed " << w.scenario.seed << "): " << std::fixed << std::setprecision(3)
      << w.now() << " s simulated\n"
      << "  ops: " << st.issued << " issued, " << st.answered << " answered, " << st.unknown << " unknown, "
      << st.retransmissions << " retransmissions\n"
      << "  ack latency ms: p50 " << latency["p50_ms"].get<double>() << ", p99 " << latency["p99_ms"].get<double>()
      << ", max " << latency["max_ms"].get<double>() << "\n";
  for (double t : d.takeover_s) out << "  takeover: " << t << " s from crash to the partner serving\n";
  for (double t : d.giveback_s) out << "  giveback: " << t << " s\n";
  for (const auto& a : unserved) out << "  " << a << " is not served at the end\n";
  return 0;
}

}  // namespace failsim::sim
