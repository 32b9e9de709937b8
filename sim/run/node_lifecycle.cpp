// A node's lifecycle: power on and boot (the core built anew, told what the
// NVRAM's region headers and the reservations on the disks say), and crash
// (what survives, tears and is lost: sim/memory/power_loss.hpp).
#include "sim/memory/power_loss.hpp"
#include "model/nvram_log.hpp"
#include "sim/run/node_driver.hpp"

namespace failsim::sim {

using namespace failsim::model;

void NodeDriver::boot_later(double delay_s) {
  booting_ = true;
  w_.event(me_, EventKind::power_on);
  loop_.at(w_.now() + delay_s, [this] { do_boot(); });
}

void NodeDriver::do_boot() {
  booting_ = false;
  const ServerSpec& ss = w_.scenario.server;
  ServerConfig sc;
  for (const auto& a : w_.scenario.cluster.aggregates)
    (w_.owner.at(a.name) == me_ ? sc.own_aggregates : sc.partner_aggregates).push_back(a.name);
  sc.log_mode = ss.log_mode == NvramLogMode::block ? model::LogMode::block : model::LogMode::request;
  sc.ack_after_disk = ss.ack == AckPoint::disk;
  sc.nvram_half_bytes = ss.nvram_half_bytes;
  sc.cp_interval_ns = static_cast<std::uint64_t>(ss.cp_interval_s * 1e9);
  sc.fs.block_size = ss.block_size;
  sc.mirror_loss_grace_ns =
      static_cast<std::uint64_t>((ss.heartbeat_timeout_s + 2 * ss.heartbeat_interval_s) * 1e9);
  if (!sc.own_aggregates.empty())
    sc.fs.block_count = w_.store.aggregates().at(sc.own_aggregates[0]).blocks;
  server_ = std::make_unique<Server>(sc);
  loop_.next_incarnation();
  // The mailbox tells a booting node whether its partner took over its
  // aggregates (it holds their reservations): then its NVRAM is stale.
  // (The aggregates were formatted before time 0: every boot recovers.)
  BootMode mode = BootMode::recover;
  bool holds_partner_aggregates = false;
  for (const auto& a : sc.own_aggregates) {
    const std::string* h = w_.store.holder(a);
    if (h && *h == w_.node_name(partner_)) mode = BootMode::after_takeover;
  }
  for (const auto& a : sc.partner_aggregates) {
    const std::string* h = w_.store.holder(a);
    if (h && *h == w_.node_name(me_)) holds_partner_aggregates = true;
  }
  // Booted after a takeover: the partner held our aggregates then. If it
  // is later seen neither holding nor reserving them, with no giveback, it
  // gave the takeover up, however soon after our boot it did.
  saw_partner_hold_ = mode == BootMode::after_takeover;
  ic_believed_up_ = true;
  last_ic_heartbeat_s_ = w_.now();
  partner_declared_dead_ = false;
  request_.reset();
  refused_seq_ = 0;
  partner_request_seen_ = 0;
  partner_state_heard_s_ = -1;
  partner_in_sync_told_ = false;
  w_.event(me_, EventKind::boot, {{"mode", mode == BootMode::recover ? "recover" : "after_takeover"}});
  // The NVRAM's region headers, read from the card: whether its contents survived.
  Boot boot{mode, {}, {}, holds_partner_aggregates, !w_.nvram_battery_dead[me_]};
  const std::uint64_t header_at = region_header_offset(ss.nvram_half_bytes);
  for (int r = 0; r < 2; ++r) {
    const NvramRegion& region = w_.nvram[me_][r];
    (r == 0 ? boot.own_header : boot.mirror_header).assign(region.begin() + header_at, region.end());
  }
  submit(std::move(boot));
  heartbeat();
}

void NodeDriver::crash(const std::string& why) {
  if (!up() && !booting_) return;
  w_.event(me_, EventKind::crash, {{"cause", why}});
  lose_devices();
  for (const auto& a : w_.scenario.cluster.aggregates) w_.fsck(a.name, "crash");
  for (NvramRegion& region : w_.nvram[me_])
    power_loss::nvram_at_power_loss({region.begin(), region.size()}, !w_.nvram_battery_dead[me_]);
  // The node's memory: its core, its timers, the events and completions it awaited.
  loop_.drop_all();
  cpu_.lose_power();
  server_.reset();
  booting_ = false;
  giveback_scheduled_ = false;
  loop_.next_incarnation();
  for (auto it = w_.service.begin(); it != w_.service.end();)
    it = it->second == me_ ? w_.service.erase(it) : std::next(it);
  update_resyncs(w_);  // a resync this node ran is abandoned
}

void NodeDriver::lose_devices() {
  // An NVRAM write tears where its transfer had got to.
  auto tear_nvram = [this](NvramWrite& w) {
    const double progress = power_loss::progress(w.started_s, w.expected_s, w_.now());
    land(w, power_loss::landed_bytes(progress, nvram_.bytes_of(w)));
  };
  nvram_.lose_power(tear_nvram);
  mirror_.lose_power(tear_nvram);
  // A block write too; one just started tears at a drawn point.
  auto tear_block = [this](DiskRequest& r) {
    if (!r.parity_disk.empty()) return;  // its parity moved with the data block
    double progress = power_loss::progress(r.started_s, r.expected_s, w_.now());
    if (progress == 0) progress = std::uniform_real_distribution<double>(0, 1)(rng_);
    w_.store.write_plex(w_.node_name(me_), r.aggregate, r.plex, r.bno, *r.bytes,
                        power_loss::landed_bytes(progress, r.bytes->size()));
  };
  for (auto& [disk, queue] : disks_) queue.lose_power(tear_block);
  batches_.clear();
}

}  // namespace failsim::sim
