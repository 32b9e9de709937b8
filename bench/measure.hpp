// Running one measurement in a forked child: its wall time, its peak
// resident memory (the child's own, from wait4), and the numbers it reports
// back through a pipe. A child per measurement also gives SimGrid its one
// Engine per process.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace failsim::bench {

struct Measured {
  double wall_s = 0;
  double peak_rss_mib = 0;
  std::vector<double> values;  // what the child reported
};

// Runs `work` in a child; `work` returns the values to report. Throws
// std::runtime_error when the child fails.
Measured in_child(const std::function<std::vector<double>()>& work);

// One line of the output: a figure, its value and its unit.
struct Figure {
  std::string name;
  double value;
  std::string unit;
};

}  // namespace failsim::bench
