// The node actor: event loop, CPU, devices, lifecycle, faults (its view of
// the partner is in node_partner.cpp).
#include "node_driver.hpp"

#include <algorithm>
#include <cassert>

#include "model/nvram_log.hpp"
#include "sim/run/activity_counts.hpp"
#include "sim/run/disk_timing.hpp"
#include "sim/run/platform_build.hpp"
#include "sim/run/rng.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;
using namespace failsim::model;

namespace {
template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

// A plex as seen by the loader, counting the blocks it reads (load time).
class CountingDevice : public BlockDevice {
 public:
  CountingDevice(std::unique_ptr<BlockDevice> inner, std::uint64_t& reads) : inner_(std::move(inner)), reads_(reads) {}
  std::uint32_t block_size() const override { return inner_->block_size(); }
  BlockNo block_count() const override { return inner_->block_count(); }
  bool read(BlockNo bno, std::span<std::uint8_t> out) const override {
    ++reads_;
    return inner_->read(bno, out);
  }

 private:
  std::unique_ptr<BlockDevice> inner_;
  std::uint64_t& reads_;
};

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

NodeDriver::NodeDriver(World& world, int index)
    : w_(world),
      me_(index),
      partner_(1 - index),
      mailbox_(world.node_mailbox[index]),
      rng_(make_stream(world.scenario.seed, "node" + std::to_string(index))) {}

// ---- event loop ----

void NodeDriver::at(double time_s, std::function<void()> fire) {
  timers_.push({time_s, ++timer_seq_, std::move(fire)});
}

void NodeDriver::start(sg4::ActivityPtr a, std::function<void()> done) {
  activities_.push_back(a);
  running_.push_back({std::move(a), std::move(done)});
}

void NodeDriver::run() {
  Message* msg = nullptr;
  // activities_ is what the loop waits on, kept in step with running_
  // rather than rebuilt at every completion: the inbox first, then the
  // running activities in the order they started (the order decides which
  // of two activities ending at the same instant is handled first).
  ActivityCounts& counts = activity_counts();
  activities_.assign(1, mailbox_->get_async<Message>(&msg));
  ++counts.receives;
  do_boot();
  while (!w_.stop) {
    double timeout = timers_.empty() ? -1 : std::max(0.0, timers_.top().at_s - w_.now());
    ++counts.waits;
    counts.timed_waits += timeout >= 0;
    ssize_t i = sg4::Activity::wait_any_for(activities_, timeout);
    if (i < 0) {
      while (!timers_.empty() && timers_.top().at_s <= w_.now()) {
        auto fire = timers_.top().fire;
        timers_.pop();
        fire();
      }
    } else if (i == 0) {
      Message* m = msg;
      activities_[0] = mailbox_->get_async<Message>(&msg);
      ++counts.receives;
      on_message(m);
    } else {
      Running r = std::move(running_[i - 1]);
      running_.erase(running_.begin() + (i - 1));
      activities_.erase(activities_.begin() + i);
      r.done();
    }
  }
  activities_[0]->cancel();
  for (Running& r : running_) r.activity->cancel();
}

void NodeDriver::on_message(Message* m) {
  std::unique_ptr<Message> owned(m);
  switch (m->kind) {
    case Message::Kind::control:
      if (m->control == Control::hang) {
        if (!up()) break;
        // Everything this node does waits: heartbeats, timers, completions.
        sg4::this_actor::sleep_for(m->hang_s);
        w_.event(me_, "resume", {{"hung_s", m->hang_s}});
        break;
      }
      control(m->control);
      break;
    case Message::Kind::request:
      // A request reaching a node that is down, or no longer serves the
      // aggregate, is lost; the client times out and retransmits.
      if (up()) submit(ClientRequest{std::move(m->aggregate), std::move(m->change)});  // the message goes after
      break;
    case Message::Kind::partner:
      if (up() && w_.interconnect_up && w_.interconnect_from_up[partner_]) submit(PartnerMessage{m->partner_kind});
      break;
    case Message::Kind::heartbeat:
      if (!w_.interconnect_up || !w_.interconnect_from_up[partner_] || !up()) break;  // lost on a cut link
      last_ic_heartbeat_s_ = w_.now();
      observe_partner(m->state);
      break;
    case Message::Kind::reply: break;
  }
}

void NodeDriver::control(Control c) {
  switch (c) {
    case Control::crash: crash("crash"); break;
    case Control::reboot:
      crash("reboot");
      boot_later(w_.scenario.server.boot_time_s);
      break;
    case Control::boot:
      if (!up() && !booting_) boot_later(w_.scenario.server.boot_time_s);
      break;
    case Control::stop: w_.stop = true; break;
    case Control::hang: break;  // in on_message
    case Control::battery_failed:
      if (up()) submit(NvramBattery{false});
      break;
  }
}

// ---- the core, through the CPU ----

void NodeDriver::submit(Event e) {
  cpu_queue_.push_back(std::move(e));
  if (!cpu_busy_) next_on_cpu();
}

std::uint64_t NodeDriver::event_cycles(const Event& e) const {
  const TimingSpec& t = w_.scenario.timing;
  return std::visit(overloaded{
                        [&](const ClientRequest& r) { return op_cycles(t.op_cycles, r.change.type); },
                        [&](const NvramWritten&) { return t.action_cycles.nvram_write; },
                        [&](const MirrorWritten&) { return t.action_cycles.mirror_write; },
                        [&](const BlocksWritten&) { return t.action_cycles.cp_block; },
                        [&](const auto&) { return std::uint64_t{1000}; },
                    },
                    e);
}

std::uint64_t NodeDriver::action_cycles(const std::vector<Action>& actions) const {
  const ActionCycles& c = w_.scenario.timing.action_cycles;
  std::uint64_t cycles = 0;
  for (const Action& a : actions) {
    if (std::holds_alternative<Reply>(a)) cycles += c.reply;
    if (auto* b = std::get_if<WriteBlocks>(&a)) cycles += c.cp_block * b->blocks.size();
    if (auto* n = std::get_if<Notice>(&a); n && n->kind == NoticeKind::replayed) cycles += c.replay_entry * n->a;
  }
  return cycles;
}

void NodeDriver::next_on_cpu() {
  if (cpu_queue_.empty() || !up()) {
    cpu_busy_ = false;
    return;
  }
  cpu_busy_ = true;
  Event e = std::move(cpu_queue_.front());
  cpu_queue_.pop_front();
  handle_now(e);
}

// The core handles the event when the CPU takes it up; its actions go out
// when the CPU has spent the event's cycles and theirs, in one Exec. Nothing
// outside the core sees it in between, and a crash meanwhile discards the
// core with the actions, so this is the same as handling the event at the
// end of its own cycles, at half the SimGrid activities.
void NodeDriver::handle_now(const Event& e) {
  std::vector<Action> actions;
  double hold_s = 0;  // time the actions wait after the CPU (loading an aggregate)
  if (auto* read = std::get_if<AggregateRead>(&e)) {
    // Build the read now: the plexes as this node sees them at this moment.
    std::uint64_t reads = 0;
    std::vector<std::unique_ptr<BlockDevice>> devices;
    std::vector<const BlockDevice*> plexes;
    for (auto& p : w_.store.plexes_seen_by(w_.node_name(me_), read->aggregate)) {
      devices.push_back(std::make_unique<CountingDevice>(std::move(p), reads));
      plexes.push_back(devices.back().get());
    }
    Region region = w_.owner.at(read->aggregate) == me_ ? Region::own : Region::partner_mirror;
    const NvramRegion& nvram = w_.nvram[me_][static_cast<int>(region)];
    std::vector<std::uint8_t> log(nvram.begin(), nvram.end());
    server_->handle(AggregateRead{read->aggregate, plexes, log}, actions);
    const DiskTiming& d = w_.scenario.timing.disk;
    std::size_t disks = std::max<std::size_t>(1, w_.store.aggregates().at(read->aggregate).plexes[0].disks.size());
    double per_block_s = d.seek_s + d.rotation_s / 2 + w_.scenario.server.block_size / d.transfer_Bps;
    hold_s = static_cast<double>(reads) * per_block_s / static_cast<double>(disks);
    w_.event(me_, "aggregate_loaded", {{"aggregate", read->aggregate}, {"blocks_read", reads}, {"load_s", hold_s}});
    for (const Action& a : actions)
      if (auto* n = std::get_if<Notice>(&a); n && n->kind == NoticeKind::replayed && point_fault(FaultKind::crash_during_replay)) {
        // The replay is lost with the node: recovery starts over at the next boot.
        const std::uint64_t inc = incarnation_;
        double when = w_.now() + hold_s * std::uniform_real_distribution<double>(0, 1)(rng_);
        at(when, [this, inc] {
          if (inc == incarnation_) crash("crash_during_replay");
        });
      }
  } else {
    server_->handle(e, actions);
  }
  const std::uint64_t cycles = event_cycles(e) + action_cycles(actions);
  const std::uint64_t inc = incarnation_;
  auto issue = [this, inc, actions = std::move(actions)]() mutable {
    if (inc != incarnation_) return;
    for (Action& a : actions) {
      execute(a);
      if (inc != incarnation_) return;  // a point fault crashed the node
    }
    next_on_cpu();
  };
  auto exec = sg4::this_actor::exec_init(static_cast<double>(cycles));
  ++activity_counts().execs;
  exec->start();
  start(exec, [this, inc, hold_s, issue = std::move(issue)]() mutable {
    if (inc != incarnation_) return;
    if (hold_s > 0)
      at(w_.now() + hold_s, std::move(issue));
    else
      issue();
  });
}

void NodeDriver::execute(Action& action) {
  const std::string& me = w_.node_name(me_);
  std::visit(
      overloaded{
          [&](WriteNvram& a) { enqueue(nvram_, {a.token, me_, a.region, a.offset, std::move(a.bytes)}); },
          [&](MirrorWrite& a) {
            NvramWrite wr{a.token, partner_, Region::partner_mirror, a.offset, std::move(a.bytes)};
            wr.failed = !w_.interconnect_carries(me_);
            if (point_fault(FaultKind::crash_before_mirror)) {
              // The local copy lands, the mirror copy never starts.
              wr.failed = true;
              const std::uint64_t inc = incarnation_;
              at(w_.now() + transfer_s(w_.scenario.timing.nvram, wr.bytes.size()) * 1.5, [this, inc] {
                if (inc == incarnation_) crash("crash_before_mirror");
              });
            }
            enqueue(mirror_, std::move(wr));
          },
          [&](ResyncMirror& a) {
            NvramWrite wr{a.token, partner_, Region::partner_mirror, 0, {}};
            wr.resync = true;
            wr.failed = !w_.interconnect_carries(me_);
            enqueue(mirror_, std::move(wr));
          },
          [&](WriteBlocks& a) {
            const std::uint64_t id = ++next_batch_;
            const auto& aggr = w_.store.aggregates().at(a.aggregate);
            std::vector<DiskRequest> requests;
            for (auto& blk : a.blocks) {
              auto bytes = std::make_shared<const std::vector<std::uint8_t>>(std::move(blk.bytes));
              const int plexes = a.first_plex_only ? 1 : static_cast<int>(aggr.plexes.size());
              for (int p = 0; p < plexes; ++p) requests.push_back({a.aggregate, p, blk.bno, bytes, id});
            }
            if (a.superblock) w_.event(me_, "superblock_write", {{"aggregate", a.aggregate}, {"copy", a.blocks[0].bno}});
            if (requests.empty()) {  // nothing to write
              submit(BlocksWritten{a.token, true});
              return;
            }
            // Counted before any is submitted: a request to a dead disk
            // completes at once.
            batches_[id] = Batch{a.token, requests.size()};
            if (a.superblock && a.blocks[0].bno == 1) batches_[id].fsck_aggregate = a.aggregate;
            for (DiskRequest& r : requests) disk_submit(std::move(r));
          },
          [&](Reply& a) {
            if (point_fault(FaultKind::crash_after_mirror)) {
              crash("crash_after_mirror");
              return;
            }
            auto* m = new Message{Message::Kind::reply, a.aggregate, {}, a.result, a.client, a.xid};
            w_.send_to_client(a.client, m, w_.node_host[me_], me_);
          },
          [&](ArmTimer& a) {
            const std::uint64_t inc = incarnation_;
            const Token t = a.timer;
            at(w_.now() + static_cast<double>(a.delay_ns) * 1e-9, [this, inc, t] {
              if (inc == incarnation_) submit(TimerFired{t});
            });
          },
          [&](TakeReservation& a) {
            w_.store.reserve(a.aggregate, me);
            w_.event(me_, "reservation_taken", {{"aggregate", a.aggregate}});
            const std::uint64_t inc = incarnation_;
            std::string aggr = a.aggregate;
            at(w_.now() + 0.001, [this, inc, aggr] {  // a SCSI PREEMPT round trip
              if (inc == incarnation_) submit(ReservationTaken{aggr, true});
            });
          },
          [&](CheckReservation& a) {
            const std::uint64_t inc = incarnation_;
            std::string aggr = a.aggregate;
            at(w_.now() + 0.001, [this, inc, aggr] {  // a SCSI READ RESERVATION round trip
              if (inc != incarnation_) return;
              const std::string* h = w_.store.holder(aggr);
              submit(ReservationChecked{aggr, h && *h == w_.node_name(me_)});
            });
          },
          [&](ReleaseReservation& a) {
            w_.store.release(a.aggregate, me);
            w_.event(me_, "reservation_released", {{"aggregate", a.aggregate}});
          },
          [&](ReadAggregate& a) { submit(AggregateRead{a.aggregate, {}, {}}); },
          [&](ServeAggregate& a) {
            w_.service[a.aggregate] = me_;
            w_.event(me_, "serve", {{"aggregate", a.aggregate}});
          },
          [&](StopServing& a) {
            auto it = w_.service.find(a.aggregate);
            if (it != w_.service.end() && it->second == me_) w_.service.erase(it);
            w_.event(me_, "stop_serving", {{"aggregate", a.aggregate}});
          },
          [&](SendToPartner& a) {
            switch (a.kind) {
              case PartnerMessageKind::takeover_request:
              case PartnerMessageKind::log_lost:
                request_ = a.kind;
                request_seq_ = (incarnation_ << 32) | ++request_count_;
                send_state();
                return;
              case PartnerMessageKind::takeover_refused:
                refused_seq_ = partner_request_seen_;
                send_state();
                return;
              case PartnerMessageKind::mirror_in_sync:
                mirror_synced_partner_incarnation_ = partner_state_.incarnation;
                send_state();
                return;
              case PartnerMessageKind::giveback_done:
                gave_back_to_ = partner_state_.wait_seq;
                // Our state says it (no longer holding its aggregates; our
                // log whole in its mirror): tell it now.
                send_state();
                return;
              default: break;
            }
            auto* m = new Message{Message::Kind::partner};
            m->from = me_;
            m->partner_kind = a.kind;
            w_.send_over_interconnect(me_, m);
          },
          [&](Halt&) {
            crash("halt");
            boot_later(w_.scenario.server.boot_time_s);
          },
          [&](Notice& a) {
            nlohmann::json f;
            if (!a.aggregate.empty()) f["aggregate"] = a.aggregate;
            switch (a.kind) {
              case NoticeKind::cp_started: f["blocks"] = a.a; f["max_lsn"] = a.b; break;
              case NoticeKind::cp_finished: f["generation"] = a.a; f["max_lsn"] = a.b; break;
              case NoticeKind::replayed: f["replayed"] = a.a; f["skipped"] = a.b; break;
              case NoticeKind::replay_mismatch: f["lsn"] = a.a; break;
              case NoticeKind::request_too_large: f["entry_bytes"] = a.a; f["half_bytes"] = a.b; break;
              default: break;
            }
            if (!a.text.empty()) f["text"] = a.text;
            w_.event(me_, std::string(to_string(a.kind)), f);
            if (a.kind == NoticeKind::cp_started || a.kind == NoticeKind::cp_finished) sample(to_string(a.kind));
          },
      },
      action);
}

// ---- NVRAM and interconnect channels: one transfer at a time, in order ----

void NodeDriver::enqueue(Channel& ch, NvramWrite w) {
  ch.queue.push_back(std::move(w));
  if (!ch.busy) pump(ch);
}

void NodeDriver::pump(Channel& ch) {
  if (ch.queue.empty() || !up()) {
    ch.busy = false;
    return;
  }
  ch.busy = true;
  NvramWrite& w = ch.queue.front();
  const bool mirror = &ch == &mirror_;
  const std::uint64_t inc = incarnation_;
  auto finish = [this, &ch, inc, mirror] {
    if (inc != incarnation_) return;
    NvramWrite w = std::move(ch.queue.front());
    ch.queue.pop_front();
    // The partner's NVRAM takes no mirror writes once it has taken our
    // aggregates over: the region is its takeover log now.
    bool ok = !w.failed && (!mirror || (w_.interconnect_up && w_.interconnect_from_up[me_] &&
                                        w_.nodes[partner_]->accepts_mirror_writes()));
    bool torn = ok && mirror && !w.resync && point_fault(FaultKind::torn_mirror_write);
    if (ok) land(w, torn ? std::uniform_int_distribution<std::size_t>(0, w.bytes.size())(rng_) : SIZE_MAX);
    if (mirror)
      submit(MirrorWritten{w.token, ok && !torn});
    else
      submit(NvramWritten{w.token});
    if (torn) {
      // A torn mirror write is the interconnect failing in the middle of it.
      w_.event(me_, "fault", {{"fault", "torn_mirror_write"}});
      const TornMirrorWrite* spec = nullptr;
      for (const auto& f : w_.scenario.faults)
        if (f.kind() == FaultKind::torn_mirror_write && w_.node_index(f.get<TornMirrorWrite>().node) == me_)
          spec = &f.get<TornMirrorWrite>();
      w_.cut_interconnect(spec && spec->duration_s > 0 ? spec->duration_s : 1.0);
    }
    pump(ch);
  };
  if (w.failed) {
    finish();
    return;
  }
  const std::uint64_t bytes = w.resync ? w_.nvram[me_][0].size() : w.bytes.size();
  // A slow device moves the same bytes in `slowdown` times the time.
  const double slowdown = mirror ? w_.interconnect_slowdown : w_.nvram_slowdown[me_];
  const double delay_s = mirror ? w_.interconnect_delay_s : 0;
  w.started_s = w_.now();
  w.expected_s = transfer_s(mirror ? w_.scenario.timing.interconnect : w_.scenario.timing.nvram, bytes) * slowdown +
                 delay_s;
  auto comm = sg4::Comm::sendto_async(w_.node_host[me_], mirror ? w_.nvram_host[partner_] : w_.nvram_host[me_],
                                      std::max<double>(static_cast<double>(bytes) * slowdown, 1));
  ++activity_counts().transfers;
  start(comm, [this, inc, mirror, bytes, delay_s, started_s = w_.now(), finish] {
    if (inc == incarnation_) {
      (mirror ? usage_.mirror_write_bytes : usage_.nvram_write_bytes) += bytes;
      (mirror ? usage_.mirror_busy_s : usage_.nvram_busy_s) += w_.now() - started_s;
    }
    if (delay_s > 0)
      at(w_.now() + delay_s, finish);  // a latency spike on the interconnect
    else
      finish();
  });
}

void NodeDriver::land(NvramWrite& w, std::size_t keep) {
  auto& region = w_.nvram[w.target_node][static_cast<int>(w.region)];
  if (w.resync) {
    const auto& own = w_.nvram[me_][0];
    std::copy_n(own.begin(), std::min(keep, own.size()), region.begin());
    return;
  }
  std::size_t n = std::min(keep, w.bytes.size());
  if (w.offset + w.bytes.size() > region.size()) return;
  std::copy_n(w.bytes.begin(), n, region.begin() + w.offset);
}

// ---- disks: FIFO per disk; positioning drawn, transfer over the loop ----

void NodeDriver::disk_submit(DiskRequest r) {
  const std::string& disk = w_.store.disk_of(r.aggregate, r.plex, r.bno);
  auto [it, added] = disks_.try_emplace(disk);
  if (added) it->second.rng = make_stream(w_.scenario.seed, me_ == 0 ? "disk0." + disk : "disk1." + disk);
  it->second.queue.push_back(std::move(r));
  if (!it->second.busy) disk_pump(disk);
}

void NodeDriver::disk_pump(const std::string& disk) {
  Disk& d = disks_.at(disk);
  if (d.queue.empty() || !up()) {
    d.busy = false;
    return;
  }
  d.busy = true;
  const DiskTiming& t = w_.scenario.timing.disk;
  const std::string node = w_.node_name(me_);
  if (!w_.reachable(me_, disk)) {
    // No path, or a dead disk: the request fails at once, no time spent.
    disk_done(disk);
    return;
  }
  if (point_fault(FaultKind::crash_at_cp_block)) {
    d.queue.front().started_s = w_.now();
    d.queue.front().expected_s = 1;
    crash("crash_at_cp_block");
    return;
  }
  auto slow = w_.disk_slowdown.find(disk);
  const double slowdown = slow == w_.disk_slowdown.end() ? 1.0 : slow->second;
  const double positioning_s = draw_positioning_s(t, d.rng) * slowdown;
  const std::uint64_t inc = incarnation_;
  at(w_.now() + positioning_s, [this, inc, disk, slowdown, busy_since_s = w_.now()] {
    if (inc != incarnation_) return;
    Disk& d = disks_.at(disk);
    DiskRequest& r = d.queue.front();
    r.started_s = w_.now();
    r.expected_s = static_cast<double>(r.bytes->size()) * slowdown /
                   std::min(w_.scenario.timing.loop_bandwidth_Bps, w_.scenario.timing.disk.transfer_Bps);
    auto comm = sg4::Comm::sendto_async(w_.node_host[me_], w_.disk_hosts.at(disk),
                                        static_cast<double>(r.bytes->size()) * slowdown);
    ++activity_counts().transfers;
    start(comm, [this, inc, disk, busy_since_s] {
      if (inc != incarnation_) return;
      usage_.disk_busy_s[disk] += w_.now() - busy_since_s;
      ++usage_.disk_writes[disk];
      disk_done(disk);
    });
  });
}

void NodeDriver::disk_done(const std::string& disk) {
  Disk& d = disks_.at(disk);
  DiskRequest r = std::move(d.queue.front());
  d.queue.pop_front();
  auto it = batches_.find(r.batch);
  if (it != batches_.end()) {
    Batch& b = it->second;
    {
      // Unreachable (not transferred): the store marks the plex stale.
      auto result = w_.store.write_plex(w_.node_name(me_), r.aggregate, r.plex, r.bno, *r.bytes);
      if (result == BlockStore::WriteResult::rejected) {
        b.ok = false;
        w_.event(me_, "reservation_rejection", {{"aggregate", r.aggregate}, {"block", r.bno}});
      } else if (result == BlockStore::WriteResult::ok) {
        b.wrote_somewhere = true;
      } else if (!w_.store.stale(r.aggregate, r.plex)) {
        b.missed = true;  // a hole in a plex that stays in use
      }
    }
    if (--b.pending == 0) {
      Token token = b.token;
      // A plex in use that missed a block does not hold the batch (a plex
      // that went stale for it is out of use, and the others hold it).
      bool ok = b.ok && b.wrote_somewhere && !b.missed;
      bool rejected = !b.ok;
      std::string fsck_aggregate = b.fsck_aggregate;
      batches_.erase(it);
      if (!fsck_aggregate.empty()) w_.fsck(fsck_aggregate, "cp");
      submit(BlocksWritten{token, ok, rejected});
    }
  }
  disk_pump(disk);
}

// ---- lifecycle ----

void NodeDriver::boot_later(double delay_s) {
  booting_ = true;
  w_.event(me_, "power_on");
  at(w_.now() + delay_s, [this] { do_boot(); });
}

void NodeDriver::do_boot() {
  booting_ = false;
  const ServerSpec& ss = w_.scenario.server;
  ServerConfig sc;
  for (const auto& a : w_.scenario.cluster.aggregates)
    (w_.owner.at(a.name) == me_ ? sc.own_aggregates : sc.partner_aggregates).push_back(a.name);
  sc.log_mode = ss.log_mode == NvramLogMode::block ? model::LogMode::block : model::LogMode::request;
  sc.ack_after_disk = ss.ack == AckPoint::disk;
  sc.nvram_half_bytes = ss.nvram_half_bytes;
  sc.cp_interval_ns = static_cast<std::uint64_t>(ss.cp_interval_s * 1e9);
  sc.fs.block_size = ss.block_size;
  sc.mirror_loss_grace_ns =
      static_cast<std::uint64_t>((ss.heartbeat_timeout_s + 2 * ss.heartbeat_interval_s) * 1e9);
  if (!sc.own_aggregates.empty())
    sc.fs.block_count = w_.store.aggregates().at(sc.own_aggregates[0]).blocks;
  server_ = std::make_unique<Server>(sc);
  ++incarnation_;
  // The mailbox tells a booting node whether its partner took over its
  // aggregates (it holds their reservations): then its NVRAM is stale.
  // (The aggregates were formatted before time 0: every boot recovers.)
  BootMode mode = BootMode::recover;
  bool holds_partner_aggregates = false;
  for (const auto& a : sc.own_aggregates) {
    const std::string* h = w_.store.holder(a);
    if (h && *h == w_.node_name(partner_)) mode = BootMode::after_takeover;
  }
  for (const auto& a : sc.partner_aggregates) {
    const std::string* h = w_.store.holder(a);
    if (h && *h == w_.node_name(me_)) holds_partner_aggregates = true;
  }
  ic_believed_up_ = true;
  last_ic_heartbeat_s_ = w_.now();
  partner_declared_dead_ = false;
  request_.reset();
  refused_seq_ = 0;
  partner_request_seen_ = 0;
  partner_state_heard_s_ = -1;
  partner_in_sync_told_ = false;
  w_.event(me_, "boot", {{"mode", mode == BootMode::recover ? "recover" : "after_takeover"}});
  // The NVRAM's region headers, read from the card: whether its contents survived.
  Boot boot{mode, {}, {}, holds_partner_aggregates, !w_.nvram_battery_dead[me_]};
  const std::uint64_t header_at = region_header_offset(ss.nvram_half_bytes);
  for (int r = 0; r < 2; ++r) {
    const NvramRegion& region = w_.nvram[me_][r];
    (r == 0 ? boot.own_header : boot.mirror_header).assign(region.begin() + header_at, region.end());
  }
  submit(std::move(boot));
  heartbeat();
}

void NodeDriver::crash(const std::string& why) {
  if (!up() && !booting_) return;
  w_.event(me_, "crash", {{"cause", why}});
  // Writes under way land torn where the transfer had got to; the rest never start.
  auto tear = [&](Channel& ch, bool mirror) {
    if (ch.busy && !ch.queue.empty() && !ch.queue.front().failed && (!mirror || w_.interconnect_up)) {
      NvramWrite& w = ch.queue.front();
      double f = w.expected_s > 0 ? std::clamp((w_.now() - w.started_s) / w.expected_s, 0.0, 1.0) : 0.0;
      land(w, static_cast<std::size_t>(f * static_cast<double>(w.resync ? w_.nvram[me_][0].size() : w.bytes.size())));
    }
    ch = Channel{};
  };
  tear(nvram_, false);
  tear(mirror_, true);
  for (auto& [disk, d] : disks_) {
    if (d.busy && !d.queue.empty() && d.queue.front().started_s > 0 && w_.reachable(me_, disk)) {
      DiskRequest& r = d.queue.front();
      double f = std::clamp((w_.now() - r.started_s) / r.expected_s, 0.0, 1.0);
      if (f == 0) f = std::uniform_real_distribution<double>(0, 1)(rng_);
      w_.store.write_plex(w_.node_name(me_), r.aggregate, r.plex, r.bno, *r.bytes,
                          static_cast<std::size_t>(f * static_cast<double>(r.bytes->size())));
    }
  }
  disks_.clear();
  batches_.clear();
  for (const auto& a : w_.scenario.cluster.aggregates) w_.fsck(a.name, "crash");
  if (w_.nvram_battery_dead[me_])
    for (auto& region : w_.nvram[me_]) std::fill(region.begin(), region.end(), 0);
  for (Running& r : running_) r.activity->cancel();
  running_.clear();
  if (!activities_.empty()) activities_.resize(1);  // the inbox stays
  timers_ = {};
  cpu_queue_.clear();
  cpu_busy_ = false;
  server_.reset();
  booting_ = false;
  giveback_scheduled_ = false;
  ++incarnation_;
  for (auto it = w_.service.begin(); it != w_.service.end();)
    it = it->second == me_ ? w_.service.erase(it) : std::next(it);
}

bool NodeDriver::point_fault(FaultKind kind) {
  for (auto it = w_.armed[me_].begin(); it != w_.armed[me_].end(); ++it) {
    if (it->kind != kind) continue;
    if (--it->remaining > 0) return false;
    w_.armed[me_].erase(it);
    w_.event(me_, "fault", {{"fault", std::string(to_string(kind))}});
    return true;
  }
  return false;
}

}  // namespace failsim::sim
