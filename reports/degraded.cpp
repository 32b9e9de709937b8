// RAID groups through a run (storage.hpp, trace_raid_groups): which disks
// each group misses when, hence its degraded windows.
//
// A disk goes missing when a disk_fail fault or raid_disk_failed names it,
// or when a shelf_fail fault takes its shelf (until that shelf's repair).
// It is back when a rebuild for it finishes ok (onto a spare, which then
// holds its place in the group, or onto its replacement); in a plex without
// parity, nothing rebuilds, and a replaced disk is back at its repair (the
// plex's SyncMirror resync, a separate record, then fills it). Path faults
// (loops, HBAs) are not counted: a path is not a disk, and the other path
// usually still reaches it.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "reports/storage.hpp"
#include "reports/storage_layout.hpp"

namespace failsim::reports {

namespace {

using runfolder::EventKind;
using GroupKey = std::tuple<std::string, std::uint64_t, std::uint64_t>;

class Tracker {
 public:
  explicit Tracker(const RunData& run) : layout_(read_storage_layout(run)), slot_(layout_.slots) {}

  void on(const runfolder::Event& e) {
    if (const auto* f = e.get<runfolder::FaultNote>()) return on_fault(e, *f);
    const auto* w = e.get<runfolder::RaidWork>();
    if (!w) return;
    if (e.kind == EventKind::raid_disk_failed) lose_for_good(w->disk, e.time_s);
    if (e.kind == EventKind::raid_rebuild_started) {
      auto it = slot_.find(w->disk);
      out_.rebuild_group.push_back(it == slot_.end() ? std::nullopt : std::optional(it->second.group));
      if (it != slot_.end() && w->onto != w->disk) slot_[w->onto] = it->second;
    }
    if (e.kind == EventKind::raid_rebuild_finished) {
      if (w->ok) restore(w->disk, e.time_s);
      // Whichever disk did not end up holding the group's data leaves the group.
      if (w->onto != w->disk) slot_.erase(w->ok ? w->disk : w->onto);
    }
  }

  RaidGroupHistory finish(double run_end_s) {
    for (const auto& [key, i] : open_) out_.windows[i].end_s = run_end_s;
    std::stable_sort(out_.windows.begin(), out_.windows.end(),
                     [](const DegradedWindow& a, const DegradedWindow& b) { return a.start_s < b.start_s; });
    return std::move(out_);
  }

 private:
  void on_fault(const runfolder::Event& e, const runfolder::FaultNote& f) {
    if (e.kind == EventKind::fault && f.fault == "disk_fail") lose_for_good(f.target, e.time_s);
    if (e.kind == EventKind::fault && f.fault == "shelf_fail") {
      auto shelf = layout_.shelf_disks.find(f.target);
      if (shelf == layout_.shelf_disks.end()) return;
      for (const std::string& d : shelf->second)
        if (lose(d, e.time_s)) shelf_took_[f.target].insert(d);
    }
    if (e.kind != EventKind::repair) return;
    if (auto taken = shelf_took_.find(f.target); taken != shelf_took_.end()) {
      for (const std::string& d : taken->second) restore(d, e.time_s);
      shelf_took_.erase(taken);
    }
    // A replaced disk without parity to rebuild it from is in use again.
    auto s = slot_.find(f.target);
    if (s != slot_.end() && layout_.parity_disks[s->second.aggregate] == 0) restore(f.target, e.time_s);
  }

  // A disk that lost its bytes: a shelf's repair does not bring it back.
  void lose_for_good(const std::string& disk, double t) {
    for (auto& [shelf, disks] : shelf_took_) disks.erase(disk);
    lose(disk, t);
  }

  // False when the disk is in no group, or already missing.
  bool lose(const std::string& disk, double t) {
    auto s = slot_.find(disk);
    if (s == slot_.end()) return false;  // a spare, or a disk the scenario does not place
    const GroupKey key{s->second.aggregate, s->second.plex, s->second.group};
    std::vector<std::string>& gone = missing_[key];
    if (std::find(gone.begin(), gone.end(), disk) != gone.end()) return false;
    gone.push_back(disk);
    auto [it, opened] = open_.try_emplace(key, out_.windows.size());
    if (opened) {
      DegradedWindow w;
      w.aggregate = s->second.aggregate;
      w.plex = s->second.plex;
      w.group = s->second.group;
      w.start_s = t;
      w.parity_disks = layout_.parity_disks[w.aggregate];
      out_.windows.push_back(std::move(w));
    }
    DegradedWindow& w = out_.windows[it->second];
    if (std::find(w.disks.begin(), w.disks.end(), disk) == w.disks.end()) w.disks.push_back(disk);
    w.max_missing_disks = std::max<std::uint64_t>(w.max_missing_disks, gone.size());
    return true;
  }

  void restore(const std::string& disk, double t) {
    auto s = slot_.find(disk);
    if (s == slot_.end()) return;
    const GroupKey key{s->second.aggregate, s->second.plex, s->second.group};
    std::vector<std::string>& gone = missing_[key];
    std::erase(gone, disk);
    auto it = open_.find(key);
    if (!gone.empty() || it == open_.end()) return;
    out_.windows[it->second].end_s = t;
    out_.windows[it->second].restored = true;
    open_.erase(it);
  }

  StorageLayout layout_;
  std::map<std::string, DiskSlot> slot_;  // where each disk serves now (a spare takes its disk's place)
  std::map<GroupKey, std::vector<std::string>> missing_;
  std::map<GroupKey, std::size_t> open_;  // a group's window still open: its index in out_.windows
  std::map<std::string, std::set<std::string>> shelf_took_;  // per failed shelf: the disks it made missing
  RaidGroupHistory out_;
};

}  // namespace

RaidGroupHistory trace_raid_groups(const RunData& run) {
  Tracker t(run);
  for (const runfolder::Event& e : run.events) t.on(e);
  return t.finish(run.end_s());
}

}  // namespace failsim::reports
