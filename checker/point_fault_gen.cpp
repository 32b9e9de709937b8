// Point faults placed where they fire (point_fault_gen.hpp).
#include "checker/point_fault_gen.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace failsim::checker {

namespace {

using K = sim::FaultKind;

// Client c works on aggregate (c - 1) mod 2, and aggr<i> is n<i>'s
// (scenario_gen.cpp's clusters): n0 has the odd clients, n1 the even.
std::uint64_t changes_of(const sim::Scenario& s, int node) {
  const auto clients = static_cast<std::uint64_t>((s.workload.clients + 1 - node) / 2);
  return clients * s.workload.ops_per_client;
}

std::string name_of(int node) { return node == 0 ? "n0" : "n1"; }

// A node whose clients make changes and that holds no point fault yet.
std::optional<int> busy_node(const sim::Scenario& s, const PointFaultPlan& plan) {
  std::vector<int> nodes;
  for (int n = 0; n < 2; ++n)
    if (changes_of(s, n) > 0 && !plan.has_point[n]) nodes.push_back(n);
  if (nodes.empty()) return std::nullopt;
  return *rc::gen::elementOf(nodes);
}

// The k-th of the node's changes, in the first quarter of them: reached
// before most other faults disturb the node, now that the changes spread
// over the fault phase (with the first half, seed 77's 1,000 cases fired
// 81% of their torn mirror writes, a crash or a cut interconnect first).
std::uint64_t change_k(const sim::Scenario& s, int node) {
  const std::uint64_t quarter = std::max<std::uint64_t>(1, changes_of(s, node) / 4);
  return *rc::gen::inRange<std::uint64_t>(1, quarter + 1);
}

void reach(sim::Scenario& s, double until_s) { s.phases.fault_phase_s = std::max(s.phases.fault_phase_s, until_s); }

// After the boot's own recovery CP (done within some 50 ms of time 0).
constexpr double after_boot_s = 0.1;
// After the nodes know each other's log whole in their mirrors (a crash
// before that is not taken over: the survivor refuses a mirror not known
// to be complete). Seen at 0.045 s at the latest in 1,000 cases.
constexpr double mirrors_known_s = 0.06;
// Changes a crashed partner's clients make at least, over at least
// partner_busy_s: they go on well past mirrors_known_s, however fast the
// nodes ack (20 changes acked from NVRAM took 0.03 s: seed 2034, case 697,
// where the crash point was then never reached).
constexpr std::uint64_t partner_changes_per_client = 20;
constexpr double partner_busy_s = 0.5;

// The partner of the survivor crashes at its k-th mirror write after
// mirrors_known_s, in the first quarter of its changes (its log then holds
// changes for the survivor's replay); the survivor takes over within its
// heartbeat timeout. The clients' changes end within a few seconds.
void partner_crashes_while_busy(sim::Scenario& s, int partner) {
  // k from 2: the mirror write before it landed, so the survivor's replay
  // has an entry (with k 1 and changes spread out, the mirror often held
  // none: seed 2036, case 16).
  const std::uint64_t k = *rc::gen::inRange<std::uint64_t>(2, std::max<std::uint64_t>(2, changes_of(s, partner) / 4) + 1);
  s.faults.push_back({.at_s = mirrors_known_s, .params = sim::CrashBeforeMirror{.node = name_of(partner), .k = k}});
  reach(s, 3 + s.server.heartbeat_timeout_s);
}

// Both nodes free of point faults, the partner (the one that crashes first)
// with clients. For a replay (needs_log), with acks after the disk write
// its log holds changes only while another client's change waits for its
// CP: two clients then.
std::optional<int> pair_partner(sim::Scenario& s, const PointFaultPlan& plan, bool needs_log) {
  if (plan.has_point[0] || plan.has_point[1]) return std::nullopt;
  const std::optional<int> partner = busy_node(s, plan);
  if (!partner) return std::nullopt;
  const std::uint64_t clients = changes_of(s, *partner) / s.workload.ops_per_client;
  if (needs_log && s.server.ack == sim::AckPoint::disk && clients < 2) return std::nullopt;
  sim::WorkloadSpec& w = s.workload;
  w.ops_per_client = std::max(w.ops_per_client, partner_changes_per_client);
  const auto ops = static_cast<double>(w.ops_per_client);
  if (w.loop == sim::ClientLoop::open) w.rate_per_s = std::min(w.rate_per_s, ops / partner_busy_s);
  else w.think_time_s = std::max(w.think_time_s, partner_busy_s / ops);
  return partner;
}

void crash_during_replay(sim::Scenario& s, PointFaultPlan& plan) {
  const std::optional<int> partner = pair_partner(s, plan, true);
  if (!partner) return;
  const int survivor = 1 - *partner;
  plan.has_point[0] = plan.has_point[1] = true;
  partner_crashes_while_busy(s, *partner);
  // Entry k of the takeover's replay (the last when it has fewer).
  const auto k = *rc::gen::inRange<std::uint64_t>(1, 21);
  s.faults.push_back({.at_s = after_boot_s, .params = sim::CrashDuringReplay{.node = name_of(survivor), .k = k}});
}

void crash_during_recovery(sim::Scenario& s, PointFaultPlan& plan) {
  const std::optional<int> partner = pair_partner(s, plan, false);
  if (!partner) return;
  const int survivor = 1 - *partner;
  plan.has_point[0] = plan.has_point[1] = true;
  if (*rc::gen::arbitrary<bool>()) {
    // The takeover's recovery CP: it writes at least a block and two superblocks.
    const auto k = *rc::gen::inRange<std::uint64_t>(1, 4);
    partner_crashes_while_busy(s, *partner);
    s.faults.push_back({.at_s = after_boot_s, .params = sim::CrashDuringRecovery{.node = name_of(survivor), .k = k}});
    return;
  }
  // The giveback: the partner is down long enough to be taken over, comes
  // back, and the survivor gives its aggregates back after the giveback
  // delay; armed once the takeover's recovery CP is long over. Its first
  // point is the giveback's start (its CP may write nothing).
  const std::uint64_t k = 1;
  const double crash_s = *rc::gen::inRange(1, 6) / 10.0;
  const double down_s = s.server.heartbeat_timeout_s + 0.5;
  s.faults.push_back({.at_s = crash_s, .params = sim::NodeCrash{.node = name_of(*partner), .duration_s = down_s}});
  const double armed_s = crash_s + down_s + s.server.boot_time_s + 0.1;
  s.faults.push_back({.at_s = armed_s, .params = sim::CrashDuringRecovery{.node = name_of(survivor), .k = k}});
  reach(s, armed_s + s.server.giveback.delay_s + 2);
}

}  // namespace

void add_point_fault(sim::Scenario& s, sim::FaultKind kind, PointFaultPlan& plan) {
  switch (kind) {
    case K::torn_mirror_write: {
      const std::optional<int> node = busy_node(s, plan);
      if (!node) return;
      plan.has_point[*node] = true;
      const double cut_s = *rc::gen::element(0.0, 0.5, 2.0);
      s.faults.push_back(
          {.at_s = 0, .params = sim::TornMirrorWrite{.node = name_of(*node), .k = change_k(s, *node), .duration_s = cut_s}});
      return;
    }
    case K::crash_before_mirror:
    case K::crash_after_mirror:
    case K::crash_after_reply: {
      const std::optional<int> node = busy_node(s, plan);
      if (!node) return;
      plan.has_point[*node] = true;
      s.faults.push_back(sim::point_fault(kind, name_of(*node), change_k(s, *node)));
      // Half the time the mirror is slower than the local write (a busy
      // interconnect): an ack sent before its mirror landed (the mutant
      // reply_before_mirror) is then still exposed when the reply goes out.
      if (kind == K::crash_after_reply && *rc::gen::arbitrary<bool>())
        s.faults.push_back({.at_s = 0, .params = sim::InterconnectDelay{.delay_s = *rc::gen::element(0.0002, 0.001, 0.005)}});
      return;
    }
    case K::power_loss_at_nvram_write: {
      // Both nodes: neither holds another point fault.
      const std::optional<int> node = busy_node(s, plan);
      if (!node || plan.has_point[1 - *node]) return;
      plan.has_point[0] = plan.has_point[1] = true;
      s.faults.push_back({.at_s = 0,
                          .params = sim::PowerLossAtNvramWrite{.node = name_of(*node), .k = change_k(s, *node),
                                                               .duration_s = *rc::gen::element(0.0, 0.5, 2.0)}});
      return;
    }
    case K::crash_at_cp_block: {
      // A block write of the first CPs after the boot's: the CP timer
      // flushes the clients' changes within cp_interval_s of them.
      const std::optional<int> node = busy_node(s, plan);
      if (!node) return;
      plan.has_point[*node] = true;
      const auto k = *rc::gen::inRange<std::uint64_t>(1, 7);
      s.faults.push_back({.at_s = after_boot_s, .params = sim::CrashAtCpBlock{.node = name_of(*node), .k = k}});
      reach(s, after_boot_s + s.server.cp_interval_s + 1);
      return;
    }
    case K::crash_during_replay: return crash_during_replay(s, plan);
    case K::crash_during_recovery: return crash_during_recovery(s, plan);
    default: return;
  }
}

}  // namespace failsim::checker
