// The grid of a resolved sweep, and the sweep back to JSON.
#include "sweep/sweep.hpp"

#include <algorithm>
#include <cassert>

#include "common/digest.hpp"

namespace failsim::sweep {

using nlohmann::json;

std::uint64_t Sweep::points() const {
  std::uint64_t n = 1;
  for (const Parameter& p : parameters) n *= p.values.size();
  return n;
}

std::vector<std::size_t> Sweep::value_indices(std::uint64_t point) const {
  assert(point < points());
  std::vector<std::size_t> idx(parameters.size());
  for (std::size_t k = parameters.size(); k-- > 0;) {
    idx[k] = point % parameters[k].values.size();
    point /= parameters[k].values.size();
  }
  return idx;
}

std::vector<json> Sweep::values_of_run(std::uint64_t run) const {
  assert(run < runs());
  const auto idx = value_indices(run / seeds.size());
  std::vector<json> out;
  for (std::size_t k = 0; k < parameters.size(); ++k) out.push_back(parameters[k].values[idx[k]]);
  return out;
}

json Sweep::scenario_json(std::uint64_t run) const {
  json s = base;
  const auto values = values_of_run(run);
  for (std::size_t k = 0; k < parameters.size(); ++k) s[json::json_pointer(parameters[k].path)] = values[k];
  s["seed"] = seed_of_run(run);
  return s;
}

std::string Sweep::point_label(std::uint64_t run, const std::vector<std::string>& skip) const {
  const auto values = values_of_run(run);
  std::string label;
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    if (std::find(skip.begin(), skip.end(), parameters[k].name) != skip.end()) continue;
    label += (label.empty() ? "" : ", ") + parameters[k].name + " = " + value_text(values[k]);
  }
  return label;
}

std::string Sweep::run_label(std::uint64_t run) const {
  const std::string point = point_label(run);
  return "run " + std::to_string(run) + " (" + point + (point.empty() ? "" : ", ") + "seed " +
         std::to_string(seed_of_run(run)) + ")";
}

const Parameter* Sweep::parameter(const std::string& name) const {
  for (const Parameter& p : parameters)
    if (p.name == name) return &p;
  return nullptr;
}

json Sweep::to_json() const {
  json params = json::array(), figs = json::array(), chs = json::array();
  for (const Parameter& p : parameters) params.push_back({{"name", p.name}, {"path", p.path}, {"values", p.values}});
  for (const Figure& f : figures)
    figs.push_back({{"column", f.column}, {f.file == "verdict.json" ? "verdict" : "report", f.pointer}});
  for (const Chart& c : charts) {
    json j{{"x", c.x}, {"y", c.y}};
    if (!c.series.empty()) j["series"] = c.series;
    if (c.log_x) j["log_x"] = true;
    chs.push_back(j);
  }
  return {{"name", name},      {"description", description}, {"base", base},    {"parameters", params},
          {"seeds", seeds},    {"figures", figs},            {"charts", chs}};
}

std::string Sweep::digest() const { return sha256_hex(to_json().dump()); }

std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace failsim::sweep
