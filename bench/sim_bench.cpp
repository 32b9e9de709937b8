// Figures 3, 4 and 6: failsim's own speed - simulated changes per wall
// second and simulated seconds per wall second on the default scenario and
// on a 16-client one; random scenarios generated, simulated and judged per
// wall minute on one core (a fork per case, as failsim check --random does);
// and the peak resident memory of a run of a million changes.
//
// A run's wall time is run_simulation's, in a forked child: building the
// platform, the simulation, and writing the run folder's files (history,
// events, final state, summary). The reports `failsim run` writes after
// (report.html, report.json, trace.json, CSV series) are timed apart.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <rapidcheck.h>

#include "bench/figures.hpp"
#include "checker/judge.hpp"
#include "checker/scenario_gen.hpp"
#ifdef FAILSIM_BENCH_REPORTS
#include "reports/write_reports.hpp"
#endif
#include "sim/run/rng.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/default_scenario.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::bench {

namespace fs = std::filesystem;

namespace {

sim::Scenario default_scenario() { return sim::parse_scenario(sim::default_scenario_json, "(embedded default scenario)"); }

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("failsim-bench-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs one scenario in a child: {changes answered, simulated s, wall s of
// the simulation, wall s of the reports (with_reports; else 0)}.
Measured simulate(const sim::Scenario& s, bool with_reports = false) {
  return in_child([&s, with_reports] {
    const fs::path dir = scratch(s.name);
    std::ostringstream text;
    const auto start = std::chrono::steady_clock::now();
    sim::run_simulation(s, dir.string(), text);
    const double wall = seconds_since(start);
    double reports = 0;
#ifdef FAILSIM_BENCH_REPORTS
    if (with_reports) {
      const auto reports_start = std::chrono::steady_clock::now();
      reports::write_reports(dir.string());
      reports = seconds_since(reports_start);
    }
#endif
    std::ifstream in(dir / "summary.json");
    const auto summary = nlohmann::json::parse(in);
    fs::remove_all(dir);
    return std::vector<double>{summary["ops"]["answered"].get<double>(), summary["simulated_s"].get<double>(), wall,
                               reports};
  });
}

void add_run_figures(const std::string& label, const Measured& m, std::vector<Figure>& out) {
  out.push_back({label + ": simulated changes per wall second", m.values[0] / m.values[2], "changes/s"});
  out.push_back({label + ": simulated seconds per wall second", m.values[1] / m.values[2], "sim-s/s"});
  out.push_back({label + ": wall time per change", m.values[2] / m.values[0] * 1e6, "us/change"});
}

// The run of median wall time among `runs` runs (each in its own child): a
// default run lasts a fifth of a second, and one sample of it moves by a
// third with what else the machine is doing.
Measured median_run(const sim::Scenario& s, int runs, bool with_reports = false) {
  std::vector<Measured> all;
  for (int i = 0; i < runs; ++i) all.push_back(simulate(s, with_reports));
  std::sort(all.begin(), all.end(), [](const Measured& a, const Measured& b) { return a.values[2] < b.values[2]; });
  return all[all.size() / 2];
}

}  // namespace

std::vector<Figure> sim_figures() {
  std::vector<Figure> out;
  sim::Scenario standard = default_scenario();
  const Measured m = median_run(standard, 5, true);
  add_run_figures("failsim default scenario", m, out);
#ifdef FAILSIM_BENCH_REPORTS
  out.push_back({"failsim default scenario: writing the reports (not in the figures above): wall time", m.values[3] * 1e3,
                 "ms"});
#endif
  sim::Scenario wide = standard;
  wide.name = "clients16";
  wide.workload.clients = 16;
  wide.workload.ops_per_client = 2000;
  add_run_figures("failsim 16 clients", median_run(wide, 3), out);
  return out;
}

std::vector<Figure> campaign_figures(int cases) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < cases; ++i) {
    // As failsim check --random: generate in the parent, simulate and judge in a child.
    const sim::Scenario s =
        checker::scenario_gen()(rc::Random(sim::stream_seed(1, "case" + std::to_string(i))), i % 100 + 1).value();
    in_child([&s] {
      const fs::path dir = scratch("case");
      std::ostringstream text;
      sim::run_simulation(s, dir.string(), text);
      const bool valid = checker::judge_run_folder(dir.string()).valid();
      fs::remove_all(dir);
      return std::vector<double>{valid ? 1.0 : 0.0};
    });
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {{"random scenarios generated, simulated and judged per wall minute (one core)", cases / wall * 60,
           "scenarios/min"}};
}

std::vector<Figure> million_change_figures() {
  sim::Scenario s = default_scenario();
  s.name = "million";
  s.faults.clear();
  s.workload.clients = 16;
  s.workload.ops_per_client = 62'500;
  s.phases.fault_phase_s = 1;
  s.phases.settle_s = 400;  // long enough for every client to finish
  Measured m = simulate(s);
  return {{"a run of " + std::to_string(static_cast<long>(m.values[0])) + " changes: peak resident memory",
           m.peak_rss_mib, "MiB"},
          {"a run of " + std::to_string(static_cast<long>(m.values[0])) + " changes: wall time", m.values[2], "s"}};
}

}  // namespace failsim::bench
