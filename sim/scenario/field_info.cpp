// The scenario field table: descriptions, units and bounds.
// Defaults are not here: they come from the structs in scenario.hpp.
#include "sim/scenario/field_info.hpp"

#include <map>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim::detail {

namespace {

using Table = std::map<std::string, FieldInfo, std::less<>>;

FieldInfo text(std::string d) { return {.description = std::move(d)}; }
FieldInfo required_text(std::string d) { return {.description = std::move(d), .required = true}; }
FieldInfo at_least(double min, std::string d) { return {.description = std::move(d), .minimum = min}; }
FieldInfo above(double min, std::string d) { return {.description = std::move(d), .exclusive_minimum = min}; }
FieldInfo range(double min, double max, std::string d) {
  return {.description = std::move(d), .minimum = min, .maximum = max};
}

void cluster(Table& t) {
  t["cluster"] = {.description =
                      "The hardware: nodes, their HBAs, the FC loops from HBAs to shelves, the shelves and the "
                      "aggregates on them. Given, it replaces the default cluster as a whole (all five lists are "
                      "then required); left out, the default pair is used: nodes n0 and n1, HBAs n0.a, n0.b, n1.a, "
                      "n1.b, loops loopA (the a HBAs) and loopB (the b HBAs) each reaching shelf0 and shelf1 (pool 0, "
                      "4 disks each), aggr0 on shelf0 owned by n0 and aggr1 on shelf1 owned by n1.",
                  .replaces_default = true};
  t["cluster.nodes"] = {.description = "Node names: exactly two (an HA pair). All names in a cluster are distinct.",
                        .min_items = 2,
                        .max_items = 2,
                        .required = true};
  t["cluster.hbas"] = required_text("Host bus adapters: each belongs to one node.");
  t["cluster.hbas[].name"] = required_text("HBA name, e.g. \"n0.a\".");
  t["cluster.hbas[].node"] = required_text("The node this HBA is in.");
  t["cluster.loops"] = required_text(
      "FC loops: each connects some HBAs to some shelves. Every shelf of an aggregate must be reachable from both "
      "nodes, or takeover would be impossible.");
  t["cluster.loops[].name"] = required_text("Loop name, the target of loop_fail faults.");
  t["cluster.loops[].hbas"] = text("The HBAs on this loop.");
  t["cluster.loops[].shelves"] = text("The shelves on this loop.");
  t["cluster.shelves"] = required_text("Disk shelves.");
  t["cluster.shelves[].name"] = required_text("Shelf name; its disks are named \"<shelf>.d0\", \"<shelf>.d1\", ...");
  t["cluster.shelves[].pool"] = range(0, 1, "SyncMirror pool (0 or 1): the two plexes of a mirrored aggregate use different pools.");
  t["cluster.shelves[].disks"] = range(1, 64, "Number of disks in the shelf.");
  t["cluster.shelves[].spares"] = range(0, 63,
                                        "How many of the shelf's disks (the last ones) are hot spares: in no RAID "
                                        "group, until one takes the place of a lost disk of a plex on this shelf. Fewer "
                                        "than disks.");
  t["cluster.aggregates"] = {.description = "Aggregates: a file system and the shelves it lives on. At least one.",
                             .min_items = 1,
                             .required = true};
  t["cluster.aggregates[].name"] = required_text("Aggregate name.");
  t["cluster.aggregates[].owner"] = required_text("The node that serves this aggregate normally.");
  t["cluster.aggregates[].plexes"] = {
      .description = "Plexes: each a full copy of the aggregate, striped over a list of shelves of one pool. One "
                     "plex, or two in different pools (mirrored). A shelf belongs to at most one aggregate.",
      .min_items = 1,
      .max_items = 2,
      .required = true};
  t["cluster.aggregates[].plexes[]"] = {.description = "A plex: the shelves it stripes over, all in one pool.",
                                        .min_items = 1};
  t["cluster.aggregates[].blocks"] = range(64, 4294967296.0,
                                           "Blocks per plex (of server.block_size bytes); blocks * block_size at "
                                           "most 4 GiB, the memory the simulator may reserve for a plex.");
  t["cluster.aggregates[].raid"] = text("The RAID groups each plex's disks form (spares left out).");
  t["cluster.aggregates[].raid.level"] = text(
      "\"none\" (blocks striped over the disks, no parity: one lost disk loses the plex), \"raid4\" (each group: data "
      "disks and one XOR parity disk; survives one lost disk per group) or \"raid_dp\" (row and diagonal parity, "
      "two parity disks; survives two).");
  t["cluster.aggregates[].raid.group_size"] = range(
      0, 28, "Disks per RAID group, parity included (0: all of a plex's disks in one group). A plex's last group "
             "takes what is left, and every group needs more disks than parity disks.");
  t["cluster.aggregates[].raid.reconstruct_rate_Bps"] = above(
      0, "Bytes per second at which a lost disk is rebuilt from parity onto a spare (or onto the disk replacing it).");
}

void timing(Table& t) {
  t["timing"] = text("How long things take: CPU, links, disks.");
  t["timing.cpu_hz"] = above(0, "CPU speed of each node, in cycles per second.");
  t["timing.op_cycles"] = text("CPU cycles a node spends on each change type.");
  for (const char* op : {"create", "mkdir", "write", "append", "truncate", "rename", "unlink", "rmdir", "setattr"})
    t[std::string("timing.op_cycles.") + op] = text(std::string("CPU cycles per ") + op + " change.");
  t["timing.action_cycles"] = text("CPU cycles a node spends on each of its actions.");
  const std::pair<const char*, const char*> actions[] = {
      {"nvram_write", "starting a local NVRAM write"}, {"mirror_write", "starting a mirror write to the partner"},
      {"reply", "sending a reply"},                    {"cp_block", "each block a consistency point writes"},
      {"replay_entry", "replaying one log entry"},     {"load_block", "each block read while loading an aggregate"},
      {"parity_block", "each parity block a consistency point computes (RAID-4, RAID-DP)"}};
  for (auto [name, what] : actions) t[std::string("timing.action_cycles.") + name] = text(std::string("CPU cycles for ") + what + ".");
  const std::pair<const char*, const char*> links[] = {{"nvram", "A node to its own NVRAM (PCI)."},
                                                       {"interconnect", "A node to its partner's NVRAM (remote write)."},
                                                       {"client_net", "Client to node network."}};
  for (auto [name, what] : links) {
    const std::string p = std::string("timing.") + name;
    t[p] = text(what);
    t[p + ".latency_s"] = at_least(0, "One-way latency, in seconds.");
    t[p + ".bandwidth_Bps"] = above(0, "Bandwidth, in bytes per second.");
  }
  t["timing.disk"] = text("Disk service time: seek + rotational delay + transfer.");
  t["timing.disk.seek_s"] = at_least(0, "Average seek, in seconds; each seek is drawn uniformly from [0, 2 * seek_s].");
  t["timing.disk.rotation_s"] = at_least(0, "One revolution, in seconds; rotational delay is uniform in [0, rotation_s).");
  t["timing.disk.transfer_Bps"] = above(0, "Media transfer rate, in bytes per second.");
  t["timing.loop_bandwidth_Bps"] = above(0, "Bandwidth of an FC loop, shared by its disks, in bytes per second.");
  t["timing.resync_rate_Bps"] = above(0, "SyncMirror resync: bytes per second at which a stale plex of a mirrored "
                                         "aggregate is copied from a complete one, once its disks are usable again, "
                                         "while the aggregate is served. The whole plex is copied (blocks * "
                                         "block_size), so a resync takes that over this rate.");
}

void server(Table& t) {
  t["server"] = text("Settings of the file-server software.");
  t["server.log_mode"] = text("What NVRAM logs per change: \"request\" (the request itself, logical logging) or "
                               "\"block\" (the images of the blocks it modified, physical logging).");
  t["server.ack"] = text("When a change is acknowledged: \"nvram\" once it is logged in NVRAM and mirrored "
                          "(the modelled design), or \"disk\" only after a CP has written it to disk (the "
                          "conventional alternative; a CP then starts whenever changes wait for one).");
  t["server.nvram_half_bytes"] = range(4096, 268435456.0,
                                       "Size of each half of a node's own NVRAM log region, in bytes. Must hold one "
                                       "log entry: block logging needs at least 10 * block_size + 4096. At most "
                                       "256 MiB: the simulator holds all eight halves (two regions per node) in "
                                       "memory.");
  t["server.cp_interval_s"] = above(0, "Seconds between timed consistency points (one also starts when a log half fills).");
  t["server.block_size"] = range(512, 65536, "File-system block size in bytes: a power of two.");
  t["server.heartbeat_interval_s"] = above(0, "Seconds between heartbeats, over the interconnect and in the mailbox blocks.");
  t["server.heartbeat_timeout_s"] =
      above(0, "Seconds without either heartbeat before the partner is declared dead; more than heartbeat_interval_s.");
  t["server.boot_time_s"] = at_least(0, "Seconds from power-on (or reboot) to boot.");
  t["server.giveback"] = text("When a repaired node gets its aggregates back.");
  t["server.giveback.mode"] = text("\"auto\": delay_s seconds after the repaired node is up; \"at\": at time_s "
                                    "seconds into the run; \"never\".");
  t["server.giveback.delay_s"] = at_least(0, "Mode \"auto\": seconds to wait after the repaired node is up.");
  t["server.giveback.time_s"] = at_least(0, "Mode \"at\": the time of the giveback, in seconds from the start of the run.");
}

void workload(Table& t) {
  t["workload"] = text("The clients and the changes they send.");
  // Each client is a SimGrid actor, whose stack and guard page take two memory
  // mappings: beyond about 32,000 Linux's default vm.max_map_count (65530) is
  // reached and the simulation aborts (seen at 100,000).
  t["workload.clients"] = range(1, 30000, "Number of clients (named client1, client2, ...).");
  t["workload.loop"] = text("\"closed\": each client has one request outstanding and thinks think_time_s between "
                             "them; \"open\": Poisson arrivals at rate_per_s per client.");
  t["workload.think_time_s"] = at_least(0, "Closed loop: seconds a client waits between a reply and its next request.");
  t["workload.rate_per_s"] = above(0, "Open loop: requests per second per client.");
  t["workload.ops_per_client"] = range(0, 1e9, "Changes each client sends.");
  t["workload.mix"] = text("Relative weights of the change types (at least one above 0).");
  for (const char* op : {"create", "mkdir", "write", "append", "truncate", "rename", "unlink", "rmdir", "setattr"})
    t[std::string("workload.mix.") + op] = at_least(0, std::string("Relative weight of ") + op + " changes.");
  t["workload.namespace_mode"] = text("\"private\": each client works in a tree of its own (/c<id>/...); "
                                       "\"shared\": all clients in one tree.");
  t["workload.paths"] = text("\"random\": paths drawn from a few names, so many changes fail (a missing parent, a "
                             "name taken); \"valid\": nine changes in ten on paths the client's own earlier changes "
                             "made valid (a new name in a directory it made, a file it made), so they succeed "
                             "and change something; the tenth random.");
  t["workload.aggregates"] = text("Aggregates the clients use, spread round-robin; empty: all aggregates.");
  t["workload.retransmit_timeout_s"] = above(0, "Seconds a client waits for a reply before retransmitting (same xid).");
  t["workload.retry_limit"] = at_least(0, "Retransmissions before a client gives up on a request; 0: retry until answered.");
  t["workload.data_bytes_min"] = range(0, 1048576, "Smallest data payload of a write or append, in bytes.");
  t["workload.data_bytes_max"] = range(0, 1048576, "Largest data payload of a write or append, in bytes; at least data_bytes_min.");
  t["workload.request_bytes"] = text("Bytes of a request on the wire, besides its data.");
  t["workload.warmup_s"] = at_least(0, "Seconds from the start of the run in which clients send nothing. Each client "
                                        "also waits until its aggregate is first served (it mounts it), so no "
                                        "request waits for a node that is still booting.");
}

void faults(Table& t) {
  t["faults"] = {.description = "Faults injected during the fault phase. A time fault happens at at_s; a point fault "
                                "(crash_* kinds, torn_mirror_write, power_loss_at_nvram_write) arms at at_s and fires the k-th time its node "
                                "reaches the point after that. A repair (disk_replace: a failed disk replaced by a "
                                "blank one; shelf_repair, loop_repair, hba_repair) happens at at_s too; the settle "
                                "phase repairs every failed component anyway.",
                 .max_items = 10000};
  t["faults[].kind"] = required_text("What happens.");
  t["faults[].at_s"] = at_least(0, "When, in seconds from the start of the run; at most phases.fault_phase_s.");
  t["faults[].node"] = text(
      "The node hit by a node fault or point fault (required by node_crash, reboot, nvram_battery_loss, "
      "node_hang, torn_mirror_write, crash_*, power_loss_at_nvram_write (the node whose write tears), slow_nvram, "
      "and interconnect_one_way: the node whose sending side "
      "fails); left out for power_loss: both nodes. client_partition: the node the clients are cut off from "
      "(left out: both).");
  t["faults[].target"] = text(
      "The component hit: a disk (\"<shelf>.d<i>\") for disk_fail, disk_replace and latent_sector_error, a shelf, "
      "loop or HBA name for shelf_fail, loop_fail and hba_fail and their repairs (shelf_repair, loop_repair, "
      "hba_repair); \"client<i>\" or \"all\" for client_partition.");
  t["faults[].k"] = at_least(1, "Point faults: fire at the k-th occurrence of the point after at_s.");
  t["faults[].duration_s"] =
      at_least(0, "Flaps, partitions, lossy or slow messages, node_crash, power_loss and power_loss_at_nvram_write: "
                  "how long, in seconds; 0: "
                  "until the settle phase (for crashes: until the settle phase powers the node on). node_hang: how "
                  "long the node's CPU stops (required, > 0).");
  t["faults[].period_s"] = at_least(0, "interconnect_flap: down/up period in seconds (0: 1 s).");
  t["faults[].probability"] = range(0, 1, "client_message_loss, client_message_duplicate and interconnect_loss: "
                                          "probability per message.");
  t["faults[].delay_s"] = at_least(0, "client_message_delay and interconnect_delay: extra delay per message, in seconds.");
  t["faults[].factor"] = at_least(1, "slow_disk, slow_nvram and slow_interconnect: how many times longer each "
                                     "transfer takes (1: no slower).");
  t["faults[].blocks"] = text("latent_sector_error: the block numbers on the target disk that fail to read.");
}

void rest(Table& t) {
  t["name"] = text("Scenario name, used in reports and run folders.");
  t["description"] = text("What the scenario shows, for people.");
  t["seed"] = text("Seed of every random draw in the run: the same scenario and seed give the same run.");
  t["phases"] = text("The run's phases: faults happen in the fault phase; the settle phase follows.");
  t["phases.fault_phase_s"] = at_least(0, "Length of the fault phase, in seconds from the start of the run.");
  t["phases.settle_s"] = at_least(0,
                                  "Length of the settle phase, in seconds: faults end, every recoverable aggregate is "
                                  "served again and the clients finish.");
  t["expect"] = text("What the run must show; the checker holds the run to it.");
  t["expect.max_takeover_s"] = above(0, "Longest allowed takeover, in seconds from the owner ceasing to serve (a crash, or a stop on losing its storage) to another node serving; null: no limit.");
  t["expect.max_outage_s"] = above(0, "Longest allowed outage of any aggregate, in seconds from when its server stops serving it (a crash, a giveback) to when a node serves it again, and an aggregate unserved at the end counts until the end; null: no limit.");
  t["expect.data_loss"] = text("true: both copies of some log entries are destroyed, so losing acknowledged changes is expected.");
  t["expect.lost_aggregates"] = text(
      "Aggregates the faults destroy beyond what RAID and SyncMirror cover (more disks of a RAID group lost than its "
      "parity covers, with no other plex): each must be unserved at the end, and the changes on it, its outages and "
      "its clients' unfinished work are expected damage (shown, not counted); everything else is judged as usual.");
  t["expect.takeover"] = text("true: a takeover must happen; false: it must not; null: either.");
  t["expect.loss_only_acked_after_s"] = at_least(0, "With data_loss: only changes acknowledged from this time (seconds from the start of the run) to the end of the fault phase may be lost; the checker names each acknowledged change lost, and losing one acknowledged earlier, or after the fault phase, is a violation; null: any loss is accepted.");
  t["expect.owner_serves_at_end"] = text("true: every aggregate must be served by its owner at the end of the run; false: not required; null: required when server.giveback.mode is \"auto\".");
  t["expect.split_brain_free"] = text("false: the scenario is outside the envelope and must show split brain (two nodes serving one aggregate, or a write accepted without the reservation), and nothing else may go wrong; true or null: split brain is a violation, as in every run.");
}

const Table& table() {
  static const Table t = [] {
    Table t;
    cluster(t);
    timing(t);
    server(t);
    workload(t);
    faults(t);
    rest(t);
    return t;
  }();
  return t;
}

}  // namespace

const FieldInfo* field_info(std::string_view path) {
  auto it = table().find(path);
  return it == table().end() ? nullptr : &it->second;
}

std::vector<std::string> field_info_paths() {
  std::vector<std::string> paths;
  for (const auto& [path, info] : table()) paths.push_back(path);
  return paths;
}

}  // namespace failsim::sim::detail
