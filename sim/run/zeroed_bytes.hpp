// Zeroed bytes that cost nothing until written: calloc takes large sizes as
// fresh pages the kernel zeroes on first touch, so a disk's untouched blocks
// take neither time to clear nor resident memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace failsim::sim {

class ZeroedBytes {
 public:
  explicit ZeroedBytes(std::size_t size);
  std::uint8_t* data() { return bytes_.get(); }
  const std::uint8_t* data() const { return bytes_.get(); }

 private:
  struct Free {
    void operator()(std::uint8_t* p) const;
  };
  std::unique_ptr<std::uint8_t[], Free> bytes_;
};

}  // namespace failsim::sim
