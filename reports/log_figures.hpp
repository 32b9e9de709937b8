// How the NVRAM log fills: for each CP a node starts on an aggregate it
// serves, the changes logged since its previous CP of that aggregate, the
// log bytes they took and the time since that CP. From these: log bytes per
// change, changes per log half (the half's size over bytes per change), and
// how often CPs come. Request and block logging differ most in these.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "reports/run_data.hpp"

namespace failsim::reports {

struct LogFigures {
  std::uint64_t cps = 0;  // CPs counted: each follows an earlier CP of the same node and aggregate
  std::uint64_t changes = 0, max_changes_per_cp = 0;
  std::uint64_t sampled_changes = 0, log_bytes = 0;  // of the counted CPs whose sample was found
  std::uint64_t half_bytes = 0;
  double interval_sum_s = 0, min_interval_s = 0, max_interval_s = 0;
  std::optional<double> mean_changes_per_cp() const;
  std::optional<double> mean_interval_s() const;
  std::optional<double> log_bytes_per_change() const;
  std::optional<double> changes_per_half() const;
  nlohmann::json to_json() const;
};

LogFigures build_log_figures(const RunData& run);

}  // namespace failsim::reports
