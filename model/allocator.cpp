// Next-fit block allocation with deferred frees.
#include "allocator.hpp"

#include <cassert>

#include "disk_format.hpp"

namespace failsim::model {

BlockAllocator::BlockAllocator(BlockNo block_count)
    : in_use_(block_count, false), free_count_(block_count), cursor_(superblock_copies) {
  for (BlockNo b = 0; b < superblock_copies && b < block_count; ++b) mark_used(b);
}

BlockNo BlockAllocator::allocate() {
  if (free_count_ == 0) return 0;
  BlockNo n = in_use_.size();
  for (BlockNo i = 0; i + superblock_copies < n; ++i) {
    BlockNo b = cursor_ + i;
    if (b >= n) b -= n - superblock_copies;
    if (!in_use_[b]) {
      in_use_[b] = true;
      --free_count_;
      cursor_ = b + 1 < n ? b + 1 : superblock_copies;
      return b;
    }
  }
  assert(false && "free_count_ says a block is free but none is");
  return 0;
}

void BlockAllocator::mark_used(BlockNo bno) {
  assert(bno < in_use_.size() && !in_use_[bno]);
  in_use_[bno] = true;
  --free_count_;
}

void BlockAllocator::free_after_commit(BlockNo bno) {
  assert(bno >= superblock_copies && bno < in_use_.size() && in_use_[bno]);
  pending_free_.push_back(bno);
}

void BlockAllocator::commit() {
  for (BlockNo b : pending_free_) {
    assert(in_use_[b]);
    in_use_[b] = false;
    ++free_count_;
  }
  pending_free_.clear();
}

}  // namespace failsim::model
