// The crash scenario: clients on both aggregates, one node crashes at a
// chosen action, recovery by restart or by takeover and giveback, then the
// checks against exactly-once application.
#include "sim/memory/crash_scenario.hpp"

#include <map>
#include <optional>
#include <ostream>

#include "model/filesystem.hpp"
#include "sim/memory/memory_cluster.hpp"
#include "sim/memory/client_workload.hpp"

namespace failsim::sim::memory {

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

void tell(std::ostream* narrate, bool cps, std::size_t& told, const MemoryCluster& cl) {
  if (!narrate) return;
  for (; told < cl.notices.size(); ++told) {
    const auto& [node, n] = cl.notices[told];
    if (!cps && (n.kind == NoticeKind::cp_started || n.kind == NoticeKind::cp_finished)) continue;
    *narrate << "  node" << node << " " << to_string(n.kind);
    if (!n.aggregate.empty()) *narrate << " " << n.aggregate;
    if (auto* c = std::get_if<CpStarted>(&n.figures)) *narrate << ": " << c->blocks << " blocks up to LSN " << c->max_lsn;
    if (auto* c = std::get_if<CpFinished>(&n.figures))
      *narrate << ": generation " << c->generation << " holds LSN " << c->max_lsn;
    if (auto* r = std::get_if<Replayed>(&n.figures))
      *narrate << ": " << r->replayed << " entries replayed, " << r->skipped << " already on disk";
    if (!n.text.empty()) *narrate << " (" << n.text << ")";
    *narrate << "\n";
  }
}

}  // namespace

namespace {

MemoryClusterConfig cluster_config(const CrashCase& cc) {
  MemoryClusterConfig cfg;
  cfg.log_mode = cc.mode;
  cfg.ack_after_disk = cc.ack_after_disk;
  cfg.plexes = cc.plexes;
  // Small log halves, so that CPs also start because a half fills.
  cfg.nvram_half_bytes = cc.mode == LogMode::request ? 4 * 1024 : 24 * 1024;
  return cfg;
}

// One run of a case: the cluster, its clients, and where recovery stands.
class CrashRun {
 public:
  CrashRun(const CrashCase& cc, std::ostream* narrate, bool narrate_cps);
  // Drives clients and recovery until every client is answered and
  // recovery is done; returns a failure, or nothing.
  std::optional<std::string> drive();
  // Lets the I/O in flight and a last CP complete.
  void settle();
  void count(CrashOutcome& outcome) const;
  // The checks against exactly-once application; returns a failure, or nothing.
  std::optional<std::string> judge();

 private:
  enum class Phase { running, taken_over, giving_back, done };
  void crash();
  void start_recovery();
  void advance_takeover();
  // After a step that changed nothing: false when the clients stalled.
  bool quiet_round();
  std::optional<std::string> oracle_failure(std::map<std::string, Filesystem>& oracle) const;
  std::optional<std::string> image_failure(const std::map<std::string, Filesystem>& oracle);

  const CrashCase& cc_;
  std::ostream* narrate_;
  const bool narrate_cps_;
  const MemoryClusterConfig cfg_;
  MemoryCluster cl_;
  ClientDriver clients_;
  std::size_t told_ = 0;
  const int survivor_;
  const std::string victim_aggr_;
  std::uint64_t victim_actions_ = 0;
  bool crashed_ = false, victim_booted_ = false;
  Phase phase_ = Phase::running;
  std::uint64_t steps_since_takeover_ = 0;
  // giveback_during_cp: next_lsn when the CP was started; the giveback waits
  // for an entry from there on to be acked (acks go in LSN order).
  std::uint64_t cp_started_at_lsn_ = 0;
  int cp_wait_rounds_ = 0;
  int idle_rounds_ = 0;
};

CrashRun::CrashRun(const CrashCase& cc, std::ostream* narrate, bool narrate_cps)
    : cc_(cc),
      narrate_(narrate),
      narrate_cps_(narrate_cps),
      cfg_(cluster_config(cc)),
      cl_(cfg_, cc.seed),
      survivor_(1 - cc.victim),
      victim_aggr_(MemoryCluster::aggregate_name(cc.victim)) {
  tell(narrate_, narrate_cps_, told_, cl_);
  std::mt19937_64 rng(cc.seed ^ 0x9E3779B97F4A7C15ull);
  for (int c = 1; c <= cc.clients; ++c)
    clients_.add(c, MemoryCluster::aggregate_name(c % 2), random_client_ops(rng, c, cc.ops_per_client));
  cl_.before_action = [this](int node, const Action&) {
    if (node == cc_.victim && !crashed_ && ++victim_actions_ == cc_.crash_at_action) crash();
  };
}

void CrashRun::crash() {
  crashed_ = true;
  cl_.crash(cc_.victim, cc_.battery_lost);
  if (narrate_)
    *narrate_ << "  node" << cc_.victim << " CRASH after " << clients_.answered()
              << " acknowledged changes; its in-flight writes land torn\n";
}

void CrashRun::start_recovery() {
  cl_.before_action = nullptr;
  if (cc_.takeover) {
    cl_.partner_dead(survivor_);
    phase_ = Phase::taken_over;
  } else {
    // With its log lost, the victim asks the survivor to take over and
    // waits for giveback; else it recovers on its own.
    cl_.boot(cc_.victim, BootMode::recover);
    victim_booted_ = true;
    phase_ = cc_.battery_lost ? Phase::taken_over : Phase::done;
  }
}

void CrashRun::advance_takeover() {
  const auto group = cl_.server(survivor_)->takeover_group();
  // (Not for ever: with nothing left to log, no CP can start.)
  if (!cc_.giveback_during_cp || (group.cp_running && group.next_lsn - group.in_flight > cp_started_at_lsn_) ||
      clients_.done() || ++cp_wait_rounds_ > 1000) {
    if (!victim_booted_) cl_.boot(cc_.victim, BootMode::after_takeover);
    cl_.request_giveback(survivor_);
    phase_ = Phase::giving_back;
  } else if (!group.cp_running) {
    cl_.fire_timers(survivor_);  // starts a CP if the active half holds entries
    cp_started_at_lsn_ = group.next_lsn;
  } else if (clients_.done()) {
    cp_started_at_lsn_ = 0;  // nothing more will be logged behind this CP
  }
}

std::optional<std::string> CrashRun::drive() {
  auto send = [this](const std::string& aggr, const Change& ch) { cl_.send(aggr, ch); };
  // A run that keeps stepping without finishing is a livelock, not a hang.
  constexpr std::uint64_t max_steps = 2'000'000;
  for (std::uint64_t steps = 1;; ++steps) {
    if (steps > max_steps)
      return "no progress: " + std::to_string(max_steps) + " steps without every client answered (livelock)";
    clients_.issue(send);
    if (crashed_ && phase_ == Phase::running) start_recovery();
    if (phase_ == Phase::taken_over && ++steps_since_takeover_ > cc_.giveback_delay_steps &&
        cl_.server_of(victim_aggr_) == survivor_)
      advance_takeover();
    if (phase_ == Phase::giving_back && cl_.server_of(victim_aggr_) == cc_.victim) phase_ = Phase::done;
    // A victim that recovered on its own after all (its log was not lost to
    // it, or it ignored the loss): the checks judge what it serves.
    if (phase_ == Phase::taken_over && victim_booted_ && cl_.server_of(victim_aggr_) == cc_.victim)
      phase_ = Phase::done;
    tell(narrate_, narrate_cps_, told_, cl_);
    if (clients_.done() && phase_ == Phase::done) return std::nullopt;
    bool progressed = cl_.step();
    clients_.take(cl_.take_replies());
    if (progressed) {
      idle_rounds_ = 0;
      continue;
    }
    if (!quiet_round()) return "clients stalled: an aggregate is no longer served";
  }
}

bool CrashRun::quiet_round() {
  // Quiet: a crash that never came happens now; clients time out and
  // retransmit with the same xid.
  if (!crashed_) {
    crash();
    return true;
  }
  if (phase_ == Phase::taken_over && !(cc_.giveback_during_cp && steps_since_takeover_ > cc_.giveback_delay_steps)) {
    steps_since_takeover_ = cc_.giveback_delay_steps;
    return true;
  }
  clients_.retransmit([this](const std::string& aggr, const Change& ch) { cl_.send(aggr, ch); });
  clients_.take(cl_.take_replies());
  return ++idle_rounds_ <= 50;
}

void CrashRun::settle() {
  cl_.run_until_quiet();
  for (int n = 0; n < 2; ++n)
    if (cl_.up(n)) cl_.fire_timers(n);
  cl_.run_until_quiet();
  tell(narrate_, narrate_cps_, told_, cl_);
}

void CrashRun::count(CrashOutcome& outcome) const {
  outcome.ops_answered = clients_.answered();
  outcome.duplicate_replies = clients_.duplicate_replies;
  outcome.cps = cl_.cps_finished;
  outcome.fsck_runs = cl_.fsck_runs;
  for (const auto& n : cl_.notices)
    if (auto* r = std::get_if<Replayed>(&n.notice.figures)) {
      outcome.entries_replayed += r->replayed;
      outcome.entries_skipped += r->skipped;
    }
}

std::optional<std::string> CrashRun::judge() {
  if (!cl_.fsck_failures.empty()) return "fsck: " + cl_.fsck_failures.front();
  for (const auto& n : cl_.notices)
    if (n.notice.kind == NoticeKind::replay_mismatch || n.notice.kind == NoticeKind::load_failed)
      return "node" + std::to_string(n.node) + ": " + std::string(to_string(n.notice.kind)) + " " + n.notice.text;
  // The oracle: the same changes, each applied once, with no crash.
  std::map<std::string, Filesystem> oracle;
  for (int n = 0; n < 2; ++n) oracle.emplace(MemoryCluster::aggregate_name(n), Filesystem(cfg_.fs));
  if (auto f = oracle_failure(oracle)) return f;
  return image_failure(oracle);
}

// Applies each client's changes once, in order, to the oracle, against the
// results the client got.
std::optional<std::string> CrashRun::oracle_failure(std::map<std::string, Filesystem>& oracle) const {
  for (const auto& [id, c] : clients_.clients()) {
    Filesystem& fs = oracle.at(c.aggregate);
    for (std::size_t i = 0; i < c.ops.size(); ++i) {
      Result want = fs.apply(c.ops[i]);
      if (c.results[i] != want)
        return "client " + std::to_string(id) + " op " + std::to_string(i) + " (" +
               std::string(to_string(c.ops[i].type)) + " " + c.ops[i].path + "): got " +
               std::string(to_string(c.results[i])) + ", applied once gives " + std::string(to_string(want));
    }
  }
  return std::nullopt;
}

// What each aggregate's server holds, and its plexes, against the oracle.
std::optional<std::string> CrashRun::image_failure(const std::map<std::string, Filesystem>& oracle) {
  for (int n = 0; n < 2; ++n) {
    const std::string aggr = MemoryCluster::aggregate_name(n);
    int node = cl_.server_of(aggr);
    if (node < 0) return aggr + " is not served at the end";
    const Filesystem* fs = cl_.server(node)->filesystem(aggr);
    if (auto d = first_difference(fs->tree(), oracle.at(aggr).tree()))
      return aggr + ": final tree differs from exactly-once application at " + *d;
    LoadResult disk = load_image(cl_.plexes(aggr));
    if (!disk.fs) return aggr + ": final image does not load: " + disk.error;
    if (auto d = first_difference(disk.fs->tree(), fs->tree()))
      return aggr + ": final on-disk image differs from memory after a CP at " + *d;
    // Each plex of a mirrored aggregate alone holds the whole image: the
    // other may be lost.
    for (int p = 0; p < cfg_.plexes && cfg_.plexes > 1; ++p) {
      LoadResult alone = load_image({&cl_.plex(aggr, p)});
      if (!alone.fs) return aggr + ": plex " + std::to_string(p) + " alone does not load: " + alone.error;
      if (auto d = first_difference(alone.fs->tree(), fs->tree()))
        return aggr + ": plex " + std::to_string(p) + " alone differs from memory at " + *d;
    }
  }
  return std::nullopt;
}

}  // namespace

CrashOutcome run_crash_case(const CrashCase& cc, std::ostream* narrate, bool narrate_cps) {
  CrashOutcome outcome;
  CrashRun run(cc, narrate, narrate_cps);
  if (auto failure = run.drive()) {
    outcome.failure = *failure;
    return outcome;
  }
  run.settle();
  run.count(outcome);
  if (auto failure = run.judge()) outcome.failure = *failure;
  return outcome;
}

}  // namespace failsim::sim::memory
