// The benchmark's figures, one function per group (see bench/main.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/measure.hpp"

namespace failsim::bench {

// SimGrid calls per simulated change, as failsim issues them (figure 2).
struct ActivityMix {
  double execs = 0, transfers = 0, messages = 0, receives = 0, waits = 0, timed_waits = 0, actors = 0, sleeps = 0;
};
ActivityMix failsim_mix();  // counted on a run of the default scenario

std::vector<Figure> core_figures(std::uint64_t changes);              // 1
std::vector<Figure> simgrid_floor_figures(std::uint64_t changes, const ActivityMix& mix);  // 2
std::vector<Figure> sim_figures();                                    // 3
std::vector<Figure> campaign_figures(int cases);                      // 4
// 5; keep_dir: write the histories there and keep them ("" : a temporary folder)
std::vector<Figure> checker_figures(const std::vector<std::uint64_t>& sizes, const std::string& keep_dir = "");
std::vector<Figure> million_change_figures();                         // 6
// The checker on one run folder (failsim-bench --judge DIR).
std::vector<Figure> judge_figures(const std::string& dir);

}  // namespace failsim::bench
