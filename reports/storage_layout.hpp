// Where each disk sits, read off the run folder's scenario.json: which
// aggregate, plex and RAID group, and each aggregate's parity disks per
// group. The events name a rebuild's aggregate, plex and disk, never its
// group, and a disk failure names only the disk: the storage section needs
// this map to place them.
//
// It follows the simulator's layout rule (sim/run/simulation.cpp install,
// sim/scenario/raid_groups.hpp): a plex's disks are its shelves' disks in
// order, each shelf's last `spares` disks being spares; the plex's groups
// are runs of `group_size` disks (0: one group), the last taking the rest.
// reports/ may not include sim/, so the rule is restated here; a shared
// reader in runfolder/ would be the one place for it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reports/run_data.hpp"

namespace failsim::reports {

struct DiskSlot {
  std::string aggregate;
  std::uint64_t plex = 0;
  std::uint64_t group = 0;
};

struct StorageLayout {
  std::map<std::string, DiskSlot> slots;                         // data and parity disks, by name
  std::map<std::string, std::vector<std::string>> shelf_disks;   // every disk of a shelf, spares included
  std::map<std::string, std::uint64_t> parity_disks;             // per aggregate: per group (0, 1 or 2)
};

// Empty when the scenario names no shelves (a hand-made folder). Throws
// ReportInputError naming scenario.json and the field when a field it reads
// has the wrong type.
StorageLayout read_storage_layout(const RunData& run);

}  // namespace failsim::reports
