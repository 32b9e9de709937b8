// Reading and writing scenario JSON, and checking a scenario's values and
// references before a run.
#include "scenario_json.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "sim/scenario/scenario_fields.hpp"

namespace failsim::sim {

using nlohmann::json;

namespace {

constexpr int max_nesting = 64;
constexpr std::size_t max_problems = 20;

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += (s.empty() ? "" : "\n") + l;
  return s;
}

struct Problems {
  std::string file;
  std::vector<std::string> list;
  void add(const std::string& path, const std::string& what) {
    if (list.size() < max_problems) list.push_back(file + ": " + path + ": " + what);
  }
};

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

const char* type_name(const json& j) { return j.type_name(); }

// ---- reading: a visitor that fills a struct from JSON ----
class Reader {
 public:
  Reader(const json& j, std::string path, Problems& p) : j_(j), path_(std::move(path)), p_(p) {}

  template <class T>
  void operator()(const char* key, T& out) {
    known_.insert(key);
    if (j_.is_object() && j_.contains(key)) read(j_.at(key), path_ + "." + key, out);
  }
  template <class T, class F>
  void object(const char* key, T& out, F visit) {
    known_.insert(key);
    if (!j_.is_object() || !j_.contains(key)) return;
    const json& sub = j_.at(key);
    const std::string path = path_ + "." + key;
    if (!sub.is_object()) return p_.add(path, std::string("expected an object, found ") + type_name(sub));
    Reader r(sub, path, p_);
    visit(r, out);
    r.finish();
  }
  template <class T, class F>
  void array(const char* key, std::vector<T>& out, F visit) {
    known_.insert(key);
    if (!j_.is_object() || !j_.contains(key)) return;
    const json& sub = j_.at(key);
    const std::string path = path_ + "." + key;
    if (!sub.is_array()) return p_.add(path, std::string("expected an array, found ") + type_name(sub));
    out.clear();
    for (std::size_t i = 0; i < sub.size(); ++i) {
      const std::string item = path + "[" + std::to_string(i) + "]";
      if (!sub[i].is_object()) {
        p_.add(item, std::string("expected an object, found ") + type_name(sub[i]));
        continue;
      }
      T value{};
      Reader r(sub[i], item, p_);
      visit(r, value);
      r.finish();
      out.push_back(std::move(value));
    }
  }
  // Unknown keys, with the nearest known one as a suggestion.
  void finish() {
    for (auto& [key, value] : j_.items()) {
      if (known_.contains(key)) continue;
      std::string best;
      std::size_t best_d = 4;
      for (const auto& k : known_) {
        std::size_t d = edit_distance(key, k);
        if (d < best_d) best_d = d, best = k;
      }
      p_.add(path_ + "." + key, "unknown key" + (best.empty() ? std::string() : " (did you mean '" + best + "'?)"));
    }
  }

 private:
  void read(const json& v, const std::string& path, double& out) {
    if (!v.is_number()) return p_.add(path, std::string("expected a number, found ") + type_name(v));
    out = v.get<double>();
  }
  template <class I>
    requires std::is_integral_v<I>
  void read(const json& v, const std::string& path, I& out) {
    const bool ok = v.is_number_integer() && (std::is_signed_v<I> || v.is_number_unsigned());
    if (!ok) return p_.add(path, std::string(std::is_signed_v<I> ? "expected an integer" : "expected a non-negative integer") +
                                     ", found " + (v.is_number() ? v.dump() : type_name(v)));
    if (v.is_number_unsigned() ? v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<I>::max())
                               : (v.get<std::int64_t>() < static_cast<std::int64_t>(std::numeric_limits<I>::min()) ||
                                  v.get<std::int64_t>() > static_cast<std::int64_t>(std::numeric_limits<I>::max())))
      return p_.add(path, "value " + v.dump() + " is out of range");
    out = v.get<I>();
  }
  void read(const json& v, const std::string& path, bool& out) {
    if (!v.is_boolean()) return p_.add(path, std::string("expected true or false, found ") + type_name(v));
    out = v.get<bool>();
  }
  void read(const json& v, const std::string& path, std::string& out) {
    if (!v.is_string()) return p_.add(path, std::string("expected a string, found ") + type_name(v));
    out = v.get<std::string>();
  }
  template <class T>
  void read(const json& v, const std::string& path, std::optional<T>& out) {
    if (v.is_null()) return out.reset();
    T value{};
    read(v, path, value);
    out = value;
  }
  template <class T>
  void read(const json& v, const std::string& path, std::vector<T>& out) {
    if (!v.is_array()) return p_.add(path, std::string("expected an array, found ") + type_name(v));
    out.clear();
    for (std::size_t i = 0; i < v.size(); ++i) {
      T value{};
      read(v[i], path + "[" + std::to_string(i) + "]", value);
      out.push_back(std::move(value));
    }
  }

  const json& j_;
  std::string path_;
  Problems& p_;
  std::set<std::string> known_;
};

// ---- writing: the same walk, producing JSON ----
class Writer {
 public:
  explicit Writer(json& j) : j_(j) {}
  template <class T>
  void operator()(const char* key, const T& v) {
    if constexpr (requires { v.has_value(); }) {
      j_[key] = v ? json(*v) : json(nullptr);
    } else {
      j_[key] = v;
    }
  }
  template <class T, class F>
  void object(const char* key, T& v, F visit) {
    json sub = json::object();
    Writer w(sub);
    visit(w, v);
    j_[key] = std::move(sub);
  }
  template <class T, class F>
  void array(const char* key, std::vector<T>& v, F visit) {
    json arr = json::array();
    for (T& item : v) {
      json sub = json::object();
      Writer w(sub);
      visit(w, item);
      arr.push_back(std::move(sub));
    }
    j_[key] = std::move(arr);
  }

 private:
  json& j_;
};

// ---- the JSON Schema: the same walk, producing types ----
class SchemaWriter {
 public:
  explicit SchemaWriter(json& properties) : props_(properties) {}
  template <class T>
  void operator()(const char* key, const T&) {
    props_[key] = type_of<T>();
  }
  template <class T, class F>
  void object(const char* key, T& v, F visit) {
    props_[key] = object_schema(v, visit);
  }
  template <class T, class F>
  void array(const char* key, std::vector<T>&, F visit) {
    T item{};
    props_[key] = {{"type", "array"}, {"items", object_schema(item, visit)}};
  }
  template <class T, class F>
  static json object_schema(T& v, F visit) {
    json props = json::object();
    SchemaWriter w(props);
    visit(w, v);
    return {{"type", "object"}, {"additionalProperties", false}, {"properties", props}};
  }

 private:
  template <class T>
  static json type_of() {
    if constexpr (std::is_same_v<T, bool>) return {{"type", "boolean"}};
    else if constexpr (std::is_same_v<T, std::string>) return {{"type", "string"}};
    else if constexpr (std::is_floating_point_v<T>) return {{"type", "number"}};
    else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) return {{"type", "integer"}, {"minimum", 0}};
    else if constexpr (std::is_integral_v<T>) return {{"type", "integer"}};
    else if constexpr (requires(T t) { t.has_value(); }) {
      json inner = type_of<typename T::value_type>();
      return {{"type", json::array({inner["type"], "null"})}};
    } else {
      return {{"type", "array"}, {"items", type_of<typename T::value_type>()}};
    }
  }
  json& props_;
};

// Nesting deeper than max_nesting is refused before parsing (the parser
// recurses).
bool too_deep(const std::string& text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') {
      if (++depth > max_nesting) return true;
    } else if (c == '}' || c == ']') --depth;
  }
  return false;
}

std::string line_col(const std::string& text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, col = 1;
    else ++col;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

// ---- value and reference checks ----
void check(const Scenario& s, Problems& p) {
  auto positive = [&](double v, const std::string& path) {
    if (!(v > 0) || !std::isfinite(v)) p.add(path, "expected a number > 0, found " + json(v).dump());
  };
  auto non_negative = [&](double v, const std::string& path) {
    if (!(v >= 0) || !std::isfinite(v)) p.add(path, "expected a number >= 0, found " + json(v).dump());
  };
  auto one_of = [&](const std::string& v, std::initializer_list<const char*> set, const std::string& path) {
    for (const char* x : set)
      if (v == x) return;
    std::string options;
    for (const char* x : set) options += (options.empty() ? "" : ", ") + std::string("\"") + x + "\"";
    p.add(path, "expected one of " + options + ", found \"" + v + "\"");
  };

  // Timing.
  const TimingSpec& t = s.timing;
  positive(t.cpu_hz, "$.timing.cpu_hz");
  for (auto [link, name] : {std::pair{&t.nvram, "nvram"}, {&t.interconnect, "interconnect"}, {&t.client_net, "client_net"}}) {
    non_negative(link->latency_s, std::string("$.timing.") + name + ".latency_s");
    positive(link->bandwidth_Bps, std::string("$.timing.") + name + ".bandwidth_Bps");
  }
  non_negative(t.disk.seek_s, "$.timing.disk.seek_s");
  non_negative(t.disk.rotation_s, "$.timing.disk.rotation_s");
  positive(t.disk.transfer_Bps, "$.timing.disk.transfer_Bps");
  positive(t.loop_bandwidth_Bps, "$.timing.loop_bandwidth_Bps");

  // Server.
  const ServerSpec& sv = s.server;
  one_of(sv.log_mode, {"request", "block"}, "$.server.log_mode");
  if (sv.block_size < 512 || sv.block_size > 65536 || (sv.block_size & (sv.block_size - 1)) != 0)
    p.add("$.server.block_size", "expected a power of two from 512 to 65536, found " + std::to_string(sv.block_size));
  const std::uint64_t min_half = sv.log_mode == "block" ? 10 * std::uint64_t{sv.block_size} + 4096 : 4096;
  if (sv.nvram_half_bytes < min_half || sv.nvram_half_bytes > (1ull << 34))
    p.add("$.server.nvram_half_bytes", "expected " + std::to_string(min_half) + " to 2^34 bytes (room for one " +
                                           sv.log_mode + "-logging entry), found " + std::to_string(sv.nvram_half_bytes));
  positive(sv.cp_interval_s, "$.server.cp_interval_s");
  positive(sv.heartbeat_interval_s, "$.server.heartbeat_interval_s");
  if (sv.heartbeat_timeout_s <= sv.heartbeat_interval_s)
    p.add("$.server.heartbeat_timeout_s", "expected more than heartbeat_interval_s, found " + json(sv.heartbeat_timeout_s).dump());
  non_negative(sv.boot_time_s, "$.server.boot_time_s");
  one_of(sv.giveback.mode, {"auto", "at", "never"}, "$.server.giveback.mode");
  non_negative(sv.giveback.delay_s, "$.server.giveback.delay_s");
  non_negative(sv.giveback.time_s, "$.server.giveback.time_s");

  // Workload.
  const WorkloadSpec& w = s.workload;
  if (w.clients < 1 || w.clients > 100000)
    p.add("$.workload.clients", "expected 1 to 100000 clients, found " + std::to_string(w.clients));
  if (w.ops_per_client > 1'000'000'000)
    p.add("$.workload.ops_per_client", "expected at most 10^9, found " + std::to_string(w.ops_per_client));
  one_of(w.loop, {"closed", "open"}, "$.workload.loop");
  one_of(w.namespace_mode, {"private", "shared"}, "$.workload.namespace_mode");
  non_negative(w.think_time_s, "$.workload.think_time_s");
  positive(w.rate_per_s, "$.workload.rate_per_s");
  positive(w.retransmit_timeout_s, "$.workload.retransmit_timeout_s");
  if (w.retry_limit < 0) p.add("$.workload.retry_limit", "expected 0 (retry until answered) or more");
  if (w.data_bytes_min > w.data_bytes_max)
    p.add("$.workload.data_bytes_min", "expected at most data_bytes_max (" + std::to_string(w.data_bytes_max) + ")");
  if (w.data_bytes_max > (1u << 20)) p.add("$.workload.data_bytes_max", "expected at most 1 MiB");
  const OpMix& m = w.mix;
  double total = 0;
  for (double x : {m.create, m.mkdir, m.write, m.append, m.truncate, m.rename, m.unlink, m.rmdir, m.setattr}) {
    if (!(x >= 0)) p.add("$.workload.mix", "expected weights >= 0");
    total += x;
  }
  if (!(total > 0)) p.add("$.workload.mix", "expected at least one weight > 0");

  // Phases.
  non_negative(s.phases.fault_phase_s, "$.phases.fault_phase_s");
  non_negative(s.phases.settle_s, "$.phases.settle_s");

  // Cluster: names, references, pools, paths.
  const ClusterSpec& c = s.cluster;
  if (c.nodes.size() != 2) p.add("$.cluster.nodes", "expected exactly 2 nodes (an HA pair), found " + std::to_string(c.nodes.size()));
  std::set<std::string> names, nodes(c.nodes.begin(), c.nodes.end()), hbas, loops, shelves, disks;
  auto unique = [&](const std::string& name, const std::string& path) {
    if (name.empty()) p.add(path, "expected a non-empty name");
    else if (!names.insert(name).second) p.add(path, "the name '" + name + "' is used twice");
  };
  for (std::size_t i = 0; i < c.nodes.size(); ++i) unique(c.nodes[i], "$.cluster.nodes[" + std::to_string(i) + "]");
  std::map<std::string, std::string> hba_node;
  for (std::size_t i = 0; i < c.hbas.size(); ++i) {
    const std::string path = "$.cluster.hbas[" + std::to_string(i) + "]";
    unique(c.hbas[i].name, path + ".name");
    if (!nodes.contains(c.hbas[i].node)) p.add(path + ".node", "no node named '" + c.hbas[i].node + "'");
    hbas.insert(c.hbas[i].name);
    hba_node[c.hbas[i].name] = c.hbas[i].node;
  }
  std::map<std::string, int> shelf_pool;
  for (std::size_t i = 0; i < c.shelves.size(); ++i) {
    const std::string path = "$.cluster.shelves[" + std::to_string(i) + "]";
    unique(c.shelves[i].name, path + ".name");
    if (c.shelves[i].pool < 0 || c.shelves[i].pool > 1) p.add(path + ".pool", "expected pool 0 or 1");
    if (c.shelves[i].disks < 1 || c.shelves[i].disks > 64) p.add(path + ".disks", "expected 1 to 64 disks");
    shelves.insert(c.shelves[i].name);
    shelf_pool[c.shelves[i].name] = c.shelves[i].pool;
    for (int d = 0; d < c.shelves[i].disks; ++d) disks.insert(c.shelves[i].name + ".d" + std::to_string(d));
  }
  std::map<std::string, std::set<std::string>> shelf_reached_by;  // shelf -> nodes
  for (std::size_t i = 0; i < c.loops.size(); ++i) {
    const std::string path = "$.cluster.loops[" + std::to_string(i) + "]";
    unique(c.loops[i].name, path + ".name");
    loops.insert(c.loops[i].name);
    for (std::size_t k = 0; k < c.loops[i].hbas.size(); ++k)
      if (!hbas.contains(c.loops[i].hbas[k]))
        p.add(path + ".hbas[" + std::to_string(k) + "]", "no HBA named '" + c.loops[i].hbas[k] + "'");
    for (std::size_t k = 0; k < c.loops[i].shelves.size(); ++k) {
      const std::string& sh = c.loops[i].shelves[k];
      if (!shelves.contains(sh)) p.add(path + ".shelves[" + std::to_string(k) + "]", "no shelf named '" + sh + "'");
      for (const auto& h : c.loops[i].hbas)
        if (hba_node.contains(h)) shelf_reached_by[sh].insert(hba_node[h]);
    }
  }
  if (c.aggregates.empty()) p.add("$.cluster.aggregates", "expected at least one aggregate");
  std::set<std::string> used_shelves;
  for (std::size_t i = 0; i < c.aggregates.size(); ++i) {
    const AggregateSpec& a = c.aggregates[i];
    const std::string path = "$.cluster.aggregates[" + std::to_string(i) + "]";
    unique(a.name, path + ".name");
    if (!nodes.contains(a.owner)) p.add(path + ".owner", "no node named '" + a.owner + "'");
    if (a.blocks < 64 || a.blocks > (1ull << 32)) p.add(path + ".blocks", "expected 64 to 2^32 blocks per plex");
    if (a.plexes.empty() || a.plexes.size() > 2) p.add(path + ".plexes", "expected 1 or 2 plexes");
    std::vector<int> plex_pool;
    for (std::size_t x = 0; x < a.plexes.size(); ++x) {
      const std::string ppath = path + ".plexes[" + std::to_string(x) + "]";
      if (a.plexes[x].empty()) p.add(ppath, "expected at least one shelf");
      std::set<int> pools;
      for (std::size_t y = 0; y < a.plexes[x].size(); ++y) {
        const std::string& sh = a.plexes[x][y];
        const std::string spath = ppath + "[" + std::to_string(y) + "]";
        if (!shelves.contains(sh)) {
          p.add(spath, "no shelf named '" + sh + "'");
          continue;
        }
        if (!used_shelves.insert(sh).second) p.add(spath, "shelf '" + sh + "' already belongs to an aggregate");
        pools.insert(shelf_pool[sh]);
        for (const auto& n : c.nodes)
          if (!shelf_reached_by[sh].contains(n))
            p.add(spath, "node '" + n + "' cannot reach shelf '" + sh + "' through any loop: no takeover would be possible");
      }
      if (pools.size() > 1) p.add(ppath, "expected the shelves of one plex in one pool");
      if (!pools.empty()) plex_pool.push_back(*pools.begin());
    }
    if (plex_pool.size() == 2 && plex_pool[0] == plex_pool[1])
      p.add(path + ".plexes", "expected the two plexes of a mirrored aggregate in different pools");
  }
  for (std::size_t i = 0; i < w.aggregates.size(); ++i) {
    bool found = false;
    for (const auto& a : c.aggregates) found = found || a.name == w.aggregates[i];
    if (!found) p.add("$.workload.aggregates[" + std::to_string(i) + "]", "no aggregate named '" + w.aggregates[i] + "'");
  }

  // Faults.
  if (s.faults.size() > 10000) p.add("$.faults", "expected at most 10000 faults, found " + std::to_string(s.faults.size()));
  const auto& kinds = fault_kinds();
  for (std::size_t i = 0; i < s.faults.size() && i < 10000; ++i) {
    const FaultSpec& f = s.faults[i];
    const std::string path = "$.faults[" + std::to_string(i) + "]";
    if (std::find(kinds.begin(), kinds.end(), f.kind) == kinds.end()) {
      std::string best = kinds.front();
      for (const auto& k : kinds)
        if (edit_distance(f.kind, k) < edit_distance(f.kind, best)) best = k;
      p.add(path + ".kind", "unknown fault kind '" + f.kind + "' (did you mean '" + best + "'?)");
    }
    if (!(f.at_s >= 0) || f.at_s > s.phases.fault_phase_s)
      p.add(path + ".at_s", "expected a time within the fault phase, 0 to " + json(s.phases.fault_phase_s).dump() + " s");
    if (!f.node.empty() && !nodes.contains(f.node)) p.add(path + ".node", "no node named '" + f.node + "'");
    const bool needs_node = f.kind == "reboot" || f.kind == "torn_mirror_write" || f.kind.starts_with("crash_") ||
                            f.kind == "node_crash" || f.kind == "nvram_battery_loss";
    if (needs_node && f.node.empty()) p.add(path + ".node", "expected the node this fault hits");
    std::set<std::string>* targets = f.kind == "disk_fail" || f.kind == "latent_sector_error" ? &disks
                                     : f.kind == "shelf_fail"                                 ? &shelves
                                     : f.kind == "loop_fail"                                  ? &loops
                                     : f.kind == "hba_fail"                                   ? &hbas
                                                                                              : nullptr;
    if (targets && !targets->contains(f.target))
      p.add(path + ".target", "no " + f.kind.substr(0, f.kind.find('_')) + " named '" + f.target + "'");
    if (f.kind == "client_partition" && !f.target.empty() && f.target != "all") {
      bool ok = f.target.starts_with("client");
      int id = 0;
      if (ok) {
        try {
          id = std::stoi(f.target.substr(6));
        } catch (...) {
          ok = false;
        }
      }
      if (!ok || id < 1 || id > w.clients) p.add(path + ".target", "expected \"all\" or client1 .. client" + std::to_string(w.clients));
    }
    if (f.k < 1) p.add(path + ".k", "expected 1 or more");
    non_negative(f.duration_s, path + ".duration_s");
    non_negative(f.period_s, path + ".period_s");
    non_negative(f.delay_s, path + ".delay_s");
    if (!(f.probability >= 0 && f.probability <= 1)) p.add(path + ".probability", "expected 0 to 1");
  }
}

}  // namespace

ScenarioError::ScenarioError(const std::vector<std::string>& lines) : std::runtime_error(join(lines)), problems(lines) {}

Scenario parse_scenario(const std::string& text, const std::string& source) {
  Problems p{source, {}};
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw ScenarioError({source + ": empty file: expected a JSON object"});
  if (too_deep(text))
    throw ScenarioError({source + ": $: nested deeper than " + std::to_string(max_nesting) + " levels"});
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ScenarioError({source + ": " + line_col(text, e.byte > 0 ? e.byte - 1 : 0) + ": malformed JSON: " + e.what()});
  }
  if (!j.is_object()) throw ScenarioError({source + ": $: expected an object, found " + std::string(type_name(j))});
  Scenario s;
  Reader r(j, "$", p);
  fields::scenario(r, s);
  r.finish();
  if (p.list.empty()) check(s, p);
  if (!p.list.empty()) throw ScenarioError(p.list);
  return s;
}

Scenario load_scenario_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ScenarioError({path + ": cannot read: it is a directory"});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError({path + ": cannot read: no such file, or no permission"});
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), path);
}

json to_json(const Scenario& s) {
  json j = json::object();
  Writer w(j);
  Scenario copy = s;
  fields::scenario(w, copy);
  return j;
}

json scenario_schema() {
  Scenario s;
  json schema = SchemaWriter::object_schema(s, [](auto& v, auto& x) { fields::scenario(v, x); });
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["title"] = "failsim scenario";
  schema["description"] =
      "A failsim scenario. Every field is optional; defaults are in sim/scenario/scenario.hpp and the README. "
      "Units are in the names (_s seconds, _Bps bytes per second, _hz cycles per second).";
  return schema;
}

int validate_command(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
  int status = 0;
  for (const auto& f : files) {
    try {
      load_scenario_file(f);
      out << f << ": ok\n";
    } catch (const ScenarioError& e) {
      err << e.what() << "\n";
      status = 2;
    }
  }
  return status;
}

}  // namespace failsim::sim
