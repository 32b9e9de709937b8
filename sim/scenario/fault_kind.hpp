// The fault kinds, in one table: each kind's name in scenario files, whether
// it fires at a time or at a point of the node's work, what it needs (a node,
// a target of some sort, mirrored aggregates) and what it may destroy, which
// decides when it stays inside the envelope. The reader, its checks, the
// schema, the random generator, the docs and the simulator's dispatch all
// read this table; the parameters each kind takes are its struct in
// fault_params.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sim/scenario/words.hpp"

namespace failsim::sim {

// In the order of the schema's word list (scenario files name them).
enum class FaultKind : std::uint8_t {
  node_crash, power_loss, reboot, interconnect_down, interconnect_flap, torn_mirror_write, crash_at_cp_block,
  crash_before_mirror, crash_after_mirror, crash_during_replay, disk_fail, shelf_fail, loop_fail, hba_fail,
  latent_sector_error, nvram_battery_loss, client_partition, client_message_loss, client_message_delay,
  client_message_duplicate, node_hang, interconnect_one_way, interconnect_loss, interconnect_delay, slow_disk,
  slow_nvram, slow_interconnect, crash_during_recovery, disk_replace, shelf_repair, loop_repair, hba_repair,
  crash_after_reply, power_loss_at_nvram_write,
};
inline constexpr std::size_t fault_kind_count = 34;

// scheduled: happens at at_s. point: armed at at_s, fires the k-th time its
// node reaches the point after that.
enum class FaultTiming : std::uint8_t { scheduled, point };
// The node a fault names: none; required; or optional, left out meaning
// both nodes (power_loss, client_partition).
enum class NodeUse : std::uint8_t { none, required, optional };
// What `target` names.
enum class TargetUse : std::uint8_t { none, disk, shelf, loop, hba, client };
// What a fault may destroy, and so when it stays inside the envelope (never
// both copies of a log entry or of a block destroyed).
enum class Envelope : std::uint8_t {
  inside,        // destroys no copy: inside in any number
  one_plex,      // destroys (part of) one plex: inside with mirrored aggregates, one storage fault at a time
  one_path,      // cuts one storage path: inside as one storage fault at a time
  one_log_copy,  // destroys one node's copy of the log: inside one at a time
};

struct FaultKindInfo {
  FaultKind kind;
  std::string_view name;
  FaultTiming timing;
  NodeUse node;
  TargetUse target;
  Envelope envelope;
  bool needs_duration;  // duration_s must be above 0 (how long a node hangs)
};

inline constexpr std::array<FaultKindInfo, fault_kind_count> fault_kind_table = {{
    {FaultKind::node_crash, "node_crash", FaultTiming::scheduled, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::power_loss, "power_loss", FaultTiming::scheduled, NodeUse::optional, TargetUse::none, Envelope::inside, false},
    {FaultKind::reboot, "reboot", FaultTiming::scheduled, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::interconnect_down, "interconnect_down", FaultTiming::scheduled, NodeUse::none, TargetUse::none, Envelope::inside, false},
    {FaultKind::interconnect_flap, "interconnect_flap", FaultTiming::scheduled, NodeUse::none, TargetUse::none, Envelope::inside, false},
    {FaultKind::torn_mirror_write, "torn_mirror_write", FaultTiming::point, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::crash_at_cp_block, "crash_at_cp_block", FaultTiming::point, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::crash_before_mirror, "crash_before_mirror", FaultTiming::point, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::crash_after_mirror, "crash_after_mirror", FaultTiming::point, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::crash_during_replay, "crash_during_replay", FaultTiming::point, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::disk_fail, "disk_fail", FaultTiming::scheduled, NodeUse::none, TargetUse::disk, Envelope::one_plex, false},
    {FaultKind::shelf_fail, "shelf_fail", FaultTiming::scheduled, NodeUse::none, TargetUse::shelf, Envelope::one_plex, false},
    {FaultKind::loop_fail, "loop_fail", FaultTiming::scheduled, NodeUse::none, TargetUse::loop, Envelope::one_plex, false},
    {FaultKind::hba_fail, "hba_fail", FaultTiming::scheduled, NodeUse::none, TargetUse::hba, Envelope::one_path, false},
    {FaultKind::latent_sector_error, "latent_sector_error", FaultTiming::scheduled, NodeUse::none, TargetUse::disk, Envelope::one_plex, false},
    {FaultKind::nvram_battery_loss, "nvram_battery_loss", FaultTiming::scheduled, NodeUse::required, TargetUse::none, Envelope::one_log_copy, false},
    {FaultKind::client_partition, "client_partition", FaultTiming::scheduled, NodeUse::optional, TargetUse::client, Envelope::inside, false},
    {FaultKind::client_message_loss, "client_message_loss", FaultTiming::scheduled, NodeUse::none, TargetUse::none, Envelope::inside, false},
    {FaultKind::client_message_delay, "client_message_delay", FaultTiming::scheduled, NodeUse::none, TargetUse::none, Envelope::inside, false},
    {FaultKind::client_message_duplicate, "client_message_duplicate", FaultTiming::scheduled, NodeUse::none, TargetUse::none, Envelope::inside, false},
    {FaultKind::node_hang, "node_hang", FaultTiming::scheduled, NodeUse::required, TargetUse::none, Envelope::inside, true},
    {FaultKind::interconnect_one_way, "interconnect_one_way", FaultTiming::scheduled, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::interconnect_loss, "interconnect_loss", FaultTiming::scheduled, NodeUse::none, TargetUse::none, Envelope::inside, false},
    {FaultKind::interconnect_delay, "interconnect_delay", FaultTiming::scheduled, NodeUse::none, TargetUse::none, Envelope::inside, false},
    {FaultKind::slow_disk, "slow_disk", FaultTiming::scheduled, NodeUse::none, TargetUse::disk, Envelope::inside, false},
    {FaultKind::slow_nvram, "slow_nvram", FaultTiming::scheduled, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::slow_interconnect, "slow_interconnect", FaultTiming::scheduled, NodeUse::none, TargetUse::none, Envelope::inside, false},
    {FaultKind::crash_during_recovery, "crash_during_recovery", FaultTiming::point, NodeUse::required, TargetUse::none, Envelope::inside, false},
    // Repairs destroy nothing: a replaced disk comes back blank (what it held
    // was lost when it failed).
    {FaultKind::disk_replace, "disk_replace", FaultTiming::scheduled, NodeUse::none, TargetUse::disk, Envelope::inside, false},
    {FaultKind::shelf_repair, "shelf_repair", FaultTiming::scheduled, NodeUse::none, TargetUse::shelf, Envelope::inside, false},
    {FaultKind::loop_repair, "loop_repair", FaultTiming::scheduled, NodeUse::none, TargetUse::loop, Envelope::inside, false},
    {FaultKind::hba_repair, "hba_repair", FaultTiming::scheduled, NodeUse::none, TargetUse::hba, Envelope::inside, false},
    {FaultKind::crash_after_reply, "crash_after_reply", FaultTiming::point, NodeUse::required, TargetUse::none, Envelope::inside, false},
    {FaultKind::power_loss_at_nvram_write, "power_loss_at_nvram_write", FaultTiming::point, NodeUse::required, TargetUse::none, Envelope::inside, false},
}};

// The table is indexed by kind.
constexpr bool fault_table_in_kind_order() {
  for (std::size_t i = 0; i < fault_kind_table.size(); ++i)
    if (static_cast<std::size_t>(fault_kind_table[i].kind) != i) return false;
  return true;
}
static_assert(fault_table_in_kind_order());

constexpr const FaultKindInfo& kind_info(FaultKind k) { return fault_kind_table[static_cast<std::size_t>(k)]; }
constexpr std::string_view to_string(FaultKind k) { return kind_info(k).name; }

// The repair that undoes a component failure (disk_fail: disk_replace, ...),
// nullopt for a kind no repair undoes; and whether a kind is a repair.
constexpr std::optional<FaultKind> repair_of(FaultKind k) {
  switch (k) {
    case FaultKind::disk_fail: return FaultKind::disk_replace;
    case FaultKind::shelf_fail: return FaultKind::shelf_repair;
    case FaultKind::loop_fail: return FaultKind::loop_repair;
    case FaultKind::hba_fail: return FaultKind::hba_repair;
    default: return std::nullopt;
  }
}
constexpr bool is_repair(FaultKind k) {
  return k == FaultKind::disk_replace || k == FaultKind::shelf_repair || k == FaultKind::loop_repair ||
         k == FaultKind::hba_repair;
}

// The kinds' words for the reader, the writer and the schema.
inline constexpr std::array<Word<FaultKind>, fault_kind_count> fault_kind_words = [] {
  std::array<Word<FaultKind>, fault_kind_count> words{};
  for (std::size_t i = 0; i < fault_kind_count; ++i) words[i] = {fault_kind_table[i].kind, fault_kind_table[i].name};
  return words;
}();
constexpr std::span<const Word<FaultKind>> words_of(FaultKind) { return fault_kind_words; }

}  // namespace failsim::sim
