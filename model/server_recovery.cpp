// Recovery, takeover, giveback and mirror management. One path loads an
// aggregate and replays its log for a node's own restart and for the
// takeover of its partner (claims 83, 106); only the region read differs.
#include <algorithm>
#include <cassert>

#include "mutants.hpp"
#include "server.hpp"

namespace failsim::model {

void Server::on_boot(const Boot& boot, std::vector<Action>& out) {
  assert(own_.state == GroupState::idle && "Boot comes once, to a fresh Server");
  boot_mode_ = boot.mode;
  nvram_durable_ = boot.nvram_battery_ok;
  if (boot.mode != BootMode::format)
    mirror_intact_ = region_header_valid(boot.mirror_header, config_.nvram_half_bytes);
  if (boot.holds_partner_aggregates && !takeover_.aggregates.empty()) {
    if (boot.mode != BootMode::format && !mirror_intact_ && !mutant::ignore_log_validity) {
      // The takeover's log was our mirror region, and our NVRAM lost it (a
      // dead battery): resumed, the takeover would serve the partner's
      // aggregates without what the partner acked. The partner's own NVRAM
      // still holds that log: give the takeover up, so that the partner
      // recovers from it (replaying only what its disks lack).
      for (const Aggregate& a : takeover_.aggregates) out.push_back(ReleaseReservation{a.name});
      out.push_back(Notice{NoticeKind::takeover_refused, {}, {}, "our copy of the takeover's log was lost"});
    } else {
      takeover_fresh_ = false;
      out.push_back(Notice{NoticeKind::takeover_started, {}, {}, "resumed after a restart"});
      start_loading(takeover_, out);
    }
  }
  if (boot.mode == BootMode::after_takeover) {
    // The partner holds our aggregates until giveback. Our own log is kept
    // until then: the partner may yet give the takeover up before replaying
    // it (it could not read the disks), and then it is the copy to recover
    // from. After a giveback it is stale and never replayed.
    return;
  }
  if (boot.mode == BootMode::recover && config_.has_partner && !mutant::ignore_log_validity &&
      !region_header_valid(boot.own_header, config_.nvram_half_bytes)) {
    // Our NVRAM lost its contents (a dead battery): the changes acked since
    // the last CP survive only in the partner's mirror. Never serve without
    // them: the partner takes our aggregates over from its copy.
    out.push_back(Notice{NoticeKind::log_lost, {}, {}, "the own NVRAM log region has no valid header"});
    request_takeover(PartnerMessageKind::log_lost, "own NVRAM log lost", out);
    return;
  }
  start_loading(own_, out);
}

void Server::request_takeover(PartnerMessageKind why, const char* text, std::vector<Action>& out) {
  gave_way_ = true;
  own_.state = GroupState::idle;
  out.push_back(Notice{NoticeKind::takeover_requested, {}, {}, text});
  out.push_back(SendToPartner{why});
}

void Server::on_takeover_request(PartnerMessageKind why, std::vector<Action>& out) {
  if (!config_.has_partner || takeover_.aggregates.empty() || takeover_.state != GroupState::idle) return;
  // A partner that lost its log can only be recovered from our copy, however
  // old: what it acked on its own NVRAM alone had one copy, and is gone with
  // it. A partner that lost its disks still holds its log, so our copy must
  // be known complete.
  const bool usable = why == PartnerMessageKind::log_lost ? mirror_intact_ : partner_mirror_valid_;
  if (!usable) {
    out.push_back(Notice{NoticeKind::takeover_refused, {}, {},
                         why == PartnerMessageKind::log_lost ? "our mirror of the partner's log was lost too"
                                                             : "the mirror of the partner's log is not known to be complete"});
    out.push_back(SendToPartner{PartnerMessageKind::takeover_refused});
    return;
  }
  takeover_mirror_was_valid_ = partner_mirror_valid_;
  takeover_fresh_ = true;
  takeover_for_lost_log_ = why == PartnerMessageKind::log_lost;
  partner_mirror_valid_ = false;  // from now on the region is our takeover log
  out.push_back(Notice{NoticeKind::takeover_started, {}, {}, "asked by the partner"});
  start_loading(takeover_, out);
}

void Server::start_loading(Group& g, std::vector<Action>& out, bool replay_log) {
  g.state = GroupState::loading;
  g.parsed.clear();
  g.parsed_ready = false;
  g.replay_log = replay_log;
  for (Aggregate& a : g.aggregates) {
    a.fs.reset();
    a.read_done = false;
    if (mutant::no_fencing && !g.own)
      out.push_back(ReadAggregate{a.name, g.region});
    else
      out.push_back(TakeReservation{a.name});
  }
  if (g.aggregates.empty()) maybe_finish_loading(g, out);
}

void Server::on_reservation(const ReservationTaken& r, std::vector<Action>& out) {
  int idx = 0;
  Group* g = group_of(r.aggregate, &idx);
  if (!g || g->state != GroupState::loading || g->aggregates[idx].read_done) return;
  Aggregate& a = g->aggregates[idx];
  if (!r.ok) {
    out.push_back(Notice{NoticeKind::load_failed, a.name, {}, "reservation refused"});
    a.read_done = true;
  } else if (g->own && boot_mode_ == BootMode::format) {
    a.fs.emplace(config_.fs);
    a.read_done = true;
  } else {
    out.push_back(ReadAggregate{a.name, g->region});
    return;
  }
  maybe_finish_loading(*g, out);
}

void Server::on_aggregate_read(const AggregateRead& r, std::vector<Action>& out) {
  int idx = 0;
  Group* gp = group_of(r.aggregate, &idx);
  if (!gp || gp->state != GroupState::loading || gp->aggregates[idx].read_done) return;
  Group& g = *gp;
  Aggregate& a = g.aggregates[idx];
  a.read_done = true;
  LoadResult loaded = load_image(r.plexes, config_.fs.max_file_size_bytes);
  if (!loaded.fs) {
    out.push_back(Notice{NoticeKind::load_failed, a.name, {}, loaded.error});
    maybe_finish_loading(g, out);
    return;
  }
  if (!g.parsed_ready) {
    if (g.replay_log) g.parsed = parse_region(r.log_region, config_.nvram_half_bytes);
    g.parsed_ready = true;
  }
  Filesystem& fs = *loaded.fs;
  const Lsn on_disk = loaded.superblock.max_lsn;
  std::uint64_t skipped = std::count_if(g.parsed.begin(), g.parsed.end(), [&](const LogEntry& e) {
    return e.aggregate == idx && e.lsn <= on_disk;
  });
  std::uint64_t replayed = 0;
  g.next_lsn = std::max(g.next_lsn, on_disk + 1);
  // Exactly the changes after the superblock's LSN, in order, up to the
  // first torn entry (claims 82, 105).
  Lsn replay_after = on_disk;
  if (mutant::replay_contained || (mutant::replay_stale_nvram && g.own && boot_mode_ == BootMode::after_takeover))
    replay_after = g.parsed.empty() ? on_disk : g.parsed.front().lsn - 1;
  if (mutant::forget_reply_cache && !g.own) fs.reply_cache() = ReplyCache{};
  for (const LogEntry& e : entries_after(g.parsed, replay_after)) {
    g.next_lsn = std::max(g.next_lsn, e.lsn + 1);
    if (e.aggregate != idx) continue;
    bool same = true;
    if (e.mode == LogMode::request)
      same = fs.apply(e.change) == e.result;
    else if (e.result == Result::ok)
      same = fs.install(e.images);
    if (!same) out.push_back(Notice::of(a.name, ReplayMismatch{e.lsn}));
    if (!(mutant::forget_reply_cache && !g.own)) fs.reply_cache().record(e.client, e.xid, e.low_xid, e.result);
    fs.mark_reply_cache_dirty();
    ++replayed;
  }
  out.push_back(Notice::of(a.name, Replayed{replayed, skipped}));
  a.fs.emplace(std::move(fs));
  maybe_finish_loading(g, out);
}

void Server::maybe_finish_loading(Group& g, std::vector<Action>& out) {
  if (!std::all_of(g.aggregates.begin(), g.aggregates.end(), [](const Aggregate& a) { return a.read_done; }))
    return;
  const bool none_loaded =
      !g.aggregates.empty() &&
      std::none_of(g.aggregates.begin(), g.aggregates.end(), [](const Aggregate& a) { return a.fs.has_value(); });
  if (g.own && none_loaded) {
    // None of our aggregates could be read (no path to their disks): the
    // partner may reach them, and holds the mirror of our log. Our own
    // copy stays as it is, for a later attempt.
    abandon_group(g);
    if (config_.has_partner && !mutant::skip_storage_takeover)
      request_takeover(PartnerMessageKind::takeover_request, "cannot read the aggregates' disks", out);
    else
      arm_retry(load_retry_timer_, out);
    return;
  }
  if (!g.own && none_loaded) {
    if (takeover_fresh_ && !takeover_for_lost_log_) {
      // We cannot read the partner's aggregates either: give this takeover
      // up untouched.
      give_up_takeover(g, "cannot read the partner's aggregates", out);
    } else {
      abandon_group(g);
      // A takeover resumed after our restart (its log holds changes we
      // acked), or one for a partner that lost its log (ours is the only
      // copy of what it acked): keep the reservations and try again.
      arm_retry(takeover_retry_timer_, out);
    }
    return;
  }
  // Replayed changes become durable before anything new is logged over the
  // region they came from.
  g.state = GroupState::recovery_cp;
  start_cp(g, false, out);
}

void Server::reset_log(Group& g, bool to_partner, std::vector<Action>& out) {
  // Invalidate the first entry of each half: the parse then finds nothing,
  // and the stale entries further on can never chain to a new one.
  g.books = LogRegion(config_.nvram_half_bytes);
  g.pending_release = -1;
  g.parsed.clear();
  g.parsed_ready = false;
  const std::vector<std::uint8_t> blank(log_entry_header_bytes, 0);
  // The two halves' first entries, then the region header that says the
  // region is initialised (see region_header_valid).
  const std::vector<std::pair<std::uint64_t, std::vector<std::uint8_t>>> writes = {
      {0, blank},
      {config_.nvram_half_bytes, blank},
      {region_header_offset(config_.nvram_half_bytes), encode_region_header(config_.nvram_half_bytes)}};
  for (const auto& [offset, bytes] : writes) {
    Token t = next_token();
    tokens_[t] = {&g, 0};
    out.push_back(WriteNvram{t, g.region, offset, bytes});
  }
  g.mirror_setup.clear();
  g.mirrored = to_partner && config_.has_partner && interconnect_up_;
  if (!g.mirrored) {
    if (to_partner && config_.has_partner)
      out.push_back(Notice{NoticeKind::takeover_disabled, {}, {}, "interconnect down"});
    return;
  }
  for (const auto& [offset, bytes] : writes) {
    Token t = next_token();
    tokens_[t] = {&g, 0};
    g.mirror_setup.insert(t);
    out.push_back(MirrorWrite{t, offset, bytes});
  }
}

void Server::start_serving(Group& g, std::vector<Action>& out) {
  g.state = GroupState::serving;
  for (const Aggregate& a : g.aggregates) {
    if (!a.fs) continue;
    out.push_back(ServeAggregate{a.name});
    out.push_back(Notice{NoticeKind::serving, a.name, {}, {}});
  }
  arm_cp_timer(g, out);
  drain_stalled(g, out);
}

void Server::give_up_takeover(Group& g, const char* why, std::vector<Action>& out) {
  // Its log stays in our mirror region (what was replayed from it reached
  // no disk and no client), the reservations go back, and the takeover is
  // tried again while the partner stays silent.
  abandon_group(g);
  for (const Aggregate& a : g.aggregates) out.push_back(ReleaseReservation{a.name});
  partner_mirror_valid_ = takeover_mirror_was_valid_;
  out.push_back(Notice{NoticeKind::takeover_refused, {}, {}, why});
}

void Server::abandon_group(Group& g) {
  for (auto it = tokens_.begin(); it != tokens_.end();)
    it = it->second.group == &g ? tokens_.erase(it) : std::next(it);
  for (Aggregate& a : g.aggregates) {
    a.fs.reset();
    a.read_done = false;
  }
  g.state = GroupState::idle;
  g.books = LogRegion(config_.nvram_half_bytes);
  g.pending_release = -1;
  g.in_flight.clear();
  g.client_in_flight.clear();
  g.stalled.clear();
  g.cp.reset();
  g.mirrored = false;
  g.mirror_setup.clear();
  g.cp_timer = 0;
  g.grace_timer = 0;
}

void Server::arm_retry(Token& timer, std::vector<Action>& out) {
  timer = next_token();
  out.push_back(ArmTimer{timer, load_retry_ns});
}

// ---- takeover ----

void Server::on_partner_dead(std::vector<Action>& out) {
  if (!config_.has_partner) return;
  // Nobody to mirror to until the partner is back, and nobody who could
  // take over from an incomplete mirror: no grace period.
  lose_mirror(own_, "partner down", false, out);
  if (takeover_.state != GroupState::idle || takeover_.aggregates.empty()) return;
  if (!partner_mirror_valid_) {
    out.push_back(Notice{NoticeKind::takeover_refused, {}, {},
                         "the mirror of the partner's log is not known to be complete"});
    return;
  }
  takeover_mirror_was_valid_ = true;
  takeover_fresh_ = true;
  takeover_for_lost_log_ = false;
  partner_mirror_valid_ = false;  // from now on the region is our takeover log
  out.push_back(Notice{NoticeKind::takeover_started, {}, {}, {}});
  start_loading(takeover_, out);
}

void Server::on_interconnect(bool up, std::vector<Action>& out) {
  interconnect_up_ = up;
  if (!up) {
    // Whatever the partner acks from now on may be missing from our mirror.
    partner_mirror_valid_ = false;
    lose_mirror(own_, "interconnect down", true, out);
    return;
  }
  if (!own_.mirrored) resync_mirror(out);
}

void Server::resync_mirror(std::vector<Action>& out) {
  if (own_.state != GroupState::serving || !config_.has_partner || !interconnect_up_) return;
  // Mirror every new entry from now on, and copy the region as it is; the
  // partner may take over again once the copy has landed.
  own_.mirrored = true;
  Token t = next_token();
  tokens_[t] = {&own_, 0};
  own_.mirror_setup = {t};
  out.push_back(ResyncMirror{t});
}

void Server::on_partner_message(PartnerMessageKind kind, std::vector<Action>& out) {
  switch (kind) {
    case PartnerMessageKind::mirror_in_sync:
      partner_mirror_valid_ = true;
      mirror_intact_ = true;
      break;
    case PartnerMessageKind::mirror_lost: partner_mirror_valid_ = false; break;
    case PartnerMessageKind::took_over:
      // We hung, or were cut off, long enough to be declared dead, and still
      // believe we serve: stop before anything else we do is believed.
      if (own_.state != GroupState::idle && !mutant::ignore_fencing) fence_off(own_, out);
      break;
    case PartnerMessageKind::giveback_done:
      // Our aggregates are flushed and released. The partner replayed our
      // log when it took them over: our copy, kept until now, is stale; it
      // is discarded and loading replays nothing.
      if (waiting_for_giveback()) {
        gave_way_ = false;
        if (!mutant::replay_stale_nvram) reset_log(own_, false, out);
        out.push_back(Notice{NoticeKind::log_discarded, {}, {}, {}});
        start_loading(own_, out, /*replay_log=*/mutant::replay_stale_nvram);
      }
      break;
    case PartnerMessageKind::takeover_request:
    case PartnerMessageKind::log_lost: on_takeover_request(kind, out); break;
    case PartnerMessageKind::takeover_refused:
      // The partner will not hold our aggregates (it refused, or gave a
      // takeover up before replaying anything): recover from our own log.
      // After a lost log that is the disk image alone, and the loss is
      // reported.
      if (waiting_for_giveback()) {
        gave_way_ = false;
        boot_mode_ = BootMode::recover;
        arm_retry(load_retry_timer_, out);
      }
      break;
    case PartnerMessageKind::rebooted:
      // Its mirror of our log may be gone or stale (its battery, or writes
      // it missed while down): copy the region again before it may take over.
      resync_mirror(out);
      break;
  }
}

// ---- giveback ----

void Server::on_giveback_requested(std::vector<Action>& out) {
  if (takeover_.state != GroupState::serving) return;
  takeover_.state = GroupState::giving_back;
  takeover_.stalled.clear();  // their clients retransmit to the owner
  for (const Aggregate& a : takeover_.aggregates)
    if (a.fs) out.push_back(StopServing{a.name});
  out.push_back(Notice{NoticeKind::giveback_started, {}, {}, {}});
  maybe_start_giveback_cp(takeover_, out);
}

void Server::maybe_start_giveback_cp(Group& g, std::vector<Action>& out) {
  if (g.state != GroupState::giving_back || g.cp || !g.in_flight.empty()) return;
  start_cp(g, false, out, /*giveback=*/true);
}

void Server::finish_giveback(Group& g, std::vector<Action>& out) {
  // Every reservation the takeover took, also of an aggregate it could not
  // read: the owner waits until they are all released.
  for (const Aggregate& a : g.aggregates) out.push_back(ReleaseReservation{a.name});
  abandon_group(g);
  out.push_back(SendToPartner{PartnerMessageKind::giveback_done});
  out.push_back(Notice{NoticeKind::giveback_finished, {}, {}, {}});
}

}  // namespace failsim::model
