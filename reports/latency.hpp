// Client ack latency: percentiles over the run, by phase (before the fault,
// during takeover, after takeover, during giveback, after giveback, after a
// fault with no takeover) and by change type, and the CDF and the tail
// (1 - CDF) of each phase.
//
// A request belongs to the takeover or giveback window its lifetime
// (invocation to ack) overlaps; any other request to the phase in force when
// it was invoked. So the requests caught by an outage count in the outage,
// not in the steady state around it.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/recovery.hpp"
#include "reports/run_data.hpp"

namespace failsim::reports {

struct Percentiles {
  std::size_t count = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
  nlohmann::json to_json() const;
};
// The same nearest-rank rule as summary.json, so the figures agree exactly.
Percentiles percentiles(std::vector<double> latencies_ms);

struct Window {
  std::string phase;  // "during takeover" or "during giveback"
  double start_s = 0, end_s = 0;
};

struct LatencyReport {
  Percentiles all;
  std::map<std::string, Percentiles> by_phase;  // phases that have answered requests
  std::map<std::string, Percentiles> by_op;
  std::map<std::string, std::vector<std::pair<double, double>>> cdf_by_phase;  // (latency ms, fraction <=)
  // (latency ms, fraction of the phase's acked requests at least that slow):
  // the slowest request last, at 1/count. Points spaced evenly in the
  // logarithm of the fraction, so the tail keeps as many as the body.
  std::map<std::string, std::vector<std::pair<double, double>>> tail_by_phase;
  std::vector<Window> windows;
  std::optional<double> first_fault_s;
  std::vector<std::string> phase_of;  // per request of RunData::requests
  nlohmann::json to_json() const;
};

LatencyReport analyse_latency(const RunData& run, const std::vector<Recovery>& recoveries);

// Phase names in time order, for legends and tables.
const std::vector<std::string>& phase_names();

}  // namespace failsim::reports
