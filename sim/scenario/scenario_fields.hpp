// The field list of every scenario section, written once: the JSON reader,
// the JSON writer and the JSON Schema all walk these visitors, so a field
// cannot be read under one name and written or documented under another.
// Keys are the struct fields' names. A visitor has operator()(key, field),
// object(key, struct, visit), array(key, vector, visit), and
// wire_array(key, vector, visit) for items kept in one form and written in
// another (faults: FaultSpec inside, FaultWire in files).
#pragma once

#include "sim/scenario/fault_wire.hpp"
#include "sim/scenario/scenario.hpp"

namespace failsim::sim::fields {

#define FAILSIM_VISIT(fn) [](auto& v, auto& x) { fn(v, x); }

template <class V> void link(V& v, LinkTiming& l) {
  v("latency_s", l.latency_s);
  v("bandwidth_Bps", l.bandwidth_Bps);
}
template <class V> void disk(V& v, DiskTiming& d) {
  v("seek_s", d.seek_s);
  v("rotation_s", d.rotation_s);
  v("transfer_Bps", d.transfer_Bps);
}
template <class V> void op_cycles(V& v, OpCycles& c) {
  v("create", c.create), v("mkdir", c.mkdir), v("write", c.write), v("append", c.append);
  v("truncate", c.truncate), v("rename", c.rename), v("unlink", c.unlink), v("rmdir", c.rmdir);
  v("setattr", c.setattr);
}
template <class V> void action_cycles(V& v, ActionCycles& c) {
  v("nvram_write", c.nvram_write), v("mirror_write", c.mirror_write), v("reply", c.reply);
  v("cp_block", c.cp_block), v("replay_entry", c.replay_entry), v("load_block", c.load_block);
  v("parity_block", c.parity_block);
}
template <class V> void timing(V& v, TimingSpec& t) {
  v("cpu_hz", t.cpu_hz);
  v.object("op_cycles", t.op_cycles, FAILSIM_VISIT(op_cycles));
  v.object("action_cycles", t.action_cycles, FAILSIM_VISIT(action_cycles));
  v.object("nvram", t.nvram, FAILSIM_VISIT(link));
  v.object("interconnect", t.interconnect, FAILSIM_VISIT(link));
  v.object("client_net", t.client_net, FAILSIM_VISIT(link));
  v.object("disk", t.disk, FAILSIM_VISIT(disk));
  v("loop_bandwidth_Bps", t.loop_bandwidth_Bps);
  v("resync_rate_Bps", t.resync_rate_Bps);
}

template <class V> void hba(V& v, HbaSpec& h) { v("name", h.name), v("node", h.node); }
template <class V> void loop(V& v, LoopSpec& l) { v("name", l.name), v("hbas", l.hbas), v("shelves", l.shelves); }
template <class V> void shelf(V& v, ShelfSpec& s) {
  v("name", s.name), v("pool", s.pool), v("disks", s.disks), v("spares", s.spares);
}
template <class V> void raid(V& v, RaidSpec& r) {
  v("level", r.level), v("group_size", r.group_size), v("reconstruct_rate_Bps", r.reconstruct_rate_Bps);
}
template <class V> void aggregate(V& v, AggregateSpec& a) {
  v("name", a.name), v("owner", a.owner), v("plexes", a.plexes), v("blocks", a.blocks);
  v.object("raid", a.raid, FAILSIM_VISIT(raid));
}
template <class V> void cluster(V& v, ClusterSpec& c) {
  v("nodes", c.nodes);
  v.array("hbas", c.hbas, FAILSIM_VISIT(hba));
  v.array("loops", c.loops, FAILSIM_VISIT(loop));
  v.array("shelves", c.shelves, FAILSIM_VISIT(shelf));
  v.array("aggregates", c.aggregates, FAILSIM_VISIT(aggregate));
}

template <class V> void giveback(V& v, GivebackSpec& g) { v("mode", g.mode), v("delay_s", g.delay_s), v("time_s", g.time_s); }
template <class V> void server(V& v, ServerSpec& s) {
  v("log_mode", s.log_mode), v("ack", s.ack), v("nvram_half_bytes", s.nvram_half_bytes), v("cp_interval_s", s.cp_interval_s);
  v("block_size", s.block_size), v("heartbeat_interval_s", s.heartbeat_interval_s);
  v("heartbeat_timeout_s", s.heartbeat_timeout_s), v("boot_time_s", s.boot_time_s);
  v.object("giveback", s.giveback, FAILSIM_VISIT(giveback));
}

template <class V> void mix(V& v, OpMix& m) {
  v("create", m.create), v("mkdir", m.mkdir), v("write", m.write), v("append", m.append);
  v("truncate", m.truncate), v("rename", m.rename), v("unlink", m.unlink), v("rmdir", m.rmdir);
  v("setattr", m.setattr);
}
template <class V> void workload(V& v, WorkloadSpec& w) {
  v("clients", w.clients), v("loop", w.loop), v("think_time_s", w.think_time_s), v("rate_per_s", w.rate_per_s);
  v("ops_per_client", w.ops_per_client);
  v.object("mix", w.mix, FAILSIM_VISIT(mix));
  v("namespace_mode", w.namespace_mode), v("paths", w.paths), v("aggregates", w.aggregates);
  v("retransmit_timeout_s", w.retransmit_timeout_s), v("retry_limit", w.retry_limit);
  v("data_bytes_min", w.data_bytes_min), v("data_bytes_max", w.data_bytes_max), v("request_bytes", w.request_bytes);
  v("warmup_s", w.warmup_s);
}

// A fault as files write it (fault_wire.hpp): every key of every kind.
template <class V> void fault(V& v, FaultWire& f) {
  v("kind", f.kind), v("at_s", f.at_s), v("node", f.node), v("target", f.target), v("k", f.k);
  v("duration_s", f.duration_s), v("period_s", f.period_s), v("probability", f.probability);
  v("delay_s", f.delay_s), v("factor", f.factor), v("blocks", f.blocks);
}
// The parameters each kind takes, under their keys in the flat form.
template <class V, FaultKind K> void params(V& v, NodeOutage<K>& p) { v("node", p.node), v("duration_s", p.duration_s); }
template <class V, FaultKind K> void params(V& v, NodeEvent<K>& p) { v("node", p.node); }
template <class V, FaultKind K> void params(V& v, CrashPoint<K>& p) { v("node", p.node), v("k", p.k); }
template <class V, FaultKind K> void params(V& v, LastingPoint<K>& p) {
  v("node", p.node), v("k", p.k), v("duration_s", p.duration_s);
}
template <class V> void params(V& v, InterconnectCut& p) { v("duration_s", p.duration_s); }
template <class V> void params(V& v, InterconnectFlap& p) { v("duration_s", p.duration_s), v("period_s", p.period_s); }
template <class V, FaultKind K> void params(V& v, ComponentFail<K>& p) { v("target", p.target); }
template <class V, FaultKind K> void params(V& v, ComponentRepair<K>& p) { v("target", p.target); }
template <class V> void params(V& v, LatentSectorError& p) { v("target", p.target), v("blocks", p.blocks); }
template <class V> void params(V& v, ClientPartition& p) {
  v("node", p.node), v("target", p.target), v("duration_s", p.duration_s);
}
template <class V, FaultKind K> void params(V& v, MessageLoss<K>& p) {
  v("probability", p.probability), v("duration_s", p.duration_s);
}
template <class V, FaultKind K> void params(V& v, MessageDelay<K>& p) { v("delay_s", p.delay_s), v("duration_s", p.duration_s); }
template <class V> void params(V& v, SlowDisk& p) { v("target", p.target), v("factor", p.factor), v("duration_s", p.duration_s); }
template <class V> void params(V& v, SlowNvram& p) { v("node", p.node), v("factor", p.factor), v("duration_s", p.duration_s); }
template <class V> void params(V& v, SlowInterconnect& p) { v("factor", p.factor), v("duration_s", p.duration_s); }

template <class V> void phases(V& v, PhasesSpec& p) { v("fault_phase_s", p.fault_phase_s), v("settle_s", p.settle_s); }
template <class V> void expect(V& v, ExpectSpec& e) {
  v("max_takeover_s", e.max_takeover_s), v("max_outage_s", e.max_outage_s), v("data_loss", e.data_loss);
  v("takeover", e.takeover);
  v("split_brain_free", e.split_brain_free);
  v("loss_only_acked_after_s", e.loss_only_acked_after_s);
  v("owner_serves_at_end", e.owner_serves_at_end);
  v("lost_aggregates", e.lost_aggregates);
}

template <class V> void scenario(V& v, Scenario& s) {
  v("name", s.name), v("description", s.description), v("seed", s.seed);
  v.object("cluster", s.cluster, FAILSIM_VISIT(cluster));
  v.object("timing", s.timing, FAILSIM_VISIT(timing));
  v.object("server", s.server, FAILSIM_VISIT(server));
  v.object("workload", s.workload, FAILSIM_VISIT(workload));
  // Read and written in the flat form, converted at the boundary.
  v.wire_array("faults", s.faults, FAILSIM_VISIT(fault));
  v.object("phases", s.phases, FAILSIM_VISIT(phases));
  v.object("expect", s.expect, FAILSIM_VISIT(expect));
}

#undef FAILSIM_VISIT

}  // namespace failsim::sim::fields
