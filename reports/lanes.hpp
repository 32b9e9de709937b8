// Spreads intervals over as few lanes as needed so that no two in one lane
// overlap (first lane free wins): overlapping client requests or CPs get rows
// of their own in the trace and on the page.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace failsim::reports {

// `intervals` as (start, end); returns the lane of each. Deterministic: the
// intervals are taken in start order, ties in input order.
inline std::vector<std::size_t> assign_lanes(const std::vector<std::pair<double, double>>& intervals) {
  std::vector<std::size_t> order(intervals.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return intervals[a].first < intervals[b].first; });
  std::vector<double> lane_end;
  std::vector<std::size_t> lane(intervals.size());
  for (std::size_t i : order) {
    std::size_t l = 0;
    while (l < lane_end.size() && lane_end[l] > intervals[i].first) ++l;
    if (l == lane_end.size()) lane_end.push_back(0);
    lane_end[l] = intervals[i].second;
    lane[i] = l;
  }
  return lane;
}

}  // namespace failsim::reports
