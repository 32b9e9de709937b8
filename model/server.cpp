// The server state machine: request path, acks, consistency points.
// Recovery, takeover and giveback are in server_recovery.cpp.
#include "server.hpp"

#include "mutants.hpp"

#include <algorithm>
#include <cassert>

namespace failsim::model {

namespace {
template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

// Images a change can modify at most: its data pages and two more, three
// inode-table pages (source, replaced target, target directory), three
// directory pages (source slot, target slot, replaced target's slot).
std::uint64_t max_images(const Change& c, std::uint32_t block_size) {
  return c.data.size() / payload_bytes(block_size) + 2 + 3 + 3;
}
}  // namespace

Server::Server(ServerConfig config) : config_(std::move(config)) {
  own_.region = Region::own;
  own_.own = true;
  takeover_.region = Region::partner_mirror;
  takeover_.own = false;
  for (const auto& name : config_.own_aggregates) own_.aggregates.push_back({name, std::nullopt, false});
  for (const auto& name : config_.partner_aggregates) takeover_.aggregates.push_back({name, std::nullopt, false});
  own_.books = LogRegion(config_.nvram_half_bytes);
  takeover_.books = LogRegion(config_.nvram_half_bytes);
  assert(own_.aggregates.size() < 65536 && takeover_.aggregates.size() < 65536);
}

void Server::handle(const Event& e, std::vector<Action>& out) {
  std::visit(overloaded{
                 [&](const Boot& b) { on_boot(b, out); },
                 [&](const ClientRequest& r) { on_request(r, out); },
                 [&](const NvramWritten& w) { on_entry_part_done(w.token, true, true, out); },
                 [&](const MirrorWritten& w) { on_entry_part_done(w.token, false, w.ok, out); },
                 [&](const BlocksWritten& w) { on_blocks_written(w.token, w.ok, w.rejected, out); },
                 [&](const TimerFired& t) { on_timer(t.timer, out); },
                 [&](const PartnerDead&) { on_partner_dead(out); },
                 [&](const InterconnectDown&) { on_interconnect(false, out); },
                 [&](const InterconnectUp&) { on_interconnect(true, out); },
                 [&](const PartnerMessage& m) { on_partner_message(m.kind, out); },
                 [&](const GivebackRequested&) { on_giveback_requested(out); },
                 [&](const ReservationTaken& r) { on_reservation(r, out); },
                 [&](const ReservationChecked& r) { on_reservation_checked(r, out); },
                 [&](const AggregateRead& r) { on_aggregate_read(r, out); },
                 [&](const NvramBattery& b) { on_battery(b.ok, out); },
             },
             e);
}

Server::GroupView Server::view(const Group& g) const {
  return {g.state, g.mirrored, g.next_lsn, g.books.used_bytes(), g.in_flight.size(), g.stalled.size(), g.cp.has_value()};
}

Server::Group* Server::group_of(const std::string& aggregate, int* index) {
  for (Group* g : {&own_, &takeover_})
    for (std::size_t i = 0; i < g->aggregates.size(); ++i)
      if (g->aggregates[i].name == aggregate) {
        if (index) *index = static_cast<int>(i);
        return g;
      }
  return nullptr;
}

const Filesystem* Server::filesystem(const std::string& aggregate) const {
  for (const Group* g : {&own_, &takeover_})
    for (const Aggregate& a : g->aggregates)
      if (a.name == aggregate && a.fs) return &*a.fs;
  return nullptr;
}

// ---- request path ----

void Server::on_request(const ClientRequest& r, std::vector<Action>& out) {
  int idx = 0;
  Group* g = group_of(r.aggregate, &idx);
  // Not served here (yet): no reply; the client retransmits.
  if (!g || g->state != GroupState::serving || !g->aggregates[idx].fs) return;
  if (!g->stalled.empty()) {
    g->stalled.push_back(r);
    return;
  }
  if (!process_request(*g, idx, r, out)) {
    out.push_back(Notice{NoticeKind::log_full, r.aggregate, {}, {}});
    g->stalled.push_back(r);
  }
  maybe_start_ack_cp(*g, out);
}

bool Server::process_request(Group& g, int idx, const ClientRequest& r, std::vector<Action>& out) {
  Filesystem& fs = *g.aggregates[idx].fs;
  const Change& c = r.change;
  switch (fs.reply_cache().classify(c.client, c.xid)) {
    case ReplyCache::Verdict::stale: return true;
    case ReplyCache::Verdict::retransmission: {
      // Applied already: answer from the cache once the entry is durable
      // (until then its own reply is on the way).
      if (!g.client_in_flight.contains({static_cast<std::uint16_t>(idx), c.client, c.xid}))
        out.push_back(Reply{r.aggregate, c.client, c.xid, *fs.reply_cache().lookup(c.client, c.xid)});
      return true;
    }
    case ReplyCache::Verdict::new_request: break;
  }

  const std::uint32_t bs = fs.config().block_size;
  std::uint64_t bound = config_.log_mode == LogMode::request
                            ? log_entry_header_bytes + 25 + encode(c).size()
                            : log_entry_header_bytes + 25 + max_images(c, bs) * (21 + payload_bytes(bs));
  if (bound > config_.nvram_half_bytes) {
    // Can never be logged: refuse it rather than stall the log for ever.
    out.push_back(Notice::of(r.aggregate, RequestTooLarge{bound, config_.nvram_half_bytes}));
    out.push_back(Reply{r.aggregate, c.client, c.xid, Result::enospc});
    return true;
  }
  if (!g.books.fits(bound)) {
    if (g.cp || !g.books.can_freeze()) return false;
    start_cp(g, true, out);
    if (!g.books.fits(bound)) return false;
  }

  std::vector<BlockImage> images;
  Result result = fs.apply(c, config_.log_mode == LogMode::block ? &images : nullptr);
  fs.reply_cache().record(c.client, c.xid, c.low_xid, result);
  fs.mark_reply_cache_dirty();

  LogEntry entry;
  entry.lsn = g.next_lsn++;
  entry.mode = config_.log_mode;
  entry.aggregate = static_cast<std::uint16_t>(idx);
  entry.prev_crc = g.books.next_prev_crc();
  entry.client = c.client;
  entry.xid = c.xid;
  entry.low_xid = c.low_xid;
  entry.result = result;
  if (config_.log_mode == LogMode::request)
    entry.change = c;
  else
    entry.images = std::move(images);
  std::uint32_t crc = 0;
  std::vector<std::uint8_t> bytes = encode_entry(entry, &crc);
  assert(bytes.size() <= bound);
  std::uint64_t offset = g.books.place(bytes.size(), entry.lsn, crc);

  InFlight f{static_cast<std::uint16_t>(idx), c.client, c.xid, result, false, !g.mirrored, !g.mirrored, false};
  if (g.mirrored) {
    Token tm = next_token();
    tokens_[tm] = {&g, entry.lsn};
    out.push_back(MirrorWrite{tm, offset, bytes});
  }
  Token tl = next_token();
  tokens_[tl] = {&g, entry.lsn};
  out.push_back(WriteNvram{tl, g.region, offset, std::move(bytes)});
  g.in_flight.emplace(entry.lsn, f);
  g.client_in_flight.insert({f.aggregate, c.client, c.xid});
  return true;
}

void Server::drain_stalled(Group& g, std::vector<Action>& out) {
  while (!g.stalled.empty() && g.state == GroupState::serving) {
    int idx = 0;
    group_of(g.stalled.front().aggregate, &idx);
    if (!process_request(g, idx, g.stalled.front(), out)) return;
    g.stalled.pop_front();
  }
}

void Server::on_entry_part_done(Token token, bool local, bool ok, std::vector<Action>& out) {
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return;
  TokenUse use = it->second;
  tokens_.erase(it);
  Group& g = *use.group;
  if (use.lsn == 0) {  // a log reset or a mirror resync
    if (local) return;
    g.mirror_setup.erase(token);
    if (!ok) {
      lose_mirror(g, "mirror write failed", true, out);
    } else if (g.mirror_setup.empty() && g.mirrored) {
      mirror_complete_ = true;
      out.push_back(SendToPartner{PartnerMessageKind::mirror_in_sync});
      out.push_back(Notice{NoticeKind::takeover_enabled, {}, {}, {}});
    }
    return;
  }
  auto f = g.in_flight.find(use.lsn);
  if (f == g.in_flight.end()) return;
  if (local) {
    f->second.local_done = true;
  } else {
    // A failed mirror write leaves the entry in local NVRAM only: it is
    // acked once the partner surely knows its mirror is incomplete.
    f->second.mirror_done = true;
    if (!ok) {
      f->second.local_only = true;
      lose_mirror(g, "mirror write failed", true, out);
    }
  }
  advance_acks(g, out);
}

void Server::advance_acks(Group& g, std::vector<Action>& out) {
  // Replies go out in LSN order: an entry is acked only when it and every
  // entry before it are in local NVRAM and (when mirrored) in the partner's,
  // so recovery's stop at the first torn entry never drops an acked change.
  while (!g.in_flight.empty()) {
    auto first = g.in_flight.begin();
    const InFlight& f = first->second;
    if (!f.local_done || (!f.mirror_done && !mutant::reply_before_mirror) || (f.local_only && g.grace_timer != 0))
      break;
    if (needs_disk(f) && !f.on_disk) break;
    out.push_back(Reply{g.aggregates[f.aggregate].name, f.client, f.xid, f.result});
    g.client_in_flight.erase({f.aggregate, f.client, f.xid});
    g.in_flight.erase(first);
  }
  release_frozen_half(g);
  if (g.state == GroupState::serving && !g.stalled.empty()) drain_stalled(g, out);
  if (g.state == GroupState::giving_back) maybe_start_giveback_cp(g, out);
  maybe_start_ack_cp(g, out);
}

// ---- consistency points ----

void Server::start_cp(Group& g, bool freeze, std::vector<Action>& out, bool giveback) {
  assert(!g.cp);
  Cp cp;
  cp.giveback = giveback;
  if (freeze) cp.half = g.books.freeze();
  const Lsn max_lsn = g.next_lsn - 1;
  cp.max_lsn = max_lsn;
  for (std::size_t i = 0; i < g.aggregates.size(); ++i) {
    Aggregate& a = g.aggregates[i];
    if (!a.fs) continue;
    CpPlan plan = a.fs->build_cp(max_lsn);
    if (mutant::superblock_first) {
      plan.blocks.insert(plan.blocks.begin(), {BlockWrite{0, plan.superblock}, BlockWrite{1, plan.superblock}});
    }
    Token t = next_token();
    tokens_[t] = {&g, 0};
    cp.outstanding.insert(t);
    out.push_back(Notice::of(a.name, CpStarted{plan.blocks.size(), max_lsn}));
    out.push_back(WriteBlocks{t, a.name, std::move(plan.blocks), false, mutant::lose_plex_writes});
    plan.blocks.clear();
    cp.plans.emplace_back(static_cast<std::uint16_t>(i), std::move(plan));
  }
  g.cp = std::move(cp);
  if (g.cp->outstanding.empty()) finish_cp(g, out);
}

void Server::on_blocks_written(Token token, bool ok, bool rejected, std::vector<Action>& out) {
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return;
  Group& g = *it->second.group;
  tokens_.erase(it);
  if (!g.cp || !g.cp->outstanding.erase(token)) return;
  if (!ok) g.cp->fenced = true;
  if (rejected) g.cp->rejected = true;
  if (!g.cp->outstanding.empty()) return;
  Cp& cp = *g.cp;
  if (cp.fenced) {
    // Our writes were rejected (another node holds the reservation) or
    // reached no plex. Stop serving at once; what we have not written is in
    // the log, for whoever serves the aggregate next to replay.
    if (cp.rejected && mutant::ignore_fencing) {
      finish_cp(g, out);
      return;
    }
    if (cp.rejected) {
      fence_off(g, out);
      return;
    }
    const bool never_served = g.state == GroupState::recovery_cp;
    stop_group(g, NoticeKind::storage_lost, "CP writes reached no plex", out);
    if (!g.own && never_served && takeover_fresh_ && !takeover_for_lost_log_) {
      // A takeover whose recovery CP could not be written acked nothing and
      // changed nothing on disk: give it up untouched, as one that could not
      // read the aggregates, so that the owner, once back, recovers them
      // from its own log instead of waiting for a giveback that cannot come.
      give_up_takeover(g, "cannot write the partner's aggregates", out);
    } else if (!g.own) {
      // The partner's aggregates, served from our takeover log: keep their
      // reservations and that log, and load them again later.
      takeover_fresh_ = false;
      arm_retry(takeover_retry_timer_, out);
    } else if (!config_.has_partner) {
      arm_retry(load_retry_timer_, out);
    } else if (!mutant::skip_storage_takeover) {
      // A live node with no path to its disks: the partner, which reaches
      // them and holds the mirror of our log, takes over (negotiated).
      request_takeover(PartnerMessageKind::takeover_request, "no path to the aggregate's disks", out);
    }
    return;
  }
  if (++cp.phase <= 2) {
    // The superblock goes last, one copy after the other, so a torn write
    // leaves the other copy whole (claims 80, 101, 102).
    for (auto& [idx, plan] : cp.plans) {
      Token t = next_token();
      tokens_[t] = {&g, 0};
      cp.outstanding.insert(t);
      BlockNo copy = static_cast<BlockNo>(cp.phase - 1);
      out.push_back(WriteBlocks{t, g.aggregates[idx].name, {BlockWrite{copy, plan.superblock}}, true});
    }
    return;
  }
  finish_cp(g, out);
}

void Server::finish_cp(Group& g, std::vector<Action>& out) {
  Cp cp = std::move(*g.cp);
  g.cp.reset();
  for (auto& [idx, plan] : cp.plans) {
    Aggregate& a = g.aggregates[idx];
    a.fs->commit_cp();
    out.push_back(Notice::of(a.name, CpFinished{plan.generation, plan.max_lsn}));
  }
  if (cp.half >= 0) {
    g.pending_release = cp.half;
    release_frozen_half(g);
  }
  for (auto it = g.in_flight.begin(); it != g.in_flight.end() && it->first <= cp.max_lsn; ++it)
    it->second.on_disk = true;
  switch (g.state) {
    case GroupState::recovery_cp:
      if (!g.own) takeover_fresh_ = false;  // it replayed and acked: never give it up untouched
      reset_log(g, g.own, out);
      start_serving(g, out);
      break;
    case GroupState::giving_back:
      // A CP that was running when the giveback was asked for holds only the
      // changes up to its start: the giveback CP, which holds them all, comes
      // after it (advance_acks starts it once nothing is in flight).
      if (cp.giveback || mutant::giveback_with_running_cp)
        finish_giveback(g, out);
      else
        advance_acks(g, out);
      break;
    case GroupState::serving:
      if (config_.ack_after_disk || !nvram_durable_)
        advance_acks(g, out);  // what this CP put on disk may now be acked
      else
        drain_stalled(g, out);
      break;
    default:
      break;
  }
}

void Server::stop_group(Group& g, NoticeKind why, const char* text, std::vector<Action>& out) {
  for (Aggregate& a : g.aggregates) {
    if (!a.fs) continue;
    out.push_back(Notice{why, a.name, {}, text});
    out.push_back(StopServing{a.name});
    a.fs.reset();
  }
  abandon_group(g);
}

void Server::fence_off(Group& g, std::vector<Action>& out) {
  stop_group(g, NoticeKind::fenced, "another node holds the reservation", out);
  // Another node took our aggregates while we believed we served them:
  // nothing in memory can be trusted any more. Stop and boot again; the
  // boot finds the reservations held and waits for giveback.
  out.push_back(Halt{});
}

void Server::on_battery(bool ok, std::vector<Action>& out) {
  nvram_durable_ = ok;
  for (Group* g : {&own_, &takeover_})
    if (g->state == GroupState::serving || g->state == GroupState::giving_back) advance_acks(*g, out);
}

void Server::maybe_start_ack_cp(Group& g, std::vector<Action>& out) {
  const bool waits = config_.ack_after_disk ||
                     (!nvram_durable_ && std::any_of(g.in_flight.begin(), g.in_flight.end(),
                                                     [](const auto& e) { return e.second.local_only; }));
  if (!waits || g.cp || !g.books.can_freeze()) return;
  if (g.state != GroupState::serving && g.state != GroupState::giving_back) return;
  if (g.books.half(g.books.active()).entries > 0) start_cp(g, true, out);
}

void Server::release_frozen_half(Group& g) {
  // A half is reused only once its CP is durable and no write into it is
  // still on its way.
  if (g.pending_release < 0) return;
  const LogRegion::Half& h = g.books.half(g.pending_release);
  if (!g.in_flight.empty() && g.in_flight.begin()->first <= h.last_lsn) return;
  g.books.release(g.pending_release);
  g.pending_release = -1;
}

void Server::lose_mirror(Group& g, const char* why, bool grace, std::vector<Action>& out) {
  if (g.own) mirror_complete_ = false;
  for (auto& [lsn, f] : g.in_flight)
    if (!f.mirror_done) f.mirror_done = f.local_only = true;
  g.mirror_setup.clear();
  if (g.mirrored) {
    g.mirrored = false;
    out.push_back(Notice{NoticeKind::takeover_disabled, {}, {}, why});
    if (grace && config_.mirror_loss_grace_ns > 0) {
      g.grace_timer = next_token();
      out.push_back(ArmTimer{g.grace_timer, config_.mirror_loss_grace_ns});
    }
  }
  if (!grace) g.grace_timer = 0;
  advance_acks(g, out);
}

void Server::on_timer(Token timer, std::vector<Action>& out) {
  if (timer != 0 && timer == takeover_retry_timer_) {
    takeover_retry_timer_ = 0;
    if (takeover_.state == GroupState::idle) start_loading(takeover_, out);
    return;
  }
  if (timer != 0 && timer == load_retry_timer_) {
    load_retry_timer_ = 0;
    if (own_.state == GroupState::idle && !waiting_for_giveback()) start_loading(own_, out);
    return;
  }
  for (Group* g : {&own_, &takeover_}) {
    if (timer != 0 && timer == g->grace_timer) {
      // Before anything is acked on local NVRAM alone, make sure nobody took
      // our aggregates over meanwhile (a partner that thought us dead while
      // we hung): it would have replayed a mirror that lacks these changes.
      g->grace_checks = 0;
      for (const Aggregate& a : g->aggregates)
        if (a.fs) {
          out.push_back(CheckReservation{a.name});
          ++g->grace_checks;
        }
      if (g->grace_checks == 0 || mutant::ignore_fencing) {
        g->grace_timer = 0;
        advance_acks(*g, out);
      }
      return;
    }
    if (timer != g->cp_timer) continue;
    if (g->state != GroupState::serving) return;
    if (!g->cp && g->books.can_freeze() && g->books.half(g->books.active()).entries > 0) start_cp(*g, true, out);
    arm_cp_timer(*g, out);
  }
}

void Server::on_reservation_checked(const ReservationChecked& r, std::vector<Action>& out) {
  int idx = 0;
  Group* g = group_of(r.aggregate, &idx);
  if (!g || g->grace_timer == 0 || g->grace_checks == 0) return;
  if (!r.held) {
    g->grace_checks = 0;
    fence_off(*g, out);
    return;
  }
  if (--g->grace_checks == 0) {
    g->grace_timer = 0;
    advance_acks(*g, out);
  }
}

void Server::arm_cp_timer(Group& g, std::vector<Action>& out) {
  g.cp_timer = next_token();
  out.push_back(ArmTimer{g.cp_timer, config_.cp_interval_ns});
}

}  // namespace failsim::model
