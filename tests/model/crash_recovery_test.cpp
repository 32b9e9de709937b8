// The core's central promise, as a property: for any workload, any crash
// point (while logging locally, while mirroring, between mirror and reply,
// at any block write of a CP, torn writes included) and either recovery path
// (the node's own restart, or its partner's takeover and a later giveback),
// every acknowledged change is applied exactly once, in each client's order,
// and every on-disk image passes fsck after every CP and every crash.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model/filesystem.hpp"
#include "model/image_walk.hpp"
#include "support/test_cluster.hpp"
#include "support/workload.hpp"

namespace failsim {
namespace {

using namespace model;
using testing::ClientDriver;
using testing::TestCluster;
using testing::TestClusterConfig;

struct CrashCase {
  std::uint64_t seed = 1;
  LogMode mode = LogMode::request;
  int plexes = 1;
  int clients = 2;
  int ops_per_client = 30;
  int victim = 0;
  bool takeover = false;
  std::uint64_t crash_at_action = 50;  // the victim's n-th action
  std::uint64_t giveback_delay_steps = 20;
};

std::ostream& operator<<(std::ostream& os, const CrashCase& c) {
  return os << "seed=" << c.seed << " mode=" << to_string(c.mode) << " plexes=" << c.plexes
            << " clients=" << c.clients << " ops=" << c.ops_per_client << " victim=" << c.victim
            << " takeover=" << c.takeover << " crash_at_action=" << c.crash_at_action
            << " giveback_delay=" << c.giveback_delay_steps;
}

// What a run ends with, for the checks.
struct Outcome {
  std::string failure;  // empty: all properties held
};

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

Outcome run_crash_case(const CrashCase& cc) {
  TestClusterConfig cfg;
  cfg.log_mode = cc.mode;
  cfg.plexes = cc.plexes;
  // Small log halves, so that CPs also start because a half fills.
  cfg.nvram_half_bytes = cc.mode == LogMode::request ? 4 * 1024 : 24 * 1024;
  TestCluster cl(cfg, cc.seed);
  std::mt19937_64 rng(cc.seed ^ 0x9E3779B97F4A7C15ull);

  ClientDriver clients;
  for (int c = 1; c <= cc.clients; ++c)
    clients.add(c, TestCluster::aggregate_name(c % 2), testing::random_client_ops(rng, c, cc.ops_per_client));
  auto send = [&](const std::string& aggr, const Change& ch) { cl.send(aggr, ch); };

  const int survivor = 1 - cc.victim;
  std::uint64_t victim_actions = 0;
  bool crashed = false;
  cl.before_action = [&](int node, const Action&) {
    if (node == cc.victim && !crashed && ++victim_actions == cc.crash_at_action) {
      crashed = true;
      cl.crash(node);
    }
  };

  enum class Phase { running, taken_over, giving_back, done } phase = Phase::running;
  std::uint64_t steps_since_takeover = 0;
  int idle_rounds = 0;
  const std::string victim_aggr = TestCluster::aggregate_name(cc.victim);
  for (;;) {
    clients.issue(send);
    if (crashed && phase == Phase::running) {
      cl.before_action = nullptr;
      if (cc.takeover) {
        cl.partner_dead(survivor);
        phase = Phase::taken_over;
      } else {
        cl.boot(cc.victim, BootMode::recover);
        phase = Phase::done;
      }
    }
    if (phase == Phase::taken_over && ++steps_since_takeover > cc.giveback_delay_steps &&
        cl.server_of(victim_aggr) == survivor) {
      cl.boot(cc.victim, BootMode::after_takeover);
      cl.request_giveback(survivor);
      phase = Phase::giving_back;
    }
    if (phase == Phase::giving_back && cl.server_of(victim_aggr) == cc.victim) phase = Phase::done;
    if (clients.done() && phase == Phase::done) break;
    bool progressed = cl.step();
    clients.take(cl.take_replies());
    if (progressed) {
      idle_rounds = 0;
      continue;
    }
    // Quiet: a crash that never came happens now; clients time out and
    // retransmit.
    if (!crashed) {
      crashed = true;
      cl.crash(cc.victim);
      continue;
    }
    if (phase == Phase::taken_over) {
      steps_since_takeover = cc.giveback_delay_steps;
      continue;
    }
    clients.retransmit(send);
    clients.take(cl.take_replies());
    if (++idle_rounds > 50) return {"clients stalled: an aggregate is no longer served"};
  }
  cl.run_until_quiet();
  for (int n = 0; n < 2; ++n)
    if (cl.up(n)) cl.fire_timers(n);
  cl.run_until_quiet();

  if (!cl.fsck_failures.empty()) return {"fsck: " + cl.fsck_failures.front()};
  for (const auto& n : cl.notices)
    if (n.notice.kind == NoticeKind::replay_mismatch || n.notice.kind == NoticeKind::load_failed)
      return {"node " + std::to_string(n.node) + ": " + std::string(to_string(n.notice.kind)) + " " + n.notice.text};

  // The oracle: the same changes applied once each, with no crash.
  std::map<std::string, Filesystem> oracle;
  for (int n = 0; n < 2; ++n) oracle.emplace(TestCluster::aggregate_name(n), Filesystem(cfg.fs));
  for (const auto& [id, c] : clients.clients()) {
    Filesystem& fs = oracle.at(c.aggregate);
    for (std::size_t i = 0; i < c.ops.size(); ++i) {
      Result want = fs.apply(c.ops[i]);
      if (c.results[i] != want)
        return {"client " + std::to_string(id) + " op " + std::to_string(i) + " (" +
                std::string(to_string(c.ops[i].type)) + " " + c.ops[i].path + "): got " +
                std::string(to_string(c.results[i])) + ", applied once gives " + std::string(to_string(want))};
    }
  }
  for (int n = 0; n < 2; ++n) {
    const std::string aggr = TestCluster::aggregate_name(n);
    int node = cl.server_of(aggr);
    if (node < 0) return {aggr + " is not served at the end"};
    const Filesystem* fs = cl.server(node)->filesystem(aggr);
    if (auto d = first_difference(fs->tree(), oracle.at(aggr).tree()))
      return {aggr + ": final tree differs from exactly-once application at " + *d};
    LoadResult disk = load_image(cl.plexes(aggr));
    if (!disk.fs) return {aggr + ": final image does not load: " + disk.error};
    if (getenv("DEBUG_CRASH")) {
      auto v = cl.server(node)->own_group();
      auto t = cl.server(node)->takeover_group();
      fprintf(stderr, "%s node %d own: state=%d lsn=%lu used=%lu inflight=%zu | takeover: state=%d lsn=%lu used=%lu\n",
              aggr.c_str(), node, (int)v.state, v.next_lsn, v.log_bytes_used, v.in_flight, (int)t.state, t.next_lsn,
              t.log_bytes_used);
      for (const auto& nn : cl.notices)
        fprintf(stderr, "  n%d %s %s %lu %lu %s\n", nn.node, std::string(to_string(nn.notice.kind)).c_str(),
                nn.notice.aggregate.c_str(), nn.notice.a, nn.notice.b, nn.notice.text.c_str());
    }
    if (auto d = first_difference(disk.fs->tree(), fs->tree()))
      return {aggr + ": final on-disk image differs from memory after a CP at " + *d};
  }
  return {};
}

rc::Gen<CrashCase> crash_cases() {
  return rc::gen::build<CrashCase>(
      rc::gen::set(&CrashCase::seed, rc::gen::arbitrary<std::uint64_t>()),
      rc::gen::set(&CrashCase::mode, rc::gen::element(LogMode::request, LogMode::block)),
      rc::gen::set(&CrashCase::plexes, rc::gen::inRange(1, 3)),
      rc::gen::set(&CrashCase::clients, rc::gen::inRange(1, 5)),
      rc::gen::set(&CrashCase::ops_per_client, rc::gen::inRange(2, 60)),
      rc::gen::set(&CrashCase::victim, rc::gen::inRange(0, 2)),
      rc::gen::set(&CrashCase::takeover, rc::gen::arbitrary<bool>()),
      rc::gen::set(&CrashCase::crash_at_action, rc::gen::inRange<std::uint64_t>(1, 600)),
      rc::gen::set(&CrashCase::giveback_delay_steps, rc::gen::inRange<std::uint64_t>(0, 300)));
}

RC_GTEST_PROP(CrashRecovery, AckedChangesApplyExactlyOnceInClientOrder, ()) {
  const CrashCase cc = *crash_cases();
  RC_TAG(cc.takeover ? "takeover" : "own restart", to_string(cc.mode));
  Outcome out = run_crash_case(cc);
  if (!out.failure.empty()) RC_FAIL(out.failure);
}

TEST(CrashRecovery, TakeoverInBothDirections) {
  for (int victim = 0; victim < 2; ++victim)
    for (LogMode mode : {LogMode::request, LogMode::block}) {
      CrashCase cc;
      cc.seed = 7 + victim;
      cc.mode = mode;
      cc.victim = victim;
      cc.takeover = true;
      cc.clients = 4;
      cc.crash_at_action = 120;
      Outcome out = run_crash_case(cc);
      EXPECT_EQ(out.failure, "") << cc;
    }
}

}  // namespace
}  // namespace failsim
