// The in-memory driver: executes the server's actions against byte
// arrays and memory plexes, completes them in seeded random order. What a
// crash does to them is power_loss.hpp's; how far a torn write got is drawn.
#include "sim/memory/memory_cluster.hpp"

#include <algorithm>
#include <cassert>

#include "model/image_walk.hpp"
#include "model/nvram_log.hpp"
#include "sim/memory/power_loss.hpp"

namespace failsim::sim::memory {

using namespace failsim::model;

MemoryCluster::MemoryCluster(const MemoryClusterConfig& config, std::uint64_t seed) : config_(config), rng_(seed) {
  for (int n = 0; n < 2; ++n) {
    for (auto& region : nvram_[n]) {
      region.assign(region_bytes(config_.nvram_half_bytes), 0);
      const auto header = encode_region_header(config_.nvram_half_bytes);
      std::copy(header.begin(), header.end(), region.begin() + region_header_offset(config_.nvram_half_bytes));
    }
    auto& plexes = disks_[aggregate_name(n)];
    for (int p = 0; p < config_.plexes; ++p)
      plexes.push_back(std::make_unique<MemoryBlockDevice>(config_.fs.block_size, config_.fs.block_count));
  }
  boot(0, BootMode::format);
  boot(1, BootMode::format);
  run_until_quiet();
}

void MemoryCluster::boot(int node, BootMode mode) {
  ServerConfig sc;
  sc.own_aggregates = {aggregate_name(node)};
  sc.partner_aggregates = {aggregate_name(1 - node)};
  sc.log_mode = config_.log_mode;
  sc.ack_after_disk = config_.ack_after_disk;
  sc.nvram_half_bytes = config_.nvram_half_bytes;
  sc.fs = config_.fs;
  servers_[node] = std::make_unique<Server>(sc);
  timers_[node].clear();
  if (!interconnect_up_) deliver(node, InterconnectDown{});
  Boot boot{mode};
  const std::uint64_t header_at = region_header_offset(config_.nvram_half_bytes);
  boot.own_header.assign(nvram_[node][0].begin() + header_at, nvram_[node][0].end());
  boot.mirror_header.assign(nvram_[node][1].begin() + header_at, nvram_[node][1].end());
  deliver(node, boot);
  // The partner sees this node come up again: its port, and a mirror to fill anew.
  if (interconnect_up_ && up(1 - node)) {
    deliver(1 - node, InterconnectUp{});
    deliver(1 - node, PartnerMessage{PartnerMessageKind::rebooted});
  }
}

void MemoryCluster::crash(int node, bool battery_lost) {
  servers_[node].reset();
  timers_[node].clear();
  for (auto it = queues_.begin(); it != queues_.end();) {
    if (it->first.first != node) {
      ++it;
      continue;
    }
    // Only the head of each device queue was under way.
    power_loss::queue_at_power_loss(it->second, true, [this](Pending& p) { apply_write(p, true); });
    it = queues_.erase(it);
  }
  for (auto it = service_.begin(); it != service_.end();) it = it->second == node ? service_.erase(it) : std::next(it);
  for (auto& region : nvram_[node]) power_loss::nvram_at_power_loss(region, !battery_lost);
  check_images("crash");
}

void MemoryCluster::cut_interconnect() {
  interconnect_up_ = false;
  for (int n = 0; n < 2; ++n) {
    auto q = queues_.find({n, mirror_ch});
    if (q == queues_.end()) continue;
    // The write under way lands torn; none of them completes.
    bool head = true;
    for (Pending& p : q->second) {
      if (head) apply_write(p, true);
      head = false;
      if (auto* m = std::get_if<MirrorWritten>(&p.done)) {
        m->ok = false;
        p.kind = Pending::none;
      }
    }
  }
  for (int n = 0; n < 2; ++n) deliver(n, InterconnectDown{});
}

void MemoryCluster::restore_interconnect() {
  interconnect_up_ = true;
  for (int n = 0; n < 2; ++n) deliver(n, InterconnectUp{});
}

void MemoryCluster::send(const std::string& aggregate, const Change& c) {
  int n = server_of(aggregate);
  if (n >= 0) deliver(n, ClientRequest{aggregate, c});
}

int MemoryCluster::server_of(const std::string& aggregate) const {
  auto it = service_.find(aggregate);
  return it == service_.end() ? -1 : it->second;
}

std::vector<const BlockDevice*> MemoryCluster::plexes(const std::string& aggregate) const {
  std::vector<const BlockDevice*> out;
  for (const auto& d : disks_.at(aggregate)) out.push_back(d.get());
  return out;
}

bool MemoryCluster::step() {
  for (int n = 0; n < 2; ++n) {
    if (!up(n) || timers_[n].empty()) continue;
    if (std::bernoulli_distribution(config_.timer_chance)(rng_)) {
      auto& armed = timers_[n];
      auto it = armed.begin() + std::uniform_int_distribution<std::size_t>(0, armed.size() - 1)(rng_);
      Token t = *it;
      armed.erase(it);
      deliver(n, TimerFired{t});
    }
  }
  std::vector<std::pair<int, int>> ready;
  for (const auto& [key, q] : queues_)
    if (!q.empty()) ready.push_back(key);
  if (ready.empty()) return false;
  auto key = ready[std::uniform_int_distribution<std::size_t>(0, ready.size() - 1)(rng_)];
  auto& q = queues_[key];
  Pending p = std::move(q.front());
  q.pop_front();
  complete(key.first, p);
  return true;
}

void MemoryCluster::run_until_quiet(std::size_t max_steps) {
  for (std::size_t i = 0; i < max_steps; ++i)
    if (!step()) return;
  assert(false && "the cluster did not settle");
}

void MemoryCluster::fire_timers(int node) {
  auto timers = std::exchange(timers_[node], {});
  for (Token t : timers) deliver(node, TimerFired{t});
}

void MemoryCluster::deliver(int node, const Event& e) {
  if (!up(node)) return;
  std::vector<Action> actions;
  servers_[node]->handle(e, actions);
  for (Action& a : actions) {
    if (before_action) before_action(node, a);
    if (!up(node)) return;  // crashed at this action: the rest never happens
    execute(node, std::move(a));
  }
}

void MemoryCluster::execute(int node, Action a) {
  const int partner = 1 - node;
  if (auto* w = std::get_if<WriteNvram>(&a)) {
    Pending p{NvramWritten{w->token}, Pending::nvram_write, node, w->region, w->offset, std::move(w->bytes)};
    enqueue(node, nvram_ch, std::move(p));
  } else if (auto* m = std::get_if<MirrorWrite>(&a)) {
    Pending p{MirrorWritten{m->token, true}, Pending::nvram_write, partner, Region::partner_mirror, m->offset,
              std::move(m->bytes)};
    if (!interconnect_up_ || !up(partner)) {
      p.done = MirrorWritten{m->token, false};
      p.kind = Pending::none;
    }
    enqueue(node, mirror_ch, std::move(p));
  } else if (auto* r = std::get_if<ResyncMirror>(&a)) {
    Pending p{MirrorWritten{r->token, interconnect_up_}, interconnect_up_ ? Pending::resync : Pending::none, partner};
    p.issuer = node;
    enqueue(node, mirror_ch, std::move(p));
  } else if (auto* b = std::get_if<WriteBlocks>(&a)) {
    Pending p{BlocksWritten{b->token, true}, Pending::disk_write};
    p.aggregate = b->aggregate;
    p.blocks = std::move(b->blocks);
    p.superblock = b->superblock;
    p.first_plex_only = b->first_plex_only;
    p.issuer = node;
    enqueue(node, disk_ch + aggregate_index(p.aggregate), std::move(p));
  } else if (auto* rep = std::get_if<Reply>(&a)) {
    replies_.push_back(*rep);
  } else if (auto* t = std::get_if<ArmTimer>(&a)) {
    timers_[node].push_back(t->timer);
  } else if (auto* tr = std::get_if<TakeReservation>(&a)) {
    holder_[tr->aggregate] = node;  // preempts the holder, as SCSI-3 PR does
    enqueue(node, control_ch, Pending{ReservationTaken{tr->aggregate, true}});
  } else if (auto* cr = std::get_if<CheckReservation>(&a)) {
    auto h = holder_.find(cr->aggregate);
    enqueue(node, control_ch, Pending{ReservationChecked{cr->aggregate, h != holder_.end() && h->second == node}});
  } else if (auto* rr = std::get_if<ReleaseReservation>(&a)) {
    if (holder_[rr->aggregate] == node) holder_.erase(rr->aggregate);
  } else if (auto* ra = std::get_if<ReadAggregate>(&a)) {
    Pending p{AggregateRead{ra->aggregate, {}, {}}, Pending::read, node, ra->region};
    p.aggregate = ra->aggregate;
    enqueue(node, control_ch, std::move(p));
  } else if (auto* s = std::get_if<ServeAggregate>(&a)) {
    service_[s->aggregate] = node;
  } else if (auto* ss = std::get_if<StopServing>(&a)) {
    if (server_of(ss->aggregate) == node) service_.erase(ss->aggregate);
  } else if (std::holds_alternative<Halt>(a)) {
    crash(node);
    boot(node, holder_[aggregate_name(node)] == partner ? BootMode::after_takeover : BootMode::recover);
  } else if (auto* msg = std::get_if<SendToPartner>(&a)) {
    if (interconnect_up_ && up(partner)) enqueue(partner, control_ch, Pending{PartnerMessage{msg->kind}});
  } else if (auto* n = std::get_if<Notice>(&a)) {
    if (n->kind == NoticeKind::cp_finished) ++cps_finished;
    notices.push_back({node, std::move(*n)});
  }
}

void MemoryCluster::complete(int node, Pending& p) {
  if (p.kind == Pending::read) {
    // Built now: the plexes and region are read as they are at this moment.
    auto& read = std::get<AggregateRead>(p.done);
    read.plexes = plexes(p.aggregate);
    read.log_region = nvram_[node][static_cast<int>(p.region)];
    deliver(node, p.done);
    return;
  }
  if (p.kind == Pending::disk_write && holder_.count(p.aggregate) && holder_[p.aggregate] != p.issuer) {
    ++reservation_rejections;  // fenced: the write never reaches the disks
    std::get<BlocksWritten>(p.done).ok = false;
    deliver(node, p.done);
    return;
  }
  apply_write(p, false);
  if (p.kind == Pending::disk_write && p.superblock && !p.blocks.empty() && p.blocks[0].bno == 1) {
    formatted_.insert(p.aggregate);
    check_images("CP");
  }
  deliver(node, p.done);
}

void MemoryCluster::apply_write(Pending& p, bool torn) {
  switch (p.kind) {
    case Pending::nvram_write: {
      auto& region = nvram_[p.target][static_cast<int>(p.region)];
      std::size_t keep = SIZE_MAX;  // how far a torn write got: drawn
      if (torn) keep = std::uniform_int_distribution<std::size_t>(0, p.bytes.size())(rng_);
      power_loss::land(region, p.offset, p.bytes, keep);
      break;
    }
    case Pending::resync:
      if (!torn) nvram_[p.target][static_cast<int>(Region::partner_mirror)] = nvram_[p.issuer][0];
      break;
    case Pending::disk_write: {
      if (holder_.count(p.aggregate) && holder_[p.aggregate] != p.issuer) break;
      // A crash cuts the batch at a random block; that block lands torn.
      std::size_t whole = p.blocks.size(), cut = SIZE_MAX;
      if (torn) {
        whole = std::uniform_int_distribution<std::size_t>(0, p.blocks.size())(rng_);
        if (whole < p.blocks.size())
          cut = std::uniform_int_distribution<std::size_t>(0, p.blocks[whole].bytes.size())(rng_);
      }
      auto& plexes = disks_[p.aggregate];
      for (std::size_t x = 0; x < (p.first_plex_only ? 1 : plexes.size()); ++x) {
        auto& d = plexes[x];
        for (std::size_t i = 0; i < whole; ++i) d->write(p.blocks[i].bno, p.blocks[i].bytes);
        if (whole < p.blocks.size()) d->write(p.blocks[whole].bno, p.blocks[whole].bytes, cut);
      }
      break;
    }
    default:
      break;
  }
}

void MemoryCluster::check_images(const char* when) {
  if (!config_.fsck_images) return;
  for (const auto& name : formatted_) {
    auto report = fsck(plexes(name));
    ++fsck_runs;
    for (const auto& problem : report.problems) fsck_failures.push_back(std::string(when) + " " + name + ": " + problem);
  }
}

}  // namespace failsim::sim::memory
