// The figures of each grid point over its seeds: count, mean, min and max.
// sweep.html's charts and tables and the summary `failsim sweep` prints are
// all drawn from these, so they always agree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sweep/results.hpp"

namespace failsim::sweep {

struct Stat {
  std::size_t n = 0;  // runs with a numeric value (true and false count as 1 and 0)
  double mean = 0, min = 0, max = 0;
};

struct PointStats {
  std::uint64_t point = 0;
  std::uint64_t first_run = 0;  // a run of the point, for its label
  std::vector<nlohmann::json> values;  // parameter values
  std::vector<Stat> figures;           // in figure order
  std::size_t runs = 0, failing = 0;   // failing: violated or died
};

// The grid points that have rows, in point order.
std::vector<PointStats> point_stats(const SweepResult& r);

// About four significant digits, locale-free: 1827, 0.5100, 2.306.
std::string number_text(double v);
// "2.306 [2.1, 2.5]" (mean [min, max]); "2.306" when min and max agree to the digits shown; "-" without values.
std::string stat_text(const Stat& s);
// One row per grid point: parameters, each figure's stat_text, runs (failing).
std::string markdown_table(const SweepResult& r, const std::vector<PointStats>& stats);

}  // namespace failsim::sweep
