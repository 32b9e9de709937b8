// scenario.json to ScenarioFacts, every field checked for its type.
#include "scenario_facts.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "runfolder/format_error.hpp"
#include "runfolder/json_text.hpp"
#include "runfolder/line_reader.hpp"

namespace failsim::runfolder {

using nlohmann::json;

namespace {

constexpr std::uint64_t max_scenario_bytes = std::uint64_t{64} << 20;

// A field at a dotted path, its type checked; errors name the path.
class Doc {
 public:
  explicit Doc(const json& root) : root_(root) {}
  const json& at(const std::string& path) const {
    const json* v = &root_;
    std::size_t from = 0;
    while (from <= path.size()) {
      const std::size_t dot = std::min(path.find('.', from), path.size());
      const std::string key = path.substr(from, dot - from);
      if (!v->is_object()) fail(path.substr(0, from ? from - 1 : 0), "an object", *v);
      auto it = v->find(key);
      if (it == v->end()) throw FormatError(path + ": missing");
      v = &*it;
      from = dot + 1;
    }
    return *v;
  }
  std::string text(const std::string& path) const {
    const json& v = at(path);
    if (!v.is_string()) fail(path, "a string", v);
    return v.get<std::string>();
  }
  std::uint64_t count(const std::string& path) const {
    const json& v = at(path);
    if (!v.is_number_unsigned()) fail(path, "an integer >= 0", v);
    return v.get<std::uint64_t>();
  }
  double number(const std::string& path) const {
    const json& v = at(path);
    if (!v.is_number()) fail(path, "a number", v);
    return v.get<double>();
  }
  bool flag(const std::string& path) const {
    const json& v = at(path);
    if (!v.is_boolean()) fail(path, "true or false", v);
    return v.get<bool>();
  }
  std::optional<double> maybe_number(const std::string& path) const {
    const json& v = at(path);  // written as null when not stated
    if (v.is_null()) return std::nullopt;
    if (!v.is_number()) fail(path, "a number or null", v);
    return v.get<double>();
  }
  std::optional<bool> maybe_flag(const std::string& path) const {
    const json& v = at(path);  // written as null when not stated
    if (v.is_null()) return std::nullopt;
    if (!v.is_boolean()) fail(path, "true, false or null", v);
    return v.get<bool>();
  }
  [[noreturn]] static void fail(const std::string& path, const std::string& want, const json& v) {
    throw FormatError((path.empty() ? std::string("the document") : path) + ": expected " + want + ", found " +
                      clip_json(v));
  }

 private:
  const json& root_;
};

ScenarioFacts facts_of(const json& root) {
  const Doc d(root);
  ScenarioFacts f;
  const json& aggregates = d.at("cluster.aggregates");
  if (!aggregates.is_array()) Doc::fail("cluster.aggregates", "an array", aggregates);
  for (const json& a : aggregates) {
    const Doc ad(a);
    f.owners[ad.text("name")] = ad.text("owner");
    const json& plexes = ad.at("plexes");
    if (!plexes.is_array()) Doc::fail("cluster.aggregates[].plexes", "an array", plexes);
    f.plexes[ad.text("name")] = plexes.size();
  }
  const std::string giveback = d.text("server.giveback.mode");
  if (giveback == "auto") f.giveback = GivebackMode::automatic;
  else if (giveback == "at") f.giveback = GivebackMode::at_time;
  else if (giveback == "never") f.giveback = GivebackMode::never;
  else Doc::fail("server.giveback.mode", "auto, at or never", json(giveback));
  f.clients = d.count("workload.clients");
  f.ops_per_client = d.count("workload.ops_per_client");
  f.retry_limit = d.count("workload.retry_limit");
  const std::string ns = d.text("workload.namespace_mode");
  if (ns != "private" && ns != "shared") Doc::fail("workload.namespace_mode", "private or shared", json(ns));
  f.shared_namespace = ns == "shared";
  f.fault_phase_s = d.number("phases.fault_phase_s");
  f.expect.max_takeover_s = d.maybe_number("expect.max_takeover_s");
  f.expect.max_outage_s = d.maybe_number("expect.max_outage_s");
  f.expect.loss_only_acked_after_s = d.maybe_number("expect.loss_only_acked_after_s");
  f.expect.takeover = d.maybe_flag("expect.takeover");
  f.expect.split_brain_free = d.maybe_flag("expect.split_brain_free");
  f.expect.owner_serves_at_end = d.maybe_flag("expect.owner_serves_at_end");
  f.expect.data_loss = d.flag("expect.data_loss");
  // Absent in run folders written before the field existed: none.
  const json& expect = d.at("expect");
  const json& lost = expect.is_object() && expect.contains("lost_aggregates") ? expect["lost_aggregates"] : json::array();
  if (!lost.is_array()) Doc::fail("expect.lost_aggregates", "an array", lost);
  for (const json& a : lost) {
    if (!a.is_string()) Doc::fail("expect.lost_aggregates", "an array of aggregate names", a);
    f.expect.lost_aggregates.insert(a.get<std::string>());
  }
  return f;
}

}  // namespace

std::optional<ScenarioFacts> read_scenario_facts(const std::string& dir) {
  const std::string path = dir + "/scenario.json";
  std::error_code ec;
  if (std::filesystem::symlink_status(path, ec).type() == std::filesystem::file_type::not_found) return std::nullopt;
  const std::string text = read_regular_file(path, max_scenario_bytes);
  try {
    return facts_of(json::parse(text));
  } catch (const std::exception& e) {
    throw FormatError(path + ": " + clip(e.what(), 300));
  }
}

}  // namespace failsim::runfolder
