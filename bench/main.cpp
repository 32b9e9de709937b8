// failsim-bench: every performance figure of failsim in one run, on one core
// (one measurement at a time, each in its own process), then the ratios and
// targets. Output: one line per figure, "name: value unit", in a fixed order.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <map>

#include "bench/figures.hpp"

namespace fb = failsim::bench;

int main(int argc, char** argv) {
  CLI::App app{"failsim-bench: speed and memory of the core, the simulator, the campaigns and the checker"};
  bool full = false;
  int cases = 200;
  std::string only, history_dir;
  app.add_flag("--full", full, "Also judge 10^7-event histories (generating them takes minutes and GiBs of disk)");
  app.add_option("--only", only, "Only these figure groups, e.g. 5 or 3,6");
  app.add_option("--history-dir", history_dir, "Write figure 5's histories into this folder and keep them");
  std::string judge_dir;
  app.add_option("--judge", judge_dir, "Only judge this run folder: the checker's wall time and peak memory");
  app.add_option("--cases", cases, "Random scenarios for the campaign figure")->check(CLI::Range(1, 100000))->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<fb::Figure> all;
  std::map<std::string, double> by_name;
  auto add = [&](std::vector<fb::Figure> figures) {
    for (auto& f : figures) {
      std::printf("%-92s %14.3f %s\n", (f.name + ":").c_str(), f.value, f.unit.c_str());
      std::fflush(stdout);
      by_name[f.name] = f.value;
      all.push_back(std::move(f));
    }
  };
  if (!judge_dir.empty()) {
    try {
      add(fb::judge_figures(judge_dir));
    } catch (const std::exception& e) {
      std::cerr << "failsim-bench: " << e.what() << "\n";
      return 3;
    }
    return 0;
  }
  auto wanted = [&](char group) { return only.empty() || only.find(group) != std::string::npos; };
  try {
    if (wanted('1')) add(fb::core_figures(200'000));
    if (wanted('2')) add(fb::simgrid_floor_figures(200'000));
    if (wanted('3')) add(fb::sim_figures());
    if (wanted('4')) add(fb::campaign_figures(cases));
    std::vector<std::uint64_t> sizes = {10'000, 100'000, 1'000'000};
    if (full) sizes.push_back(10'000'000);
    if (wanted('5')) add(fb::checker_figures(sizes, history_dir));
    if (wanted('6')) add(fb::million_change_figures());
  } catch (const std::exception& e) {
    std::cerr << "failsim-bench: " << e.what() << "\n";
    return 3;
  }

  if (!by_name.contains("simgrid floor: wall time per change (2 messages, 2 transfers, 3 Execs)")) return 0;
  const double floor_us = by_name.at("simgrid floor: wall time per change (2 messages, 2 transfers, 3 Execs)");
  std::printf("%-92s %14.3f %s\n", "ratio: failsim default scenario / simgrid floor, wall per change (target <= 2):",
              by_name.at("failsim default scenario: wall time per change") / floor_us, "x");
  std::printf("%-92s %14.3f %s\n", "ratio: failsim 16 clients / simgrid floor, wall per change (target <= 2):",
              by_name.at("failsim 16 clients: wall time per change") / floor_us, "x");
  const auto big = by_name.find("checker, private namespace, 10000000 events: wall time");
  if (big != by_name.end() && by_name.contains("checker, private namespace, 1000000 events: wall time"))
    std::printf("%-92s %14.3f %s\n", "ratio: checker 10^7 / 10^6 events, private (target <= 12):",
                big->second / by_name.at("checker, private namespace, 1000000 events: wall time"), "x");
  return 0;
}
