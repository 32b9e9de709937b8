// Events.jsonl lines to typed records and back: one table of which payload
// each kind carries, one reader and one writer of each payload's fields.
#include "event.hpp"

#include <limits>

#include <nlohmann/json.hpp>

#include "runfolder/format_error.hpp"
#include "runfolder/json_text.hpp"

namespace failsim::runfolder {

using nlohmann::json;

namespace {

// Figures the report page shows as int: a larger value is refused, never
// shown as something else.
constexpr std::uint64_t max_int_figure = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
constexpr std::uint64_t max_count = std::numeric_limits<std::uint64_t>::max();

[[noreturn]] void bad(const std::string& field, const std::string& want, const json& v) {
  throw FormatError(field + ": expected " + want + ", found " + clip_json(v));
}

// The fields of one line, each read with its type; a missing one reads as
// zero or empty.
class Fields {
 public:
  explicit Fields(const json& j) : j_(j) {}
  std::string text(const char* key) const {
    const json* v = find(key);
    if (!v) return {};
    if (!v->is_string()) bad(key, "a string", *v);
    return v->get<std::string>();
  }
  double number(const char* key) const {
    const json* v = find(key);
    if (!v) return 0;
    if (!v->is_number()) bad(key, "a number", *v);
    return v->get<double>();
  }
  std::uint64_t count(const char* key, std::uint64_t max = max_count) const {
    const json* v = find(key);
    if (!v) return 0;
    if (!v->is_number_unsigned() || v->get<std::uint64_t>() > max)
      bad(key, "an integer from 0 to " + std::to_string(max), *v);
    return v->get<std::uint64_t>();
  }
  bool has(const char* key) const { return find(key) != nullptr; }
  bool flag(const char* key) const {
    const json* v = find(key);
    if (!v) return false;
    if (!v->is_boolean()) bad(key, "true or false", *v);
    return v->get<bool>();
  }
  std::vector<std::string> texts(const char* key) const {
    const json* v = find(key);
    std::vector<std::string> out;
    if (!v) return out;
    if (!v->is_array()) bad(key, "an array", *v);
    for (const json& x : *v) {
      if (!x.is_string()) bad(std::string(key) + "[]", "a string", x);
      out.push_back(x.get<std::string>());
    }
    return out;
  }
  std::vector<bool> flags(const char* key) const {
    const json* v = find(key);
    std::vector<bool> out;
    if (!v) return out;
    if (!v->is_array()) bad(key, "an array", *v);
    for (const json& x : *v) {
      if (!x.is_boolean()) bad(std::string(key) + "[]", "true or false", x);
      out.push_back(x.get<bool>());
    }
    return out;
  }
  template <class T>
  std::map<std::string, T> table(const char* key, bool (json::*is)() const noexcept, const char* want) const {
    const json* v = find(key);
    std::map<std::string, T> out;
    if (!v) return out;
    if (!v->is_object()) bad(key, "an object", *v);
    for (const auto& [name, x] : v->items()) {
      if (!(x.*is)()) bad(std::string(key) + "." + name, want, x);
      out.emplace(name, x.template get<T>());
    }
    return out;
  }

 private:
  const json* find(const char* key) const {
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  const json& j_;
};

// Reading each payload's fields.
struct Decode {
  const Fields& f;
  void operator()(NoFields&) const {}
  void operator()(Crash& p) const { p.cause = f.text("cause"); }
  void operator()(Boot& p) const {
    const std::string mode = f.text("mode");
    if (mode == "after_takeover") p.mode = BootMode::after_takeover;
    else if (mode == "recover" || mode.empty()) p.mode = BootMode::recover;
    else bad("mode", "recover or after_takeover", json(mode));
  }
  void operator()(Resume& p) const { p.hung_s = f.number("hung_s"); }
  void operator()(OnAggregate& p) const { p.aggregate = f.text("aggregate"); }
  void operator()(AggregateLoaded& p) const {
    p.aggregate = f.text("aggregate");
    p.blocks_read = f.count("blocks_read", max_int_figure);
    p.load_s = f.number("load_s");
  }
  void operator()(SuperblockWrite& p) const {
    p.aggregate = f.text("aggregate");
    p.copy = f.count("copy");
  }
  void operator()(ReservationRejection& p) const {
    p.aggregate = f.text("aggregate");
    p.block = f.count("block");
  }
  void operator()(PartnerDeclaredDead& p) const { p.partner = f.text("partner"); }
  void operator()(HeartbeatMissed& p) const { p.via = f.text("via"); }
  void operator()(Sample& p) const {
    p.at = f.text("at");
    p.disk_busy_s = f.table<double>("disk_busy_s", &json::is_number, "a number");
    p.disk_writes = f.table<std::uint64_t>("disk_writes", &json::is_number_unsigned, "an integer from 0");
    p.log_half_bytes = f.count("log_half_bytes");
    p.mirror_busy_s = f.number("mirror_busy_s");
    p.mirror_write_bytes = f.count("mirror_write_bytes");
    p.nvram_busy_s = f.number("nvram_busy_s");
    p.nvram_write_bytes = f.count("nvram_write_bytes");
    p.own_log_bytes = f.count("own_log_bytes");
    p.takeover_log_bytes = f.count("takeover_log_bytes");
  }
  void operator()(Note& p) const { note(p); }
  void operator()(CpStarted& p) const {
    note(p);
    p.blocks = f.count("blocks", max_int_figure);
    p.max_lsn = f.count("max_lsn");
  }
  void operator()(CpFinished& p) const {
    note(p);
    p.generation = f.count("generation", max_int_figure);
    p.max_lsn = f.count("max_lsn");
  }
  void operator()(Replayed& p) const {
    note(p);
    p.replayed = f.count("replayed", max_int_figure);
    p.skipped = f.count("skipped", max_int_figure);
  }
  void operator()(ReplayMismatch& p) const {
    note(p);
    p.lsn = f.count("lsn");
  }
  void operator()(RequestTooLarge& p) const {
    note(p);
    p.entry_bytes = f.count("entry_bytes");
    p.half_bytes = f.count("half_bytes");
  }
  void operator()(FaultNote& p) const {
    p.fault = f.text("fault");
    p.target = f.text("target");
    p.target_node = f.text("target_node");
    p.entry = f.count("entry");
    p.of = f.count("of");
  }
  void operator()(Fsck& p) const {
    p.after = f.text("after");
    p.aggregate = f.text("aggregate");
    p.generation = f.count("generation", max_int_figure);
    p.ok = f.flag("ok");
    p.plex = f.count("plex");
    p.problems = f.texts("problems");
  }
  void operator()(RaidWork& p) const {
    p.aggregate = f.text("aggregate");
    p.disk = f.text("disk");
    p.onto = f.text("onto");
    p.cause = f.text("cause");
    p.plex = f.count("plex");
    if (f.has("group")) p.group = f.count("group");
    p.bytes = f.count("bytes", max_int_figure);
    p.mismatched_stripes = f.count("mismatched_stripes", max_int_figure);
    p.unverified_stripes = f.count("unverified_stripes", max_int_figure);
    p.expected_s = f.number("expected_s");
    p.duration_s = f.number("duration_s");
    p.ok = f.flag("ok");
  }
  void operator()(End& p) const {
    p.clients_done = f.flag("clients_done");
    p.served_by_owners = f.flag("served_by_owners");
  }
  void operator()(FinalCp& p) const {
    p.aggregate = f.text("aggregate");
    p.flushed = f.flag("flushed");
    p.generation = f.count("generation");
  }
  void operator()(Resync& p) const {
    p.aggregate = f.text("aggregate");
    p.bytes = f.count("bytes");
    p.differing_blocks = f.count("differing_blocks");
    p.duration_s = f.number("duration_s");
    p.expected_duration_s = f.number("expected_duration_s");
    p.from_plex = f.count("from_plex");
    p.plex = f.count("plex");
  }
  void operator()(PlexState& p) const {
    p.aggregate = f.text("aggregate");
    p.differing_blocks = f.count("differing_blocks");
    p.failed_components = f.count("failed_components");
    p.stale = f.flags("stale");
  }
  template <class N>
  void note(N& p) const {
    p.aggregate = f.text("aggregate");
    p.text = f.text("text");
  }
};

// Writing each payload's fields, with the simulator's number types.
struct Encode {
  json& out;
  void operator()(const NoFields&) const {}
  void operator()(const Crash& p) const { out["cause"] = p.cause; }
  void operator()(const Boot& p) const {
    out["mode"] = p.mode == BootMode::after_takeover ? "after_takeover" : "recover";
  }
  void operator()(const Resume& p) const { out["hung_s"] = p.hung_s; }
  void operator()(const OnAggregate& p) const { out["aggregate"] = p.aggregate; }
  void operator()(const AggregateLoaded& p) const {
    out["aggregate"] = p.aggregate;
    out["blocks_read"] = p.blocks_read;
    out["load_s"] = p.load_s;
  }
  void operator()(const SuperblockWrite& p) const {
    out["aggregate"] = p.aggregate;
    out["copy"] = p.copy;
  }
  void operator()(const ReservationRejection& p) const {
    out["aggregate"] = p.aggregate;
    out["block"] = p.block;
  }
  void operator()(const PartnerDeclaredDead& p) const { out["partner"] = p.partner; }
  void operator()(const HeartbeatMissed& p) const { out["via"] = p.via; }
  void operator()(const Sample& p) const {
    out["at"] = p.at;
    out["disk_busy_s"] = p.disk_busy_s;
    out["disk_writes"] = p.disk_writes;
    out["log_half_bytes"] = p.log_half_bytes;
    out["mirror_busy_s"] = p.mirror_busy_s;
    out["mirror_write_bytes"] = p.mirror_write_bytes;
    out["nvram_busy_s"] = p.nvram_busy_s;
    out["nvram_write_bytes"] = p.nvram_write_bytes;
    out["own_log_bytes"] = p.own_log_bytes;
    out["takeover_log_bytes"] = p.takeover_log_bytes;
  }
  void operator()(const Note& p) const { note(p); }
  void operator()(const CpStarted& p) const {
    note(p);
    out["blocks"] = p.blocks;
    out["max_lsn"] = p.max_lsn;
  }
  void operator()(const CpFinished& p) const {
    note(p);
    out["generation"] = p.generation;
    out["max_lsn"] = p.max_lsn;
  }
  void operator()(const Replayed& p) const {
    note(p);
    out["replayed"] = p.replayed;
    out["skipped"] = p.skipped;
  }
  void operator()(const ReplayMismatch& p) const {
    note(p);
    out["lsn"] = p.lsn;
  }
  void operator()(const RequestTooLarge& p) const {
    note(p);
    out["entry_bytes"] = p.entry_bytes;
    out["half_bytes"] = p.half_bytes;
  }
  void operator()(const FaultNote& p) const {
    if (!p.fault.empty()) out["fault"] = p.fault;
    if (!p.target.empty()) out["target"] = p.target;
    if (!p.target_node.empty()) out["target_node"] = p.target_node;
    if (p.of > 0) {
      out["entry"] = p.entry;
      out["of"] = p.of;
    }
  }
  void operator()(const Fsck& p) const {
    out["after"] = p.after;
    out["aggregate"] = p.aggregate;
    out["generation"] = p.generation;
    out["ok"] = p.ok;
    out["plex"] = p.plex;
    out["problems"] = p.problems;
  }
  void operator()(const RaidWork& p) const {
    if (!p.aggregate.empty()) out["aggregate"] = p.aggregate;
    if (!p.disk.empty()) out["disk"] = p.disk;
    if (!p.onto.empty()) out["onto"] = p.onto;
    if (!p.cause.empty()) out["cause"] = p.cause;
    out["plex"] = p.plex;
    if (p.group) out["group"] = *p.group;
    if (p.bytes > 0) out["bytes"] = p.bytes;
    if (p.expected_s > 0) out["expected_s"] = p.expected_s;
    if (p.duration_s > 0) out["duration_s"] = p.duration_s;
    out["ok"] = p.ok;
    out["mismatched_stripes"] = p.mismatched_stripes;
    if (p.unverified_stripes > 0) out["unverified_stripes"] = p.unverified_stripes;
  }
  void operator()(const End& p) const {
    out["clients_done"] = p.clients_done;
    out["served_by_owners"] = p.served_by_owners;
  }
  void operator()(const FinalCp& p) const {
    out["aggregate"] = p.aggregate;
    out["flushed"] = p.flushed;
    out["generation"] = p.generation;
  }
  void operator()(const Resync& p) const {
    out["aggregate"] = p.aggregate;
    out["bytes"] = p.bytes;
    out["differing_blocks"] = p.differing_blocks;
    out["duration_s"] = p.duration_s;
    out["expected_duration_s"] = p.expected_duration_s;
    out["from_plex"] = p.from_plex;
    out["plex"] = p.plex;
  }
  void operator()(const PlexState& p) const {
    out["aggregate"] = p.aggregate;
    out["differing_blocks"] = p.differing_blocks;
    out["failed_components"] = p.failed_components;
    out["stale"] = p.stale;
  }
  // The simulator leaves a notice's empty aggregate and text out.
  template <class N>
  void note(const N& p) const {
    if (!p.aggregate.empty()) out["aggregate"] = p.aggregate;
    if (!p.text.empty()) out["text"] = p.text;
  }
};

}  // namespace

EventPayload empty_payload(EventKind kind) {
  switch (kind) {
    case EventKind::power_on:
    case EventKind::settle: return NoFields{};
    case EventKind::crash: return Crash{};
    case EventKind::boot: return Boot{};
    case EventKind::resume: return Resume{};
    case EventKind::serve:
    case EventKind::stop_serving:
    case EventKind::reservation_taken:
    case EventKind::reservation_released: return OnAggregate{};
    case EventKind::aggregate_loaded: return AggregateLoaded{};
    case EventKind::superblock_write: return SuperblockWrite{};
    case EventKind::reservation_rejection: return ReservationRejection{};
    case EventKind::partner_declared_dead: return PartnerDeclaredDead{};
    case EventKind::heartbeat_missed: return HeartbeatMissed{};
    case EventKind::sample: return Sample{};
    case EventKind::cp_started: return CpStarted{};
    case EventKind::cp_finished: return CpFinished{};
    case EventKind::replayed: return Replayed{};
    case EventKind::replay_mismatch: return ReplayMismatch{};
    case EventKind::request_too_large: return RequestTooLarge{};
    case EventKind::fault:
    case EventKind::fault_armed:
    case EventKind::repair: return FaultNote{};
    case EventKind::fsck: return Fsck{};
    case EventKind::raid_disk_failed:
    case EventKind::raid_rebuild_started:
    case EventKind::raid_rebuild_finished:
    case EventKind::raid_scrub:
    case EventKind::raid_group_failed: return RaidWork{};
    case EventKind::end: return End{};
    case EventKind::final_cp: return FinalCp{};
    case EventKind::resync_started:
    case EventKind::resync_finished:
    case EventKind::resync_abandoned: return Resync{};
    case EventKind::plex_state: return PlexState{};
    default: return Note{};  // the other notices
  }
}

Event decode_event(const json& j) {
  if (!j.is_object()) throw FormatError("expected a JSON object, found " + clip_json(j));
  Event e;
  auto t = j.find("time_s");
  if (t == j.end()) throw FormatError("time_s: missing");
  if (!t->is_number() || !(t->get<double>() >= 0)) bad("time_s", "a number >= 0", *t);
  e.time_s = t->get<double>();
  for (const char* k : {"node", "kind"})
    if (auto it = j.find(k); it == j.end() || !it->is_string()) bad(k, "a string", it == j.end() ? json() : *it);
  e.node = j["node"].get<std::string>();
  const std::string& kind = j["kind"].get_ref<const std::string&>();
  const auto parsed = parse_event_kind(kind);
  if (!parsed) throw FormatError("kind: unknown value " + clip_json(j["kind"]));
  e.kind = *parsed;
  e.payload = empty_payload(e.kind);
  const Fields fields(j);
  std::visit(Decode{fields}, e.payload);
  return e;
}

json payload_json(const Event& e) {
  json out = json::object();
  std::visit(Encode{out}, e.payload);
  return out;
}

std::string_view Event::aggregate() const {
  return std::visit(
      [](const auto& p) -> std::string_view {
        if constexpr (requires { p.aggregate; }) return p.aggregate;
        else return {};
      },
      payload);
}

std::string_view Event::text() const {
  return std::visit(
      [](const auto& p) -> std::string_view {
        if constexpr (requires { p.text; }) return p.text;
        else return {};
      },
      payload);
}

}  // namespace failsim::runfolder
