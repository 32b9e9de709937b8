// Time series of a run: client throughput per interval (from the history),
// NVRAM log occupancy and device utilisation (from the nodes' `sample`
// events: the NVRAM DMA channel, the interconnect mirror channel, each disk).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_data.hpp"

namespace failsim::reports {

struct ThroughputBin {
  double start_s = 0, end_s = 0;
  std::uint64_t invoked = 0, acked = 0;
  double acks_per_s = 0;
};

struct NvramPoint {
  double time_s = 0;
  std::string node;
  std::string at;  // timer, cp_started, cp_finished
  std::uint64_t own_log_bytes = 0, takeover_log_bytes = 0, half_bytes = 0;
};

// The busy fraction of one device of one node between two timer samples.
struct UsagePoint {
  double start_s = 0, end_s = 0;
  std::string node;
  std::string resource;  // "nvram", "interconnect", or a disk name
  double utilisation = 0;
};

struct Series {
  double bin_s = 0;
  std::vector<ThroughputBin> throughput;
  std::vector<NvramPoint> nvram;
  std::vector<UsagePoint> usage;
  // Busy time over sampled time, per node and device.
  std::map<std::string, std::map<std::string, double>> mean_utilisation;
  std::map<std::string, std::map<std::string, double>> peak_utilisation;
  nlohmann::json to_json() const;  // the figures, not the points (those go to CSV)
};

Series build_series(const RunData& run);

}  // namespace failsim::reports
