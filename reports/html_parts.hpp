// Pieces shared by the sections of report.html: colours, tables, legends,
// chart helpers, and the section functions (html_timeline.cpp,
// html_latency.cpp, html_recovery.cpp, html_storage.cpp, html_devices.cpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "reports/analysis.hpp"
#include "reports/svg_chart.hpp"

namespace failsim::reports::html {

const std::string& state_color(const std::string& state);
const std::string& activity_color(const std::string& activity);
const std::string& phase_color(const std::string& phase);
const std::string& segment_color(const std::string& segment);
const std::string& series_color(std::size_t i);  // the i-th line of a chart
const std::string& ownership_color(const std::string& role);  // owner, partner, nobody
// The page's style sheet, shared with the other pages in the same look (sweep.html).
const char* page_style();

// A table; every cell is plain text (escaped here). Cells that look like
// numbers are right-aligned.
std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  const std::string& caption = "");
std::string legend(const std::vector<std::pair<std::string, std::string>>& name_color);
// A section: a heading, then pictures on the left and numbers on the right;
// or, for tables too wide to sit beside a chart in a 1280 px window, the
// numbers below the pictures, side by side.
std::string section(const std::string& id, const std::string& title, const std::string& pictures,
                    const std::string& numbers, const std::string& note = "", bool numbers_below = false);
std::string ms(double v);  // milliseconds, 3 decimals
std::string s3(double v);  // seconds, 3 decimals

// Charts: one width, points as (x, y) in data units.
constexpr int kChartWidth_px = 760;
using Points = std::vector<std::pair<double, double>>;
double decade_floor(double v);
double decade_ceil(double v);
// Takeover and giveback windows as bands, faults as red rules.
void mark_run(SvgChart& chart, const Analysis& a);

// html_series.cpp: charts over time below the latency dots.
const std::string& quantile_color(const std::string& quantile);  // p50, p99, max
std::string quantiles_chart(const Analysis& a, double lo_ms, double hi_ms);
// Acks per second in total and per aggregate; its peak goes to `peak_acks_per_s`.
std::string throughput_chart(const Analysis& a, double& peak_acks_per_s);
// Per aggregate: acked, peak acks/s, the longest gap without an ack and when.
std::vector<std::vector<std::string>> aggregate_ack_rows(const Analysis& a);

std::string timeline_section(const Analysis& a);
std::string latency_time_section(const Analysis& a);
std::string latency_cdf_section(const Analysis& a);
std::string recovery_section(const Analysis& a);
std::string storage_section(const Analysis& a);  // "" when the run has no storage event
std::string nvram_cp_section(const Analysis& a);
std::string utilisation_section(const Analysis& a);

}  // namespace failsim::reports::html
