// The point faults armed on a node (point_faults.hpp).
#include "sim/run/point_faults.hpp"

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

double PointFaults::torn_mirror_cut_s() const {
  const TornMirrorWrite* spec = nullptr;
  for (const auto& f : w_.scenario.faults)
    if (f.kind() == FaultKind::torn_mirror_write && w_.node_index(f.get<TornMirrorWrite>().node) == node_)
      spec = &f.get<TornMirrorWrite>();
  return spec && spec->duration_s > 0 ? spec->duration_s : 1.0;
}

}  // namespace failsim::sim
