// failsim-bench: every performance figure of failsim in one run, on one core
// (one measurement at a time, each in its own process), then the ratios and
// the targets. The output format is stable and documented in docs/bench.md:
// comment lines start with '#'; every other line is "name: value unit".
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "bench/figures.hpp"

namespace fb = failsim::bench;

#ifndef FAILSIM_BUILD_TYPE
#define FAILSIM_BUILD_TYPE "unknown"
#endif

namespace {

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

void line(const std::string& name, double value, const std::string& unit) {
  std::printf("%-96s %14.3f %s\n", (name + ":").c_str(), value, unit.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"failsim-bench: speed and memory of the core, the simulator, the campaigns and the checker"};
  bool full = false;
  int cases = 200;
  std::string only, history_dir, judge_dir;
  app.add_flag("--full", full, "Also judge 10^7-event histories (about a minute, 2 GiB of disk)");
  app.add_option("--cases", cases, "Random scenarios for the campaign figure")->check(CLI::Range(1, 100000))->capture_default_str();
  app.add_option("--only", only, "Only these figure groups, e.g. 5 or 2,3");
  app.add_option("--history-dir", history_dir, "Write figure 5's histories into this folder and keep them");
  app.add_option("--judge", judge_dir, "Only judge this run folder: the checker's wall time and peak memory");
  CLI11_PARSE(app, argc, argv);

  std::printf("# failsim-bench, output format 2 (docs/bench.md): \"name: value unit\" per line\n");
  std::printf("# build %s, %u hardware threads, load average %s at the start\n", FAILSIM_BUILD_TYPE,
              std::thread::hardware_concurrency(), load_average().c_str());
  std::map<std::string, double> by_name;
  auto add = [&](const std::vector<fb::Figure>& figures) {
    for (const auto& f : figures) {
      line(f.name, f.value, f.unit);
      by_name[f.name] = f.value;
    }
  };
  auto wanted = [&](char group) { return only.empty() || only.find(group) != std::string::npos; };
  try {
    if (!judge_dir.empty()) {
      add(fb::judge_figures(judge_dir));
      return 0;
    }
    if (wanted('1')) add(fb::core_figures(200'000));
    if (wanted('2')) add(fb::simgrid_floor_figures(200'000, fb::failsim_mix()));
    if (wanted('3')) add(fb::sim_figures());
    if (wanted('4')) add(fb::campaign_figures(cases));
    std::vector<std::uint64_t> sizes = {10'000, 100'000, 1'000'000};
    if (full) sizes.push_back(10'000'000);
    if (wanted('5')) {
      if (!full) std::printf("# figure 5: 10^7-event histories only with --full (their generation takes ~30 s and 2 GiB of disk)\n");
      add(fb::checker_figures(sizes, history_dir));
    }
    if (wanted('6')) add(fb::million_change_figures());
  } catch (const std::exception& e) {
    std::cerr << "failsim-bench: " << e.what() << "\n";
    return 3;
  }

  // Ratios and targets, from the figures of this run.
  auto has = [&](const std::string& name) { return by_name.contains(name); };
  auto target = [&](const std::string& what, bool met) {
    std::printf("# target %s: %s\n", what.c_str(), met ? "met" : "missed");
  };
  const std::string floor = "simgrid floor, failsim's mix: wall time per change";
  for (const char* scenario : {"failsim default scenario", "failsim 16 clients"}) {
    const std::string per_change = std::string(scenario) + ": wall time per change";
    if (!has(floor) || !has(per_change)) continue;
    const double r = by_name[per_change] / by_name[floor];
    line(std::string("ratio: ") + scenario + " / simgrid floor (failsim's mix), wall per change", r, "x");
    target(std::string(scenario) + " at most 2x the floor", r <= 2);
  }
  if (has("failsim default scenario: simulated seconds per wall second"))
    target("default scenario at least 100 simulated s per wall s",
           by_name["failsim default scenario: simulated seconds per wall second"] >= 100);
  const std::string campaign = "random scenarios generated, simulated and judged per wall minute (one core)";
  if (has(campaign)) target("at least 1,000 random scenarios per wall minute", by_name[campaign] >= 1000);
  for (const char* ns : {"private", "shared"}) {
    const std::string big = std::string("checker, ") + ns + " namespace, 10000000 events: wall time";
    const std::string small = std::string("checker, ") + ns + " namespace, 1000000 events: wall time";
    if (!has(big) || !has(small)) continue;
    const double r = by_name[big] / by_name[small];
    line(std::string("ratio: checker, ") + ns + " namespace, 10^7 / 10^6 events, wall time", r, "x");
    target(std::string("checker, ") + ns + " namespace, 10^7 events at most 12x 10^6", r <= 12);
  }
  const std::string big_private = "checker, private namespace, 10000000 events: ";
  if (has(big_private + "wall time"))
    target("checker, private namespace, 10^7 events in under 10 s and 2 GiB",
           by_name[big_private + "wall time"] < 10 && by_name[big_private + "peak resident memory"] < 2048);
  for (const auto& [name, value] : by_name)
    if (name.starts_with("a run of ") && name.ends_with(": peak resident memory"))
      target("a run of 10^6 changes under 512 MiB", value < 512);
  std::printf("# load average %s at the end\n", load_average().c_str());
  return 0;
}
