// The crash scenario: clients on both aggregates, one node crashes at a
// chosen action, recovery by restart or by takeover and giveback, then the
// checks against exactly-once application.
#include "crash_scenario.hpp"

#include <map>
#include <optional>
#include <ostream>

#include "model/filesystem.hpp"
#include "test_cluster.hpp"
#include "workload.hpp"

namespace failsim::testing {

using namespace failsim::model;

std::ostream& operator<<(std::ostream& os, const CrashCase& c) {
  return os << "seed=" << c.seed << " mode=" << to_string(c.mode) << " ack_after_disk=" << c.ack_after_disk << " plexes=" << c.plexes
            << " clients=" << c.clients << " ops=" << c.ops_per_client << " victim=" << c.victim
            << " takeover=" << c.takeover << " crash_at_action=" << c.crash_at_action
            << " giveback_delay=" << c.giveback_delay_steps << " giveback_during_cp=" << c.giveback_during_cp
            << " battery_lost=" << c.battery_lost;
}

namespace {

// The first path where two trees differ, described; nothing when equal.
std::optional<std::string> first_difference(const std::map<std::string, PathInfo>& got,
                                            const std::map<std::string, PathInfo>& want) {
  for (const auto& [path, info] : want) {
    auto it = got.find(path);
    if (it == got.end()) return path + " (missing)";
    if (it->second != info) return path + " (type/mode/size/contents differ)";
  }
  for (const auto& [path, info] : got)
    if (!want.contains(path)) return path + " (unexpected)";
  return std::nullopt;
}

void tell(std::ostream* narrate, bool cps, std::size_t& told, const TestCluster& cl) {
  if (!narrate) return;
  for (; told < cl.notices.size(); ++told) {
    const auto& [node, n] = cl.notices[told];
    if (!cps && (n.kind == NoticeKind::cp_started || n.kind == NoticeKind::cp_finished)) continue;
    *narrate << "  node" << node << " " << to_string(n.kind);
    if (!n.aggregate.empty()) *narrate << " " << n.aggregate;
    switch (n.kind) {
      case NoticeKind::cp_started: *narrate << ": " << n.a << " blocks up to LSN " << n.b; break;
      case NoticeKind::cp_finished: *narrate << ": generation " << n.a << " holds LSN " << n.b; break;
      case NoticeKind::replayed: *narrate << ": " << n.a << " entries replayed, " << n.b << " already on disk"; break;
      default: break;
    }
    if (!n.text.empty()) *narrate << " (" << n.text << ")";
    *narrate << "\n";
  }
}

}  // namespace

rc::Gen<CrashCase> crash_cases() {
  return rc::gen::build<CrashCase>(
      rc::gen::set(&CrashCase::seed, rc::gen::arbitrary<std::uint64_t>()),
      rc::gen::set(&CrashCase::mode, rc::gen::element(LogMode::request, LogMode::block)),
      rc::gen::set(&CrashCase::ack_after_disk, rc::gen::arbitrary<bool>()),
      rc::gen::set(&CrashCase::plexes, rc::gen::inRange(1, 3)),
      rc::gen::set(&CrashCase::clients, rc::gen::inRange(1, 5)),
      rc::gen::set(&CrashCase::ops_per_client, rc::gen::inRange(2, 60)),
      rc::gen::set(&CrashCase::victim, rc::gen::inRange(0, 2)),
      rc::gen::set(&CrashCase::takeover, rc::gen::arbitrary<bool>()),
      rc::gen::set(&CrashCase::crash_at_action, rc::gen::inRange<std::uint64_t>(1, 600)),
      rc::gen::set(&CrashCase::giveback_delay_steps, rc::gen::inRange<std::uint64_t>(0, 300)),
      rc::gen::set(&CrashCase::giveback_during_cp, rc::gen::arbitrary<bool>()),
      rc::gen::set(&CrashCase::battery_lost, rc::gen::element(false, false, false, true)));
}

CrashOutcome run_crash_case(const CrashCase& cc, std::ostream* narrate, bool narrate_cps) {
  CrashOutcome outcome;
  auto fail = [&](std::string why) {
    outcome.failure = std::move(why);
    return outcome;
  };
  TestClusterConfig cfg;
  cfg.log_mode = cc.mode;
  cfg.ack_after_disk = cc.ack_after_disk;
  cfg.plexes = cc.plexes;
  // Small log halves, so that CPs also start because a half fills.
  cfg.nvram_half_bytes = cc.mode == LogMode::request ? 4 * 1024 : 24 * 1024;
  TestCluster cl(cfg, cc.seed);
  std::size_t told = 0;
  tell(narrate, narrate_cps, told, cl);
  std::mt19937_64 rng(cc.seed ^ 0x9E3779B97F4A7C15ull);

  ClientDriver clients;
  for (int c = 1; c <= cc.clients; ++c)
    clients.add(c, TestCluster::aggregate_name(c % 2), random_client_ops(rng, c, cc.ops_per_client));
  auto send = [&](const std::string& aggr, const Change& ch) { cl.send(aggr, ch); };

  const int survivor = 1 - cc.victim;
  const std::string victim_aggr = TestCluster::aggregate_name(cc.victim);
  std::uint64_t victim_actions = 0;
  bool crashed = false, victim_booted = false;
  auto crash = [&] {
    crashed = true;
    cl.crash(cc.victim, cc.battery_lost);
    if (narrate)
      *narrate << "  node" << cc.victim << " CRASH after " << clients.answered()
               << " acknowledged changes; its in-flight writes land torn\n";
  };
  cl.before_action = [&](int node, const Action&) {
    if (node == cc.victim && !crashed && ++victim_actions == cc.crash_at_action) crash();
  };

  enum class Phase { running, taken_over, giving_back, done } phase = Phase::running;
  std::uint64_t steps_since_takeover = 0;
  // giveback_during_cp: next_lsn when the CP was started; the giveback waits
  // for an entry from there on to be acked (acks go in LSN order).
  std::uint64_t cp_started_at_lsn = 0;
  int cp_wait_rounds = 0;
  int idle_rounds = 0;
  // A run that keeps stepping without finishing is a livelock, not a hang.
  constexpr std::uint64_t max_steps = 2'000'000;
  std::uint64_t steps = 0;
  for (;;) {
    if (++steps > max_steps)
      return fail("no progress: " + std::to_string(max_steps) + " steps without every client answered (livelock)");
    clients.issue(send);
    if (crashed && phase == Phase::running) {
      cl.before_action = nullptr;
      if (cc.takeover) {
        cl.partner_dead(survivor);
        phase = Phase::taken_over;
      } else {
        // With its log lost, the victim asks the survivor to take over and
        // waits for giveback; else it recovers on its own.
        cl.boot(cc.victim, BootMode::recover);
        victim_booted = true;
        phase = cc.battery_lost ? Phase::taken_over : Phase::done;
      }
    }
    if (phase == Phase::taken_over && ++steps_since_takeover > cc.giveback_delay_steps &&
        cl.server_of(victim_aggr) == survivor) {
      const auto group = cl.server(survivor)->takeover_group();
      // (Not for ever: with nothing left to log, no CP can start.)
      if (!cc.giveback_during_cp || (group.cp_running && group.next_lsn - group.in_flight > cp_started_at_lsn) ||
          clients.done() || ++cp_wait_rounds > 1000) {
        if (!victim_booted) cl.boot(cc.victim, BootMode::after_takeover);
        cl.request_giveback(survivor);
        phase = Phase::giving_back;
      } else if (!group.cp_running) {
        cl.fire_timers(survivor);  // starts a CP if the active half holds entries
        cp_started_at_lsn = group.next_lsn;
      } else if (clients.done()) {
        cp_started_at_lsn = 0;  // nothing more will be logged behind this CP
      }
    }
    if (phase == Phase::giving_back && cl.server_of(victim_aggr) == cc.victim) phase = Phase::done;
    // A victim that recovered on its own after all (its log was not lost to
    // it, or it ignored the loss): the checks below judge what it serves.
    if (phase == Phase::taken_over && victim_booted && cl.server_of(victim_aggr) == cc.victim) phase = Phase::done;
    tell(narrate, narrate_cps, told, cl);
    if (clients.done() && phase == Phase::done) break;
    bool progressed = cl.step();
    clients.take(cl.take_replies());
    if (progressed) {
      idle_rounds = 0;
      continue;
    }
    // Quiet: a crash that never came happens now; clients time out and
    // retransmit with the same xid.
    if (!crashed) {
      crash();
      continue;
    }
    if (phase == Phase::taken_over && !(cc.giveback_during_cp && steps_since_takeover > cc.giveback_delay_steps)) {
      steps_since_takeover = cc.giveback_delay_steps;
      continue;
    }
    clients.retransmit(send);
    clients.take(cl.take_replies());
    if (++idle_rounds > 50) return fail("clients stalled: an aggregate is no longer served");
  }
  cl.run_until_quiet();
  for (int n = 0; n < 2; ++n)
    if (cl.up(n)) cl.fire_timers(n);
  cl.run_until_quiet();
  tell(narrate, narrate_cps, told, cl);

  outcome.ops_answered = clients.answered();
  outcome.duplicate_replies = clients.duplicate_replies;
  outcome.cps = cl.cps_finished;
  outcome.fsck_runs = cl.fsck_runs;
  for (const auto& n : cl.notices)
    if (n.notice.kind == NoticeKind::replayed) {
      outcome.entries_replayed += n.notice.a;
      outcome.entries_skipped += n.notice.b;
    }
  if (!cl.fsck_failures.empty()) return fail("fsck: " + cl.fsck_failures.front());
  for (const auto& n : cl.notices)
    if (n.notice.kind == NoticeKind::replay_mismatch || n.notice.kind == NoticeKind::load_failed)
      return fail("node" + std::to_string(n.node) + ": " + std::string(to_string(n.notice.kind)) + " " +
                  n.notice.text);

  // The oracle: the same changes, each applied once, with no crash.
  std::map<std::string, Filesystem> oracle;
  for (int n = 0; n < 2; ++n) oracle.emplace(TestCluster::aggregate_name(n), Filesystem(cfg.fs));
  for (const auto& [id, c] : clients.clients()) {
    Filesystem& fs = oracle.at(c.aggregate);
    for (std::size_t i = 0; i < c.ops.size(); ++i) {
      Result want = fs.apply(c.ops[i]);
      if (c.results[i] != want)
        return fail("client " + std::to_string(id) + " op " + std::to_string(i) + " (" +
                    std::string(to_string(c.ops[i].type)) + " " + c.ops[i].path + "): got " +
                    std::string(to_string(c.results[i])) + ", applied once gives " + std::string(to_string(want)));
    }
  }
  for (int n = 0; n < 2; ++n) {
    const std::string aggr = TestCluster::aggregate_name(n);
    int node = cl.server_of(aggr);
    if (node < 0) return fail(aggr + " is not served at the end");
    const Filesystem* fs = cl.server(node)->filesystem(aggr);
    if (auto d = first_difference(fs->tree(), oracle.at(aggr).tree()))
      return fail(aggr + ": final tree differs from exactly-once application at " + *d);
    LoadResult disk = load_image(cl.plexes(aggr));
    if (!disk.fs) return fail(aggr + ": final image does not load: " + disk.error);
    if (auto d = first_difference(disk.fs->tree(), fs->tree()))
      return fail(aggr + ": final on-disk image differs from memory after a CP at " + *d);
    // Each plex of a mirrored aggregate alone holds the whole image: the
    // other may be lost.
    for (int p = 0; p < cfg.plexes && cfg.plexes > 1; ++p) {
      LoadResult alone = load_image({&cl.plex(aggr, p)});
      if (!alone.fs) return fail(aggr + ": plex " + std::to_string(p) + " alone does not load: " + alone.error);
      if (auto d = first_difference(alone.fs->tree(), fs->tree()))
        return fail(aggr + ": plex " + std::to_string(p) + " alone differs from memory at " + *d);
    }
  }
  return outcome;
}

}  // namespace failsim::testing
