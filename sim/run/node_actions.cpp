// The core's actions, carried out on the node's devices, the shared disks,
// the service addresses and the interconnect.
#include <algorithm>
#include <cassert>

#include "sim/run/node_driver.hpp"
#include "sim/run/overloaded.hpp"
#include "sim/run/platform_build.hpp"

namespace failsim::sim {

using namespace failsim::model;

namespace {
// A notice's figures as event fields.
void add_figures(const NoticeFigures& figures, nlohmann::json& f) {
  std::visit(overloaded{
                 [](const std::monostate&) {},
                 [&](const CpStarted& c) { f["blocks"] = c.blocks; f["max_lsn"] = c.max_lsn; },
                 [&](const CpFinished& c) { f["generation"] = c.generation; f["max_lsn"] = c.max_lsn; },
                 [&](const Replayed& r) { f["replayed"] = r.replayed; f["skipped"] = r.skipped; },
                 [&](const ReplayMismatch& r) { f["lsn"] = r.lsn; },
                 [&](const RequestTooLarge& r) { f["entry_bytes"] = r.entry_bytes; f["half_bytes"] = r.half_bytes; },
             },
             figures);
}
// The event a notice is written as: the kind of the same name.
EventKind event_kind_of(model::NoticeKind kind) {
  const auto event = runfolder::parse_event_kind(model::to_string(kind));
  assert(event && "every notice kind is an event kind (runfolder/event_kind.hpp)");
  return *event;
}

}  // namespace

void NodeDriver::execute(Action& action) {
  std::visit([this](auto& a) { act(a); }, action);
}

void NodeDriver::act(WriteNvram& a) {
  NvramWrite wr{a.token, me_, a.region, a.offset, std::move(a.bytes)};
  if (faults_.power_loss_at_nvram_write())
    wr.halfway = [this] {  // the power fails for both nodes: this write tears
      crash("power_loss_at_nvram_write");
      w_.lose_power_both(faults_.duration_s(FaultKind::power_loss_at_nvram_write));
    };
  nvram_.enqueue(std::move(wr));
}

void NodeDriver::act(MirrorWrite& a) {
  NvramWrite wr{a.token, partner_, Region::partner_mirror, a.offset, std::move(a.bytes)};
  wr.failed = !w_.interconnect_carries(me_);
  if (faults_.crash_before_mirror()) {
    // The local copy lands, the mirror copy never starts.
    wr.failed = true;
    loop_.at(w_.now() + transfer_s(w_.scenario.timing.nvram, wr.bytes.size()) * 1.5,
             [this] { crash("crash_before_mirror"); });
  }
  mirror_.enqueue(std::move(wr));
}

void NodeDriver::act(ResyncMirror& a) {
  NvramWrite wr{a.token, partner_, Region::partner_mirror, 0, {}};
  wr.resync = true;
  wr.failed = !w_.interconnect_carries(me_);
  mirror_.enqueue(std::move(wr));
}

// RAID: the parity blocks the batch updates, each written once (a full
// stripe costs one parity write per parity disk and row).
void NodeDriver::add_parity_writes(const WriteBlocks& a, std::uint64_t batch, std::vector<DiskRequest>& requests) {
  const auto& aggr = w_.store.aggregates().at(a.aggregate);
  if (aggr.raid.level == RaidLevel::none) return;
  std::vector<BlockNo> bnos;
  for (const auto& blk : a.blocks) bnos.push_back(blk.bno);
  auto zeros = std::make_shared<const std::vector<std::uint8_t>>(aggr.block_size, 0);
  const int plexes = a.first_plex_only ? 1 : static_cast<int>(aggr.plexes.size());
  for (int p = 0; p < plexes; ++p)
    for (const auto& [disk, disk_block] : w_.store.parity_blocks_of(a.aggregate, p, bnos)) {
      DiskRequest r{a.aggregate, p, disk_block, zeros, batch};
      r.parity_disk = disk;
      requests.push_back(std::move(r));
    }
}

void NodeDriver::act(WriteBlocks& a) {
  const std::uint64_t id = ++next_batch_;
  const auto& aggr = w_.store.aggregates().at(a.aggregate);
  std::vector<DiskRequest> requests;
  for (auto& blk : a.blocks) {
    auto bytes = std::make_shared<const std::vector<std::uint8_t>>(std::move(blk.bytes));
    const int plexes = a.first_plex_only ? 1 : static_cast<int>(aggr.plexes.size());
    for (int p = 0; p < plexes; ++p) requests.push_back({a.aggregate, p, blk.bno, bytes, id});
  }
  add_parity_writes(a, id, requests);
  if (a.superblock) w_.event(me_, EventKind::superblock_write, {{"aggregate", a.aggregate}, {"copy", a.blocks[0].bno}});
  if (requests.empty()) {  // nothing to write
    submit(BlocksWritten{a.token, true});
    return;
  }
  // Counted before any is submitted: a request to a dead disk completes at once.
  batches_[id] = Batch{a.token, requests.size()};
  if (a.superblock && a.blocks[0].bno == 1) batches_[id].fsck_aggregate = a.aggregate;
  for (DiskRequest& r : requests) disk_submit(std::move(r));
}

void NodeDriver::act(Reply& a) {
  if (faults_.crash_after_mirror()) {
    crash("crash_after_mirror");
    return;
  }
  auto* m = new Message{Message::Kind::reply, a.aggregate, {}, a.result, a.client, a.xid};
  w_.send_to_client(a.client, m, w_.node_host[me_], me_);
  // The client has its ack: whatever NVRAM or mirror write is still under
  // way tears, so an ack sent before both copies landed shows as a loss.
  if (faults_.crash_after_reply()) crash("crash_after_reply");
}

void NodeDriver::act(ArmTimer& a) {
  const Token t = a.timer;
  loop_.at(w_.now() + static_cast<double>(a.delay_ns) * 1e-9, [this, t] { submit(TimerFired{t}); });
}

void NodeDriver::act(TakeReservation& a) {
  w_.store.reserve(a.aggregate, w_.node_name(me_));
  w_.event(me_, EventKind::reservation_taken, {{"aggregate", a.aggregate}});
  std::string aggr = a.aggregate;
  // A SCSI PREEMPT round trip.
  loop_.at(w_.now() + 0.001, [this, aggr] { submit(ReservationTaken{aggr, true}); });
}

void NodeDriver::act(CheckReservation& a) {
  std::string aggr = a.aggregate;
  // A SCSI READ RESERVATION round trip.
  loop_.at(w_.now() + 0.001, [this, aggr] {
    const std::string* h = w_.store.holder(aggr);
    submit(ReservationChecked{aggr, h && *h == w_.node_name(me_)});
  });
}

void NodeDriver::act(ReleaseReservation& a) {
  w_.store.release(a.aggregate, w_.node_name(me_));
  w_.event(me_, EventKind::reservation_released, {{"aggregate", a.aggregate}});
}

void NodeDriver::act(ReadAggregate& a) { submit(AggregateRead{a.aggregate, {}, {}}); }

// Who serves an aggregate decides whose resync of its plexes runs (resync.hpp).
void NodeDriver::act(ServeAggregate& a) {
  w_.service[a.aggregate] = me_;
  w_.event(me_, EventKind::serve, {{"aggregate", a.aggregate}});
  w_.service_up->notify_all();
  update_resyncs(w_);
}

void NodeDriver::act(StopServing& a) {
  auto it = w_.service.find(a.aggregate);
  if (it != w_.service.end() && it->second == me_) w_.service.erase(it);
  w_.event(me_, EventKind::stop_serving, {{"aggregate", a.aggregate}});
  update_resyncs(w_);
}

void NodeDriver::act(SendToPartner& a) {
  switch (a.kind) {
    case PartnerMessageKind::takeover_request:
    case PartnerMessageKind::log_lost:
      request_ = a.kind;
      request_seq_ = (incarnation() << 32) | ++request_count_;
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
      // Our state says it (no longer holding its aggregates; our log whole
      // in its mirror): tell it now.
      send_state();
      return;
    default: break;
  }
  auto* m = new Message{Message::Kind::partner};
  m->from = me_;
  m->partner_kind = a.kind;
  w_.send_over_interconnect(me_, m);
}

void NodeDriver::act(Halt&) {
  crash("halt");
  boot_later(w_.scenario.server.boot_time_s);
}

void NodeDriver::act(Notice& a) {
  nlohmann::json f;
  if (!a.aggregate.empty()) f["aggregate"] = a.aggregate;
  add_figures(a.figures, f);
  if (!a.text.empty()) f["text"] = a.text;
  w_.event(me_, event_kind_of(a.kind), f);
  if (a.kind == NoticeKind::cp_started || a.kind == NoticeKind::cp_finished) sample(to_string(a.kind));
  // A CP's writes may have left a plex stale (the store marks it as they land).
  if (a.kind == NoticeKind::cp_finished) update_resyncs(w_);
  // A giveback is a point of crash_during_recovery of its own: its CP may
  // have nothing to write. The crash drops the giveback's other actions.
  if (a.kind == NoticeKind::giveback_started && faults_.crash_during_recovery()) crash("crash_during_recovery");
}

}  // namespace failsim::sim
