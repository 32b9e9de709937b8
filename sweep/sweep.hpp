// A parameter sweep, resolved: a base scenario with every default filled in,
// the parameters (a scenario field by JSON pointer, and its values), the
// seeds, the figures to collect from each run and the charts to draw. The
// grid is every combination of parameter values (the last parameter varying
// fastest) times every seed; run i is point i / seeds, seed i % seeds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace failsim::sweep {

struct Parameter {
  std::string name;  // its column in results.csv
  std::string path;  // a JSON pointer into the scenario: /server/heartbeat_timeout_s
  std::vector<nlohmann::json> values;
};

struct Figure {
  std::string column;
  std::string file;     // "report.json" or "verdict.json"
  std::string pointer;  // a JSON pointer into that file
};

struct Chart {
  std::string x;       // a parameter name
  std::string y;       // a figure column
  std::string series;  // a parameter name: one line per value ("" for none)
  bool log_x = false;  // a logarithmic x axis (sizes in powers of two, say)
};

struct Sweep {
  std::string name, description;
  nlohmann::json base;  // the base scenario, every field filled in
  std::vector<Parameter> parameters;
  std::vector<std::uint64_t> seeds;
  std::vector<Figure> figures;
  std::vector<Chart> charts;

  std::uint64_t points() const;  // combinations of parameter values
  std::uint64_t runs() const { return points() * seeds.size(); }
  // The value index of each parameter at grid point `point`.
  std::vector<std::size_t> value_indices(std::uint64_t point) const;
  // Run i's parameter values, in parameter order.
  std::vector<nlohmann::json> values_of_run(std::uint64_t run) const;
  std::uint64_t seed_of_run(std::uint64_t run) const { return seeds[run % seeds.size()]; }
  // The scenario of run i, as JSON: the base with the parameter values and the seed set.
  nlohmann::json scenario_json(std::uint64_t run) const;
  // "heartbeat_timeout_s = 0.5, log_mode = block" (all parameters when `skip` is empty).
  std::string point_label(std::uint64_t run, const std::vector<std::string>& skip = {}) const;
  // "run 5 (timeout_s = 1.0, log_mode = request, seed 2)", for messages.
  std::string run_label(std::uint64_t run) const;
  const Parameter* parameter(const std::string& name) const;

  // The resolved sweep file: itself a valid sweep file (the base inline, the
  // seeds as a list) that gives the same grid; sweep.json keeps it.
  nlohmann::json to_json() const;
  // SHA-256 of to_json(): names the sweep, so shards of different sweeps are never merged.
  std::string digest() const;
};

// A value as a table cell: strings as they are, anything else as JSON.
std::string value_text(const nlohmann::json& v);

}  // namespace failsim::sweep
