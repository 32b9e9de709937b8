// The interface between the file system and the blocks it lives on. A plex
// (one full copy of an aggregate's disks) is one BlockDevice. The core only
// reads through it while loading an image; writes leave the core as actions
// (sans-I/O), and the driver applies them to every live plex.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace failsim::model {

using BlockNo = std::uint64_t;

class BlockDevice {
 public:
  virtual ~BlockDevice() = default;
  virtual std::uint32_t block_size() const = 0;
  virtual BlockNo block_count() const = 0;
  // Fills `out` (block_size bytes) with block `bno`. false when the block
  // cannot be read (latent sector error, dead disk, lost plex).
  virtual bool read(BlockNo bno, std::span<std::uint8_t> out) const = 0;
};

// One block to write: its number and its full contents.
struct BlockWrite {
  BlockNo bno = 0;
  std::vector<std::uint8_t> bytes;
};

}  // namespace failsim::model
