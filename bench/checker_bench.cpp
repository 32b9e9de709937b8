// Figure 5: the checker's wall time and peak memory to judge generated
// histories (not simulated) of 10^4 .. 10^7 events, for private and shared
// namespaces. Private: 16 closed-loop clients, each in its own directory.
// Shared: 16 clients taking turns in one directory, each change overlapping
// the next in time, so the search must order them.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "bench/figures.hpp"
#include "checker/judge.hpp"
#include "checker/reference_fs.hpp"
#include "common/final_state.hpp"
#include "sim/run/recorder.hpp"
#include "support/workload.hpp"

namespace failsim::bench {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int clients = 16;

// Writes a run folder whose history has `events` events (two per change).
void write_history(const fs::path& dir, std::uint64_t events, bool shared) {
  fs::create_directories(dir);
  std::mt19937_64 rng(7);
  const std::uint64_t changes = events / 2;
  std::ofstream history(dir / "history.jsonl");
  checker::ReferenceFs shared_fs;
  std::vector<checker::ReferenceFs> own(clients + 1);
  auto line = [&](double t, int client, model::Xid xid, const model::Change* c, model::Result r) {
    json e = {{"time_s", t}, {"client", client}, {"xid", xid}};
    if (c) {
      e["type"] = "invoke";
      e["aggregate"] = "aggr0";
      e["op"] = sim::op_to_json(*c);
    } else {
      e["type"] = "ok";
      e["result"] = model::to_string(r);
    }
    history << e.dump() << '\n';
  };
  if (shared) {
    auto ops = testing::random_client_ops(rng, 1, changes);
    for (std::uint64_t k = 0; k < ops.size(); ++k) {
      model::Change c = ops[k];
      c.client = static_cast<model::ClientId>(k % clients + 1);
      const model::Result r = shared_fs.apply(c);
      // Invoked at k, answered at k + 1.5: each change overlaps the next.
      line(static_cast<double>(k), static_cast<int>(c.client), c.xid, &c, r);
      line(k + 1.5, static_cast<int>(c.client), c.xid, nullptr, r);
    }
  } else {
    const std::uint64_t per_client = changes / clients;
    std::vector<std::vector<model::Change>> ops(clients + 1);
    for (int c = 1; c <= clients; ++c) ops[c] = testing::random_client_ops(rng, c, per_client);
    double t = 0;
    for (std::uint64_t k = 0; k < per_client; ++k)
      for (int c = 1; c <= clients; ++c) {
        const model::Change& ch = ops[c][k];
        const model::Result r = own[c].apply(ch);
        line(t, c, ch.xid, &ch, r);
        line(t + 0.5, c, ch.xid, nullptr, r);
        t += 1;
      }
  }
  json tree = json::object();
  if (shared) {
    tree = tree_json(shared_fs.tree());
  } else {
    for (int c = 1; c <= clients; ++c) tree.update(tree_json(own[c].tree()));
  }
  std::ofstream(dir / "final-state.json") << json{{"aggregates", {{"aggr0", tree}}}}.dump() << '\n';
  std::ofstream(dir / "events.jsonl");
  std::ofstream(dir / "summary.json") << json{{"unserved_aggregates", json::array()}}.dump() << '\n';
  const json scenario = {
      {"cluster", {{"aggregates", {{{"name", "aggr0"}, {"owner", "n0"}}}}}},
      {"workload",
       {{"clients", clients},
        {"ops_per_client", shared ? 0 : changes / clients},
        {"namespace_mode", shared ? "shared" : "private"},
        {"retry_limit", 0}}}};
  std::ofstream(dir / "scenario.json") << scenario.dump() << '\n';
}

}  // namespace

std::vector<Figure> checker_figures(const std::vector<std::uint64_t>& sizes) {
  std::vector<Figure> out;
  for (bool shared : {false, true}) {
    for (std::uint64_t events : sizes) {
      const fs::path dir =
          fs::temp_directory_path() / ("failsim-bench-" + std::to_string(::getpid()) + "-history");
      fs::remove_all(dir);
      write_history(dir, events, shared);
      Measured m = in_child([&dir] {
        const checker::Verdict v = checker::judge_run_folder(dir.string());
        if (!v.valid() || !v.undecided.empty()) throw std::runtime_error("the generated history was not judged valid");
        return std::vector<double>{static_cast<double>(v.ops_checked)};
      });
      fs::remove_all(dir);
      const std::string label = std::string("checker, ") + (shared ? "shared" : "private") + " namespace, " +
                                std::to_string(events) + " events";
      out.push_back({label + ": wall time", m.wall_s, "s"});
      out.push_back({label + ": peak resident memory", m.peak_rss_mib, "MiB"});
    }
  }
  return out;
}

}  // namespace failsim::bench
