// Warnings about a valid scenario (scenario_warnings.hpp).
#include "sim/scenario/scenario_warnings.hpp"

#include "sim/scenario/fault_kind.hpp"
#include "sim/scenario/problems.hpp"

namespace failsim::sim {

using detail::number_text;

std::vector<std::string> scenario_warnings(const Scenario& s) {
  std::vector<std::string> warnings;
  const WorkloadSpec& w = s.workload;
  const bool open = w.loop == ClientLoop::open && w.rate_per_s > 0;
  const double last_request_s = w.warmup_s + static_cast<double>(w.ops_per_client) / (open ? w.rate_per_s : 1);
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const FaultSpec& f = s.faults[i];
    if (kind_info(f.kind()).timing == FaultTiming::point || is_repair(f.kind())) continue;
    const std::string where = "$.faults[" + std::to_string(i) + "].at_s: warning: " + number_text(f.at_s) + " s is ";
    if (w.warmup_s > 0 && f.at_s < w.warmup_s)
      warnings.push_back(where + "before the clients start (workload.warmup_s " + number_text(w.warmup_s) + " s)");
    else if (open && f.at_s > last_request_s)
      warnings.push_back(where + "after the clients' last request is due (" + number_text(last_request_s) +
                         " s: workload.ops_per_client / rate_per_s after warmup_s): no change may meet it");
  }
  return warnings;
}

}  // namespace failsim::sim
