// What a node's crash does to its devices: the one statement of it, used by
// both drivers of the core (sim/run's SimGrid node, sim/memory's in-memory
// cluster) and by the block stores behind them.
// - Survives: the disks' blocks; the NVRAM's contents while its battery holds.
// - Tears: the write each device has under way (into local NVRAM, across the
//   interconnect into the partner's NVRAM, onto a disk) lands as a prefix,
//   the bytes transferred before power went. How far it got is the driver's
//   to say: the time elapsed, or a seeded draw.
// - Is lost: the node's memory (its core, its timers) and every I/O queued
//   behind the one under way, which never starts.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace failsim::sim::power_loss {

// How far through its transfer a write started at started_s, expected to
// take expected_s, is at now_s (0..1; 0 for a write with no duration).
inline double progress(double started_s, double expected_s, double now_s) {
  return expected_s > 0 ? std::clamp((now_s - started_s) / expected_s, 0.0, 1.0) : 0.0;
}

// The bytes of a write of `size` bytes that reached the medium `progress`
// of the way through.
inline std::size_t landed_bytes(double progress, std::size_t size) {
  return static_cast<std::size_t>(progress * static_cast<double>(size));
}

// A write lands: the first `keep` bytes of `bytes` (all of them, unless torn)
// go to `medium` at `offset`. A write that would run past the medium's end
// lands nothing.
inline void land(std::span<std::uint8_t> medium, std::uint64_t offset, std::span<const std::uint8_t> bytes,
                 std::size_t keep = SIZE_MAX) {
  if (offset + bytes.size() > medium.size()) return;
  std::copy_n(bytes.begin(), std::min(keep, bytes.size()), medium.begin() + static_cast<std::ptrdiff_t>(offset));
}

// An NVRAM region when power goes: every byte kept while the battery holds;
// without it nothing, the region's header included.
inline void nvram_at_power_loss(std::span<std::uint8_t> region, bool battery_holds) {
  if (!battery_holds) std::fill(region.begin(), region.end(), std::uint8_t{0});
}

// A device's FIFO queue when power goes: the request at its head, when under
// way, tears (`tear` lands what of it was transferred); those behind it are
// lost.
template <class Queue, class Tear>
void queue_at_power_loss(Queue& queue, bool head_under_way, Tear&& tear) {
  if (head_under_way && !queue.empty()) tear(queue.front());
  queue.clear();
}

}  // namespace failsim::sim::power_loss
