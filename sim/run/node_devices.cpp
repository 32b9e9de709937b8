// What the node makes of its devices' completions: NVRAM and mirror writes
// landing (or tearing, a point fault), disk writes counted into their batch
// and the batch's end told to the core.
#include "sim/memory/power_loss.hpp"
#include "sim/run/node_driver.hpp"

namespace failsim::sim {

using namespace failsim::model;

void NodeDriver::land(NvramWrite& w, std::size_t keep) {
  NvramRegion& region = w_.nvram[w.target_node][static_cast<int>(w.region)];
  const std::span<std::uint8_t> medium(region.begin(), region.size());
  if (w.resync) {
    const NvramRegion& own = w_.nvram[me_][0];
    power_loss::land(medium, 0, std::span<const std::uint8_t>(own.begin(), own.size()), keep);
    return;
  }
  power_loss::land(medium, w.offset, w.bytes, keep);
}

void NodeDriver::nvram_written(NvramWrite& w) {
  if (!w.failed) land(w, SIZE_MAX);
  submit(NvramWritten{w.token});
}

void NodeDriver::mirror_written(NvramWrite& w) {
  // The partner's NVRAM takes no mirror writes once it has taken our
  // aggregates over: the region is its takeover log now.
  const bool ok = !w.failed && w_.interconnect_up && w_.interconnect_from_up[me_] &&
                  w_.nodes[partner_]->accepts_mirror_writes();
  const bool torn = ok && !w.resync && faults_.torn_mirror_write();
  if (ok) land(w, torn ? std::uniform_int_distribution<std::size_t>(0, w.bytes.size())(rng_) : SIZE_MAX);
  submit(MirrorWritten{w.token, ok && !torn});
  // A torn mirror write is the interconnect failing in the middle of it
  // (its `fault` event was written when it fired).
  if (torn) {
    const double cut_s = faults_.duration_s(FaultKind::torn_mirror_write);
    w_.cut_interconnect(cut_s > 0 ? cut_s : 1.0);
  }
}

void NodeDriver::disk_submit(DiskRequest r) {
  // A node that is down issues nothing: the rest of a batch whose first
  // request crashed the node (crash_at_cp_block) never goes out. Queued, it
  // would hold the partner's requests to the disk behind it (disk_arm.hpp).
  if (!up()) return;
  const std::string& disk = r.parity_disk.empty() ? w_.store.disk_of(r.aggregate, r.plex, r.bno) : r.parity_disk;
  auto it = disks_.find(disk);
  if (it == disks_.end()) it = disks_.try_emplace(disk, w_, loop_, me_, disk, disk_hooks_).first;
  it->second.submit(std::move(r));
}

bool NodeDriver::crash_at_cp_block(DiskRequest& r) {
  // Recovery: the CP that makes a takeover's (or a boot's) replay durable,
  // or the final CP of a giveback.
  auto recovering = [](const Server::GroupView& g) {
    return g.state == GroupState::recovery_cp || g.state == GroupState::giving_back;
  };
  const bool in_recovery = up() && (recovering(server_->own_group()) || recovering(server_->takeover_group()));
  const char* cause = nullptr;
  if (in_recovery && faults_.crash_during_recovery())
    cause = "crash_during_recovery";
  else if (faults_.crash_at_cp_block())
    cause = "crash_at_cp_block";
  if (!cause) return false;
  // The write has just started: it tears at a drawn point (lose_devices).
  r.started_s = w_.now();
  r.expected_s = 1;
  crash(cause);
  return true;
}

void NodeDriver::disk_ended(const std::string& disk, DiskRequest& r, bool transferred, double busy_s) {
  if (transferred) {
    disk_usage_.busy_s[disk] += busy_s;
    ++disk_usage_.writes[disk];
  }
  auto it = batches_.find(r.batch);
  if (it == batches_.end()) return;
  Batch& b = it->second;
  if (!r.parity_disk.empty()) {
    if (--b.pending == 0) end_batch(it);
    return;
  }
  // Unreachable (not transferred): the store marks the plex stale.
  auto result = w_.store.write_plex(w_.node_name(me_), r.aggregate, r.plex, r.bno, *r.bytes);
  if (result == BlockStore::WriteResult::rejected) {
    b.ok = false;
    w_.event(me_, EventKind::reservation_rejection, {{"aggregate", r.aggregate}, {"block", r.bno}});
  } else if (result == BlockStore::WriteResult::ok) {
    b.wrote_somewhere = true;
  } else if (!w_.store.stale(r.aggregate, r.plex)) {
    b.missed = true;  // a hole in a plex that stays in use
  }
  for (const std::string& lost : w_.store.take_lost_disks()) w_.raid_disk_lost(lost);
  if (--b.pending == 0) end_batch(it);
}

void NodeDriver::end_batch(std::map<std::uint64_t, Batch>::iterator it) {
  Batch& b = it->second;
  Token token = b.token;
  // A plex in use that missed a block does not hold the batch (a plex that
  // went stale for it is out of use, and the others hold it).
  bool ok = b.ok && b.wrote_somewhere && !b.missed;
  bool rejected = !b.ok;
  std::string fsck_aggregate = b.fsck_aggregate;
  batches_.erase(it);
  if (!fsck_aggregate.empty()) w_.fsck(fsck_aggregate, "cp");
  submit(BlocksWritten{token, ok, rejected});
}

}  // namespace failsim::sim
