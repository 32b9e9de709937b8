// The default cluster and the fault kinds.
#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

ClusterSpec default_cluster() {
  ClusterSpec c;
  c.nodes = {"n0", "n1"};
  c.hbas = {{"n0.a", "n0"}, {"n0.b", "n0"}, {"n1.a", "n1"}, {"n1.b", "n1"}};
  c.shelves = {{"shelf0", 0, 4}, {"shelf1", 0, 4}};
  c.loops = {{"loopA", {"n0.a", "n1.a"}, {"shelf0", "shelf1"}}, {"loopB", {"n0.b", "n1.b"}, {"shelf0", "shelf1"}}};
  c.aggregates = {{"aggr0", "n0", {{"shelf0"}}, 65536}, {"aggr1", "n1", {{"shelf1"}}, 65536}};
  return c;
}

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds = {
      "node_crash", "power_loss", "reboot", "interconnect_down", "interconnect_flap", "torn_mirror_write",
      "crash_at_cp_block", "crash_before_mirror", "crash_after_mirror", "crash_during_replay", "disk_fail",
      "shelf_fail", "loop_fail", "hba_fail", "latent_sector_error", "nvram_battery_loss", "client_partition",
      "client_message_loss", "client_message_delay", "client_message_duplicate", "node_hang"};
  return kinds;
}

}  // namespace failsim::sim
