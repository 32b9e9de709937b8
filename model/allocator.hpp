// Block allocator of one aggregate. Blocks freed by a CP are held back until
// that CP's superblock is durable: until then the previous image still uses
// them, and a crash must find it intact (copy-on-write).
#pragma once

#include <cstdint>
#include <vector>

#include "block_device.hpp"

namespace failsim::model {

class BlockAllocator {
 public:
  BlockAllocator() = default;
  // All blocks free except the superblock copies.
  explicit BlockAllocator(BlockNo block_count);

  // Lowest free block at or after a rolling cursor (deterministic);
  // 0 when the aggregate is full.
  BlockNo allocate();
  void mark_used(BlockNo bno);           // while loading an image
  bool used(BlockNo bno) const { return in_use_[bno]; }
  void free_after_commit(BlockNo bno);  // freed by the CP being built
  void commit();                        // that CP's superblock is durable
  std::uint64_t free_count() const { return free_count_; }
  std::uint64_t used_count() const { return in_use_.size() - free_count_; }
  std::uint64_t pending_free_count() const { return pending_free_.size(); }
  BlockNo block_count() const { return in_use_.size(); }

 private:
  std::vector<bool> in_use_;
  std::vector<BlockNo> pending_free_;
  std::uint64_t free_count_ = 0;
  BlockNo cursor_ = 0;
};

}  // namespace failsim::model
