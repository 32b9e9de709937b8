// One disk as both nodes share it (disk_arm.hpp).
#include "sim/run/disk_arm.hpp"

#include <algorithm>
#include <cassert>

namespace failsim::sim {

void DiskArm::start(int node) {
  assert(may_start(node));
  holder_ = node;
  told_ = -1;
}

void DiskArm::leave(int node) {
  auto first = std::find(order_.begin(), order_.end(), node);
  assert(first != order_.end());
  order_.erase(first);
  if (holder_ == node) holder_ = -1;
}

void DiskArm::forget(int node) {
  std::erase(order_, node);
  if (holder_ == node) holder_ = -1;
  if (told_ == node) told_ = -1;
}

int DiskArm::to_tell(int self) {
  if (holder_ >= 0 || order_.empty() || order_.front() == self || order_.front() == told_) return -1;
  told_ = order_.front();
  return told_;
}

}  // namespace failsim::sim
