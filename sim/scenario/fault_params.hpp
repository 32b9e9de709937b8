// A fault of a scenario: when, and the parameters of its kind, one struct per
// kind (kinds of the same shape share a template). Every field starts at
// zero or empty: the defaults of scenario files (k 1, probability 1,
// factor 1) are applied where files are read (fault_wire.hpp), so a fault
// built in code states what it means. Which kind a fault is follows from
// its parameters' type, so the two cannot disagree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sim/scenario/fault_kind.hpp"

namespace failsim::sim {

// A node down, hung or cut off one way for duration_s (0: until the settle
// phase). power_loss: no node means both.
template <FaultKind K>
struct NodeOutage {
  static constexpr FaultKind kind = K;
  std::string node;
  double duration_s = 0;
  bool operator==(const NodeOutage&) const = default;
};
using NodeCrash = NodeOutage<FaultKind::node_crash>;
using PowerLoss = NodeOutage<FaultKind::power_loss>;
using NodeHang = NodeOutage<FaultKind::node_hang>;
using InterconnectOneWay = NodeOutage<FaultKind::interconnect_one_way>;

// Something that happens to a node once.
template <FaultKind K>
struct NodeEvent {
  static constexpr FaultKind kind = K;
  std::string node;
  bool operator==(const NodeEvent&) const = default;
};
using Reboot = NodeEvent<FaultKind::reboot>;
using NvramBatteryLoss = NodeEvent<FaultKind::nvram_battery_loss>;

// A crash at the k-th time the node reaches a point after at_s.
// crash_during_recovery: its k-th block write after at_s made while a group
// of it is in its recovery CP (after a takeover's or a boot's replay) or
// its giveback CP, or its giveback starting. crash_during_replay: in the first replay after at_s that
// replays entries, at entry k of its n (n when fewer).
template <FaultKind K>
struct CrashPoint {
  static constexpr FaultKind kind = K;
  std::string node;
  std::uint64_t k = 0;
  bool operator==(const CrashPoint&) const = default;
};
using CrashAtCpBlock = CrashPoint<FaultKind::crash_at_cp_block>;
using CrashBeforeMirror = CrashPoint<FaultKind::crash_before_mirror>;
using CrashAfterMirror = CrashPoint<FaultKind::crash_after_mirror>;
using CrashAfterReply = CrashPoint<FaultKind::crash_after_reply>;
using CrashDuringReplay = CrashPoint<FaultKind::crash_during_replay>;
using CrashDuringRecovery = CrashPoint<FaultKind::crash_during_recovery>;

// A point fault whose effect lasts duration_s.
// torn_mirror_write: the k-th mirror write of the node after at_s is torn;
// the interconnect is then down for duration_s (0: 1 s).
// power_loss_at_nvram_write: both nodes lose power halfway through the
// node's k-th local NVRAM write after at_s, which tears; the power returns
// after duration_s (0: at the settle phase). Each NVRAM keeps its contents
// on its battery, so each node finds a torn entry at the end of the log it
// recovers from.
template <FaultKind K>
struct LastingPoint {
  static constexpr FaultKind kind = K;
  std::string node;
  std::uint64_t k = 0;
  double duration_s = 0;
  bool operator==(const LastingPoint&) const = default;
};
using TornMirrorWrite = LastingPoint<FaultKind::torn_mirror_write>;
using PowerLossAtNvramWrite = LastingPoint<FaultKind::power_loss_at_nvram_write>;

struct InterconnectCut {
  static constexpr FaultKind kind = FaultKind::interconnect_down;
  double duration_s = 0;
  bool operator==(const InterconnectCut&) const = default;
};

// Down for half of each period_s (0: 1 s) for duration_s (0: the fault phase).
struct InterconnectFlap {
  static constexpr FaultKind kind = FaultKind::interconnect_flap;
  double duration_s = 0;
  double period_s = 0;
  bool operator==(const InterconnectFlap&) const = default;
};

// A disk, shelf, loop or HBA, by name, fails for good.
template <FaultKind K>
struct ComponentFail {
  static constexpr FaultKind kind = K;
  std::string target;
  bool operator==(const ComponentFail&) const = default;
};
using DiskFail = ComponentFail<FaultKind::disk_fail>;
using ShelfFail = ComponentFail<FaultKind::shelf_fail>;
using LoopFail = ComponentFail<FaultKind::loop_fail>;
using HbaFail = ComponentFail<FaultKind::hba_fail>;

// A failed disk replaced by a new, blank one, or a shelf, loop or HBA
// repaired, by name: it works again. A repair of something that has not
// failed changes nothing.
template <FaultKind K>
struct ComponentRepair {
  static constexpr FaultKind kind = K;
  std::string target;
  bool operator==(const ComponentRepair&) const = default;
};
using DiskReplace = ComponentRepair<FaultKind::disk_replace>;
using ShelfRepair = ComponentRepair<FaultKind::shelf_repair>;
using LoopRepair = ComponentRepair<FaultKind::loop_repair>;
using HbaRepair = ComponentRepair<FaultKind::hba_repair>;

struct LatentSectorError {
  static constexpr FaultKind kind = FaultKind::latent_sector_error;
  std::string target;                 // the disk
  std::vector<std::uint64_t> blocks;  // its blocks that fail to read
  bool operator==(const LatentSectorError&) const = default;
};

// Clients cut off from a node. node: empty means both; target: a client
// ("client<i>"), or empty or "all" for every client.
struct ClientPartition {
  static constexpr FaultKind kind = FaultKind::client_partition;
  std::string node;
  std::string target;
  double duration_s = 0;
  bool operator==(const ClientPartition&) const = default;
};

// Each message lost (or duplicated) with `probability`.
template <FaultKind K>
struct MessageLoss {
  static constexpr FaultKind kind = K;
  double probability = 0;
  double duration_s = 0;
  bool operator==(const MessageLoss&) const = default;
};
using ClientMessageLoss = MessageLoss<FaultKind::client_message_loss>;
using ClientMessageDuplicate = MessageLoss<FaultKind::client_message_duplicate>;
using InterconnectLoss = MessageLoss<FaultKind::interconnect_loss>;

template <FaultKind K>
struct MessageDelay {
  static constexpr FaultKind kind = K;
  double delay_s = 0;
  double duration_s = 0;
  bool operator==(const MessageDelay&) const = default;
};
using ClientMessageDelay = MessageDelay<FaultKind::client_message_delay>;
using InterconnectDelay = MessageDelay<FaultKind::interconnect_delay>;

// Transfers take `factor` times longer.
struct SlowDisk {
  static constexpr FaultKind kind = FaultKind::slow_disk;
  std::string target;
  double factor = 0;
  double duration_s = 0;
  bool operator==(const SlowDisk&) const = default;
};
struct SlowNvram {
  static constexpr FaultKind kind = FaultKind::slow_nvram;
  std::string node;
  double factor = 0;
  double duration_s = 0;
  bool operator==(const SlowNvram&) const = default;
};
struct SlowInterconnect {
  static constexpr FaultKind kind = FaultKind::slow_interconnect;
  double factor = 0;
  double duration_s = 0;
  bool operator==(const SlowInterconnect&) const = default;
};

// One alternative per kind, in FaultKind order.
using FaultParams =
    std::variant<NodeCrash, PowerLoss, Reboot, InterconnectCut, InterconnectFlap, TornMirrorWrite, CrashAtCpBlock,
                 CrashBeforeMirror, CrashAfterMirror, CrashDuringReplay, DiskFail, ShelfFail, LoopFail, HbaFail,
                 LatentSectorError, NvramBatteryLoss, ClientPartition, ClientMessageLoss, ClientMessageDelay,
                 ClientMessageDuplicate, NodeHang, InterconnectOneWay, InterconnectLoss, InterconnectDelay, SlowDisk,
                 SlowNvram, SlowInterconnect, CrashDuringRecovery, DiskReplace, ShelfRepair, LoopRepair, HbaRepair,
                 CrashAfterReply, PowerLossAtNvramWrite>;

template <std::size_t... I>
constexpr bool params_in_kind_order(std::index_sequence<I...>) {
  return ((static_cast<std::size_t>(std::variant_alternative_t<I, FaultParams>::kind) == I) && ...);
}
static_assert(std::variant_size_v<FaultParams> == fault_kind_count);
static_assert(params_in_kind_order(std::make_index_sequence<fault_kind_count>{}));

struct FaultSpec {
  double at_s = 0;
  FaultParams params;
  FaultKind kind() const { return static_cast<FaultKind>(params.index()); }
  // The parameters, for code that knows the kind (std::bad_variant_access otherwise).
  template <class P>
  const P& get() const { return std::get<P>(params); }
  bool operator==(const FaultSpec&) const = default;
};

// Empty parameters of `kind`.
FaultParams params_of(FaultKind kind);
// A point fault of `kind` (its timing is point) on `node` at its k-th point,
// armed at time 0; its other parameters their defaults.
FaultSpec point_fault(FaultKind kind, const std::string& node, std::uint64_t k);
// The node or target a fault names, "" when its kind takes none or it names none.
std::string_view node_of(const FaultSpec& f);
std::string_view target_of(const FaultSpec& f);

}  // namespace failsim::sim
