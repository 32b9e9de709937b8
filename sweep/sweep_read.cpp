// Reading a sweep file: the keys, the base scenario, the parameters against
// the base, the seeds, the figures and charts against each other, and last
// every grid point through the scenario reader.
#include "sweep/sweep_read.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/scenario/json_text.hpp"
#include "sim/scenario/problems.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::sweep {

namespace fs = std::filesystem;
using nlohmann::json;
using sim::detail::found;
using sim::detail::key_path;
using sim::detail::Problems;
using sim::detail::suggestion;

namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += (s.empty() ? "" : "\n") + l;
  return s;
}

// A sweep this large is a mistake in the file, not a plan.
constexpr std::uint64_t max_runs = 1'000'000;
// Columns results.csv always has; parameters and figures may not take their names.
const std::vector<std::string> fixed_columns{"index", "seed", "verdict", "violations", "undecided"};

std::string item(const std::string& where, std::size_t i) { return where + "[" + std::to_string(i) + "]"; }

class Reader {
 public:
  Reader(Problems& p, std::string base_dir) : p_(p), base_dir_(std::move(base_dir)) {}

  void read(const json& j, Sweep& s) {
    if (!object(j, "$", {"name", "description", "base", "parameters", "seeds", "figures", "charts"})) return;
    // The default name (the file's stem) is held to the same rule as a given one.
    name(j.contains("name") ? j["name"] : json(s.name), s.name);
    if (j.contains("description")) string(j["description"], "$.description", s.description);
    if (!j.contains("base"))
      p_.add("$", "missing key \"base\": expected a scenario file name or a scenario object");
    else
      base(j["base"], s);
    if (j.contains("parameters")) parameters(j["parameters"], s);
    seeds(j.contains("seeds") ? j["seeds"] : json(std::uint64_t{1}), s);
    if (j.contains("figures")) figures(j["figures"], s);
    if (j.contains("charts")) charts(j["charts"], s);
    if (p_.empty() && s.runs() > max_runs)
      p_.add("$", "the grid has " + std::to_string(s.runs()) + " runs, expected at most " + std::to_string(max_runs));
    // Combinations only once every value passed alone: else each bad value
    // would be reported again at every point it takes part in.
    if (p_.empty() && s.parameters.size() > 1) points(s);
  }

 private:
  bool object(const json& j, const std::string& where, const std::vector<std::string>& keys) {
    if (!j.is_object()) {
      p_.add(where, "expected an object, " + found(j));
      return false;
    }
    bool ok = true;
    for (const auto& [k, v] : j.items()) {
      // For people and editors, as in scenario files: "comment" anywhere, "$schema" at the top.
      if (k == "comment" || (k == "$schema" && where == "$")) {
        if (!v.is_string()) p_.add(key_path(where, k), "expected a string, " + found(v));
        continue;
      }
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
        p_.add(key_path(where, k), "unknown key" + suggestion(k, keys));
        ok = false;
      }
    }
    return ok;
  }

  bool string(const json& j, const std::string& where, std::string& out) {
    if (!j.is_string()) {
      p_.add(where, "expected a string, " + found(j));
      return false;
    }
    out = j.get<std::string>();
    return true;
  }

  bool array(const json& j, const std::string& where) {
    if (!j.is_array()) p_.add(where, "expected an array, " + found(j));
    return j.is_array();
  }

  // A column name: it names a folder nowhere, but stays readable in CSV headers.
  bool column_name(const json& j, const std::string& where, std::string& out, const std::string& taken_hint = "") {
    if (!string(j, where, out)) return false;
    if (out.empty() || out.find_first_of(",\"\r\n") != std::string::npos) {
      p_.add(where, "expected a column name without commas, quotes or line breaks, " + found(j));
      return false;
    }
    if (std::find(fixed_columns.begin(), fixed_columns.end(), out) != fixed_columns.end()) {
      p_.add(where, "\"" + out + "\" is a column results.csv always has; expected another name");
      return false;
    }
    if (!columns_.insert(out).second) {
      p_.add(where, "the column \"" + out + "\" is named twice; expected a name of its own" + taken_hint);
      return false;
    }
    return true;
  }

  void name(const json& j, std::string& out) {
    if (!string(j, "$.name", out)) return;
    // The default output folder is sweeps/NAME: no path separators, no dot files.
    const bool plain = !out.empty() && out[0] != '.' && std::all_of(out.begin(), out.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
    if (!plain) p_.add("$.name", "expected letters, digits, '-', '_' or '.' (not first), " + found(j));
  }

  // The base scenario's problems, placed under $.base.
  void base(const json& j, Sweep& s) {
    sim::Scenario scenario;
    if (j.is_string()) {
      const std::string file = j.get<std::string>();
      const fs::path path = fs::path(file).is_absolute() ? fs::path(file) : fs::path(base_dir_) / file;
      try {
        scenario = sim::load_scenario_file(path.lexically_normal().string());
      } catch (const sim::ScenarioError& e) {
        for (const std::string& line : e.problems) p_.add("$.base", line);
        return;
      }
    } else if (j.is_object()) {
      const std::string source = "base";  // stripped again below: the lines read "$.base.x: ..."
      try {
        scenario = sim::parse_scenario(j.dump(), source);
      } catch (const sim::ScenarioError& e) {
        for (const std::string& line : e.problems) {
          // "base: $.workload.clents: unknown key" -> "$.base.workload.clents", "unknown key"
          const std::string rest = line.substr(source.size() + 2);
          const std::size_t colon = std::min(rest.find(": "), rest.size());
          p_.add("$.base" + rest.substr(1, colon - 1), rest.substr(std::min(colon + 2, rest.size())));
        }
        return;
      }
    } else {
      p_.add("$.base", "expected a scenario file name (relative to this file) or a scenario object, " + found(j));
      return;
    }
    s.base = sim::to_json(scenario);
    // Every scenario field the base has: what a parameter may name, and what "did you mean" draws on.
    const json leaves = s.base.flatten();
    for (const auto& [pointer, value] : leaves.items()) fields_.push_back(pointer);
  }

  void parameters(const json& j, Sweep& s) {
    if (!array(j, "$.parameters")) return;
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string at = item("$.parameters", i);
      if (!object(j[i], at, {"path", "values", "name"})) continue;
      Parameter par;
      if (!j[i].contains("path")) {
        p_.add(at, "missing key \"path\": expected a JSON pointer to a scenario field, such as "
                   "\"/server/heartbeat_timeout_s\"");
        continue;
      }
      const bool path_ok = path(j[i]["path"], at + ".path", s, par.path);
      if (par.path.empty()) continue;  // not even a string: no name to give it
      par.name = par.path.substr(par.path.rfind('/') + 1);
      const bool named = j[i].contains("name");
      if (named ? !column_name(j[i]["name"], at + ".name", par.name)
                : !column_name(json(par.name), at + ".path", par.name, " (give the parameter a \"name\")"))
        continue;
      // Named even when its path is refused, so that charts naming it add no problems of their own.
      param_names_.push_back(par.name);
      if (!path_ok) continue;
      if (!j[i].contains("values")) {
        p_.add(at, "missing key \"values\": expected an array of at least one value");
        continue;
      }
      const json& values = j[i]["values"];
      if (!array(values, at + ".values")) continue;
      if (values.empty()) p_.add(at + ".values", "expected at least one value: an empty list leaves the grid empty");
      for (std::size_t v = 0; v < values.size(); ++v) {
        const std::string vat = item(at + ".values", v);
        auto same = std::find(par.values.begin(), par.values.end(), values[v]);
        if (same != par.values.end()) {
          p_.add(vat, "repeats values[" + std::to_string(same - par.values.begin()) + "]; expected each value once");
          continue;
        }
        par.values.push_back(values[v]);
        if (!s.base.is_null()) value(s, par, values[v], vat);
      }
      s.parameters.push_back(std::move(par));
    }
  }

  bool path(const json& j, const std::string& where, const Sweep& s, std::string& out) {
    if (!string(j, where, out)) return false;
    json::json_pointer ptr;
    try {
      ptr = json::json_pointer(out);
    } catch (const json::exception&) {
      p_.add(where, "expected a JSON pointer such as \"/server/heartbeat_timeout_s\", " + found(j));
      return false;
    }
    if (out.empty()) {
      p_.add(where, "expected a pointer to one scenario field, found \"\" (the whole scenario)");
      return false;
    }
    if (out == "/seed") {
      p_.add(where, "the seed is swept by \"seeds\"; expected another field");
      return false;
    }
    for (const std::string& other : paths_)
      if (other == out || other.starts_with(out + "/") || out.starts_with(other + "/")) {
        p_.add(where, "\"" + out + "\" overlaps the parameter \"" + other + "\"; expected each field swept once");
        return false;
      }
    paths_.push_back(out);
    if (s.base.is_null()) return false;  // the base was refused: nothing to check the path against
    bool present = false;
    try {
      present = s.base.contains(ptr);
    } catch (const json::exception&) {  // a word where an array index belongs
    }
    if (!present) {
      p_.add(where, "\"" + out + "\" is not a field of the base scenario" + suggestion(out, fields_) +
                        " (failsim schema --defaults lists every field)");
      return false;
    }
    return true;
  }

  // One value on its own, in the base scenario.
  void value(const Sweep& s, const Parameter& par, const json& v, const std::string& where) {
    json scenario = s.base;
    scenario[json::json_pointer(par.path)] = v;
    try {
      sim::parse_scenario(scenario.dump(), "scenario");
    } catch (const sim::ScenarioError& e) {
      for (const std::string& line : e.problems)
        p_.add(where, par.path + " = " + value_text(v) + " is refused: " + line.substr(std::string("scenario: ").size()));
    }
  }

  // Every combination of values: cross-field checks (a timeout under its interval) show only here.
  void points(const Sweep& s) {
    for (std::uint64_t point = 0; point < s.points(); ++point) {
      const std::uint64_t run = point * s.seeds.size();
      try {
        sim::parse_scenario(s.scenario_json(run).dump(), "scenario");
      } catch (const sim::ScenarioError& e) {
        for (const std::string& line : e.problems)
          p_.add("$.parameters", "grid point " + std::to_string(point) + " (" + s.point_label(run) +
                                     ") is refused: " + line.substr(std::string("scenario: ").size()));
      }
    }
  }

  void seeds(const json& j, Sweep& s) {
    if (j.is_number_unsigned()) {
      const auto n = j.get<std::uint64_t>();
      if (n == 0 || n > max_runs) {
        p_.add("$.seeds", "expected a count from 1 to " + std::to_string(max_runs) + " or a list of seeds, " + found(j));
        return;
      }
      for (std::uint64_t k = 1; k <= n; ++k) s.seeds.push_back(k);
      return;
    }
    if (!j.is_array()) {
      p_.add("$.seeds", "expected a count of seeds or a list of seeds, " + found(j));
      return;
    }
    if (j.empty()) p_.add("$.seeds", "expected at least one seed: an empty list leaves the grid empty");
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_number_unsigned()) {
        p_.add(item("$.seeds", i), "expected a seed (an integer from 0), " + found(j[i]));
        continue;
      }
      const auto seed = j[i].get<std::uint64_t>();
      if (std::find(s.seeds.begin(), s.seeds.end(), seed) != s.seeds.end())
        p_.add(item("$.seeds", i), "repeats the seed " + std::to_string(seed) + "; expected each seed once");
      s.seeds.push_back(seed);
    }
  }

  void figures(const json& j, Sweep& s) {
    if (!array(j, "$.figures")) return;
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string at = item("$.figures", i);
      if (!object(j[i], at, {"column", "report", "verdict"})) continue;
      Figure f;
      if (!j[i].contains("column")) {
        p_.add(at, "missing key \"column\": expected the figure's column name");
        continue;
      }
      if (!column_name(j[i]["column"], at + ".column", f.column)) continue;
      const bool report = j[i].contains("report"), verdict = j[i].contains("verdict");
      if (report == verdict) {
        p_.add(at, "expected one of \"report\" (a JSON pointer into report.json) or \"verdict\" (into verdict.json)");
        continue;
      }
      const std::string key = report ? "report" : "verdict";
      f.file = report ? "report.json" : "verdict.json";
      if (!string(j[i][key], at + "." + key, f.pointer)) continue;
      bool pointer = !f.pointer.empty();
      try {
        (void)json::json_pointer(f.pointer);
      } catch (const json::exception&) {
        pointer = false;
      }
      if (!pointer) {
        p_.add(at + "." + key, "expected a JSON pointer such as \"/ack_latency/all/p99_ms\", " + found(j[i][key]));
        continue;
      }
      // The first part must be a section the file has; deeper parts depend on the run (a takeover or not).
      const auto& sections = report ? report_sections() : verdict_fields();
      const std::string first = f.pointer.substr(1, f.pointer.find('/', 1) - 1);
      if (std::find(sections.begin(), sections.end(), first) == sections.end()) {
        std::vector<std::string> starts;
        for (const std::string& k : sections) starts.push_back("/" + k);
        p_.add(at + "." + key, "\"" + f.pointer + "\" is not in " + f.file + suggestion(first, sections) +
                                   ": expected a pointer starting with " + sim::detail::quoted_list(starts));
        continue;
      }
      s.figures.push_back(std::move(f));
    }
  }

  void charts(const json& j, Sweep& s) {
    if (!array(j, "$.charts")) return;
    const std::vector<std::string>& params = param_names_;
    std::vector<std::string> figs;
    for (const Figure& f : s.figures) figs.push_back(f.column);
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string at = item("$.charts", i);
      if (!object(j[i], at, {"x", "y", "series", "log_x"})) continue;
      Chart c;
      auto name_in = [&](const char* key, const std::vector<std::string>& names, const char* what, std::string& out) {
        if (!j[i].contains(key)) {
          p_.add(at, std::string("missing key \"") + key + "\": expected " + what);
          return false;
        }
        if (!string(j[i][key], at + "." + key, out)) return false;
        if (std::find(names.begin(), names.end(), out) == names.end()) {
          p_.add(at + "." + key, "\"" + out + "\" is not " + what + suggestion(out, names));
          return false;
        }
        return true;
      };
      bool ok = name_in("x", params, "a parameter name", c.x);
      ok = name_in("y", figs, "a figure column", c.y) && ok;
      if (j[i].contains("series")) {
        ok = name_in("series", params, "a parameter name", c.series) && ok;
        if (ok && c.series == c.x) {
          p_.add(at + ".series", "is the x parameter too; expected another parameter");
          ok = false;
        }
      }
      if (j[i].contains("log_x")) {
        const json& v = j[i]["log_x"];
        if (!v.is_boolean()) {
          p_.add(at + ".log_x", "expected true or false, " + found(v));
          ok = false;
        } else if ((c.log_x = v.get<bool>()) && ok) {
          const Parameter* x = s.parameter(c.x);
          const bool positive = !x || std::all_of(x->values.begin(), x->values.end(), [](const json& e) {
            return e.is_number() && e.get<double>() > 0;
          });  // no x: its own problem is reported already
          if (!positive) {
            p_.add(at + ".log_x", "a logarithmic axis needs x values that are all positive numbers");
            ok = false;
          }
        }
      }
      if (ok) s.charts.push_back(std::move(c));
    }
  }

  Problems& p_;
  std::string base_dir_;
  std::vector<std::string> fields_;  // JSON pointers of every leaf of the base scenario
  std::vector<std::string> paths_;   // parameter paths so far
  std::vector<std::string> param_names_;  // parameter names, the refused ones included
  std::set<std::string> columns_;    // parameter and figure columns so far
};

}  // namespace

SweepError::SweepError(const std::vector<std::string>& lines) : std::runtime_error(join(lines)), problems(lines) {}

const std::vector<std::string>& report_sections() {
  // The top-level keys of report.json (reports/analysis.cpp); a test keeps the two equal.
  static const std::vector<std::string> keys{"format",    "build", "run", "verdict", "ops",    "ack_latency",
                                             "takeovers", "givebacks", "log", "cps",     "series", "timeline"};
  return keys;
}

const std::vector<std::string>& verdict_fields() {
  // The keys of verdict.json (checker/judge.cpp); a test keeps the two equal.
  static const std::vector<std::string> keys{"outcome",    "valid",         "ops_checked", "unknown_ops",
                                             "fsck_runs",  "search_states", "undecided",   "violations",
                                             "expected_violations", "lost_changes"};
  return keys;
}

Sweep parse_sweep(const std::string& text, const std::string& source_name, const std::string& base_dir,
                  const std::string& default_name) {
  Problems p(source_name);
  Sweep s;
  s.name = default_name;
  if (std::optional<json> j = sim::detail::parse_json_text(text, p)) Reader(p, base_dir).read(*j, s);
  if (!p.empty()) throw SweepError(p.lines());
  return s;
}

Sweep load_sweep_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw SweepError({path + ": cannot read: it is a directory, expected a sweep file"});
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SweepError({path + ": cannot read: " + (errno ? std::strerror(errno) : "cannot open it")});
  std::ostringstream text;
  text << in.rdbuf();
  const fs::path p(path);
  return parse_sweep(text.str(), path, p.parent_path().string(), p.stem().string());
}

}  // namespace failsim::sweep
