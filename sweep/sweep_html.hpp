// sweep.html: one self-contained page (inline SVG and CSS, no script, no
// network) in the look of report.html: the verdict over all runs; per chart
// the figure against a parameter, a line per series value through the mean
// over seeds with a band from min to max (one panel per combination of the
// other parameters); the table of grid points; every run. All text escaped.
#pragma once

#include <string>

#include "sweep/results.hpp"

namespace failsim::sweep {

std::string sweep_html(const SweepResult& r);

}  // namespace failsim::sweep
