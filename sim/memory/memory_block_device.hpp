// An in-memory plex: blocks as bytes, with the faults the core must
// survive (a dead plex, unreadable blocks) kept apart from the true bytes.
#pragma once

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

#include "model/block_device.hpp"
#include "sim/memory/power_loss.hpp"

namespace failsim::sim::memory {

class MemoryBlockDevice : public model::BlockDevice {
 public:
  MemoryBlockDevice(std::uint32_t block_size, model::BlockNo count)
      : block_size_(block_size), bytes_(static_cast<std::size_t>(block_size) * count, 0) {}

  std::uint32_t block_size() const override { return block_size_; }
  model::BlockNo block_count() const override { return bytes_.size() / block_size_; }
  bool read(model::BlockNo bno, std::span<std::uint8_t> out) const override {
    if (dead || bno >= block_count() || unreadable.contains(bno) || out.size() != block_size_) return false;
    std::memcpy(out.data(), bytes_.data() + bno * block_size_, block_size_);
    return true;
  }
  // Writes the first `keep` bytes of `data` (all of it by default): a torn
  // write keeps a prefix, as a sector-by-sector write cut by power loss does.
  void write(model::BlockNo bno, std::span<const std::uint8_t> data, std::size_t keep = SIZE_MAX) {
    if (dead || bno >= block_count()) return;
    power_loss::land(bytes_, bno * block_size_, data, keep);
  }

  bool dead = false;                     // the whole plex is gone
  std::set<model::BlockNo> unreadable;   // latent sector errors

 private:
  std::uint32_t block_size_;
  std::vector<std::uint8_t> bytes_;
};

}  // namespace failsim::sim::memory
