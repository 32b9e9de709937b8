// The benchmark's figures, one function per group (see bench/main.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "bench/measure.hpp"

namespace failsim::bench {

std::vector<Figure> core_figures(std::uint64_t changes);              // 1
std::vector<Figure> simgrid_floor_figures(std::uint64_t changes);     // 2
std::vector<Figure> sim_figures();                                    // 3
std::vector<Figure> campaign_figures(int cases);                      // 4
std::vector<Figure> checker_figures(const std::vector<std::uint64_t>& sizes);  // 5
std::vector<Figure> million_change_figures();                         // 6

}  // namespace failsim::bench
