// A node's DMA engine (dma_channel.hpp).
#include "sim/run/dma_channel.hpp"

#include <algorithm>

#include "sim/memory/power_loss.hpp"
#include "sim/run/activity_counts.hpp"
#include "sim/run/platform_build.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

DmaChannel::DmaChannel(World& world, EventLoop& loop, int node, bool mirror, std::function<bool()> up,
                       std::function<void(NvramWrite&)> ended)
    : w_(world), loop_(loop), node_(node), mirror_(mirror), up_(std::move(up)), ended_(std::move(ended)) {}

void DmaChannel::enqueue(NvramWrite w) {
  queue_.push_back(std::move(w));
  if (!busy_) pump();
}

std::uint64_t DmaChannel::bytes_of(const NvramWrite& w) const {
  return w.resync ? w_.nvram[node_][0].size() : w.bytes.size();
}

void DmaChannel::pump() {
  if (queue_.empty() || !up_()) {
    busy_ = false;
    return;
  }
  busy_ = true;
  NvramWrite& w = queue_.front();
  if (w.failed) {
    finish();
    return;
  }
  const std::uint64_t bytes = bytes_of(w);
  const int partner = 1 - node_;
  const double slowdown = mirror_ ? w_.interconnect_slowdown : w_.nvram_slowdown[node_];
  const double delay_s = mirror_ ? w_.interconnect_delay_s : 0;
  w.started_s = w_.now();
  w.expected_s = transfer_s(mirror_ ? w_.scenario.timing.interconnect : w_.scenario.timing.nvram, bytes) * slowdown +
                 delay_s;
  if (w.halfway) loop_.at(w.started_s + w.expected_s / 2, std::move(w.halfway));
  auto comm = sg4::Comm::sendto_async(w_.node_host[node_], mirror_ ? w_.nvram_host[partner] : w_.nvram_host[node_],
                                      std::max<double>(static_cast<double>(bytes) * slowdown, 1));
  ++activity_counts().transfers;
  loop_.start(comm, [this, bytes, delay_s, started_s = w_.now()] {
    write_bytes_ += bytes;
    busy_s_ += w_.now() - started_s;
    if (delay_s > 0)
      loop_.at(w_.now() + delay_s, [this] { finish(); });  // a latency spike on the interconnect
    else
      finish();
  });
}

void DmaChannel::finish() {
  NvramWrite w = std::move(queue_.front());
  queue_.pop_front();
  ended_(w);
  pump();
}

void DmaChannel::lose_power(const std::function<void(NvramWrite&)>& tear) {
  const bool under_way = busy_ && !queue_.empty() && !queue_.front().failed && (!mirror_ || w_.interconnect_up);
  power_loss::queue_at_power_loss(queue_, under_way, tear);
  busy_ = false;
}

}  // namespace failsim::sim
