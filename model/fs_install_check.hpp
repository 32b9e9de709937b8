// Checks the block-logging images of one change before replay installs them
// (claim 87). An entry's CRC proves only that NVRAM holds what was written;
// its images must also fit the file system they are installed into, or the
// tree would name a free inode, reach a directory twice (a cycle), hold a
// name twice, claim a size nothing bounds, or leave bytes past a file's end
// that the next CP would write and fsck refuse. Internal to model/.
#pragma once

#include <vector>

#include "filesystem.hpp"

namespace failsim::model::detail {

// Whether installing `images` in order into `state` leaves a consistent tree:
// every page well formed and in range, every inode (the root aside) named by
// exactly one directory slot, each directory's parent the one naming it, no
// directory inside itself, names unique in each directory, sizes within the
// configuration's limits, zeros past the end of each file. Changes nothing.
bool images_fit(const FsState& state, const FsConfig& config, const std::vector<BlockImage>& images);

}  // namespace failsim::model::detail
