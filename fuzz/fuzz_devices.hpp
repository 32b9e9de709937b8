// Block devices for the image fuzzer and its seed generator: a plex read
// straight from the fuzz input (blocks past the input's end read as zeros, so
// a few bytes can stand for a large aggregate) and a write overlay on top of
// one, so a CP of a loaded image can be written back without copying it.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <vector>

#include "model/block_device.hpp"

namespace failsim::fuzz {

class SpanDevice : public model::BlockDevice {
 public:
  SpanDevice(std::span<const std::uint8_t> bytes, std::uint32_t block_size, model::BlockNo block_count)
      : bytes_(bytes), block_size_(block_size), block_count_(block_count) {}
  std::uint32_t block_size() const override { return block_size_; }
  model::BlockNo block_count() const override { return block_count_; }
  bool read(model::BlockNo bno, std::span<std::uint8_t> out) const override {
    if (bno >= block_count_ || out.size() != block_size_) return false;
    std::memset(out.data(), 0, out.size());
    const std::uint64_t start = bno * block_size_;
    if (start < bytes_.size())
      std::memcpy(out.data(), bytes_.data() + start, std::min<std::uint64_t>(block_size_, bytes_.size() - start));
    return true;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::uint32_t block_size_;
  model::BlockNo block_count_;
};

class OverlayDevice : public model::BlockDevice {
 public:
  explicit OverlayDevice(const model::BlockDevice& base) : base_(base) {}
  std::uint32_t block_size() const override { return base_.block_size(); }
  model::BlockNo block_count() const override { return base_.block_count(); }
  bool read(model::BlockNo bno, std::span<std::uint8_t> out) const override {
    auto it = written_.find(bno);
    if (it == written_.end()) return base_.read(bno, out);
    if (out.size() != it->second.size()) return false;
    std::memcpy(out.data(), it->second.data(), out.size());
    return true;
  }
  void write(model::BlockNo bno, std::vector<std::uint8_t> bytes) {
    if (bno < block_count()) written_[bno] = std::move(bytes);
  }
  const std::map<model::BlockNo, std::vector<std::uint8_t>>& written() const { return written_; }

 private:
  const model::BlockDevice& base_;
  std::map<model::BlockNo, std::vector<std::uint8_t>> written_;
};

}  // namespace failsim::fuzz
