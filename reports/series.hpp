// Time series of a run: client throughput per interval, in total and per
// aggregate, and the ack latency quantiles per interval (from the history);
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

// The ack latency of the requests issued in one interval and acknowledged
// (Jepsen's latency quantiles): binned by issue time, as the dots of the
// latency chart, so a request caught by an outage counts where it began.
struct LatencyBin {
  double start_s = 0, end_s = 0;
  std::uint64_t acked = 0;                    // the quantiles below mean something only when > 0
  double p50_ms = 0, p99_ms = 0, max_ms = 0;  // nearest rank, as summary.json
};

// One aggregate's acknowledgements: per throughput interval, and the
// longest time its clients went without one.
struct AggregateAcks {
  std::vector<std::uint64_t> acked;  // per interval of Series::throughput
  std::uint64_t total = 0;
  // The outage its clients saw: runfolder/ack_gap.hpp.
  double longest_gap_s = 0, gap_from_s = 0, gap_to_s = 0;
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
  std::map<std::string, AggregateAcks> acks_by_aggregate;  // every aggregate of the scenario or the history
  std::vector<LatencyBin> latency;                         // the same intervals as throughput
  std::vector<NvramPoint> nvram;
  std::vector<UsagePoint> usage;
  // Busy time over sampled time, per node and device.
  std::map<std::string, std::map<std::string, double>> mean_utilisation;
  std::map<std::string, std::map<std::string, double>> peak_utilisation;
  nlohmann::json to_json() const;  // the figures, not the points (those go to CSV)
};

Series build_series(const RunData& run);

}  // namespace failsim::reports
