// The point faults armed on a node (point_faults.hpp).
#include "sim/run/point_faults.hpp"

#include <algorithm>

#include "sim/run/simulation.hpp"

namespace failsim::sim {

bool PointFaults::reached(FaultKind kind) {
  for (auto it = w_.armed[node_].begin(); it != w_.armed[node_].end(); ++it) {
    if (it->kind != kind) continue;
    if (--it->remaining > 0) return false;
    w_.armed[node_].erase(it);
    w_.event(node_, EventKind::fault, {{"fault", std::string(to_string(kind))}});
    return true;
  }
  return false;
}

std::optional<std::uint64_t> PointFaults::crash_during_replay(std::uint64_t entries) {
  if (entries == 0) return std::nullopt;  // nothing to crash in the middle of
  if (w_.points && !w_.settled) {
    std::uint64_t& first = w_.points->count[node_][static_cast<std::size_t>(FaultKind::crash_during_replay)];
    if (first == 0) first = entries;
  }
  for (auto it = w_.armed[node_].begin(); it != w_.armed[node_].end(); ++it) {
    if (it->kind != FaultKind::crash_during_replay) continue;
    const std::uint64_t entry = std::min(it->remaining, entries);
    w_.armed[node_].erase(it);
    return entry;
  }
  return std::nullopt;
}

void PointFaults::replay_crash_event(std::uint64_t entry, std::uint64_t entries) {
  w_.event(node_, EventKind::fault,
           {{"fault", std::string(to_string(FaultKind::crash_during_replay))}, {"entry", entry}, {"of", entries}});
}

double PointFaults::duration_s(FaultKind kind) const {
  for (const auto& f : w_.scenario.faults)
    if (f.kind() == kind && node_of(f) == w_.node_name(node_)) {
      double d = 0;
      std::visit([&d](const auto& p) {
        if constexpr (requires { p.duration_s; }) d = p.duration_s;
      }, f.params);
      return d;
    }
  return 0;
}

}  // namespace failsim::sim
