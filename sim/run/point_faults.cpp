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

double PointFaults::torn_mirror_cut_s() const {
  const TornMirrorWrite* spec = nullptr;
  for (const auto& f : w_.scenario.faults)
    if (f.kind() == FaultKind::torn_mirror_write && w_.node_index(f.get<TornMirrorWrite>().node) == node_)
      spec = &f.get<TornMirrorWrite>();
  return spec && spec->duration_s > 0 ? spec->duration_s : 1.0;
}

double PointFaults::power_loss_at_nvram_write_s() const {
  double duration_s = 0;
  for (const auto& f : w_.scenario.faults)
    if (f.kind() == FaultKind::power_loss_at_nvram_write && w_.node_index(f.get<PowerLossAtNvramWrite>().node) == node_)
      duration_s = f.get<PowerLossAtNvramWrite>().duration_s;
  return duration_s;
}

}  // namespace failsim::sim
