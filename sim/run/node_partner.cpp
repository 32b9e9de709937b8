// A node's view of its partner: failure detection (heartbeats over the
// interconnect and mailbox records on the disks), the state it publishes,
// and what it makes of the partner's state - takeover requests, refusals,
// mirror validity, being taken over, giveback. It acts only on what it
// received or read (README: failure detection and the takeover decision).
#include <algorithm>

#include "node_driver.hpp"
#include "sim/run/activity_counts.hpp"

namespace failsim::sim {

using namespace failsim::model;

// ---- failure detection ----

void NodeDriver::heartbeat() {
  if (!up() || w_.stop) return;
  const ServerSpec& ss = w_.scenario.server;
  auto reaches_any_disk = [&](int node) {
    for (const auto& [disk, host] : w_.disk_hosts)
      if (w_.reachable(node, disk)) return true;
    return false;
  };
  // Over the interconnect, and in this node's mailbox block on the disks,
  // which the partner reads through its own paths.
  send_state();
  const bool reaches_disks = reaches_any_disk(me_);
  if (reaches_disks) w_.mailbox[me_] = my_state();

  const double now = w_.now();
  const PeerState& box = w_.mailbox[partner_];
  const bool mailbox_stale = !reaches_disks || box.incarnation == 0 || now - box.written_s > ss.heartbeat_timeout_s;
  if (!mailbox_stale) observe_partner(box);
  const bool ic_stale = now - last_ic_heartbeat_s_ > ss.heartbeat_timeout_s;
  if (ic_stale && mailbox_stale) {
    if (!partner_declared_dead_) {
      partner_declared_dead_ = true;
      last_dead_retry_s_ = now;
      w_.event(me_, EventKind::partner_declared_dead, {{"partner", w_.node_name(partner_)}});
      submit(PartnerDead{});
    } else if (server_->takeover_group().state == GroupState::idle && now - last_dead_retry_s_ >= 1.0) {
      // Still silent, and not taken over (we could not read its disks):
      // try again now and then.
      last_dead_retry_s_ = now;
      submit(PartnerDead{});
    }
  } else if (ic_stale && ic_believed_up_) {
    ic_believed_up_ = false;
    w_.event(me_, EventKind::heartbeat_missed, {{"via", "interconnect"}});
    submit(InterconnectDown{});
  } else if (!ic_stale && !ic_believed_up_) {
    ic_believed_up_ = true;
    submit(InterconnectUp{});
  } else if (!ic_stale && server_->own_group().state == GroupState::serving && !server_->own_group().mirrored &&
             now - last_resync_try_s_ > ss.heartbeat_timeout_s) {
    // Mirror writes failed on a link whose heartbeats still arrive (lossy,
    // or one way): try copying the log again now and then.
    last_resync_try_s_ = now;
    submit(InterconnectUp{});
  }
  if (now >= next_sample_s_) {
    sample("timer");
    next_sample_s_ = now + kSampleInterval_s * (1 - 1e-9);  // heartbeats at exactly the interval still sample
  }
  loop_.at(now + ss.heartbeat_interval_s, [this] { heartbeat(); });
}

// ---- the partner's state ----

PeerState NodeDriver::my_state() {
  PeerState s;
  s.incarnation = incarnation();
  s.seq = ++state_seq_;
  s.mirror_in_sync = server_->mirror_in_sync();
  s.mirror_partner_incarnation = mirror_synced_partner_incarnation_;
  s.written_s = w_.now();
  // Holding the partner's aggregates means holding their reservations (or
  // loading them): true from the moment a takeover takes them, including a
  // takeover resumed at boot before the core has handled the boot.
  s.holds_partner_aggregates = server_->takeover_group().state != GroupState::idle;
  for (const auto& [aggr, owner] : w_.owner) {
    const std::string* h = owner == partner_ ? w_.store.holder(aggr) : nullptr;
    if (h && *h == w_.node_name(me_)) s.holds_partner_aggregates = true;
  }
  // Ready for giveback only with a path to every disk of a plex of each of
  // our aggregates.
  bool reaches = true;
  for (const auto& [aggr, owner] : w_.owner) {
    if (owner != me_) continue;
    const int plexes = static_cast<int>(w_.store.aggregates().at(aggr).plexes.size());
    bool whole = false;
    for (int p = 0; p < plexes; ++p) whole = whole || w_.store.plex_whole_for(w_.node_name(me_), aggr, p);
    reaches = reaches && whole;
  }
  s.waiting_for_giveback = server_->waiting_for_giveback() && reaches;
  if (!server_->waiting_for_giveback()) {
    wait_seq_ = 0;
  } else if (wait_seq_ == 0) {
    wait_seq_ = (incarnation() << 32) | ++wait_count_;
    saw_partner_hold_ = saw_partner_hold_ || partner_reserves_ours();  // booted after a takeover: it does
  }
  s.wait_seq = wait_seq_;
  s.gave_back_to = gave_back_to_;
  s.request = request_;
  s.request_seq = request_seq_;
  s.refused_seq = refused_seq_;
  return s;
}

bool NodeDriver::partner_reserves_ours() const {
  for (const auto& [aggr, owner] : w_.owner) {
    const std::string* h = owner == me_ ? w_.store.holder(aggr) : nullptr;
    if (h && *h == w_.node_name(partner_)) return true;
  }
  return false;
}

void NodeDriver::send_state() {
  if (!up()) return;
  auto* m = new Message{Message::Kind::heartbeat};
  m->from = me_;
  m->state = my_state();
  w_.send_over_interconnect(me_, m);
}

bool NodeDriver::partner_state_fresh() const {
  return partner_state_heard_s_ >= 0 && w_.now() - partner_state_heard_s_ <= w_.scenario.server.heartbeat_timeout_s;
}

void NodeDriver::observe_partner(const PeerState& s) {
  // Older than what we know (the mailbox block lags the heartbeats).
  if (s.incarnation < partner_state_.incarnation ||
      (s.incarnation == partner_state_.incarnation && s.seq <= partner_state_.seq))
    return;
  if (s.incarnation != partner_state_.incarnation) {
    // The partner came up again: whatever it held of our log may be gone.
    if (partner_state_.incarnation != 0)
      submit(PartnerMessage{PartnerMessageKind::rebooted});
    else
      mirror_synced_partner_incarnation_ = s.incarnation;  // first contact: the copy made at start-up
    partner_declared_dead_ = false;
  }
  partner_state_ = s;
  partner_state_heard_s_ = w_.now();
  // Whether our mirror region holds the partner's whole log: only as it says,
  // of this incarnation of ours.
  const bool in_sync = s.mirror_in_sync && s.mirror_partner_incarnation == incarnation();
  if (in_sync != partner_in_sync_told_) {
    partner_in_sync_told_ = in_sync;
    submit(PartnerMessage{in_sync ? PartnerMessageKind::mirror_in_sync : PartnerMessageKind::mirror_lost});
  }
  // Its standing request, handed to our core once.
  if (s.request && s.request_seq != partner_request_seen_) {
    partner_request_seen_ = s.request_seq;
    submit(PartnerMessage{*s.request});
  }
  // Taken over while we believed we served (we hung): its state and the
  // reservations on the disks say so.
  if (s.holds_partner_aggregates && server_->own_group().state != GroupState::idle && partner_reserves_ours())
    submit(PartnerMessage{PartnerMessageKind::took_over});
  // Our own request: met (it holds our aggregates) or refused.
  if (request_ && s.holds_partner_aggregates) request_.reset();
  if (request_ && s.refused_seq == request_seq_) {
    request_.reset();
    submit(PartnerMessage{PartnerMessageKind::takeover_refused});
  }
  // Giveback, both ways.
  if (server_->waiting_for_giveback()) {
    // Given back: the partner says it gave our current wait back. Given up:
    // it held our aggregates, and now neither says so nor holds their
    // reservations on the disks, with no giveback (a takeover that could not
    // read them, or our request refused). A state written before it took
    // them over says neither: the reservations tell.
    const bool partner_reserves = partner_reserves_ours();
    if (wait_seq_ != 0 && s.gave_back_to == wait_seq_) {
      saw_partner_hold_ = false;
      submit(PartnerMessage{PartnerMessageKind::giveback_done});
    } else if (s.holds_partner_aggregates || partner_reserves) {
      saw_partner_hold_ = true;
    } else if (saw_partner_hold_) {
      saw_partner_hold_ = false;
      submit(PartnerMessage{PartnerMessageKind::takeover_refused});
    }
  }
  if (s.waiting_for_giveback && server_->takeover_group().state == GroupState::serving) schedule_giveback();
}

// ---- giveback ----

void NodeDriver::schedule_giveback() {
  const GivebackSpec& g = w_.scenario.server.giveback;
  if (g.mode == GivebackMode::never || giveback_scheduled_) return;
  giveback_scheduled_ = true;
  const double when = g.mode == GivebackMode::at ? std::max(w_.now(), g.time_s) : w_.now() + g.delay_s;
  loop_.at(when, [this] {
    giveback_scheduled_ = false;
    if (!up() || !partner_state_fresh() || !partner_state_.waiting_for_giveback) return;
    // Not serving the partner's aggregates yet (a takeover still loading):
    // ask again a little later.
    if (server_->takeover_group().state != GroupState::serving) {
      loop_.at(w_.now() + 0.5, [this] { schedule_giveback(); });
      return;
    }
    submit(GivebackRequested{});
  });
}

}  // namespace failsim::sim
