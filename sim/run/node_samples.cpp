// A node's report samples: NVRAM log occupancy and device usage, written as
// `sample` events for the reports. They observe the run and never change it.
#include <cassert>

#include <nlohmann/json.hpp>

#include "sim/run/node_driver.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

void NodeDriver::sample(std::string_view at) {
  assert(up() && "only a running node has log books to sample");
  nlohmann::json disk_busy_s = nlohmann::json::object(), disk_writes = nlohmann::json::object();
  for (const auto& [disk, s] : usage_.disk_busy_s) disk_busy_s[disk] = s;
  for (const auto& [disk, n] : usage_.disk_writes) disk_writes[disk] = n;
  w_.event(me_, "sample",
           {{"at", std::string(at)},
            {"own_log_bytes", server_->own_group().log_bytes_used},
            {"takeover_log_bytes", server_->takeover_group().log_bytes_used},
            {"log_half_bytes", w_.scenario.server.nvram_half_bytes},
            {"nvram_write_bytes", usage_.nvram_write_bytes},
            {"nvram_busy_s", usage_.nvram_busy_s},
            {"mirror_write_bytes", usage_.mirror_write_bytes},
            {"mirror_busy_s", usage_.mirror_busy_s},
            {"disk_busy_s", disk_busy_s},
            {"disk_writes", disk_writes}});
}

}  // namespace failsim::sim
