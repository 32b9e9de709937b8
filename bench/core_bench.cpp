// Figure 1: the core alone - changes per second through model::Server (log,
// mirror, reply, CP) on the in-memory driver with zero-time devices and no
// fsck: the ceiling for any driver.
#include <chrono>
#include <random>

#include "bench/figures.hpp"
#include "sim/memory/client_workload.hpp"
#include "sim/memory/memory_cluster.hpp"

namespace failsim::bench {

std::vector<Figure> core_figures(std::uint64_t changes) {
  Measured m = in_child([changes] {
    sim::memory::MemoryClusterConfig cfg;
    cfg.fsck_images = false;
    cfg.nvram_half_bytes = 1u << 20;
    sim::memory::MemoryCluster cluster(cfg, 1);
    std::mt19937_64 rng(1);
    sim::memory::ClientDriver clients;
    const int count = 8;
    for (int c = 1; c <= count; ++c)
      clients.add(c, sim::memory::MemoryCluster::aggregate_name(c % 2), sim::memory::random_client_ops(rng, c, changes / count));
    auto send = [&](const std::string& aggr, const model::Change& ch) { cluster.send(aggr, ch); };
    const auto start = std::chrono::steady_clock::now();
    while (!clients.done()) {
      clients.issue(send);
      if (!cluster.step()) {
        for (int n = 0; n < 2; ++n) cluster.fire_timers(n);  // let a CP free a log half
      }
      clients.take(cluster.take_replies());
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::vector<double>{static_cast<double>(clients.answered()), wall};
  });
  return {{"core: changes per second (in-memory driver, zero-time devices)", m.values[0] / m.values[1], "changes/s"}};
}

}  // namespace failsim::bench
