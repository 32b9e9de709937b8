// How a plex's disks form RAID groups, in one place: the scenario checks
// and the simulator's block store both split a plex this way.
#pragma once

#include <vector>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

constexpr int parity_disks(RaidLevel level) {
  return level == RaidLevel::raid_dp ? 2 : level == RaidLevel::raid4 ? 1 : 0;
}

// The sizes of the groups `disks` disks form under `raid`, in disk order:
// groups of group_size, the last one taking the rest (0: one group). Empty
// when a group would have no data disk.
inline std::vector<int> raid_group_sizes(int disks, const RaidSpec& raid) {
  const int size = raid.group_size > 0 ? raid.group_size : disks;
  std::vector<int> groups;
  for (int left = disks; left > 0; left -= size) groups.push_back(left < size ? left : size);
  for (int g : groups)
    if (g <= parity_disks(raid.level)) return {};
  return groups;
}

}  // namespace failsim::sim
