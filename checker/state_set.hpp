// The serialization search's memo: a set of 64-bit state hashes, open
// addressing with linear probing (8 bytes a slot, at most half full, no
// allocation per insert). clear() gives back a large table, so that a long
// history without concurrency, which clears the memo at every step, pays
// for a small table only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace failsim::checker {

class StateSet {
 public:
  StateSet() : slots_(min_slots, 0) {}
  // True when `key` was not in the set.
  bool insert(std::uint64_t key) {
    if (key == 0) {  // 0 marks an empty slot: the key 0 is kept apart
      const bool added = !has_zero_;
      has_zero_ = true;
      size_ += added;
      return added;
    }
    if (2 * (size_ + 1) > slots_.size()) grow();
    if (!place(slots_, key)) return false;
    ++size_;
    return true;
  }
  bool contains(std::uint64_t key) const {
    if (key == 0) return has_zero_;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
      if (slots_[i] == key) return true;
      if (slots_[i] == 0) return false;
    }
  }
  void clear() {
    if (slots_.size() > min_slots) std::vector<std::uint64_t>(min_slots, 0).swap(slots_);
    else std::fill(slots_.begin(), slots_.end(), 0);
    size_ = 0;
    has_zero_ = false;
  }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t min_slots = 64;  // a power of two
  static std::size_t slot_of(std::uint64_t key, std::size_t mask) {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  }
  // Puts `key` in its slot; false when it was there already.
  static bool place(std::vector<std::uint64_t>& slots, std::uint64_t key) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
      if (slots[i] == key) return false;
      if (slots[i] == 0) {
        slots[i] = key;
        return true;
      }
    }
  }
  void grow() {
    std::vector<std::uint64_t> bigger(slots_.size() * 2, 0);
    for (std::uint64_t k : slots_)
      if (k != 0) place(bigger, k);
    slots_.swap(bigger);
  }
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
  bool has_zero_ = false;
};

}  // namespace failsim::checker
