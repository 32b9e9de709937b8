// A node's CPU (node_cpu.hpp).
#include "sim/run/node_cpu.hpp"

#include "sim/run/activity_counts.hpp"
#include "sim/run/overloaded.hpp"

namespace failsim::sim {

using namespace failsim::model;

namespace {
std::uint64_t op_cycles(const OpCycles& c, OpType t) {
  switch (t) {
    case OpType::create: return c.create;
    case OpType::mkdir: return c.mkdir;
    case OpType::write: return c.write;
    case OpType::append: return c.append;
    case OpType::truncate: return c.truncate;
    case OpType::rename: return c.rename;
    case OpType::unlink: return c.unlink;
    case OpType::rmdir: return c.rmdir;
    case OpType::setattr: return c.setattr;
  }
  return 0;
}
}  // namespace

bool Cpu::push(Event e) {
  queue_.push_back(std::move(e));
  return !busy_;
}

std::optional<Event> Cpu::take(bool up) {
  if (queue_.empty() || !up) {
    busy_ = false;
    return std::nullopt;
  }
  busy_ = true;
  std::optional<Event> e(std::move(queue_.front()));
  queue_.pop_front();
  return e;
}

void Cpu::lose_power() {
  queue_.clear();
  busy_ = false;
}

std::uint64_t Cpu::cycles(const Event& e, const std::vector<Action>& actions) const {
  std::uint64_t cycles = std::visit(overloaded{
                                        [&](const ClientRequest& r) { return op_cycles(timing_.op_cycles, r.change.type); },
                                        [&](const NvramWritten&) { return timing_.action_cycles.nvram_write; },
                                        [&](const MirrorWritten&) { return timing_.action_cycles.mirror_write; },
                                        [&](const BlocksWritten&) { return timing_.action_cycles.cp_block; },
                                        [&](const auto&) { return std::uint64_t{1000}; },
                                    },
                                    e);
  const ActionCycles& c = timing_.action_cycles;
  for (const Action& a : actions) {
    if (std::holds_alternative<Reply>(a)) cycles += c.reply;
    if (auto* b = std::get_if<WriteBlocks>(&a)) {
      cycles += c.cp_block * b->blocks.size();
      auto parity = parity_disks_.find(b->aggregate);
      if (parity != parity_disks_.end()) cycles += c.parity_block * b->blocks.size() * static_cast<std::uint64_t>(parity->second);
    }
    if (auto* n = std::get_if<Notice>(&a))
      if (auto* r = std::get_if<Replayed>(&n->figures)) cycles += c.replay_entry * r->replayed;
  }
  return cycles;
}

void Cpu::spend(std::uint64_t cycles, std::function<void()> done) {
  auto exec = simgrid::s4u::this_actor::exec_init(static_cast<double>(cycles));
  ++activity_counts().execs;
  exec->start();
  loop_.start(exec, std::move(done));
}

}  // namespace failsim::sim
