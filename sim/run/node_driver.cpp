// The node actor: its messages, and the core fed through the CPU (the other
// jobs are listed in node_driver.hpp).
#include "node_driver.hpp"

#include <algorithm>

#include "sim/run/rng.hpp"
#include "sim/scenario/raid_groups.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;
using namespace failsim::model;

namespace {
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
// The parity disks of each RAID aggregate (the CPU's XOR work per block).
std::map<std::string, int> parity_disks_of(const Scenario& s) {
  std::map<std::string, int> out;
  for (const auto& a : s.cluster.aggregates)
    if (parity_disks(a.raid.level) > 0) out[a.name] = parity_disks(a.raid.level);
  return out;
}
}  // namespace

NodeDriver::NodeDriver(World& world, int index)
    : w_(world),
      me_(index),
      partner_(1 - index),
      loop_(world.node_mailbox[index]),
      cpu_(world.scenario.timing, parity_disks_of(world.scenario), loop_),
      faults_(world, index),
      nvram_(world, loop_, index, false, [this] { return up(); }, [this](NvramWrite& w) { nvram_written(w); }),
      mirror_(world, loop_, index, true, [this] { return up(); }, [this](NvramWrite& w) { mirror_written(w); }),
      disk_hooks_{[this] { return up(); }, [this](DiskRequest& r) { return crash_at_cp_block(r); },
                  [this](const std::string& disk, DiskRequest& r, bool transferred, double busy_s) {
                    disk_ended(disk, r, transferred, busy_s);
                  }},
      rng_(make_stream(world.scenario.seed, "node" + std::to_string(index))) {}

void NodeDriver::run() {
  loop_.open_inbox();
  do_boot();
  loop_.run(w_.stop, [this](Message* m) { on_message(m); });
}

void NodeDriver::on_message(Message* m) {
  std::unique_ptr<Message> owned(m);
  switch (m->kind) {
    case Message::Kind::control:
      if (m->control == Control::hang) {
        if (!up()) break;
        // Everything this node does waits: heartbeats, timers, completions.
        w_.hung_until_s[me_] = std::max(w_.hung_until_s[me_], w_.now() + m->hang_s);
        sg4::this_actor::sleep_for(m->hang_s);
        w_.event(me_, EventKind::resume, {{"hung_s", m->hang_s}});
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
  if (cpu_.push(std::move(e))) next_on_cpu();
}

void NodeDriver::next_on_cpu() {
  if (std::optional<Event> e = cpu_.take(up())) handle_now(*e);
}

// The core handles the event when the CPU takes it up; its actions go out
// when the CPU has spent the event's cycles and theirs, in one Exec. Nothing
// outside the core sees it in between, and a crash meanwhile discards the
// core with the actions, so this is the same as handling the event at the
// end of its own cycles, at half the SimGrid activities. A load reads the
// aggregate's blocks first (a hold), then spends its cycles, replaying.
void NodeDriver::handle_now(const Event& e) {
  std::vector<Action> actions;
  double hold_s = 0;  // time the load reads blocks before the CPU replays
  if (auto* read = std::get_if<AggregateRead>(&e))
    hold_s = load_aggregate(*read, actions);
  else
    server_->handle(e, actions);
  const std::uint64_t cycles = cpu_.cycles(e, actions);
  if (std::holds_alternative<AggregateRead>(e) && crash_in_replay(e, actions, hold_s)) return;
  auto issue = [this, inc = incarnation(), actions = std::move(actions)]() mutable {
    for (Action& a : actions) {
      execute(a);
      if (inc != incarnation()) return;  // a point fault crashed the node: the rest never happens
    }
    next_on_cpu();
  };
  auto spend = [this, cycles, issue = std::move(issue)]() mutable { cpu_.spend(cycles, std::move(issue)); };
  if (hold_s > 0)
    loop_.at(w_.now() + hold_s, std::move(spend));
  else
    spend();
}

bool NodeDriver::crash_in_replay(const Event& e, const std::vector<Action>& actions, double hold_s) {
  std::uint64_t entries = 0;
  for (const Action& a : actions)
    if (auto* n = std::get_if<Notice>(&a))
      if (auto* r = std::get_if<Replayed>(&n->figures)) entries += r->replayed;
  const std::optional<std::uint64_t> entry = faults_.crash_during_replay(entries);
  if (!entry) return false;
  // The CPU spends the load's own cycles, gets halfway through entry
  // `entry` of the replay, and the node crashes there: the replayed state,
  // in memory only, is lost with it and recovery starts over at the next
  // boot. The actions (the recovery CP's writes among them) never go out.
  const std::uint64_t per_entry = w_.scenario.timing.action_cycles.replay_entry;
  const std::uint64_t until = cpu_.cycles(e, {}) + per_entry * (*entry - 1) + per_entry / 2;
  loop_.at(w_.now() + hold_s, [this, until, at = *entry, entries] {
    cpu_.spend(until, [this, at, entries] {
      faults_.replay_crash_event(at, entries);
      crash("crash_during_replay");
    });
  });
  return true;
}

double NodeDriver::load_aggregate(const AggregateRead& read, std::vector<Action>& actions) {
  // Build the read now: the plexes as this node sees them at this moment.
  std::uint64_t reads = 0, rebuild_reads = 0;
  std::vector<std::unique_ptr<BlockDevice>> devices;
  std::vector<const BlockDevice*> plexes;
  for (auto& p : w_.store.plexes_seen_by(w_.node_name(me_), read.aggregate, &rebuild_reads)) {
    devices.push_back(std::make_unique<CountingDevice>(std::move(p), reads));
    plexes.push_back(devices.back().get());
  }
  Region region = w_.owner.at(read.aggregate) == me_ ? Region::own : Region::partner_mirror;
  const NvramRegion& nvram = w_.nvram[me_][static_cast<int>(region)];
  std::vector<std::uint8_t> log(nvram.begin(), nvram.end());
  server_->handle(AggregateRead{read.aggregate, plexes, log}, actions);
  const DiskTiming& d = w_.scenario.timing.disk;
  std::size_t disks = std::max<std::size_t>(1, w_.store.aggregates().at(read.aggregate).plexes[0].disks().size());
  double per_block_s = d.seek_s + d.rotation_s / 2 + w_.scenario.server.block_size / d.transfer_Bps;
  // A block rebuilt from parity costs a read of each disk of its stripe.
  const double hold_s = static_cast<double>(reads + rebuild_reads) * per_block_s / static_cast<double>(disks);
  nlohmann::json fields{{"aggregate", read.aggregate}, {"blocks_read", reads}, {"load_s", hold_s}};
  if (rebuild_reads > 0) fields["rebuild_reads"] = rebuild_reads;
  w_.event(me_, EventKind::aggregate_loaded, std::move(fields));
  return hold_s;
}

}  // namespace failsim::sim
