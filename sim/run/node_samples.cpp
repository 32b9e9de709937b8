// A node's report samples: NVRAM log occupancy and device usage, written as
// `sample` events for the reports. They observe the run and never change it.
// The line is written as text (json_line::append_sample), the bytes the
// json document of these fields gave.
#include <cassert>

#include "sim/run/json_line.hpp"
#include "sim/run/node_driver.hpp"
#include "sim/run/world.hpp"

namespace failsim::sim {

void NodeDriver::sample(std::string_view at) {
  assert(up() && "only a running node has log books to sample");
  json_line::Sample s;
  s.time_s = w_.now();
  s.node = w_.node_name(me_);
  s.at = at;
  s.own_log_bytes = server_->own_group().log_bytes_used;
  s.takeover_log_bytes = server_->takeover_group().log_bytes_used;
  s.log_half_bytes = w_.scenario.server.nvram_half_bytes;
  s.nvram_write_bytes = nvram_.write_bytes();
  s.nvram_busy_s = nvram_.busy_s();
  s.mirror_write_bytes = mirror_.write_bytes();
  s.mirror_busy_s = mirror_.busy_s();
  s.disk_busy_s = &disk_usage_.busy_s;
  s.disk_writes = &disk_usage_.writes;
  std::string line;
  json_line::append_sample(line, s);
  w_.recorder->event_text(line);
}

}  // namespace failsim::sim
