// report.html: one self-contained page (inline SVG and CSS, no script, no
// network) with pictures first and the numbers beside them: the verdict, the
// timeline of node states with faults, ack latency over time and its CDF by
// phase, the takeover and giveback breakdown, NVRAM occupancy and CP
// durations, and device utilisation. Every text from the run folder is
// HTML-escaped.
#pragma once

#include <string>

#include "reports/analysis.hpp"

namespace failsim::reports {

std::string html_page(const Analysis& a);

}  // namespace failsim::reports
